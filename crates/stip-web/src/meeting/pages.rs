//! The Bijeenkomsten pages: upcoming and past meetings with each person's calendar feed, planning
//! and changing a meeting (agenda rows, minutes), a meeting's page with "ik kom" and, for the
//! regiegroep, who comes from which institution; the printable report (its appendices and the
//! PDF in `report`).

use super::report::{Appendix, appendices, report_pdf};
use super::{Shown, calendar, carried, checked, ics_response, shown};
use crate::auth::Viewer;
use crate::auth::token::random_token;
use crate::http::extract::{Form, Id};
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
use stip_core::access::{Action, Actor};
use stip_core::meeting::{AgendaItem, FollowUpInput, Meeting, MeetingInput};
use stip_core::{ErrorCode, Invalid, Version};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bijeenkomsten", get(list).post(create))
        .route("/bijeenkomsten/nieuw", get(new_form))
        .route("/bijeenkomsten/agenda-link", post(feed_link))
        .route("/bijeenkomsten/{id}", get(show))
        .route("/bijeenkomsten/{id}/bewerken", get(edit_form).post(save))
        .route("/bijeenkomsten/{id}/aanwezig", post(attend))
        .route("/bijeenkomsten/{id}/verslag", get(report))
        .route("/bijeenkomsten/{id}/verslag.pdf", get(report_pdf))
        .route("/agenda/{file}", get(feed))
}

// ---- List and calendar feed -----------------------------------------------------------------

#[derive(Template)]
#[template(path = "meeting/list.html")]
struct ListPage {
    c: Chrome,
    upcoming: Vec<Shown>,
    past: Vec<Shown>,
    manage: bool,
    feed: String,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let now = chrono::Utc::now();
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for m in state.store.meetings().await? {
        let s = shown(&state, &lists, &viewer, &c, &m).await?;
        if m.data.ends_at >= now {
            upcoming.push(s);
        } else {
            past.push(s);
        }
    }
    past.reverse();
    let feed = match viewer.actor.user_id() {
        Some(u) => {
            let token = state.store.calendar_feed(u, false, random_token).await?;
            format!("{}/agenda/{token}.ics", viewer.origin)
        }
        None => String::new(),
    };
    Ok(render(&ListPage {
        c,
        upcoming,
        past,
        manage: viewer.may(Action::ManageMeetings),
        feed,
    }))
}

/// A new calendar feed address for the viewer; the old one stops working.
async fn feed_link(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    if let Some(u) = viewer.actor.user_id() {
        state.store.calendar_feed(u, true, random_token).await?;
    }
    Ok(Redirect::to("/bijeenkomsten#agenda-link").into_response())
}

/// Every meeting as a calendar to subscribe to, at a person's secret address.
async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    viewer: Viewer,
) -> Result<Response, Error> {
    let token = file.strip_suffix(".ics").ok_or(Error::NotFound)?;
    if token.len() < 20 {
        return Err(Error::NotFound);
    }
    let Some(user_id) = state.store.calendar_feed_user(token).await? else {
        return Err(Error::NotFound);
    };
    // The feed shows what its owner may see, as their pages do; a switched-off account's feed
    // shows nothing.
    let owner = state.store.user(user_id).await?;
    let actor = Actor::of(&owner);
    if !owner.active || !stip_core::access::may(&actor, Action::ViewMeetings) {
        return Err(Error::NotFound);
    }
    let lists = state.lists().await?;
    let meetings = state.store.meetings().await?;
    Ok(ics_response(
        calendar(&state, &lists, &actor, &viewer.origin, &meetings).await?,
        "bijeenkomsten.ics",
    ))
}

// ---- Planning -----------------------------------------------------------------------------

/// A meeting's form, as typed.
#[derive(Default, Clone)]
struct MeetingForm {
    title: String,
    starts_at: String,
    ends_at: String,
    place: String,
    theme: String,
    case_project: String,
    presenter: String,
    minutes: String,
    agenda: Vec<AgendaItem>,
    /// The surveys attached as appendices.
    surveys: Vec<i64>,
    decisions: Vec<String>,
    actions: Vec<FollowUpInput>,
    version: i64,
}

/// Empty agenda rows a form offers beyond those filled in.
const SPARE_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "meeting/edit.html")]
struct EditPage {
    c: Chrome,
    /// `None`: a new meeting.
    id: Option<i64>,
    f: MeetingForm,
    errors: Errors,
    themes: Vec<(String, String)>,
    /// Opened surveys that can be attached: (id, title).
    surveys: Vec<(i64, String)>,
    /// The case's suggestions (see `ui::picker`), and what fitted a name that was not one.
    project_options: Vec<String>,
    case_matches: Vec<String>,
}

impl EditPage {
    fn attached(&self, id: &i64) -> bool {
        self.f.surveys.contains(id)
    }
    fn field(&self, i: &usize, name: &str) -> String {
        format!("agenda[{i}].{name}")
    }
    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/bijeenkomsten/{id}/bewerken"),
            None => "/bijeenkomsten".into(),
        }
    }
}

fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn form_of(m: &Meeting) -> MeetingForm {
    MeetingForm {
        title: m.data.title.clone(),
        starts_at: local(m.data.starts_at),
        ends_at: local(m.data.ends_at),
        place: m.data.place.clone(),
        theme: m.data.theme.clone().unwrap_or_default(),
        case_project: m
            .data
            .case_project
            .map(|p| p.to_string())
            .unwrap_or_default(),
        presenter: m.data.presenter.clone(),
        minutes: m.data.minutes.clone(),
        agenda: m.data.agenda.clone(),
        surveys: m.data.appendices.clone(),
        decisions: m.data.decisions.clone(),
        actions: m
            .data
            .actions
            .iter()
            .map(|a| FollowUpInput {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due_on: a.due_on.map(|d| d.to_string()).unwrap_or_default(),
                status: a.status.code().into(),
            })
            .collect(),
        version: m.version,
    }
}

fn from_form(form: &[(String, String)]) -> MeetingForm {
    let mut agenda = Vec::new();
    for i in 0..100 {
        let name = |n: &str| format!("agenda[{i}].{n}");
        if !form.iter().any(|(k, _)| *k == name("title")) {
            break;
        }
        agenda.push(AgendaItem {
            time: param(form, &name("time")).into(),
            title: param(form, &name("title")).into(),
            owner: param(form, &name("owner")).into(),
        });
    }
    MeetingForm {
        title: param(form, "title").into(),
        starts_at: param(form, "starts_at").into(),
        ends_at: param(form, "ends_at").into(),
        place: param(form, "place").into(),
        theme: param(form, "theme").into(),
        case_project: param(form, "case_project").into(),
        presenter: param(form, "presenter").into(),
        minutes: param(form, "minutes").into(),
        agenda,
        surveys: form
            .iter()
            .filter(|(k, _)| k == "surveys")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        decisions: (0..100)
            .map(|i| format!("decisions[{i}]"))
            .take_while(|name| form.iter().any(|(k, _)| k == name))
            .map(|name| param(form, &name).to_string())
            .collect(),
        actions: (0..100)
            .take_while(|i| form.iter().any(|(k, _)| *k == format!("actions[{i}].text")))
            .map(|i| {
                let name = |n: &str| format!("actions[{i}].{n}");
                FollowUpInput {
                    text: param(form, &name("text")).into(),
                    owner: param(form, &name("owner")).into(),
                    due_on: param(form, &name("due_on")).into(),
                    status: param(form, &name("status")).into(),
                }
            })
            .collect(),
        version: Version::from_form(param(form, "version")).get(),
    }
}

fn edit_page(
    viewer: &Viewer,
    lists: &crate::lists::Lists,
    surveys: Vec<(i64, String)>,
    id: Option<i64>,
    mut f: MeetingForm,
    errors: Errors,
    projects: &[std::sync::Arc<stip_core::portfolio::Project>],
) -> EditPage {
    let filled = f.agenda.iter().filter(|a| !a.title.is_empty()).count();
    f.agenda
        .retain(|a| !a.title.is_empty() || !a.time.is_empty() || !a.owner.is_empty());
    let spare = (filled + SPARE_ROWS).saturating_sub(f.agenda.len()).max(1);
    f.agenda.extend((0..spare).map(|_| AgendaItem {
        time: String::new(),
        title: String::new(),
        owner: String::new(),
    }));
    f.decisions.retain(|d| !d.trim().is_empty());
    f.decisions.extend((0..2).map(|_| String::new()));
    f.actions
        .retain(|a| !a.text.trim().is_empty() || !a.owner.is_empty() || !a.due_on.is_empty());
    f.actions.extend((0..2).map(|_| FollowUpInput::default()));
    EditPage {
        c: viewer.chrome(),
        id,
        f,
        errors,
        themes: lists
            .themes
            .iter()
            .map(|t| (t.data.code.clone(), t.data.name.clone()))
            .collect(),
        surveys,
        project_options: crate::ui::picker::offered(projects),
        case_matches: Vec::new(),
    }
}

/// The opened surveys, newest first, to attach to a meeting.
async fn attachable(state: &AppState) -> Result<Vec<(i64, String)>, Error> {
    Ok(state
        .store
        .surveys()
        .await?
        .into_iter()
        .filter(|s| s.opened_at.is_some())
        .map(|s| (s.id, s.data.title))
        .collect())
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageMeetings)?;
    let lists = state.lists().await?;
    let projects = crate::ui::picker::visible(&state, &viewer).await?;
    Ok(render(&edit_page(
        &viewer,
        &lists,
        attachable(&state).await?,
        None,
        MeetingForm::default(),
        Errors::none(viewer.lang),
        &projects,
    )))
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ManageMeetings)?;
    let m = state.store.meeting(id).await?;
    let lists = state.lists().await?;
    let projects = crate::ui::picker::visible(&state, &viewer).await?;
    let mut f = form_of(&m);
    // The case by its name, as the picker suggests it (its number when it is not visible).
    if let Some(p) = projects.iter().find(|p| Some(p.id) == m.data.case_project) {
        f.case_project = crate::ui::picker::label(p);
    }
    Ok(render(&edit_page(
        &viewer,
        &lists,
        attachable(&state).await?,
        Some(id),
        f,
        Errors::none(viewer.lang),
        &projects,
    )))
}

fn input_of(f: &MeetingForm, case_project: Option<i64>) -> MeetingInput {
    MeetingInput {
        title: f.title.clone(),
        starts_at: f.starts_at.clone(),
        ends_at: f.ends_at.clone(),
        place: f.place.clone(),
        theme: f.theme.clone(),
        case_project,
        presenter: f.presenter.clone(),
        agenda: f.agenda.clone(),
        minutes: f.minutes.clone(),
        appendices: f.surveys.clone(),
        decisions: f.decisions.clone(),
        actions: f.actions.clone(),
    }
}

async fn store_form(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    form: Vec<(String, String)>,
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let f = from_form(&form);
    let mut e = Invalid::default();
    let projects = crate::ui::picker::visible(state, viewer).await?;
    let mut case_matches = Vec::new();
    let case = match crate::ui::picker::pick(&projects, &f.case_project) {
        Picked::Nothing => None,
        Picked::Project(id) => Some(id),
        Picked::Refused(code, matches) => {
            e.push("case_project", code);
            case_matches = matches;
            None
        }
    };
    let input = input_of(&f, case);
    let kept = match id {
        Some(id) => state.store.meeting(id).await?.data.case_project,
        None => None,
    };
    let checked = checked(state, &lists, &viewer.actor, kept, &input).await?;
    let surveys = attachable(state).await?;
    let again = |e: Invalid, status: StatusCode| {
        let mut page = edit_page(
            viewer,
            &lists,
            surveys.clone(),
            id,
            f.clone(),
            Errors::new(viewer.lang, e),
            &projects,
        );
        page.case_matches = case_matches.clone();
        let mut res = render(&page);
        *res.status_mut() = status;
        res
    };
    let data = match checked {
        Ok(d) if e.is_empty() => d,
        Ok(_) => return Ok(again(e, StatusCode::UNPROCESSABLE_ENTITY)),
        Err(more) => {
            e.0.extend(more.0);
            return Ok(again(e, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let id = match id {
        None => {
            state
                .store
                .create_meeting(&data, viewer.actor.user_id())
                .await?
        }
        Some(id) => {
            if !state
                .store
                .update_meeting(id, Version(f.version), &data)
                .await?
            {
                return Ok(again(
                    Invalid::one("version", ErrorCode::Taken),
                    StatusCode::CONFLICT,
                ));
            }
            id
        }
    };
    Ok(Redirect::to(&format!("/bijeenkomsten/{id}")).into_response())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageMeetings)?;
    store_form(&state, &viewer, None, form).await
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageMeetings)?;
    state.store.meeting(id).await?;
    store_form(&state, &viewer, Some(id), form).await
}

// ---- A meeting ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "meeting/show.html")]
struct ShowPage {
    c: Chrome,
    m: Meeting,
    s: Shown,
    minutes: String,
    manage: bool,
    /// The viewer's own answer: `Some(true)` comes, `Some(false)` does not.
    mine: Option<bool>,
    attendees: Vec<super::AttendeeJson>,
    report: bool,
    coming: usize,
    appendices: Vec<Appendix>,
    /// Open actions of earlier meetings: (meeting id, meeting title, text, owner, due date).
    carried: Vec<(i64, String, String, String, String)>,
    /// The regiegroep's members, who organise the meetings.
    regiegroep: String,
    /// The meeting's workshops; those that show their results are appendices of the report.
    workshops: Vec<crate::workshop::MeetingWorkshop>,
    run_workshops: bool,
}

impl ShowPage {
    /// The workshops whose results are appendices, numbered after the surveys.
    fn workshop_appendices(&self) -> Vec<(usize, &crate::workshop::MeetingWorkshop)> {
        self.workshops
            .iter()
            .filter(|w| !w.themes.is_empty())
            .enumerate()
            .map(|(i, w)| (self.appendices.len() + i + 1, w))
            .collect()
    }
}

async fn meeting_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    report: bool,
) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    let m = state.store.meeting(id).await?;
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let s = shown(state, &lists, viewer, &c, &m).await?;
    let attendance = state.store.attendance(id).await?;
    let mine = viewer.actor.user_id().and_then(|u| {
        attendance
            .iter()
            .find(|a| a.user_id == u)
            .map(|a| a.attending)
    });
    let manage = viewer.may(Action::ManageMeetings);
    let attendees = if manage {
        super::attendees(state, &lists, id)
            .await
            .map_err(|e| Error::Internal(format!("{e:?}")))?
    } else {
        Vec::new()
    };
    let appendices = if report {
        appendices(state, viewer, &lists, &m).await?
    } else {
        // The meeting's page names them; the report shows them.
        let mut named = Vec::new();
        for id in &m.data.appendices {
            // A survey deleted since is no appendix any more.
            let s = match state.store.survey(*id).await {
                Ok(s) => s,
                Err(stip_store::StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            {
                named.push(Appendix {
                    id: s.id,
                    title: s.data.title,
                    lead: String::new(),
                    anonymous: false,
                    questions: Vec::new(),
                });
            }
        }
        named
    };
    let all = state.store.meetings().await?;
    let carried = carried(&c, &m, &all);
    let regiegroep = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active && u.role == stip_core::user::Role::Regiegroep)
        .map(|u| u.name)
        .collect::<Vec<_>>()
        .join(", ");
    let workshops = crate::workshop::meeting_workshops(state, &c, id).await?;
    Ok(render(&ShowPage {
        workshops,
        run_workshops: viewer.may(Action::RunWorkshops),
        regiegroep,
        carried,
        appendices,
        minutes: crate::ui::markdown::markdown(&m.data.minutes, 3),
        coming: attendees.iter().filter(|a| a.attending).count(),
        c,
        m,
        s,
        manage,
        mine,
        attendees,
        report,
    }))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    meeting_page(&state, &viewer, id, false).await
}

async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    meeting_page(&state, &viewer, id, true).await
}

async fn attend(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    state.store.meeting(id).await?;
    if let Some(u) = viewer.actor.user_id() {
        let attending = param(&form, "attending") == "ja";
        state.store.set_attendance(id, u, attending).await?;
    }
    Ok(Redirect::to(&format!("/bijeenkomsten/{id}#aanwezig")).into_response())
}
