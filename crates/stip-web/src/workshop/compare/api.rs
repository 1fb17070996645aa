//! `/api/v1/workshops/{id}/institution`, `/together` and `/regroup`: a participant's
//! institution, what their group could do together, and the facilitator forming the groups
//! again.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::workshop::{facilitating, participating};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::Invalid;
use stip_core::workshop::Phase;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_institution))
        .routes(routes!(add_together))
        .routes(routes!(regroup))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionWrite {
    /// The institution (BRIN code or name) the participant is from.
    #[schema(example = "25LN")]
    pub institution: String,
}

/// Says which institution the calling participant is from. During the comparing step an
/// institution in no group yet makes the groups form again.
#[utoipa::path(put, path = "/api/v1/workshops/{id}/institution", tag = "workshops", operation_id = "set_workshop_institution", request_body = InstitutionWrite,
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 204, description = "Saved"),
        (status = 401, description = "No participant's token", body = crate::Problem),
        (status = 403, description = "Not a participant of this workshop", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 422, description = "No such institution, or more than one by that name (field `institution`)", body = crate::Problem)))]
pub async fn set_institution(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<StatusCode, Error> {
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let sent: InstitutionWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let institution = crate::ui::picker::institution(&lists, &sent.institution)
        .map_err(|code| Error::Invalid(Invalid::one("institution", code)))?;
    state
        .store
        .set_participant_institution(w.id, p.id, institution.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TogetherWrite {
    /// What the group could do together (at most 500 characters).
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct TogetherJson {
    pub id: i64,
    /// The group's institutions (BRIN codes).
    pub institutions: Vec<String>,
    pub text: String,
}

/// Writes down what the calling participant's duo or trio could do together (the comparing
/// step).
#[utoipa::path(post, path = "/api/v1/workshops/{id}/together", tag = "workshops", operation_id = "add_workshop_together", request_body = TogetherWrite,
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 201, description = "Written", body = TogetherJson),
        (status = 401, description = "No participant's token", body = crate::Problem),
        (status = 403, description = "Not a participant of this workshop", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 409, description = "The workshop is not comparing, or the participant is in no group yet (`workshop_not_comparing`, `workshop_no_group`)", body = crate::Problem),
        (status = 422, description = "`text` is empty or too long", body = crate::Problem)))]
pub async fn add_together(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<Response, Error> {
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let sent: TogetherWrite = json_body(&headers, &body)?;
    let (group, text) = super::pages::writable(&w, &p, &sent.text)?;
    let id = state
        .store
        .add_together_note(w.id, p.id, &group, &text)
        .await?;
    let lists = state.lists().await?;
    Ok((
        StatusCode::CREATED,
        Json(TogetherJson {
            id,
            institutions: crate::workshop::groups::brins(&lists, &group),
            text,
        }),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct GroupsJson {
    /// The duos and trios (BRIN codes), in the order the institutions joined.
    pub groups: Vec<Vec<String>>,
}

/// Forms the duos and trios again from the participants' institutions (the facilitator).
#[utoipa::path(post, path = "/api/v1/workshops/{id}/regroup", tag = "workshops", operation_id = "regroup_workshop",
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 200, description = "Formed", body = GroupsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator forms the groups", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 409, description = "The workshop is not comparing (`workshop_not_comparing`)", body = crate::Problem)))]
pub async fn regroup(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<GroupsJson>, Error> {
    facilitating(&viewer)?;
    let w = state.store.workshop(id).await?;
    if w.phase != Phase::Comparing {
        return Err(Error::NotNow("workshop_not_comparing"));
    }
    state.store.regroup_workshop(id).await?;
    let w = state.store.workshop(id).await?;
    let lists = state.lists().await?;
    Ok(Json(GroupsJson {
        groups: w
            .compare_groups
            .unwrap_or_default()
            .iter()
            .map(|g| crate::workshop::groups::brins(&lists, g))
            .collect(),
    }))
}
