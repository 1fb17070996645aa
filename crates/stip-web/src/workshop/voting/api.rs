//! `/api/v1/workshops/{id}/dots/{client_id}`: a dot placed under the client's id, and taken back.

use crate::auth::Viewer;
use crate::http::extract::json_body;
use crate::workshop::participating;
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::workshop::{DotRefusal, check_client_id};
use stip_core::{ErrorCode, Invalid};
use stip_store::workshop::Placed;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(place_dot, take_back_dot))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DotWrite {
    /// The theme's code.
    pub theme: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlacedJson {
    pub client_id: String,
    pub theme: String,
    /// How many dots the participant has left.
    pub dots_left: u32,
}

/// The 409 for a dot refused.
fn refused(r: DotRefusal) -> Error {
    Error::NotNow(r.key())
}

/// Places a dot (a participant, while voting) under the client's id: the same id twice is one
/// dot (201 the first time, 200 after). Over the limit, or outside the voting phase: 409.
#[utoipa::path(put, path = "/api/v1/workshops/{id}/dots/{client_id}", tag = "workshops", operation_id = "place_dot", request_body = DotWrite,
    params(("id" = i64, Path, description = "Workshop id"), ("client_id" = String, Path, description = "The client's id for this dot: 1–64 letters, digits, `-` or `_` (a UUID)")),
    security(("token" = []), ("session" = [])),
    responses((status = 201, description = "Placed", body = PlacedJson),
        (status = 200, description = "This dot was placed already", body = PlacedJson),
        (status = 401, description = "No participant's token", body = crate::Problem),
        (status = 403, description = "Not a participant of this workshop", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 409, description = "Not voting now, no dots left, the theme's limit reached, or another participant's dot id", body = crate::Problem),
        (status = 422, description = "`theme` is not one of the workshop's, or the id is not valid", body = crate::Problem)))]
pub async fn place_dot(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, client_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Error> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let sent: DotWrite = json_body(&headers, &body)?;
    if !check_client_id(&client_id) {
        return Err(Error::Invalid(Invalid::one(
            "client_id",
            ErrorCode::InvalidCode,
        )));
    }
    let theme = stip_core::workshop::theme_code(&w.data.themes, &sent.theme)
        .ok_or_else(|| Error::Invalid(Invalid::one("theme", ErrorCode::Unknown)))?
        .as_str();
    let (status, left) = match state.store.place_dot(&p, &client_id, theme).await? {
        Ok(Placed::New { left }) => (StatusCode::CREATED, left),
        Ok(Placed::Already { left }) => (StatusCode::OK, left),
        Err(r) => return Err(refused(r)),
    };
    Ok((
        status,
        Json(PlacedJson {
            client_id,
            theme: theme.to_string(),
            dots_left: left,
        }),
    )
        .into_response())
}

/// Takes a dot back (its participant, while voting).
#[utoipa::path(delete, path = "/api/v1/workshops/{id}/dots/{client_id}", tag = "workshops", operation_id = "take_back_dot",
    params(("id" = i64, Path, description = "Workshop id"), ("client_id" = String, Path, description = "The dot's client id")),
    security(("token" = []), ("session" = [])),
    responses((status = 204, description = "Taken back"),
        (status = 401, description = "No participant's token", body = crate::Problem),
        (status = 403, description = "Not a participant of this workshop", body = crate::Problem),
        (status = 404, description = "No such workshop or dot", body = crate::Problem),
        (status = 409, description = "Not voting now, or another participant's dot", body = crate::Problem)))]
pub async fn take_back_dot(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, client_id)): Path<(String, String)>,
) -> Result<StatusCode, Error> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    let (_, _, p) = participating(&state, &viewer, &headers, id).await?;
    match state.store.take_back_dot(&p, &client_id).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(r) => Err(refused(r)),
    }
}
