//! `/api/v1/themes/{code}/workgroup`: a theme's working group and its log of exchanges.

use crate::auth::Viewer;
use crate::http::extract::json_body;
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::access::Action;
use stip_core::workgroup::{Exchange, ExchangeInput, WorkgroupInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_workgroup, save_workgroup))
        .routes(routes!(log_exchange))
        .routes(routes!(delete_exchange))
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct MemberJson {
    pub name: String,
    /// The institution's id, if the member comes from one.
    pub institution: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkgroupJson {
    /// The theme's code.
    pub theme: String,
    /// Empty until the regiegroep describes the working group.
    pub name: String,
    pub chair: String,
    pub contact: String,
    pub members: Vec<MemberJson>,
    /// The exchanges, newest first.
    pub log: Vec<ExchangeJson>,
}

/// A working group as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkgroupWrite {
    pub name: String,
    #[serde(default)]
    pub chair: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub members: Vec<MemberJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ExchangeJson {
    pub id: i64,
    /// `input` (the network gave the working group) or `output` (what came back).
    #[schema(value_type = ExchangeDirection)]
    pub direction: String,
    /// ISO date.
    #[schema(format = Date)]
    pub date: String,
    pub text: String,
    pub links: Vec<String>,
    /// Related projects (ids).
    pub projects: Vec<i64>,
    pub meeting: Option<i64>,
}

/// Which way an exchange went.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // only documents the values `ExchangeWrite::direction` takes
pub enum ExchangeDirection {
    Input,
    Output,
}

/// An exchange as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeWrite {
    /// `input` (the network gave the working group) or `output` (what came back). Read as text,
    /// so a value outside the two is refused by name (422) rather than as malformed JSON.
    #[schema(value_type = ExchangeDirection, example = "input")]
    pub direction: String,
    /// ISO date; a Dutch date (31-12-2026) is read too.
    #[schema(format = Date, example = "2026-11-12")]
    pub date: String,
    pub text: String,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub projects: Vec<i64>,
    pub meeting: Option<i64>,
}

fn exchange_json(id: i64, x: &Exchange) -> ExchangeJson {
    ExchangeJson {
        id,
        direction: x.direction.code().to_string(),
        date: x.date.to_string(),
        text: x.text.clone(),
        links: x.links.clone(),
        projects: x.projects.clone(),
        meeting: x.meeting,
    }
}

/// 404 unless `code` is a theme of the agenda.
async fn known_theme(state: &AppState, code: &str) -> Result<(), Error> {
    let lists = state.lists().await?;
    if lists.theme(code).is_none() {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// A theme's working group with its exchanges, newest first.
#[utoipa::path(get, path = "/api/v1/themes/{code}/workgroup", tag = "agenda", operation_id = "read_workgroup",
    params(("code" = String, Path, description = "The theme's code")),
    responses((status = 200, description = "The working group", body = WorkgroupJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such theme", body = crate::Problem)))]
pub async fn read_workgroup(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Json<WorkgroupJson>, Error> {
    viewer.require(Action::ViewWorkgroups)?;
    known_theme(&state, &code).await?;
    let group = state.store.workgroup(&code).await?.unwrap_or_default();
    let log = state.store.exchanges(&code, 1000).await?;
    Ok(Json(WorkgroupJson {
        theme: code,
        name: group.name,
        chair: group.chair,
        contact: group.contact,
        members: group
            .members
            .into_iter()
            .map(|m| MemberJson {
                name: m.name,
                institution: m.institution,
            })
            .collect(),
        log: log
            .iter()
            .map(|l| exchange_json(l.id, &l.exchange))
            .collect(),
    }))
}

/// Describes a theme's working group (the regiegroep).
#[utoipa::path(put, path = "/api/v1/themes/{code}/workgroup", tag = "agenda", operation_id = "save_workgroup", request_body = WorkgroupWrite,
    params(("code" = String, Path, description = "The theme's code")),
    responses((status = 200, description = "Saved", body = WorkgroupJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep keeps the working groups", body = crate::Problem),
        (status = 404, description = "No such theme", body = crate::Problem),
        (status = 422, description = "A field is refused: `name`, `members[0].institution`", body = crate::Problem)))]
pub async fn save_workgroup(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<WorkgroupJson>, Error> {
    viewer.require(Action::ManageWorkgroups)?;
    known_theme(&state, &code).await?;
    let sent: WorkgroupWrite = json_body(&headers, &body)?;
    let input = WorkgroupInput {
        name: sent.name,
        chair: sent.chair,
        contact: sent.contact,
        members: sent
            .members
            .into_iter()
            .map(|m| (m.name, m.institution))
            .collect(),
    };
    let data = super::checked_group(&state, &input)
        .await?
        .map_err(Error::Invalid)?;
    state.store.save_workgroup(&code, &data).await?;
    read_workgroup(State(state), viewer, Path(code)).await
}

/// Logs an exchange with a theme's working group (the regiegroep): 201 with it.
#[utoipa::path(post, path = "/api/v1/themes/{code}/workgroup/log", tag = "agenda", operation_id = "log_exchange", request_body = ExchangeWrite,
    params(("code" = String, Path, description = "The theme's code")),
    responses((status = 201, description = "Logged", body = ExchangeJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep logs exchanges", body = crate::Problem),
        (status = 404, description = "No such theme", body = crate::Problem),
        (status = 422, description = "A field is refused: `direction`, `date`, `text`, `links[0]`, `projects[0]`, `meeting`", body = crate::Problem)))]
pub async fn log_exchange(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    viewer.require(Action::ManageWorkgroups)?;
    known_theme(&state, &code).await?;
    let sent: ExchangeWrite = json_body(&headers, &body)?;
    let input = ExchangeInput {
        direction: sent.direction,
        date: sent.date,
        text: sent.text,
        links: sent.links,
        projects: sent.projects,
        meeting: sent.meeting,
    };
    let x = super::checked_exchange(&state, &viewer.actor, &input)
        .await?
        .map_err(Error::Invalid)?;
    let id = state
        .store
        .log_exchange(&code, &x, viewer.actor.user_id())
        .await?;
    Ok((StatusCode::CREATED, Json(exchange_json(id, &x))).into_response())
}

/// Removes an exchange logged by mistake (the regiegroep).
#[utoipa::path(delete, path = "/api/v1/themes/{code}/workgroup/log/{id}", tag = "agenda", operation_id = "delete_exchange",
    params(("code" = String, Path, description = "The theme's code"), ("id" = i64, Path, description = "The exchange's id")),
    responses((status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep logs exchanges", body = crate::Problem),
        (status = 404, description = "No such theme or exchange", body = crate::Problem)))]
pub async fn delete_exchange(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((code, id)): Path<(String, String)>,
) -> Result<StatusCode, Error> {
    viewer.require(Action::ManageWorkgroups)?;
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    state.store.delete_exchange(&code, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
