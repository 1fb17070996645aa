//! `/api/v1/workshops/{id}/notes`: the notes the caller may see, written, changed (or hidden) and
//! deleted.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::workshop::{following, ids, participating};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::Invalid;
use stip_core::workshop::{Note, NoteInput, Phase, Workshop};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notes, add_note))
        .routes(routes!(change_note, delete_note))
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
) -> Result<Json<WorkshopNotesJson>, Error> {
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
) -> Result<Response, Error> {
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let sent: WorkshopNoteWrite = json_body(&headers, &body)?;
    if w.phase == Phase::Results {
        return Err(Error::NotNow("workshop_closed"));
    }
    let (target, text) = NoteInput {
        question: sent.question,
        kind: sent.kind,
        theme: sent.theme,
        text: sent.text,
    }
    .check(&w)
    .map_err(Error::Invalid)?;
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
) -> Result<Json<WorkshopNoteJson>, Error> {
    let (id, note_id) = ids(&id, &note_id)?;
    let (w, t) = following(&state, &viewer, &headers, id, false).await?;
    let sent: WorkshopNoteChange = json_body(&headers, &body)?;
    let note = state.store.workshop_note(w.id, note_id).await?;
    if sent.hidden.is_some() && !t.facilitator {
        return Err(Error::Forbidden);
    }
    let text = match &sent.text {
        Some(raw) => {
            if t.participant.as_ref().map(|p| p.id) != Some(note.participant_id) {
                return Err(Error::Forbidden);
            }
            if w.phase == Phase::Results {
                return Err(Error::NotNow("workshop_closed"));
            }
            Some(
                stip_core::error::required_text(raw, stip_core::workshop::MAX_NOTE)
                    .map_err(|c| Error::Invalid(Invalid::one("text", c)))?,
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
) -> Result<StatusCode, Error> {
    let (id, note_id) = ids(&id, &note_id)?;
    let (w, _, p) = participating(&state, &viewer, &headers, id).await?;
    let note = state.store.workshop_note(w.id, note_id).await?;
    if note.participant_id != p.id {
        return Err(Error::Forbidden);
    }
    if w.phase == Phase::Results {
        return Err(Error::NotNow("workshop_closed"));
    }
    state.store.delete_note(w.id, note_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
