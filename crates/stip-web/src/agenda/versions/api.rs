//! `/api/v1/agendas`: versions of the strategic agenda: list, create a concept (a copy of the
//! active one), edit and delete it, and activate it with a mapping of old themes to new ones.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::agenda::{MainLineInput, ThemeInput};
use stip_core::agenda_version::ContentInput;
use stip_store::agenda_version::Agenda;
use stip_store::portfolio::Editor;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agendas, create_agenda))
        .routes(routes!(read_agenda, save_agenda, delete_agenda))
        .routes(routes!(activate_agenda))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaMainLineJson {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub position: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaThemeJson {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `#rrggbb`.
    pub colour: String,
    /// The main line's code; null for a line across all of them.
    #[serde(default)]
    pub main_line: Option<String>,
    #[serde(default)]
    pub position: i64,
}

/// A version of the agenda.
#[derive(Serialize, ToSchema)]
pub struct AgendaJson {
    pub id: i64,
    pub name: String,
    /// `concept` (being prepared), `actief` (projects are mapped to it) or `vorig` (was active).
    pub status: String,
    pub created_at: String,
    pub activated_at: Option<String>,
    pub superseded_at: Option<String>,
    pub main_lines: Vec<AgendaMainLineJson>,
    pub themes: Vec<AgendaThemeJson>,
    /// The mapping it was activated with: old theme code → new codes.
    pub mapping: BTreeMap<String, Vec<String>>,
}

/// A new version: its name; it copies the active version's main lines and themes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaCreate {
    #[schema(example = "Strategische agenda 2023–2027")]
    pub name: String,
}

/// A concept's name and content, whole.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaWrite {
    pub name: String,
    #[serde(default)]
    pub main_lines: Vec<AgendaMainLineJson>,
    pub themes: Vec<AgendaThemeJson>,
}

/// How each old theme carries over. An old theme not named keeps its code when the new version
/// has it, and is dropped otherwise.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateWrite {
    #[schema(example = json!({"leermiddelen": ["digitale-leermiddelen"], "innovatie": []}))]
    pub mapping: BTreeMap<String, Vec<String>>,
}

/// What the activation did.
#[derive(Serialize, ToSchema)]
pub struct ActivationJson {
    /// The version now active.
    pub id: i64,
    /// Every project moved to it (each has a history entry).
    pub projects: i64,
    /// Projects whose themes changed.
    pub moved: i64,
    /// Projects whose primary theme could not be kept as it was: flagged for review.
    pub flagged: i64,
}

pub(crate) fn agenda_json(a: Agenda) -> AgendaJson {
    AgendaJson {
        id: a.id,
        name: a.name,
        status: a.status.code().to_string(),
        created_at: a.created_at,
        activated_at: a.activated_at,
        superseded_at: a.superseded_at,
        main_lines: a
            .content
            .main_lines
            .into_iter()
            .map(|l| AgendaMainLineJson {
                code: l.code,
                name: l.name,
                position: l.position,
            })
            .collect(),
        themes: a
            .content
            .themes
            .into_iter()
            .map(|t| AgendaThemeJson {
                code: t.code,
                name: t.name,
                description: t.description,
                colour: t.colour,
                main_line: t.main_line,
                position: t.position,
            })
            .collect(),
        mapping: a.mapping,
    }
}

/// Every version of the agenda: the active one first, then concepts, then previous ones.
#[utoipa::path(get, path = "/api/v1/agendas", tag = "agenda", operation_id = "list_agendas",
    responses((status = 200, description = "The versions", body = Vec<AgendaJson>),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn list_agendas(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<AgendaJson>>, Error> {
    viewer.require(Action::ViewNetwork)?;
    Ok(Json(
        state
            .store
            .agendas()
            .await?
            .into_iter()
            .map(agenda_json)
            .collect(),
    ))
}

/// Starts a new version (the beheerder): a concept copying the active version's main lines and
/// themes, with the same codes. 201 with its `id`.
#[utoipa::path(post, path = "/api/v1/agendas", tag = "agenda", operation_id = "create_agenda", request_body = AgendaCreate,
    responses((status = 201, description = "Created", body = AgendaJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder makes agenda versions", body = crate::Problem),
        (status = 422, description = "A field is refused: `name`", body = crate::Problem)))]
pub async fn create_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    let sent: AgendaCreate = json_body(&headers, &body)?;
    let name = stip_core::error::required_text(&sent.name, 120)
        .map_err(|code| Error::Invalid(stip_core::Invalid::one("name", code)))?;
    let id = state.store.create_agenda(&name).await?;
    let created = agenda_json(state.store.agenda(id).await?);
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/agendas/{id}"),
        )],
        Json(created),
    )
        .into_response())
}

/// One version of the agenda; a previous one as it was when it was superseded.
#[utoipa::path(get, path = "/api/v1/agendas/{id}", tag = "agenda", operation_id = "read_agenda",
    params(("id" = i64, Path, description = "The version's id")),
    responses((status = 200, description = "The version", body = AgendaJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such version", body = crate::Problem)))]
pub async fn read_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<AgendaJson>, Error> {
    viewer.require(Action::ViewNetwork)?;
    Ok(Json(agenda_json(state.store.agenda(id).await?)))
}

/// Replaces a concept's name, main lines and themes (the beheerder).
#[utoipa::path(put, path = "/api/v1/agendas/{id}", tag = "agenda", operation_id = "save_agenda", request_body = AgendaWrite,
    params(("id" = i64, Path, description = "The version's id")),
    responses((status = 200, description = "Saved", body = AgendaJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder edits agenda versions", body = crate::Problem),
        (status = 404, description = "No such version", body = crate::Problem),
        (status = 409, description = "Only a concept can be edited", body = crate::Problem),
        (status = 422, description = "A field is refused: `name`, `themes[0].colour`, `themes[1].code` (twice)", body = crate::Problem)))]
pub async fn save_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<Json<AgendaJson>, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    state.store.agenda(id).await?;
    let sent: AgendaWrite = json_body(&headers, &body)?;
    let input = ContentInput {
        name: sent.name,
        main_lines: sent
            .main_lines
            .into_iter()
            .map(|l| MainLineInput {
                code: l.code,
                name: l.name,
                position: l.position.to_string(),
            })
            .collect(),
        themes: sent
            .themes
            .into_iter()
            .map(|t| ThemeInput {
                code: t.code,
                name: t.name,
                description: t.description,
                colour: t.colour,
                main_line: t.main_line.unwrap_or_default(),
                position: t.position.to_string(),
            })
            .collect(),
    };
    let (name, content) = input.check().map_err(Error::Invalid)?;
    if !state.store.save_agenda(id, &name, &content).await? {
        return Err(Error::NotNow("agenda_not_concept"));
    }
    Ok(Json(agenda_json(state.store.agenda(id).await?)))
}

/// Deletes a concept (the beheerder).
#[utoipa::path(delete, path = "/api/v1/agendas/{id}", tag = "agenda", operation_id = "delete_agenda",
    params(("id" = i64, Path, description = "The version's id")),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder deletes agenda versions", body = crate::Problem),
        (status = 404, description = "No such version", body = crate::Problem),
        (status = 409, description = "Only a concept can be deleted", body = crate::Problem)))]
pub async fn delete_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    state.store.agenda(id).await?;
    if !state.store.delete_agenda(id).await? {
        return Err(Error::NotNow("agenda_not_concept"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Activates a concept (the beheerder): in one transaction every project's themes move by the
/// mapping, each with a history entry; a project whose primary theme cannot stay as it was is
/// flagged for review; the active version becomes a previous one, still readable. A mapping
/// that would leave a project without any theme is refused and nothing changes.
#[utoipa::path(post, path = "/api/v1/agendas/{id}/activate", tag = "agenda", operation_id = "activate_agenda", request_body = ActivateWrite,
    params(("id" = i64, Path, description = "The version's id")),
    responses((status = 200, description = "Activated", body = ActivationJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder activates agenda versions", body = crate::Problem),
        (status = 404, description = "No such version", body = crate::Problem),
        (status = 409, description = "Only a concept can be activated", body = crate::Problem),
        (status = 422, description = "A field is refused: `mapping.CODE` (no such old theme, or projects left without a theme), `mapping.CODE[0]` (no such new theme)", body = crate::Problem)))]
pub async fn activate_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    body: Bytes,
) -> Result<Json<ActivationJson>, Error> {
    viewer.require(Action::ManageAgendaVersions)?;
    state.store.agenda(id).await?;
    let sent: ActivateWrite = json_body(&headers, &body)?;
    let user = viewer.user.as_ref().ok_or(Error::LoginRequired)?;
    let editor = Editor {
        user_id: Some(user.id),
        name: user.name.clone(),
    };
    match state
        .store
        .activate_agenda(id, &sent.mapping, &editor)
        .await?
    {
        Some(a) => Ok(Json(ActivationJson {
            id,
            projects: a.projects,
            moved: a.moved,
            flagged: a.flagged,
        })),
        None => Err(Error::NotNow("agenda_not_concept")),
    }
}
