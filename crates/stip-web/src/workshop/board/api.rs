//! `/api/v1/workshops/{id}/phase`, `/reveal` and `/events`: moving the phase, revealing the notes,
//! and following the workshop as server-sent events.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::workshop::setup::{WorkshopJson, workshop_json};
use crate::workshop::{events, facilitating, following, last_event_id};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use stip_core::workshop::Phase;
use stip_core::{ErrorCode, Invalid};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_phase))
        .routes(routes!(reveal_notes))
        .routes(routes!(show_totals))
        .routes(routes!(workshop_events))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseWrite {
    /// `notities`, `vergelijken` (the optional comparing step), `ordenen`, `stemmen` or `resultaat`.
    #[schema(example = "stemmen")]
    pub phase: String,
}

/// Moves the workshop to a phase (the facilitator); every screen follows.
#[utoipa::path(post, path = "/api/v1/workshops/{id}/phase", tag = "workshops", operation_id = "set_workshop_phase", request_body = PhaseWrite,
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 200, description = "Moved", body = WorkshopJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator moves phases", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 422, description = "`phase` is none of the five", body = crate::Problem)))]
pub async fn set_phase(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<Json<WorkshopJson>, Error> {
    facilitating(&viewer)?;
    let sent: PhaseWrite = json_body(&headers, &body)?;
    let phase = Phase::parse(&sent.phase)
        .ok_or_else(|| Error::Invalid(Invalid::one("phase", ErrorCode::InvalidChoice)))?;
    let w = state.store.set_workshop_phase(id, phase).await?;
    Ok(Json(workshop_json(&state, &viewer.origin, &w, None).await?))
}

/// Shows every note of phase 2 to everyone (when they were hidden until revealed).
#[utoipa::path(post, path = "/api/v1/workshops/{id}/reveal", tag = "workshops", operation_id = "reveal_workshop_notes",
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 204, description = "Revealed"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator reveals notes", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn reveal_notes(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, Error> {
    facilitating(&viewer)?;
    state.store.reveal_workshop_notes(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotalsWrite {
    /// Whether everyone sees the dots per theme while voting.
    pub shown: bool,
}

/// Shows the running totals of the voting to everyone, or hides them again (the facilitator).
/// They are hidden by default: until then participants and the projector see only how many
/// dots were placed, and the results leave the dots out.
#[utoipa::path(put, path = "/api/v1/workshops/{id}/totals", tag = "workshops", operation_id = "show_workshop_totals", request_body = TotalsWrite,
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 204, description = "Shown or hidden"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator shows the totals", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 422, description = "`shown` missing or not true/false", body = crate::Problem)))]
pub async fn show_totals(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<StatusCode, Error> {
    facilitating(&viewer)?;
    let sent: TotalsWrite = json_body(&headers, &body)?;
    state.store.workshop(id).await?;
    state.store.show_workshop_totals(id, sent.shown).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Follows the workshop live: server-sent events (`joined`, `phase`, `note`, `note_removed`,
/// `dot`, `revealed`, `totals`, `priorities`, `left`), each with an `id`; a reconnect with
/// `Last-Event-ID` gets every event after it first. A `dot` carries its theme's count only while
/// the running totals are shown.
#[utoipa::path(get, path = "/api/v1/workshops/{id}/events", tag = "workshops", operation_id = "workshop_events",
    params(("id" = i64, Path, description = "Workshop id"),
        ("Last-Event-ID" = Option<i64>, Header, description = "The last event's id this screen received"),
        ("after" = Option<i64>, Query, description = "As `Last-Event-ID`, for a first connection")),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "The stream", content_type = "text/event-stream", body = String),
        (status = 401, description = "Not logged in and no participant's token", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn workshop_events(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    uri: Uri,
    Id(id): Id,
) -> Result<Response, Error> {
    let (w, _) = following(&state, &viewer, &headers, id, true).await?;
    let after = last_event_id(&headers, uri.query());
    Ok(events(&state, &w, after).await?.into_response())
}
