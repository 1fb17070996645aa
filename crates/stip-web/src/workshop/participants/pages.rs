//! Joining at `/meedoen` (a code, a name and a group), changing group, and the facilitator
//! removing a participant; what joining takes, shared with the API.

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::workshop::throttle::{self, Throttled};
use crate::workshop::{back, facilitator, participant_of, to_join};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use stip_core::workshop::Workshop;
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meedoen", get(join_form).post(join))
        .route("/werksessies/{id}/groep", post(change_group))
        .route(
            "/werksessies/{id}/deelnemers/{participant}/verwijderen",
            post(remove_participant),
        )
}

/// Why a join is refused.
pub(crate) enum Refused {
    /// By field; with the workshop when the code opened one.
    Invalid(Invalid, Option<Box<Workshop>>),
    /// Too many attempts for now.
    Throttled(Throttled),
}

impl From<Refused> for Error {
    fn from(r: Refused) -> Error {
        match r {
            Refused::Invalid(e, _) => Error::Invalid(e),
            Refused::Throttled(t) => Error::TooManyRequests(t.wait),
        }
    }
}

/// The workshop a join code opens and the name to join under (a logged-in person's own name
/// when they give none), counted against the limits on joining (see `throttle`); refused by
/// field, or for now.
pub(crate) async fn joining(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    name: &str,
) -> Result<Result<(Workshop, String), Refused>, StoreError> {
    let mut e = Invalid::default();
    let w = if stip_core::workshop::normalise_code(code).is_empty() {
        e.push("code", ErrorCode::Required);
        None
    } else {
        match throttle::open(&state.store, &viewer.address, code).await? {
            Ok(w) => {
                if w.is_none() {
                    e.push("code", ErrorCode::Unknown);
                }
                w
            }
            Err(t) => return Ok(Err(Refused::Throttled(t))),
        }
    };
    let name = match (name.trim().is_empty(), &viewer.user) {
        (true, Some(u)) => Some(u.name.clone()),
        _ => e.take(
            "name",
            stip_core::error::required_text(name, stip_core::workshop::MAX_NAME),
        ),
    };
    match (w, name) {
        (Some(w), Some(name)) if e.is_empty() => {
            if let Err(t) = throttle::join(&state.store, &viewer.address, &w).await? {
                return Ok(Err(Refused::Throttled(t)));
            }
            Ok(Ok((w, name)))
        }
        (w, _) => Ok(Err(Refused::Invalid(e, w.map(Box::new)))),
    }
}

/// The participant cookie: for the browser session, like the login.
pub(crate) fn participant_cookie(headers: &HeaderMap, token: String) -> Cookie<'static> {
    crate::auth::session::private_cookie(
        crate::workshop::PARTICIPANT_COOKIE,
        token,
        None,
        crate::auth::session::is_https(headers),
    )
}

// ---- Joining ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "workshop/join.html")]
struct JoinPage {
    c: Chrome,
    code: String,
    display_name: String,
    /// The groups to choose from, once the code is known.
    groups: Vec<(String, String)>,
    group: String,
    title: String,
    errors: Errors,
    /// Too many attempts: why, and when to try again.
    throttled: String,
}

/// The join form for workshop `w` (the one `code` opened, if any).
fn join_page(
    viewer: &Viewer,
    w: Option<&Workshop>,
    code: &str,
    name: &str,
    group: &str,
    errors: Errors,
) -> JoinPage {
    let groups = w
        .map(|w| {
            w.data
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (i.to_string(), g.clone()))
                .collect()
        })
        .unwrap_or_default();
    JoinPage {
        code: stip_core::workshop::normalise_code(code),
        display_name: if name.is_empty() {
            viewer
                .user
                .as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_default()
        } else {
            name.to_string()
        },
        groups,
        group: group.to_string(),
        title: w.map(|w| w.data.title.clone()).unwrap_or_default(),
        c: viewer.chrome(),
        errors,
        throttled: String::new(),
    }
}

/// The join form saying that there were too many attempts: 429 with `Retry-After`.
fn throttled_page(viewer: &Viewer, code: &str, name: &str, t: Throttled) -> Response {
    let mut page = join_page(viewer, None, code, name, "", Errors::none(viewer.lang));
    page.throttled = format!("{} {}", page.c.t(t.key()), viewer.lang.try_again_in(t.wait));
    let mut res = render(&page);
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut()
        .insert(axum::http::header::RETRY_AFTER, t.wait.into());
    res
}

async fn join_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let code = param(&q, "code");
    let w = if code.trim().is_empty() {
        None
    } else {
        match throttle::open(&state.store, &viewer.address, code).await? {
            Ok(w) => w,
            Err(t) => return Ok(throttled_page(&viewer, code, "", t)),
        }
    };
    let page = join_page(&viewer, w.as_ref(), code, "", "", Errors::none(viewer.lang));
    Ok(render(&page))
}

async fn join(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let code = param(&form, "code");
    let name = param(&form, "name");
    let group = param(&form, "group");
    let (w, name) = match joining(&state, &viewer, code, name).await? {
        Ok(ok) => ok,
        Err(Refused::Invalid(e, w)) => {
            let errors = Errors::new(viewer.lang, e);
            let page = join_page(&viewer, w.as_deref(), code, name, group, errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
        }
        Err(Refused::Throttled(t)) => return Ok(throttled_page(&viewer, code, name, t)),
    };
    let group = group
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|g| *g < w.data.groups.len());
    let (token, hash) = crate::auth::token::new_workshop_token();
    state
        .store
        .join_workshop(
            w.id,
            &name,
            group,
            viewer.actor.user_id(),
            viewer.actor.institution_id(),
            &hash,
        )
        .await?;
    // The language chosen on the form stays the participant's for the workshop, whatever the
    // browser asks for.
    let lang = crate::i18n::Lang::parse(param(&form, "taal")).unwrap_or(viewer.lang);
    Ok((
        CookieJar::new()
            .add(participant_cookie(&headers, token))
            .add(crate::ui::layout::lang_cookie(lang)),
        Redirect::to(&format!("/werksessies/{}", w.id)),
    )
        .into_response())
}

async fn change_group(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((w, p)) = participant_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    if let Some(g) = param(&form, "group")
        .parse::<usize>()
        .ok()
        .filter(|g| *g < w.data.groups.len())
    {
        state.store.move_participant(&p, g).await?;
    }
    Ok(back(id, ""))
}

/// Removes a participant with their notes and dots (the facilitator), and says so at the list.
async fn remove_participant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, participant)): Path<(String, String)>,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    let (Ok(id), Ok(participant)) = (id.parse::<i64>(), participant.parse::<i64>()) else {
        return Err(Error::NotFound);
    };
    let removed = match state.store.remove_participant(id, participant).await {
        Ok(removed) => removed,
        // Removed already (the button pressed twice): the list as it is now.
        Err(StoreError::NotFound) => {
            state.store.workshop(id).await?;
            return Ok(back(id, "#deelnemers"));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!(
        "/werksessies/{id}?verwijderd={}&notities={}&stippen={}#deelnemers",
        removed.number, removed.notes, removed.dots
    ))
    .into_response())
}
