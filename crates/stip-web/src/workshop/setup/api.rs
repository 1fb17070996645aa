//! `/api/v1/workshops` and `/api/v1/workshops/{id}`: workshops listed, set up, read (with the
//! caller as a participant) and deleted.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::workshop::{facilitating, following, rfc3339};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::access::Action;
use stip_core::workshop::{Participant, Workshop, WorkshopInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workshops, create_workshop))
        .routes(routes!(read_workshop, delete_workshop))
}

/// A workshop as set up.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkshopWrite {
    pub title: String,
    /// The meeting it belongs to (its id); its results become an appendix of that meeting.
    pub meeting: Option<i64>,
    /// Default 3.
    pub dots_per_participant: Option<i64>,
    /// At most this many of one participant's dots on one theme; none: only the total counts.
    pub max_dots_per_theme: Option<i64>,
    /// The themes to vote on (codes); default the agenda's themes.
    pub themes: Option<Vec<String>>,
    /// The groups' names; default the four perspectives.
    pub groups: Option<Vec<String>>,
    /// The questions of the group work; default the seed's.
    pub questions: Option<Vec<String>>,
    /// Notes shown without their writer's name.
    #[serde(default)]
    pub anonymous: bool,
    /// In phase 2 everyone sees only their own notes until the facilitator reveals them.
    #[serde(default)]
    pub hide_until_revealed: bool,
    /// Minutes per phase; none: no timer.
    pub timer_minutes: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopJson {
    pub id: i64,
    pub title: String,
    /// What participants type to join (or scan as the QR code of `join_url`).
    pub code: String,
    pub join_url: String,
    pub meeting: Option<i64>,
    /// `notities`, `ordenen`, `stemmen` or `resultaat`.
    pub phase: String,
    pub dots_per_participant: u32,
    pub max_dots_per_theme: Option<u32>,
    pub themes: Vec<String>,
    pub groups: Vec<String>,
    pub questions: Vec<String>,
    pub anonymous: bool,
    pub hide_until_revealed: bool,
    pub revealed: bool,
    /// Whether everyone sees the dots per theme while voting (the facilitator shows them).
    pub totals_shown: bool,
    pub timer_minutes: Option<u32>,
    /// When the current phase's time is up (RFC 3339), if a timer runs.
    pub timer_ends_at: Option<String>,
    /// The day its top themes were saved as the network's priorities.
    pub priorities_saved_on: Option<String>,
    pub participants: usize,
    /// The caller as a participant, if they take part.
    pub me: Option<MeJson>,
}

/// A participant's own view: their group and dots.
#[derive(Serialize, ToSchema)]
pub struct MeJson {
    pub participant: i64,
    pub name: String,
    /// The group's index into `groups`.
    pub group: usize,
    pub dots: Vec<DotJson>,
    pub dots_left: u32,
}

#[derive(Serialize, ToSchema)]
pub struct DotJson {
    pub client_id: String,
    pub theme: String,
}

pub(crate) async fn workshop_json(
    state: &AppState,
    origin: &str,
    w: &Workshop,
    participant: Option<&Participant>,
) -> Result<WorkshopJson, Error> {
    let participants = state.store.participants(w.id).await?.len();
    let me = match participant {
        Some(p) => {
            let dots: Vec<_> = state
                .store
                .workshop_dots(w.id)
                .await?
                .into_iter()
                .filter(|d| d.participant_id == p.id)
                .collect();
            Some(MeJson {
                participant: p.id,
                name: p.name.clone(),
                group: p.group,
                dots_left: w.dots_left(&dots),
                dots: dots
                    .into_iter()
                    .map(|d| DotJson {
                        client_id: d.client_id,
                        theme: d.theme,
                    })
                    .collect(),
            })
        }
        None => None,
    };
    Ok(WorkshopJson {
        id: w.id,
        title: w.data.title.clone(),
        code: w.code.clone(),
        join_url: crate::workshop::join_url(origin, &w.code),
        meeting: w.data.meeting,
        phase: w.phase.code().to_string(),
        dots_per_participant: w.data.dots_per_participant,
        max_dots_per_theme: w.data.max_dots_per_theme,
        themes: w.data.themes.clone(),
        groups: w.data.groups.clone(),
        questions: w.data.questions.clone(),
        anonymous: w.data.anonymous,
        hide_until_revealed: w.data.hide_until_revealed,
        revealed: w.revealed,
        totals_shown: w.totals_shown,
        timer_minutes: w.data.timer_minutes,
        timer_ends_at: w.timer_ends_at.as_deref().and_then(rfc3339),
        priorities_saved_on: w.priorities_saved_on.clone(),
        participants,
        me,
    })
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopsJson {
    /// Newest first.
    pub items: Vec<WorkshopJson>,
}

/// Every workshop, newest first.
#[utoipa::path(get, path = "/api/v1/workshops", tag = "workshops", operation_id = "list_workshops",
    responses((status = 200, description = "The workshops", body = WorkshopsJson),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn list_workshops(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<WorkshopsJson>, Error> {
    viewer.require(Action::ViewWorkshops)?;
    let mut items = Vec::new();
    for w in state.store.workshops().await? {
        items.push(workshop_json(&state, &viewer.origin, &w, None).await?);
    }
    Ok(Json(WorkshopsJson { items }))
}

/// Sets up a workshop (the regiegroep): 201 with its `id` and join `code`.
#[utoipa::path(post, path = "/api/v1/workshops", tag = "workshops", operation_id = "create_workshop", request_body = WorkshopWrite,
    responses((status = 201, description = "Set up", body = WorkshopJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep runs workshops", body = crate::Problem),
        (status = 422, description = "A field is refused: `errors` names it (`title`, `dots_per_participant`, `themes[1]`, `meeting`)", body = crate::Problem)))]
pub async fn create_workshop(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    facilitating(&viewer)?;
    let sent: WorkshopWrite = json_body(&headers, &body)?;
    let data = super::pages::checked(
        &state,
        &WorkshopInput {
            title: sent.title,
            meeting: sent.meeting,
            dots_per_participant: sent.dots_per_participant,
            max_dots_per_theme: sent.max_dots_per_theme,
            themes: sent.themes,
            groups: sent.groups,
            questions: sent.questions,
            anonymous: sent.anonymous,
            hide_until_revealed: sent.hide_until_revealed,
            timer_minutes: sent.timer_minutes,
        },
    )
    .await?
    .map_err(Error::Invalid)?;
    let w = state
        .store
        .create_workshop(&data, viewer.actor.user_id())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(workshop_json(&state, &viewer.origin, &w, None).await?),
    )
        .into_response())
}

/// A workshop with its phase; with `me` when the caller takes part.
#[utoipa::path(get, path = "/api/v1/workshops/{id}", tag = "workshops", operation_id = "read_workshop",
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "The workshop", body = WorkshopJson),
        (status = 401, description = "Not logged in and no participant's token", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn read_workshop(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Json<WorkshopJson>, Error> {
    let (w, t) = following(&state, &viewer, &headers, id, true).await?;
    Ok(Json(
        workshop_json(&state, &viewer.origin, &w, t.participant.as_ref()).await?,
    ))
}

/// Deletes a workshop with its notes and dots (the regiegroep).
#[utoipa::path(delete, path = "/api/v1/workshops/{id}", tag = "workshops", operation_id = "delete_workshop",
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep runs workshops", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn delete_workshop(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, Error> {
    facilitating(&viewer)?;
    state.store.delete_workshop(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
