//! The agenda's versions: `/agenda/versies` lists them (and starts a new one for the beheerder),
//! `/agenda/versies/{id}` shows one: a concept with its edit form and the mapping to activate it
//! with, the active one with the projects to look at again, a previous one with how the
//! network's projects were mapped to it.

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::form::{Errors, param, rows};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::BTreeMap;
use stip_core::Invalid;
use stip_core::access::Action;
use stip_core::agenda::{MainLineInput, ThemeInput};
use stip_core::agenda_version::{Content, ContentInput, Status};
use stip_store::StoreError;
use stip_store::agenda_version::Agenda;
use stip_store::portfolio::Editor;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agenda/versies", get(list).post(create))
        .route("/agenda/versies/{id}", get(show).post(save))
        .route("/agenda/versies/{id}/activeren", post(activate))
        .route("/agenda/versies/{id}/verwijderen", post(remove))
        .route("/agenda/versies/{id}/thema/{code}", get(theme_projects))
        .route("/projecten/{id}/agenda-nagekeken", post(reviewed))
}

/// An editor has looked at a flagged project's themes again.
async fn reviewed(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    let p = match state.store.project(id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    viewer.require(Action::EditProject {
        institution_id: p.institution_id,
    })?;
    state.store.resolve_review(id).await?;
    Ok(Redirect::to(&format!("/projecten/{id}")).into_response())
}

struct VersionRow {
    id: i64,
    name: String,
    status: Status,
    themes: usize,
    activated_at: String,
    superseded_at: String,
}

#[derive(Template)]
#[template(path = "agenda/versions.html")]
struct ListPage {
    c: Chrome,
    versions: Vec<VersionRow>,
    manage: bool,
    /// The new version's name as typed (not `name`: the form macro's parameter is called so).
    typed_name: String,
    errors: Errors,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    name: String,
    errors: Errors,
) -> Result<Response, Error> {
    let c = viewer.chrome();
    let versions = state
        .store
        .agendas()
        .await?
        .into_iter()
        .map(|a| VersionRow {
            id: a.id,
            name: a.name,
            status: a.status,
            themes: a.content.themes.len(),
            activated_at: a.activated_at.map(|t| c.moment(&t)).unwrap_or_default(),
            superseded_at: a.superseded_at.map(|t| c.moment(&t)).unwrap_or_default(),
        })
        .collect();
    let invalid = errors.any();
    let res = render(&ListPage {
        versions,
        manage: viewer.may(Action::ManageAgendaVersions),
        typed_name: name,
        errors,
        c,
    });
    Ok(if invalid {
        (StatusCode::UNPROCESSABLE_ENTITY, res).into_response()
    } else {
        res
    })
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewNetwork)?;
    list_page(&state, &viewer, String::new(), Errors::none(viewer.lang)).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    let name = param(&form, "name").to_string();
    match stip_core::error::required_text(&name, 120) {
        Ok(n) => {
            let id = state.store.create_agenda(&n).await?;
            Ok(Redirect::to(&format!("/agenda/versies/{id}")).into_response())
        }
        Err(code) => {
            let errors = Errors::new(viewer.lang, Invalid::one("name", code));
            list_page(&state, &viewer, name, errors).await
        }
    }
}

/// A theme of the version as the page shows it, with the projects mapped to it (previous
/// versions: those the viewer may see).
struct ThemeRow {
    code: String,
    name: String,
    main_line: String,
    projects: Option<usize>,
}

/// An active theme and the concept's themes it may map to, which are ticked.
struct MappingRow {
    code: String,
    name: String,
    targets: Vec<(String, String, bool)>,
}

/// A project to look at again after the last activation.
struct ReviewRow {
    id: i64,
    title: String,
    institution: String,
    reason: String,
    old_themes: String,
}

#[derive(Template)]
#[template(path = "agenda/version.html")]
struct ShowPage {
    c: Chrome,
    a: Agenda,
    status: String,
    themes: Vec<ThemeRow>,
    manage: bool,
    /// The concept's form, as typed: name, main lines (code, name, position), themes (code,
    /// name, main line, colour, position, description).
    typed_name: String,
    line_rows: Vec<[String; 3]>,
    theme_rows: Vec<[String; 6]>,
    errors: Errors,
    mapping: Vec<MappingRow>,
    mapping_errors: Errors,
    reviews: Vec<ReviewRow>,
    /// A concept: the main lines and themes of the active version changed since the concept
    /// copied it (their names), which activating it would undo.
    changed_since: Vec<String>,
    /// A previous version: per institution, its projects per theme then.
    overview: Vec<(String, Vec<usize>)>,
}

const EMPTY_ROWS: usize = 3;

fn rows_of(content: &Content) -> (Vec<[String; 3]>, Vec<[String; 6]>) {
    let mut lines: Vec<[String; 3]> = content
        .main_lines
        .iter()
        .map(|l| [l.code.clone(), l.name.clone(), l.position.to_string()])
        .collect();
    lines.extend((0..EMPTY_ROWS).map(|_| Default::default()));
    let mut themes: Vec<[String; 6]> = content
        .themes
        .iter()
        .map(|t| {
            [
                t.code.clone(),
                t.name.clone(),
                t.main_line.clone().unwrap_or_default(),
                t.colour.clone(),
                t.position.to_string(),
                t.description.clone(),
            ]
        })
        .collect();
    themes.extend((0..EMPTY_ROWS).map(|_| Default::default()));
    (lines, themes)
}

/// The form as typed, when it came back with errors.
struct Typed {
    name: String,
    lines: Vec<[String; 3]>,
    themes: Vec<[String; 6]>,
    errors: Invalid,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<Typed>,
    mapping_typed: Option<(BTreeMap<String, Vec<String>>, Invalid)>,
) -> Result<Response, Error> {
    let a = match state.store.agenda(id).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    let c = viewer.chrome();
    let manage = viewer.may(Action::ManageAgendaVersions);
    let lists = state.lists().await?;
    // A previous version: per theme, and per institution and theme, the projects mapped to it
    // then (those the viewer may see).
    let mut per_institution: BTreeMap<i64, BTreeMap<String, usize>> = BTreeMap::new();
    let counts: Option<BTreeMap<String, usize>> = if a.status == Status::Previous {
        let mapped = state.store.agenda_project_themes(a.id).await?;
        let mut counts = BTreeMap::new();
        for (pid, themes) in mapped {
            if let Some(p) = crate::linked::visible(state, &viewer.actor, pid).await? {
                let row = per_institution.entry(p.institution_id).or_default();
                for t in themes {
                    *row.entry(t.clone()).or_insert(0) += 1;
                    *counts.entry(t).or_insert(0) += 1;
                }
            }
        }
        Some(counts)
    } else {
        None
    };
    let overview: Vec<(String, Vec<usize>)> = lists
        .institutions
        .iter()
        .filter_map(|i| {
            let row = per_institution.get(&i.id)?;
            Some((
                i.data.short_name.clone(),
                a.content
                    .themes
                    .iter()
                    .map(|t| row.get(&t.code).copied().unwrap_or(0))
                    .collect(),
            ))
        })
        .collect();
    let line_name = |code: &Option<String>| match code {
        Some(code) => a
            .content
            .main_lines
            .iter()
            .find(|l| &l.code == code)
            .map_or(code.clone(), |l| l.name.clone()),
        None => c.t("agenda.across"),
    };
    let themes = a
        .content
        .themes
        .iter()
        .map(|t| ThemeRow {
            code: t.code.clone(),
            name: t.name.clone(),
            main_line: line_name(&t.main_line),
            projects: counts
                .as_ref()
                .map(|m| m.get(&t.code).copied().unwrap_or(0)),
        })
        .collect();
    let (typed_name, line_rows, theme_rows, errors) = match typed {
        Some(t) => (
            t.name,
            t.lines,
            t.themes,
            Errors::new(viewer.lang, t.errors),
        ),
        None => {
            let (l, t) = rows_of(&a.content);
            (a.name.clone(), l, t, Errors::none(viewer.lang))
        }
    };
    let (chosen, mapping_errors) = match mapping_typed {
        Some((m, e)) => (Some(m), Errors::new(viewer.lang, e)),
        None => (None, Errors::none(viewer.lang)),
    };
    let mapping = if a.status == Status::Concept {
        lists
            .themes
            .iter()
            .map(|old| MappingRow {
                code: old.data.code.clone(),
                name: old.data.name.clone(),
                targets: a
                    .content
                    .themes
                    .iter()
                    .map(|new| {
                        let ticked = match &chosen {
                            Some(m) => m
                                .get(&old.data.code)
                                .is_some_and(|to| to.contains(&new.code)),
                            None => new.code == old.data.code,
                        };
                        (new.code.clone(), new.name.clone(), ticked)
                    })
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut reviews = Vec::new();
    if a.status == Status::Active {
        let names = crate::agenda::theme_names(state).await?;
        for r in state.store.open_reviews(Some(a.id)).await? {
            if let Some(p) = crate::linked::visible(state, &viewer.actor, r.project_id).await? {
                reviews.push(ReviewRow {
                    id: p.id,
                    title: p.data.title.clone(),
                    institution: lists
                        .institutions
                        .iter()
                        .find(|i| i.id == p.institution_id)
                        .map(|i| i.data.name.clone())
                        .unwrap_or_default(),
                    reason: c.t(&format!("agenda_version.review_short.{}", r.reason.code())),
                    old_themes: crate::agenda::named(&r.old_themes, &names),
                });
            }
        }
    }
    let mut changed_since = Vec::new();
    if let (Status::Concept, Some(base)) = (a.status, &a.base) {
        let live = state.store.agenda_content().await?;
        changed_since = stip_core::agenda_version::changed(base, &live);
    }
    let invalid = errors.any() || mapping_errors.any();
    let res = render(&ShowPage {
        status: c.t(&format!("agenda_version.status.{}", a.status.code())),
        a,
        themes,
        manage,
        typed_name,
        line_rows,
        theme_rows,
        errors,
        mapping,
        mapping_errors,
        reviews,
        changed_since,
        overview,
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
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ViewNetwork)?;
    page(&state, &viewer, id, None, None).await
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    let name = param(&form, "name").to_string();
    let lines = rows(&form, "main_lines", ["code", "name", "position"]);
    let themes = rows(
        &form,
        "themes",
        [
            "code",
            "name",
            "main_line",
            "colour",
            "position",
            "description",
        ],
    );
    let input = ContentInput {
        name: name.clone(),
        main_lines: lines
            .iter()
            .map(|[code, name, position]| MainLineInput {
                code: code.clone(),
                name: name.clone(),
                position: position.clone(),
            })
            .collect(),
        themes: themes
            .iter()
            .map(
                |[code, name, main_line, colour, position, description]| ThemeInput {
                    code: code.clone(),
                    name: name.clone(),
                    main_line: main_line.clone(),
                    colour: colour.clone(),
                    position: position.clone(),
                    description: description.clone(),
                },
            )
            .collect(),
    };
    match input.check() {
        Ok((name, content)) => {
            if !state.store.save_agenda(id, &name, &content).await? {
                return Err(Error::NotFound);
            }
            Ok(Redirect::to(&format!("/agenda/versies/{id}")).into_response())
        }
        Err(errors) => {
            let typed = Typed {
                name,
                lines,
                themes,
                errors,
            };
            page(&state, &viewer, id, Some(typed), None).await
        }
    }
}

async fn activate(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    // Every active theme is in the mapping: its ticked boxes (`map.CODE`), or none.
    let lists = state.lists().await?;
    let mapping: BTreeMap<String, Vec<String>> = lists
        .themes
        .iter()
        .map(|t| {
            let key = format!("map.{}", t.data.code);
            let to = form
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .collect();
            (t.data.code.clone(), to)
        })
        .collect();
    let user = viewer.user.as_ref().ok_or(Error::NotFound)?;
    let editor = Editor {
        user_id: Some(user.id),
        name: user.name.clone(),
    };
    match state.store.activate_agenda(id, &mapping, &editor).await {
        Ok(Some(_)) => Ok(Redirect::to(&format!("/agenda/versies/{id}")).into_response()),
        Ok(None) => Err(Error::NotFound),
        Err(StoreError::Invalid(e)) => page(&state, &viewer, id, None, Some((mapping, e))).await,
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    if !state.store.delete_agenda(id).await? {
        return Err(Error::NotFound);
    }
    Ok(Redirect::to("/agenda/versies").into_response())
}

/// A project as the previous version's theme list shows it.
struct ThenRow {
    id: i64,
    title: String,
    institution: String,
    /// Its themes now, by name.
    now: String,
}

#[derive(Template)]
#[template(path = "agenda/version_theme.html")]
struct ThemeProjectsPage {
    c: Chrome,
    id: i64,
    version: String,
    theme: String,
    projects: Vec<ThenRow>,
}

/// The projects (that the viewer may see) mapped to `code` in previous version `id`.
async fn theme_projects(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, Error> {
    viewer.require(Action::ViewNetwork)?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(Error::NotFound);
    };
    let a = match state.store.agenda(id).await {
        Ok(a) if a.status == Status::Previous => a,
        Ok(_) | Err(StoreError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    let Some(theme) = a.content.themes.iter().find(|t| t.code == code) else {
        return Err(Error::NotFound);
    };
    let lists = state.lists().await?;
    let mut projects = Vec::new();
    for (pid, themes) in state.store.agenda_project_themes(id).await? {
        if !themes.contains(&code) {
            continue;
        }
        let Ok(p) = state.store.project(pid).await else {
            continue;
        };
        if viewer.may(Action::ViewProject {
            institution_id: p.institution_id,
            visibility: p.data.visibility,
        }) {
            projects.push(ThenRow {
                id: p.id,
                title: p.data.title.clone(),
                institution: lists
                    .institutions
                    .iter()
                    .find(|i| i.id == p.institution_id)
                    .map(|i| i.data.short_name.clone())
                    .unwrap_or_default(),
                now: p
                    .data
                    .themes
                    .iter()
                    .map(|t| lists.theme_name(t))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    projects.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    Ok(render(&ThemeProjectsPage {
        c: viewer.chrome(),
        id,
        version: a.name.clone(),
        theme: theme.name.clone(),
        projects,
    }))
}
