//! The working group's page `/themas/{code}/werkgroep`: who is in it and every exchange, newest
//! first; for the regiegroep the forms to describe the group and to log an exchange. The theme's
//! own page shows the latest exchanges (see `agenda::pages`).

use crate::auth::Viewer;
use crate::http::extract::Form;
use crate::linked::{Linked, linked};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::ui::picker::Picked;
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stip_core::Invalid;
use stip_core::access::Action;
use stip_core::workgroup::{Direction, ExchangeInput, WorkgroupData, WorkgroupInput};
use stip_store::StoreError;
use stip_store::workgroup::LoggedExchange;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/themas/{code}/werkgroep", get(show).post(save))
        .route("/themas/{code}/werkgroep/uitwisseling", post(log))
        .route(
            "/themas/{code}/werkgroep/uitwisseling/{id}/verwijderen",
            post(remove),
        )
}

/// An exchange as pages show it.
pub(crate) struct ExchangeView {
    pub id: i64,
    pub input: bool,
    pub date: String,
    pub text: String,
    pub links: Vec<String>,
    /// Related projects as the viewer may see them: (id, title) for one they see, (none, "een
    /// project van een andere instelling") for one they may not.
    pub projects: Vec<(Option<i64>, String)>,
    pub meeting: Option<(i64, String)>,
}

/// The exchanges as `viewer` may see them (a project they may not see is named without its
/// title).
pub(crate) async fn exchange_views(
    state: &AppState,
    viewer: &Viewer,
    c: &Chrome,
    logged: Vec<LoggedExchange>,
) -> Result<Vec<ExchangeView>, StoreError> {
    let mut out = Vec::new();
    for l in logged {
        let mut projects = Vec::new();
        for id in &l.exchange.projects {
            match linked(state, &viewer.actor, *id).await? {
                Linked::Shown(p) => projects.push((Some(p.id), p.data.title.clone())),
                Linked::Hidden => projects.push((None, c.t("meeting.case_hidden"))),
                Linked::Gone => {}
            }
        }
        let meeting = match l.exchange.meeting {
            Some(m) => match state.store.meeting(m).await {
                Ok(m) => Some((m.id, m.data.title)),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        out.push(ExchangeView {
            id: l.id,
            input: l.exchange.direction == Direction::Input,
            date: c.date(&l.exchange.date),
            text: l.exchange.text,
            links: l.exchange.links,
            projects,
            meeting,
        });
    }
    Ok(out)
}

/// The group's form as typed.
#[derive(Default)]
struct GroupForm {
    name: String,
    chair: String,
    contact: String,
    /// A row per member: their name and their institution as typed (its name or BRIN code).
    members: Vec<[String; 2]>,
}

/// Empty member rows the form offers beyond the members there are.
const SPARE_MEMBERS: usize = 2;

/// The exchange's form as typed.
#[derive(Default)]
struct ExchangeForm {
    direction: String,
    date: String,
    text: String,
    links: String,
    /// The related projects as typed, one per field (see `ui::picker`); always a few fields.
    projects: Vec<String>,
    /// The meeting it was discussed at (its id), or empty.
    meeting: String,
}

/// How many project fields the exchange form offers (more when more were sent).
const PROJECT_FIELDS: usize = 3;

#[derive(Template)]
#[template(path = "workgroup/show.html")]
struct ShowPage {
    c: Chrome,
    code: String,
    theme: String,
    group: WorkgroupData,
    /// Members with their institution's name.
    members: Vec<(String, String)>,
    exchanges: Vec<ExchangeView>,
    manage: bool,
    g: GroupForm,
    x: ExchangeForm,
    /// The network's meetings to choose from, as (id, "title, date"), the latest first.
    meetings: Vec<(String, String)>,
    /// The projects suggested in the exchange's project fields.
    project_options: Vec<String>,
    /// The institutions suggested for a member: (name, "BRIN · region").
    institution_options: Vec<(String, String)>,
    group_errors: Errors,
    errors: Errors,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    g: Option<GroupForm>,
    x: ExchangeForm,
    group_errors: Errors,
    errors: Errors,
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let Some(theme) = lists.theme(code) else {
        return Err(Error::NotFound);
    };
    let c = viewer.chrome();
    let group = state.store.workgroup(code).await?.unwrap_or_default();
    let institution =
        |id: Option<i64>| id.and_then(|id| lists.institutions.iter().find(|i| i.id == id));
    let members = group
        .members
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                institution(m.institution).map_or(String::new(), |i| i.data.name.clone()),
            )
        })
        .collect();
    let g = g.unwrap_or_else(|| GroupForm {
        name: group.name.clone(),
        chair: group.chair.clone(),
        contact: group.contact.clone(),
        members: group
            .members
            .iter()
            .map(|m| {
                let i = institution(m.institution).map_or(String::new(), |i| i.data.name.clone());
                [m.name.clone(), i]
            })
            .collect(),
    });
    let mut g = g;
    g.members
        .retain(|[name, institution]| !name.trim().is_empty() || !institution.trim().is_empty());
    g.members
        .extend((0..SPARE_MEMBERS).map(|_| [String::new(), String::new()]));
    let logged = state.store.exchanges(code, 1000).await?;
    let exchanges = exchange_views(state, viewer, &c, logged).await?;
    let invalid = group_errors.any() || errors.any();
    let manage = viewer.may(Action::ManageWorkgroups);
    let meetings = if manage {
        state
            .store
            .meetings()
            .await?
            .into_iter()
            .rev()
            .map(|m| {
                let day = m
                    .data
                    .starts_at
                    .with_timezone(&chrono_tz::Europe::Amsterdam);
                (
                    m.id.to_string(),
                    format!("{}, {}", m.data.title, c.date(&day.date_naive())),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let project_options = if manage {
        crate::ui::picker::offered(&crate::ui::picker::visible(state, viewer).await?)
    } else {
        Vec::new()
    };
    let mut x = x;
    if x.projects.len() < PROJECT_FIELDS {
        x.projects.resize(PROJECT_FIELDS, String::new());
    }
    let institution_options = crate::ui::picker::institution_options(&lists.institutions);
    let res = render(&ShowPage {
        institution_options,
        project_options,
        meetings,
        code: code.to_string(),
        theme: theme.data.name.clone(),
        members,
        exchanges,
        manage,
        group,
        g,
        x,
        group_errors,
        errors,
        c,
    });
    Ok(if invalid {
        (StatusCode::UNPROCESSABLE_ENTITY, res).into_response()
    } else {
        res
    })
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Response, Error> {
    viewer.require(Action::ViewWorkgroups)?;
    let none = || Errors::none(viewer.lang);
    page(
        &state,
        &viewer,
        &code,
        None,
        ExchangeForm::default(),
        none(),
        none(),
    )
    .await
}

/// The members as typed, and the lines refused.
type Members = (Vec<(String, Option<i64>)>, Vec<(usize, String)>);

/// The member rows as typed: a name, and an institution by name or BRIN code (or none); an
/// institution that is none in Stip, or more than one, is refused with its row (numbered as the
/// form shows it).
fn members_of(rows: &[[String; 2]], lists: &crate::lists::Lists) -> Members {
    let mut wrong = Vec::new();
    let mut out = Vec::new();
    for (n, [name, institution]) in rows.iter().enumerate().map(|(i, r)| (i + 1, r)) {
        let (name, institution) = (name.trim(), institution.trim());
        if name.is_empty() && institution.is_empty() {
            continue;
        }
        if institution.is_empty() {
            out.push((name.to_string(), None));
            continue;
        }
        match crate::ui::picker::institution(lists, institution) {
            Ok(i) => out.push((name.to_string(), Some(i.id))),
            Err(_) => {
                wrong.push((n, format!("{name}, {institution}")));
                out.push((name.to_string(), None));
            }
        }
    }
    (out, wrong)
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageWorkgroups)?;
    let lists = state.lists().await?;
    if lists.theme(&code).is_none() {
        return Err(Error::NotFound);
    }
    let g = GroupForm {
        name: param(&form, "name").to_string(),
        chair: param(&form, "chair").to_string(),
        contact: param(&form, "contact").to_string(),
        members: crate::ui::form::rows(&form, "members", ["name", "institution"]),
    };
    let (members, wrong) = members_of(&g.members, &lists);
    let mut e = Invalid::default();
    if !wrong.is_empty() {
        e.push("members", stip_core::ErrorCode::Unknown);
    }
    let input = WorkgroupInput {
        name: g.name.clone(),
        chair: g.chair.clone(),
        contact: g.contact.clone(),
        members,
    };
    match super::checked_group(&state, &input).await? {
        Ok(data) if e.is_empty() => {
            state.store.save_workgroup(&code, &data).await?;
            Ok(Redirect::to(&format!("/themas/{code}/werkgroep")).into_response())
        }
        outcome => {
            // In the form's order: the group's own fields, then its members.
            if let Err(more) = outcome {
                e.0.splice(0..0, more.0);
            }
            let none = Errors::none(viewer.lang);
            let mut errors = Errors::new(viewer.lang, e);
            if !wrong.is_empty() {
                let lines = wrong
                    .iter()
                    .map(|(n, line)| {
                        viewer.lang.t_with(
                            "workgroup.member_line",
                            &[("n", &n.to_string()), ("line", line)],
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                errors = errors.worded(
                    "members",
                    viewer
                        .lang
                        .t_with("workgroup.unknown_members", &[("lines", &lines)]),
                );
            }
            page(
                &state,
                &viewer,
                &code,
                Some(g),
                ExchangeForm::default(),
                errors,
                none,
            )
            .await
        }
    }
}

async fn log(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageWorkgroups)?;
    if state.lists().await?.theme(&code).is_none() {
        return Err(Error::NotFound);
    }
    let x = ExchangeForm {
        direction: param(&form, "direction").to_string(),
        date: param(&form, "date").to_string(),
        text: param(&form, "text").to_string(),
        links: param(&form, "links").to_string(),
        projects: form
            .iter()
            .filter(|(k, _)| k == "projects")
            .map(|(_, v)| v.clone())
            .collect(),
        meeting: param(&form, "meeting").trim().to_string(),
    };
    let mut e = Invalid::default();
    let mut projects = Vec::new();
    // One project per field (or line), by name as the picker takes it (numbers, also several
    // apart by commas, as before).
    let visible = crate::ui::picker::visible(&state, &viewer).await?;
    let numbers = |line: &str| {
        line.chars()
            .all(|c| c.is_ascii_digit() || "#, ".contains(c))
    };
    for line in x
        .projects
        .iter()
        .flat_map(|p| p.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let parts: Vec<&str> = match numbers(line) {
            true => line.split([',', ' ']).filter(|p| !p.is_empty()).collect(),
            false => vec![line],
        };
        for part in parts {
            match crate::ui::picker::pick(&visible, part) {
                Picked::Project(id) => projects.push(id),
                Picked::Nothing => {}
                Picked::Refused(code, _) => e.push("projects", code),
            }
        }
    }
    let meeting = match x.meeting.parse::<i64>() {
        _ if x.meeting.is_empty() => None,
        Ok(id) => Some(id),
        Err(_) => {
            e.push("meeting", stip_core::ErrorCode::InvalidChoice);
            None
        }
    };
    let input = ExchangeInput {
        direction: x.direction.clone(),
        date: x.date.clone(),
        text: x.text.clone(),
        links: x.links.lines().map(str::to_string).collect(),
        projects,
        meeting,
    };
    match super::checked_exchange(&state, &viewer.actor, &input).await? {
        Ok(exchange) if e.is_empty() => {
            state
                .store
                .log_exchange(&code, &exchange, viewer.actor.user_id())
                .await?;
            Ok(Redirect::to(&format!("/themas/{code}/werkgroep#uitwisselingen")).into_response())
        }
        outcome => {
            if let Err(more) = outcome {
                // Lines and ids of the form are named by the form's field.
                for f in more.0 {
                    let field = f.field.split('[').next().unwrap_or("").to_string();
                    e.push(&field, f.code);
                }
            }
            let none = Errors::none(viewer.lang);
            let errors = Errors::new(viewer.lang, e);
            page(&state, &viewer, &code, None, x, none, errors).await
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageWorkgroups)?;
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    state.store.delete_exchange(&code, id).await?;
    Ok(Redirect::to(&format!("/themas/{code}/werkgroep#uitwisselingen")).into_response())
}
