//! `/api/v1/workshops/join` and `/api/v1/workshops/{id}/participants`: joining by code, and the
//! facilitator's list of participants and removing one.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::workshop::{facilitating, ids, rfc3339};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::{ErrorCode, Invalid};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(join_workshop))
        .routes(routes!(list_participants))
        .routes(routes!(remove_participant))
}

/// Joining: the code and a display name.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinWrite {
    #[schema(example = "K7QX3M")]
    pub code: String,
    /// The name the others see; a logged-in person may leave it out (their own name).
    #[serde(default)]
    pub name: String,
    /// The group to join (index into the workshop's `groups`); default the one with fewest.
    pub group: Option<i64>,
    /// The institution (BRIN code or name) the participant is from, for the comparing step;
    /// default a logged-in person's own.
    pub institution: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct JoinedJson {
    pub participant: i64,
    /// The participant's key: `Authorization: Bearer <token>` on their calls. Shown once.
    pub token: String,
    pub workshop: i64,
    pub name: String,
    pub group: usize,
}

/// Joins a workshop by its code, without an account (or logged in): 201 with the participant
/// and the `token` for their calls. The browser also gets it as a cookie.
#[utoipa::path(post, path = "/api/v1/workshops/join", tag = "workshops", operation_id = "join_workshop", request_body = JoinWrite,
    security((), ("session" = [])),
    responses((status = 201, description = "Joined", body = JoinedJson),
        (status = 422, description = "`code` opens no workshop, or `name`, `group` or `institution` is refused", body = crate::Problem),
        (status = 429, description = "Too many joins from this address (80 in 10 minutes) or of this workshop (300 in 10 minutes), or too many codes that open nothing from this address (10 in a minute): try again after `Retry-After` seconds", body = crate::Problem,
            headers(("Retry-After" = u64, description = "Seconds until a join is answered again")))))]
pub async fn join_workshop(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let sent: JoinWrite = json_body(&headers, &body)?;
    let (w, name) = super::pages::joining(&state, &viewer, &sent.code, &sent.name).await??;
    let group = match sent.group {
        Some(g) if g < 0 || g as usize >= w.data.groups.len() => {
            return Err(Error::Invalid(Invalid::one("group", ErrorCode::Unknown)));
        }
        g => g.map(|g| g as usize),
    };
    let institution = match sent.institution.as_deref().map(str::trim) {
        Some(typed) if !typed.is_empty() => {
            let lists = state.lists().await?;
            let found = crate::ui::picker::institution(&lists, typed)
                .map_err(|code| Error::Invalid(Invalid::one("institution", code)))?;
            Some(found.id)
        }
        _ => viewer.actor.institution_id(),
    };
    let (token, hash) = crate::auth::token::new_workshop_token();
    let p = state
        .store
        .join_workshop(
            w.id,
            &name,
            group,
            viewer.actor.user_id(),
            institution,
            &hash,
        )
        .await?;
    let cookie = super::pages::participant_cookie(&headers, token.clone());
    Ok((
        StatusCode::CREATED,
        axum_extra::extract::cookie::CookieJar::new().add(cookie),
        Json(JoinedJson {
            participant: p.id,
            token,
            workshop: w.id,
            name: p.name,
            group: p.group,
        }),
    )
        .into_response())
}

/// A participant as the facilitator sees them.
#[derive(Serialize, ToSchema)]
pub struct ParticipantJson {
    /// The participant's id (the one to remove).
    pub participant: i64,
    /// Their number in the workshop, in the order of joining: "Deelnemer 3".
    pub number: i64,
    #[schema(example = "Deelnemer 3")]
    pub label: String,
    /// The name they joined under; absent in an anonymous workshop.
    pub name: Option<String>,
    /// The group's index into `groups`.
    pub group: usize,
    pub group_name: String,
    pub notes: i64,
    pub dots: i64,
    /// When they joined (RFC 3339).
    pub joined_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantsJson {
    /// In the order they joined.
    pub items: Vec<ParticipantJson>,
}

/// The participants with their group and how many notes and dots each has (the facilitator).
#[utoipa::path(get, path = "/api/v1/workshops/{id}/participants", tag = "workshops", operation_id = "list_workshop_participants",
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 200, description = "The participants", body = ParticipantsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator sees the participants", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn list_participants(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<ParticipantsJson>, Error> {
    facilitating(&viewer)?;
    let w = state.store.workshop(id).await?;
    let items = state
        .store
        .participant_list(w.id)
        .await?
        .into_iter()
        .map(|p| ParticipantJson {
            participant: p.participant.id,
            number: p.number,
            label: viewer
                .lang
                .t_with("workshop.participant_n", &[("n", &p.number.to_string())]),
            name: (!w.data.anonymous).then(|| p.participant.name.clone()),
            group: p.participant.group,
            group_name: w.group_name(p.participant.group).to_string(),
            notes: p.notes,
            dots: p.dots,
            joined_at: rfc3339(&p.joined_at).unwrap_or(p.joined_at),
        })
        .collect();
    Ok(Json(ParticipantsJson { items }))
}

/// Removes a participant with their notes and dots (the facilitator): their token opens
/// nothing any more, every screen hears it, and the ranking counts without them.
#[utoipa::path(delete, path = "/api/v1/workshops/{id}/participants/{participant}", tag = "workshops", operation_id = "remove_workshop_participant",
    params(("id" = i64, Path, description = "Workshop id"), ("participant" = i64, Path, description = "Participant id")),
    responses((status = 204, description = "Removed, with their notes and dots"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator removes participants", body = crate::Problem),
        (status = 404, description = "No such workshop, or no such participant in it", body = crate::Problem)))]
pub async fn remove_participant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, participant)): Path<(String, String)>,
) -> Result<StatusCode, Error> {
    facilitating(&viewer)?;
    let (id, participant) = ids(&id, &participant)?;
    state.store.remove_participant(id, participant).await?;
    Ok(StatusCode::NO_CONTENT)
}
