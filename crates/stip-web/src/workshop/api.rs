//! `/api/v1/workshops/...`: set up a live workshop, join it by code, move its phases, write
//! notes, place and take back dots, read the results, and follow it as server-sent events.

use super::{Taking, events, last_event_id, ranked, taking};
use crate::extract::{Id, json_body};
use crate::identity::Viewer;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::access::Action;
use stip_core::workshop::{
    DotRefusal, Note, NoteInput, Participant, Phase, Workshop, WorkshopInput, check_client_id,
};
use stip_core::{ErrorCode, Invalid};
use stip_store::workshop::Placed;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workshops, create_workshop))
        .routes(routes!(join_workshop))
        .routes(routes!(read_workshop, delete_workshop))
        .routes(routes!(set_phase))
        .routes(routes!(list_participants))
        .routes(routes!(remove_participant))
        .routes(routes!(reveal_notes))
        .routes(routes!(list_notes, add_note))
        .routes(routes!(change_note, delete_note))
        .routes(routes!(place_dot, take_back_dot))
        .routes(routes!(workshop_results))
        .routes(routes!(save_priorities))
        .routes(routes!(network_priorities))
        .routes(routes!(workshop_events))
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

async fn workshop_json(
    state: &AppState,
    origin: &str,
    w: &Workshop,
    participant: Option<&Participant>,
) -> Result<WorkshopJson, ApiError> {
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
        join_url: super::pages::join_url(origin, &w.code),
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
        timer_minutes: w.data.timer_minutes,
        timer_ends_at: w.timer_ends_at.as_deref().and_then(rfc3339),
        priorities_saved_on: w.priorities_saved_on.clone(),
        participants,
        me,
    })
}

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
) -> Result<(Workshop, Taking), ApiError> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, cookie).await?;
    if !t.follows {
        return Err(if viewer.user.is_none() {
            ApiError::Unauthorized
        } else {
            ApiError::Forbidden
        });
    }
    Ok((w, t))
}

/// The workshop and the caller's participant: notes and dots are a participant's.
async fn participating(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
) -> Result<(Workshop, Taking, Participant), ApiError> {
    let (w, t) = following(state, viewer, headers, id, false).await?;
    match t.participant.clone() {
        Some(p) => Ok((w, t, p)),
        None => Err(ApiError::Forbidden),
    }
}

fn facilitating(viewer: &Viewer) -> Result<(), ApiError> {
    viewer.allowed(Action::RunWorkshops)
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
) -> Result<Json<WorkshopsJson>, ApiError> {
    viewer.allowed(Action::ViewWorkshops)?;
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
) -> Result<Response, ApiError> {
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
    .map_err(ApiError::Invalid)?;
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
        (status = 422, description = "`code` opens no workshop, or `name` or `group` is refused", body = crate::Problem),
        (status = 429, description = "Too many joins from this address (80 in 10 minutes) or of this workshop (300 in 10 minutes), or too many codes that open nothing from this address (10 in a minute): try again after `Retry-After` seconds", body = crate::Problem,
            headers(("Retry-After" = u64, description = "Seconds until a join is answered again")))))]
pub async fn join_workshop(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let sent: JoinWrite = json_body(&headers, &body)?;
    let (w, name) = super::pages::joining(&state, &viewer, &sent.code, &sent.name).await??;
    let group = match sent.group {
        Some(g) if g < 0 || g as usize >= w.data.groups.len() => {
            return Err(ApiError::Invalid(Invalid::one("group", ErrorCode::Unknown)));
        }
        g => g.map(|g| g as usize),
    };
    let (token, hash) = crate::auth::token::new_workshop_token();
    let p = state
        .store
        .join_workshop(w.id, &name, group, viewer.actor.user_id(), &hash)
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
) -> Result<Json<WorkshopJson>, ApiError> {
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
) -> Result<StatusCode, ApiError> {
    facilitating(&viewer)?;
    state.store.delete_workshop(id).await?;
    Ok(StatusCode::NO_CONTENT)
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
) -> Result<Json<ParticipantsJson>, ApiError> {
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
) -> Result<StatusCode, ApiError> {
    facilitating(&viewer)?;
    let (id, participant) = ids(&id, &participant)?;
    state.store.remove_participant(id, participant).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseWrite {
    /// `notities`, `ordenen`, `stemmen` or `resultaat`.
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
        (status = 422, description = "`phase` is none of the four", body = crate::Problem)))]
pub async fn set_phase(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<Json<WorkshopJson>, ApiError> {
    facilitating(&viewer)?;
    let sent: PhaseWrite = json_body(&headers, &body)?;
    let phase = Phase::parse(&sent.phase)
        .ok_or_else(|| ApiError::Invalid(Invalid::one("phase", ErrorCode::InvalidChoice)))?;
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
) -> Result<StatusCode, ApiError> {
    facilitating(&viewer)?;
    state.store.reveal_workshop_notes(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A note as written.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkshopNoteWrite {
    /// From phase 2: `conclusie`, `waarom`, `aanpak` or `voorbeeld`.
    pub kind: Option<String>,
    /// From phase 2: the theme's code.
    pub theme: Option<String>,
    /// In phase 1: the question answered (index into `questions`), instead of kind and theme.
    pub question: Option<i64>,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopNoteJson {
    pub id: i64,
    pub participant: i64,
    /// The writer's name; absent in an anonymous workshop.
    pub author: Option<String>,
    /// The writer's group (index into `groups`).
    pub group: usize,
    pub question: Option<usize>,
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub text: String,
    /// Hidden by the facilitator (only the facilitator sees it).
    pub hidden: bool,
    pub created_at: String,
}

pub(crate) fn note_json(w: &Workshop, n: &Note) -> WorkshopNoteJson {
    WorkshopNoteJson {
        id: n.id,
        participant: n.participant_id,
        author: (!w.data.anonymous).then(|| n.author.clone()),
        group: n.group,
        question: n.question,
        kind: n.kind.map(|k| k.code().to_string()),
        theme: n.theme.clone(),
        text: n.text.clone(),
        hidden: n.hidden,
        created_at: n.created_at.clone(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopNotesJson {
    pub items: Vec<WorkshopNoteJson>,
}

/// The notes the caller may see, oldest first.
#[utoipa::path(get, path = "/api/v1/workshops/{id}/notes", tag = "workshops", operation_id = "list_workshop_notes",
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "The notes", body = WorkshopNotesJson),
        (status = 401, description = "Not logged in and no participant's token", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn list_notes(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Json<WorkshopNotesJson>, ApiError> {
    let (w, t) = following(&state, &viewer, &headers, id, true).await?;
    let notes = t.visible(&w, state.store.workshop_notes(w.id).await?);
    Ok(Json(WorkshopNotesJson {
        items: notes.iter().map(|n| note_json(&w, n)).collect(),
    }))
}

/// Writes a note (a participant): of a kind on a theme, or (phase 1) an answer to a question.
#[utoipa::path(post, path = "/api/v1/workshops/{id}/notes", tag = "workshops", operation_id = "add_workshop_note", request_body = WorkshopNoteWrite,
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 201, description = "Written", body = WorkshopNoteJson),
        (status = 401, description = "No participant's token", body = crate::Problem),
        (status = 403, description = "Not a participant of this workshop", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 409, description = "The workshop shows its results: no more notes", body = crate::Problem),
        (status = 422, description = "`kind`, `theme`, `question` or `text` is refused", body = crate::Problem)))]
pub async fn add_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let sent: WorkshopNoteWrite = json_body(&headers, &body)?;
    if w.phase == Phase::Results {
        return Err(ApiError::NotNow("workshop_closed"));
    }
    let (target, text) = NoteInput {
        question: sent.question,
        kind: sent.kind,
        theme: sent.theme,
        text: sent.text,
    }
    .check(&w)
    .map_err(ApiError::Invalid)?;
    let note = state.store.add_note(&w, &p, &target, &text).await?;
    Ok((StatusCode::CREATED, Json(note_json(&w, &note))).into_response())
}

/// A change to a note: its text (its writer), or hidden (the facilitator).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkshopNoteChange {
    pub text: Option<String>,
    pub hidden: Option<bool>,
}

/// Changes a note: the writer their text, the facilitator whether it is hidden.
#[utoipa::path(put, path = "/api/v1/workshops/{id}/notes/{note}", tag = "workshops", operation_id = "change_workshop_note", request_body = WorkshopNoteChange,
    params(("id" = i64, Path, description = "Workshop id"), ("note" = i64, Path, description = "Note id")),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "Changed", body = WorkshopNoteJson),
        (status = 401, description = "No participant's token and not logged in", body = crate::Problem),
        (status = 403, description = "Someone else's note, or hiding without being the facilitator", body = crate::Problem),
        (status = 404, description = "No such workshop or note", body = crate::Problem),
        (status = 409, description = "The workshop shows its results", body = crate::Problem),
        (status = 422, description = "`text` is refused", body = crate::Problem)))]
pub async fn change_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, note_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<WorkshopNoteJson>, ApiError> {
    let (id, note_id) = ids(&id, &note_id)?;
    let (w, t) = following(&state, &viewer, &headers, id, false).await?;
    let sent: WorkshopNoteChange = json_body(&headers, &body)?;
    let note = state.store.workshop_note(w.id, note_id).await?;
    if sent.hidden.is_some() && !t.facilitator {
        return Err(ApiError::Forbidden);
    }
    let text = match &sent.text {
        Some(raw) => {
            if t.participant.as_ref().map(|p| p.id) != Some(note.participant_id) {
                return Err(ApiError::Forbidden);
            }
            if w.phase == Phase::Results {
                return Err(ApiError::NotNow("workshop_closed"));
            }
            Some(
                stip_core::error::required_text(raw, stip_core::workshop::MAX_NOTE)
                    .map_err(|c| ApiError::Invalid(Invalid::one("text", c)))?,
            )
        }
        None => None,
    };
    let note = state
        .store
        .change_note(&w, note_id, text.as_deref(), sent.hidden)
        .await?;
    Ok(Json(note_json(&w, &note)))
}

/// Deletes the caller's own note.
#[utoipa::path(delete, path = "/api/v1/workshops/{id}/notes/{note}", tag = "workshops", operation_id = "delete_workshop_note",
    params(("id" = i64, Path, description = "Workshop id"), ("note" = i64, Path, description = "Note id")),
    security(("token" = []), ("session" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "No participant's token", body = crate::Problem),
        (status = 403, description = "Someone else's note", body = crate::Problem),
        (status = 404, description = "No such workshop or note", body = crate::Problem),
        (status = 409, description = "The workshop shows its results", body = crate::Problem)))]
pub async fn delete_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, note_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, note_id) = ids(&id, &note_id)?;
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let note = state.store.workshop_note(w.id, note_id).await?;
    if note.participant_id != p.id {
        return Err(ApiError::Forbidden);
    }
    if w.phase == Phase::Results {
        return Err(ApiError::NotNow("workshop_closed"));
    }
    state.store.delete_note(w.id, note_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Two ids of a path; anything else is a 404.
fn ids(a: &str, b: &str) -> Result<(i64, i64), ApiError> {
    match (a.parse(), b.parse()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(ApiError::NotFound),
    }
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
fn refused(r: DotRefusal) -> ApiError {
    ApiError::NotNow(r.key())
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
) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let sent: DotWrite = json_body(&headers, &body)?;
    if !check_client_id(&client_id) {
        return Err(ApiError::Invalid(Invalid::one(
            "client_id",
            ErrorCode::InvalidCode,
        )));
    }
    let theme = stip_core::workshop::theme_code(&w.data.themes, &sent.theme)
        .ok_or_else(|| ApiError::Invalid(Invalid::one("theme", ErrorCode::Unknown)))?
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
) -> Result<StatusCode, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let (_, _, p) = participating(&state, &viewer, &headers, id).await?;
    match state.store.take_back_dot(&p, &client_id).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(r) => Err(refused(r)),
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopResultsJson {
    /// Ranked by dots, most first (ties in the workshop's order).
    pub themes: Vec<ThemeResultJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeResultJson {
    /// The theme's code.
    pub theme: String,
    pub name: String,
    pub dots: u32,
    /// Its notes the caller may see, by kind (`conclusie`, `waarom`, `aanpak`, `voorbeeld`).
    pub notes: Vec<WorkshopNoteJson>,
}

/// The themes ranked by dots, with their notes.
#[utoipa::path(get, path = "/api/v1/workshops/{id}/results", tag = "workshops", operation_id = "workshop_results",
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "The ranking", body = WorkshopResultsJson),
        (status = 401, description = "Not logged in and no participant's token", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn workshop_results(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Json<WorkshopResultsJson>, ApiError> {
    let (w, t) = following(&state, &viewer, &headers, id, true).await?;
    let lists = state.lists().await?;
    let themes = ranked(&state, &w, &t)
        .await?
        .into_iter()
        .map(|r| ThemeResultJson {
            name: lists.theme_name(&r.theme),
            theme: r.theme,
            dots: r.dots,
            notes: r
                .notes
                .iter()
                .flat_map(|(_, notes)| notes.iter().map(|n| note_json(&w, n)))
                .collect(),
        })
        .collect();
    Ok(Json(WorkshopResultsJson { themes }))
}

#[derive(Serialize, ToSchema)]
pub struct PrioritiesJson {
    /// ISO date.
    pub decided_on: String,
    /// The top themes (codes), in order.
    pub themes: Vec<String>,
    pub workshop: Option<i64>,
}

/// Saves the top three themes as the network's priorities, dated today (the facilitator, once
/// the workshop shows its results).
#[utoipa::path(post, path = "/api/v1/workshops/{id}/priorities", tag = "workshops", operation_id = "save_workshop_priorities",
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 201, description = "Saved", body = PrioritiesJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator saves priorities", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 409, description = "The workshop does not show its results yet", body = crate::Problem)))]
pub async fn save_priorities(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, ApiError> {
    facilitating(&viewer)?;
    let (day, themes) = super::pages::save_top_three(&state, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(PrioritiesJson {
            decided_on: day.to_string(),
            themes,
            workshop: Some(id),
        }),
    )
        .into_response())
}

/// The network's priorities as a workshop last saved them.
#[utoipa::path(get, path = "/api/v1/priorities", tag = "workshops", operation_id = "network_priorities",
    responses((status = 200, description = "The latest priorities", body = PrioritiesJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No workshop has saved priorities yet", body = crate::Problem)))]
pub async fn network_priorities(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<PrioritiesJson>, ApiError> {
    viewer.allowed(Action::ViewWorkshops)?;
    let p = state
        .store
        .network_priorities()
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(PrioritiesJson {
        decided_on: p.decided_on,
        themes: p.themes,
        workshop: p.workshop,
    }))
}

/// Follows the workshop live: server-sent events (`joined`, `phase`, `note`, `note_removed`,
/// `dot`, `revealed`, `priorities`), each with an `id`; a reconnect with `Last-Event-ID` gets
/// every event after it first.
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
) -> Result<Response, ApiError> {
    let (w, _) = following(&state, &viewer, &headers, id, true).await?;
    let after = last_event_id(&headers, uri.query());
    Ok(events(&state, &w, after).await?.into_response())
}
