//! The Werksessies list, the set-up form of a new workshop, and deleting one.

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::workshop::facilitator;
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stip_core::access::Action;
use stip_core::workshop::{WorkshopData, WorkshopInput};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies", get(list).post(create))
        .route("/werksessies/nieuw", get(new_form))
        .route("/werksessies/{id}/verwijderen", post(delete))
}

/// Checks a workshop as set up against the agenda's themes and the meetings.
pub(crate) async fn checked(
    state: &AppState,
    input: &WorkshopInput,
) -> Result<Result<WorkshopData, Invalid>, StoreError> {
    let lists = state.lists().await?;
    let themes: Vec<String> = lists.themes.iter().map(|t| t.data.code.clone()).collect();
    let meetings: Vec<i64> = state
        .store
        .meetings()
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    Ok(input.check(&themes, |m| meetings.contains(&m)))
}

struct Listed {
    id: i64,
    title: String,
    code: String,
    phase: String,
    meeting: String,
}

#[derive(Template)]
#[template(path = "workshop/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Listed>,
    run: bool,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewWorkshops)?;
    let c = viewer.chrome();
    let meetings = state.store.meetings().await?;
    let items = state
        .store
        .workshops()
        .await?
        .into_iter()
        .map(|w| Listed {
            id: w.id,
            phase: c.t(&format!("workshop.phase.{}", w.phase.code())),
            meeting: w
                .data
                .meeting
                .and_then(|m| meetings.iter().find(|x| x.id == m))
                .map(|m| m.data.title.clone())
                .unwrap_or_default(),
            title: w.data.title,
            code: w.code,
        })
        .collect();
    Ok(render(&ListPage {
        c,
        items,
        run: viewer.may(Action::RunWorkshops),
    }))
}

/// The set-up form as typed.
#[derive(Default)]
struct Typed {
    title: String,
    meeting: String,
    dots: String,
    max_per_theme: String,
    themes: Vec<String>,
    groups: String,
    questions: String,
    anonymous: bool,
    hide_until_revealed: bool,
    timer: String,
}

#[derive(Template)]
#[template(path = "workshop/new.html")]
struct NewPage {
    c: Chrome,
    f: Typed,
    errors: Errors,
    meetings: Vec<(String, String)>,
    themes: Vec<(String, String)>,
}

impl NewPage {
    fn theme_checked(&self, code: &str) -> bool {
        self.f.themes.iter().any(|t| t == code)
    }
}

async fn new_page(
    state: &AppState,
    viewer: &Viewer,
    f: Typed,
    errors: Errors,
) -> Result<NewPage, Error> {
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let meetings = state
        .store
        .meetings()
        .await?
        .into_iter()
        .rev()
        .map(|m| (m.id.to_string(), m.data.title))
        .collect();
    let themes = lists
        .themes
        .iter()
        .map(|t| (t.data.code.clone(), t.data.name.clone()))
        .collect();
    Ok(NewPage {
        c,
        f,
        errors,
        meetings,
        themes,
    })
}

async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::RunWorkshops)?;
    let lists = state.lists().await?;
    let f = Typed {
        meeting: param(&q, "bijeenkomst").to_string(),
        dots: stip_core::workshop::DEFAULT_DOTS.to_string(),
        themes: lists.themes.iter().map(|t| t.data.code.clone()).collect(),
        groups: stip_core::workshop::DEFAULT_GROUPS.join("\n"),
        questions: stip_core::workshop::default_questions().join("\n"),
        ..Typed::default()
    };
    let page = new_page(&state, &viewer, f, Errors::none(viewer.lang)).await?;
    Ok(render(&page))
}

/// Lines of a text area, empty ones dropped.
fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A number as typed: `None` when empty, `Some(-1)` (refused as out of range) when not a number.
fn number(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.parse().unwrap_or(-1))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::RunWorkshops)?;
    let f = Typed {
        title: param(&form, "title").to_string(),
        meeting: param(&form, "meeting").to_string(),
        dots: param(&form, "dots_per_participant").to_string(),
        max_per_theme: param(&form, "max_dots_per_theme").to_string(),
        themes: form
            .iter()
            .filter(|(k, _)| k == "themes")
            .map(|(_, v)| v.clone())
            .collect(),
        groups: param(&form, "groups").to_string(),
        questions: param(&form, "questions").to_string(),
        anonymous: crate::ui::form::checked(param(&form, "anonymous")),
        hide_until_revealed: crate::ui::form::checked(param(&form, "hide_until_revealed")),
        timer: param(&form, "timer_minutes").to_string(),
    };
    let mut errors = Invalid::default();
    if f.themes.is_empty() {
        errors.push("themes", ErrorCode::Required);
    }
    let input = WorkshopInput {
        title: f.title.clone(),
        meeting: match f.meeting.trim() {
            "" => None,
            m => Some(m.parse().unwrap_or(0)),
        },
        dots_per_participant: Some(number(&f.dots).unwrap_or(0)),
        max_dots_per_theme: number(&f.max_per_theme),
        themes: Some(f.themes.clone()),
        groups: Some(lines(&f.groups)),
        questions: Some(lines(&f.questions)),
        anonymous: f.anonymous,
        hide_until_revealed: f.hide_until_revealed,
        timer_minutes: number(&f.timer),
    };
    let checked = checked(&state, &input).await?;
    match checked {
        Ok(data) if errors.is_empty() => {
            let w = state
                .store
                .create_workshop(&data, viewer.actor.user_id())
                .await?;
            Ok(Redirect::to(&format!("/werksessies/{}", w.id)).into_response())
        }
        outcome => {
            if let Err(e) = outcome {
                errors.0.extend(e.0);
            }
            let page = new_page(&state, &viewer, f, Errors::new(viewer.lang, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    state.store.delete_workshop(id).await?;
    Ok(Redirect::to("/werksessies").into_response())
}
