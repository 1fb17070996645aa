//! The live workshop (issue 15): who takes part (by token, cookie or account), what each one may
//! see, the results, and the stream of events every screen follows (server-sent events).

mod board;
mod compare;
mod groups;
mod notes;
mod participants;
mod results;
mod setup;
mod throttle;
mod voting;

pub(crate) use results::{MeetingWorkshop, meeting_workshops};

use crate::auth::Viewer;
use crate::auth::token::token_hash;
use crate::{AppState, Error};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use std::sync::Arc;
use std::time::Duration;
use stip_core::access::Action;
use stip_core::workshop::{GroupResult, Note, Participant, ThemeResult, Workshop, note_visible};
use stip_store::StoreError;
use stip_store::workshop::LiveEvent;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages and API operations, each in its sub-feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(setup::routes())
        .merge(participants::routes())
        .merge(board::routes())
        .merge(notes::routes())
        .merge(voting::routes())
        .merge(results::routes())
        .merge(compare::routes())
}

/// The cookie that keeps a participant without an account in their workshop.
pub const PARTICIPANT_COOKIE: &str = "stip_deelname";

/// Who is asking, as far as workshop `w` goes.
pub struct Taking {
    /// Their participant in `w`, if they take part.
    pub participant: Option<Participant>,
    /// May run the workshop (the regiegroep, the beheerder).
    pub facilitator: bool,
    /// May follow it: a participant, or anyone logged in.
    pub follows: bool,
}

/// The participant token of a request: `Authorization: Bearer stipw_…`, or (with `cookie`) the
/// participant cookie.
fn token_of(headers: &HeaderMap, cookie: bool) -> Option<String> {
    let bearer = crate::auth::token::bearer(headers)
        .filter(|t| t.starts_with(crate::auth::token::WORKSHOP_TOKEN_PREFIX));
    if let Some(t) = bearer {
        return Some(t.to_string());
    }
    cookie
        .then(|| CookieJar::from_headers(headers))
        .and_then(|jar| jar.get(PARTICIPANT_COOKIE).map(|c| c.value().to_string()))
}

/// Who the request is in workshop `w`. `cookie`: whether the participant cookie counts (pages,
/// and reading; the API's writes take the token as a Bearer, so no other site can make a
/// participant's browser write).
pub async fn taking(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    w: &Workshop,
    cookie: bool,
) -> Result<Taking, StoreError> {
    let mut participant = None;
    if let Some(token) = token_of(headers, cookie) {
        participant = state
            .store
            .participant_by_token(&token_hash(&token))
            .await?
            .filter(|p| p.workshop_id == w.id);
    }
    if participant.is_none()
        && let Some(u) = viewer.actor.user_id()
    {
        participant = state.store.participant_of_user(w.id, u).await?;
    }
    let facilitator = viewer.user.is_some() && viewer.may(Action::RunWorkshops);
    let follows =
        participant.is_some() || (viewer.user.is_some() && viewer.may(Action::ViewWorkshops));
    Ok(Taking {
        participant,
        facilitator,
        follows,
    })
}

impl Taking {
    /// Everyone, as the projector and the files show the workshop: no one's own hidden notes.
    pub fn everyone() -> Taking {
        Taking {
            participant: None,
            facilitator: false,
            follows: true,
        }
    }

    /// The notes of `all` this person may see.
    pub fn visible(&self, w: &Workshop, all: Vec<Note>) -> Vec<Note> {
        let me = self.participant.as_ref().map(|p| p.id);
        all.into_iter()
            .filter(|n| note_visible(w, n, me, self.facilitator))
            .collect()
    }
}

/// A workshop's results with the notes `taking` may see: the themes ranked, and what each
/// perspective group wrote per question in phase 1.
pub struct Outcome {
    pub themes: Vec<ThemeResult>,
    pub groups: Vec<GroupResult>,
    /// Whether the dots are counted in `themes`: not while people vote and the facilitator
    /// hides the running totals (then every theme has none, in the workshop's order).
    pub totals: bool,
    /// What the duos and trios of the comparing step could do together, per group.
    pub together: Vec<Together>,
}

/// A duo or trio of the comparing step and what it wrote down.
pub struct Together {
    /// The institutions (ids), as when the group wrote.
    pub institutions: Vec<i64>,
    pub notes: Vec<stip_core::workshop::TogetherNote>,
}

/// The notes of the comparing step by group, the groups in the order of their first note.
pub async fn together(state: &AppState, w: &Workshop) -> Result<Vec<Together>, StoreError> {
    let mut out: Vec<Together> = Vec::new();
    for n in state.store.together_notes(w.id).await? {
        match out.iter_mut().find(|g| g.institutions == n.institutions) {
            Some(g) => g.notes.push(n),
            None => out.push(Together {
                institutions: n.institutions.clone(),
                notes: vec![n],
            }),
        }
    }
    Ok(out)
}

pub async fn outcome(
    state: &AppState,
    w: &Workshop,
    taking: &Taking,
) -> Result<Outcome, StoreError> {
    let notes = taking.visible(w, state.store.workshop_notes(w.id).await?);
    let totals = w.totals_visible(taking.facilitator);
    let dots = match totals {
        true => state.store.workshop_dots(w.id).await?,
        false => Vec::new(),
    };
    Ok(Outcome {
        themes: stip_core::workshop::results(w, &notes, &dots),
        groups: stip_core::workshop::perspectives(w, &notes),
        totals,
        together: together(state, w).await?,
    })
}

/// The events of workshop `w` after `after` (the `Last-Event-ID` a screen sends when it
/// reconnects; without one, from now), then every new one as it happens. Each event has its
/// id, so a screen that loses the connection resumes where it was and misses nothing.
pub async fn events(
    state: &AppState,
    w: &Workshop,
    after: Option<i64>,
) -> Result<
    Sse<impl futures_util::Stream<Item = Result<SseEvent, std::convert::Infallible>> + use<>>,
    StoreError,
> {
    // Subscribe before reading, so nothing falls between the read and the first live event.
    let receiver = state.store.follow_workshop(w.id).await?;
    let start = match after {
        Some(a) => a,
        None => state.store.newest_workshop_event(w.id).await?,
    };
    struct Follow {
        store: stip_store::Store,
        id: i64,
        receiver: tokio::sync::broadcast::Receiver<Arc<LiveEvent>>,
        /// The newest event sent to this screen.
        sent: i64,
        /// Read from the database, still to send.
        backlog: std::collections::VecDeque<LiveEvent>,
        caught_up: bool,
    }
    let follow = Follow {
        store: state.store.clone(),
        id: w.id,
        receiver,
        sent: start,
        backlog: Default::default(),
        caught_up: false,
    };
    let stream = futures_util::stream::unfold(follow, |mut f| async move {
        loop {
            if let Some(e) = f.backlog.pop_front() {
                f.sent = e.id;
                return Some((Ok(sse(&e)), f));
            }
            if !f.caught_up {
                // The events since `sent` that happened before this screen subscribed.
                match f.store.workshop_events_after(f.id, f.sent, 500).await {
                    Ok(events) => {
                        f.caught_up = events.len() < 500;
                        f.backlog.extend(events);
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "reading a workshop's events failed");
                        return None;
                    }
                }
            }
            match f.receiver.recv().await {
                Ok(e) if e.id <= f.sent => continue,
                Ok(e) => {
                    f.sent = e.id;
                    return Some((Ok(sse(&e)), f));
                }
                // Fell behind: read what was missed from the database.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => f.caught_up = false,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn sse(e: &LiveEvent) -> SseEvent {
    SseEvent::default()
        .id(e.id.to_string())
        .event(e.name)
        .data(&e.data)
}

/// The `Last-Event-ID` a reconnecting screen sends (or `?after=`, for a page's first connect).
pub fn last_event_id(headers: &HeaderMap, query: Option<&str>) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| {
            query.and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "after")
                    .and_then(|(_, v)| v.parse().ok())
            })
        })
}

/// The join address as a QR code, as SVG (dark modules on white, a quiet zone around).
pub fn qr_svg(address: &str) -> String {
    match qrcode::QrCode::new(address.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

// ---- Shared by the pages -----------------------------------------------------------------------

/// The address a participant opens to join with `code` (the QR code's content).
pub(crate) fn join_url(origin: &str, code: &str) -> String {
    format!("{origin}/meedoen?code={code}")
}

/// Sends someone who may not see a workshop to the join page.
fn to_join() -> Response {
    Redirect::to("/meedoen").into_response()
}

/// Back to the workshop's page, at `anchor`.
fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/werksessies/{id}{anchor}")).into_response()
}

/// `Ok` when the viewer runs workshops.
fn facilitator(viewer: &Viewer) -> Result<(), Error> {
    viewer.require(Action::RunWorkshops)
}

/// The workshop and the viewer's participant; `None` for someone who does not take part (a
/// page sends them to join), 403 for someone who only follows it.
async fn participant_of(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
) -> Result<Option<(Workshop, stip_core::workshop::Participant)>, Error> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, true).await?;
    match t.participant {
        Some(p) => Ok(Some((w, p))),
        None if t.follows => Err(Error::Forbidden),
        None => Ok(None),
    }
}

// ---- Shared by the API -------------------------------------------------------------------------

/// A stored moment as RFC 3339.
fn rfc3339(stored: &str) -> Option<String> {
    stored
        .parse::<chrono::DateTime<chrono::Utc>>()
        .ok()
        .map(|t| t.to_rfc3339())
}

/// The workshop and who asks; 401 for no one, 403 for someone who may not follow it.
async fn following(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
    cookie: bool,
) -> Result<(Workshop, Taking), Error> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, cookie).await?;
    if !t.follows {
        viewer.require_login()?;
        return Err(Error::Forbidden);
    }
    Ok((w, t))
}

/// The workshop and the caller's participant: notes and dots are a participant's.
async fn participating(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
) -> Result<(Workshop, Taking, Participant), Error> {
    let (w, t) = following(state, viewer, headers, id, false).await?;
    match t.participant.clone() {
        Some(p) => Ok((w, t, p)),
        None => Err(Error::Forbidden),
    }
}

fn facilitating(viewer: &Viewer) -> Result<(), Error> {
    viewer.require(Action::RunWorkshops)
}

/// Two ids of a path; anything else is a 404.
fn ids(a: &str, b: &str) -> Result<(i64, i64), Error> {
    match (a.parse(), b.parse()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(Error::NotFound),
    }
}
