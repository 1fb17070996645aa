//! `/api/v1/projects`: the portfolio as JSON, with the same filters as the list page, the same
//! validation as the form, and 409 with what changed when a save starts from a stale version.

use crate::auth::Viewer;
use crate::http::extract::{Id, ListParams, Listing, json_body};
use crate::linked::visible_or_not_found;
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use stip_core::access::{Action, project_scope, visible_history};
use stip_core::institution::BrinCode;
use stip_core::merge::changed_since;
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Invalid};
use stip_store::portfolio::{Edit, Edited, Saved};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::json::{ProjectJson, ProjectWrite};

/// The routes with their OpenAPI paths, declared once.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update, patch, delete))
        .routes(routes!(history))
}

#[derive(Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectJson>,
    /// All matching projects, over every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One changed field, with its value before and after as the project API has it: a text, a
/// code or `null` (not set); an ISO date; `budget` in euros; `effort` as
/// `{"amount": 1.5, "unit": "fte"}`; a perspective 1–5; lists of codes or links; `scores` as
/// `{"criterion": 3}`; `shareable` as a boolean. `old` is also `null` when it belongs to a
/// version the caller may not see.
#[derive(Serialize, ToSchema)]
pub struct FieldChangeJson {
    pub field: String,
    #[schema(value_type = Value)]
    pub old: HistoryValue,
    #[schema(value_type = Value)]
    pub new: HistoryValue,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryJson {
    pub version: i64,
    pub changed_at: String,
    /// Empty for a caller who is not logged in.
    pub user: String,
    /// Who could see the project at this version: `instelling`, `netwerk` or `openbaar`.
    pub visibility: String,
    /// Empty for the version that created the project.
    pub changes: Vec<FieldChangeJson>,
}

/// The history entries `viewer` may see of a project of `institution_id` (see
/// `access::visible_history`), as JSON.
fn history_json(viewer: &Viewer, institution_id: i64, h: Vec<HistoryEntry>) -> Vec<HistoryJson> {
    visible_history(&viewer.actor, institution_id, h)
        .into_iter()
        .map(|e| HistoryJson {
            version: e.version,
            changed_at: e.changed_at,
            user: e.user_name,
            visibility: e.visibility.code().into(),
            changes: e
                .changes
                .into_iter()
                .map(|c| FieldChangeJson {
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
                .collect(),
        })
        .collect()
}

/// The portfolio, filtered, sorted and paged, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", operation_id = "list_projects", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "A page of projects", body = ProjectPage),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<ProjectPage>, Error> {
    let req = query.parse().map_err(Error::Invalid)?;
    let page = state
        .store
        .list_projects(&req, project_scope(&viewer.actor))
        .await?;
    Ok(Json(ProjectPage {
        items: page.items.iter().map(|p| ProjectJson::from(&**p)).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// One project.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", operation_id = "read_project", params(("id" = i64, Path)), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The project", body = ProjectJson),
        (status = 401, description = "A network project, asked without logging in", body = crate::Problem),
        (status = 404, description = "No project with this id that the caller may see", body = crate::Problem)))]
pub async fn read(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<ProjectJson>, Error> {
    Ok(Json(ProjectJson::from(
        &*visible_or_not_found(&state, &viewer, id).await?,
    )))
}

/// Who changed which fields when, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/history", tag = "projects", operation_id = "project_history", params(("id" = i64, Path)), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The history, newest first", body = Vec<HistoryJson>),
        (status = 401, description = "A network project, asked without logging in", body = crate::Problem),
        (status = 404, description = "No project with this id that the caller may see", body = crate::Problem)))]
pub async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<Vec<HistoryJson>>, Error> {
    let p = visible_or_not_found(&state, &viewer, id).await?;
    let history = state.store.project_history(id).await?;
    Ok(Json(history_json(&viewer, p.institution_id, history)))
}

/// Adds a project. An informatiemanager adds to their own institution; a beheerder names one.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", operation_id = "create_project", request_body = ProjectWrite,
    responses((status = 201, description = "Created", body = ProjectJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not add a project to this institution", body = crate::Problem),
        (status = 422, description = "A field is refused: `errors` names each", body = crate::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    viewer.require_login()?;
    let write: ProjectWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let mut invalid = Invalid::default();
    let institution = match write.institution.as_deref() {
        Some(raw) => match BrinCode::parse(raw) {
            Ok(brin) => {
                let found = lists.institutions.iter().find(|i| i.data.brin == brin);
                if found.is_none() {
                    invalid.push("institution", ErrorCode::Unknown);
                }
                found
            }
            Err(code) => {
                invalid.push("institution", code);
                None
            }
        },
        None => {
            let own = lists
                .institutions
                .iter()
                .find(|i| Some(i.id) == viewer.actor.institution_id());
            if own.is_none() {
                invalid.push("institution", ErrorCode::Required);
            }
            own
        }
    };
    if let Some(inst) = institution
        && !viewer.may(Action::CreateProject {
            institution_id: inst.id,
        })
    {
        return Err(Error::Forbidden);
    }
    if institution.is_none() && invalid.is_empty() {
        return Err(Error::Forbidden);
    }
    let data = match lists.with_references(|refs| ProjectData::parse(&write.input(), refs)) {
        Ok(d) if invalid.is_empty() => d,
        Ok(_) => return Err(Error::Invalid(invalid)),
        Err(e) => {
            invalid.0.extend(e.0);
            return Err(Error::Invalid(invalid));
        }
    };
    let inst = institution.expect("checked above");
    let p = state
        .store
        .create_project(inst.id, &data, &viewer.editor())
        .await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/projects/{}", p.id))],
        Json(ProjectJson::from(&p)),
    )
        .into_response())
}

/// Saves a whole project. `version` must be the version the edit started from; if someone saved
/// in between, nothing is written and the answer is 409 with the current project and the changes.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", operation_id = "update_project", params(("id" = i64, Path)), request_body = ProjectWrite,
    responses((status = 200, description = "Saved", body = ProjectJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may read but not edit this project", body = crate::Problem),
        (status = 404, description = "No project with this id that the caller may see", body = crate::Problem),
        (status = 409, description = "Saved by someone else since `version`: `current` and `changes` tell what", body = crate::Problem),
        (status = 422, description = "A field is refused: `errors` names each", body = crate::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ProjectJson>, Error> {
    let p = editable(&state, &viewer, id).await?;
    let write: ProjectWrite = json_body(&headers, &body)?;
    if write
        .institution
        .as_deref()
        .is_some_and(|b| b.trim().to_uppercase() != p.institution_brin.as_str())
    {
        return Err(Error::Invalid(Invalid::one(
            "institution",
            ErrorCode::InvalidChoice,
        )));
    }
    let lists = state.lists().await?;
    let mut parsed = lists.with_references(|refs| ProjectData::parse(&write.input(), refs));
    let Some(version) = write.version else {
        let mut invalid = parsed.err().unwrap_or_default();
        invalid.0.insert(
            0,
            stip_core::FieldError {
                field: "version".into(),
                code: ErrorCode::Required,
            },
        );
        return Err(Error::Invalid(invalid));
    };
    let data = match parsed.as_mut() {
        Ok(d) => std::mem::replace(d, p.data.clone()),
        Err(e) => return Err(Error::Invalid(std::mem::take(e))),
    };
    match state
        .store
        .update_project(id, stip_core::Version(version), &data, &viewer.editor())
        .await?
    {
        Saved::Saved(p) => Ok(Json(ProjectJson::from(&*p))),
        Saved::Conflict { current, since } => {
            let changed = changed_since(&since);
            let fields = ProjectData::FIELDS
                .into_iter()
                .filter(|f| changed.contains_key(f))
                .map(api_field)
                .collect();
            drop(changed);
            Err(conflict(&viewer, &current, since, fields)?)
        }
    }
}

fn conflict(
    viewer: &Viewer,
    current: &Project,
    since: Vec<HistoryEntry>,
    fields: Vec<&str>,
) -> Result<Error, Error> {
    Ok(Error::Conflict(crate::http::error::Conflict {
        current: to_json(&ProjectJson::from(current))?,
        changes: to_json(&history_json(viewer, current.institution_id, since))?,
        fields: fields.into_iter().map(str::to_string).collect(),
    }))
}

/// The API's name of a project field of the change history.
fn api_field(history_field: &'static str) -> &'static str {
    match history_field {
        "budget" => "budget_eur",
        other => other,
    }
}

/// The field of the change history a key of a project as read sets; `None` for the read-only
/// keys, which a patch may carry unchanged.
fn history_field(key: &str) -> Result<Option<&'static str>, ErrorCode> {
    Ok(match key {
        "budget_eur" => Some("budget"),
        "effort_unit" => Some("effort"),
        "id" | "institution" | "institution_name" | "status_date" | "version" | "created_at"
        | "updated_at" => None,
        other => Some(
            ProjectData::FIELDS
                .iter()
                .copied()
                .find(|f| *f == other)
                .ok_or(ErrorCode::UnknownField)?,
        ),
    })
}

/// A merge patch (RFC 7396) of a project as read: the fields it names are set, a `null` empties
/// one, and the rest stay as they are.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"version": 3, "status": "oranje", "status_note": "Levering loopt vertraging op"}))]
pub struct ProjectPatch {
    /// The version the change is based on (from GET).
    #[serde(deserialize_with = "whole_number")]
    pub version: i64,
    /// Any field of `ProjectWrite`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// A whole number, also when written as one with a fraction of zero (`3.0`), as JSON allows.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| serde::de::Error::custom("invalid type: expected a whole number"))
}

/// Changes some fields of a project with a JSON merge patch (RFC 7396), based on `version`.
/// Others may have saved other fields since: the patch is applied to the project as it is now.
/// If a field it sets was changed since `version`, nothing is written and the answer is 409
/// naming those fields (`fields`), with the current project and the changes.
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", operation_id = "patch_project", params(("id" = i64, Path)),
    request_body(content((ProjectPatch = "application/merge-patch+json"), (ProjectPatch = "application/json"))),
    responses((status = 200, description = "Saved", body = ProjectJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may read but not edit this project", body = crate::Problem),
        (status = 404, description = "No project with this id that the caller may see", body = crate::Problem),
        (status = 409, description = "A field of the patch was changed since `version`: `fields` names them", body = crate::Problem),
        (status = 422, description = "A field is refused: `errors` names each", body = crate::Problem),
        (status = 503, description = "Saved by others too often at the same moment to merge with: nothing was saved; try again after `Retry-After` seconds", body = crate::Problem)))]
pub async fn patch(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ProjectJson>, Error> {
    editable(&state, &viewer, id).await?;
    let patch: ProjectPatch = json_body(&headers, &body)?;
    let mut touched = Vec::new();
    for key in patch.fields.keys() {
        match history_field(key) {
            Ok(Some(field)) if !touched.contains(&field) => touched.push(field),
            Ok(_) => {}
            Err(code) => return Err(Error::Invalid(Invalid::one(key, code))),
        }
    }
    let lists = state.lists().await?;
    let changes = serde_json::Value::Object(patch.fields);
    let apply = |current: &Project| -> Result<ProjectData, Invalid> {
        let mut doc =
            serde_json::to_value(ProjectJson::from(current)).expect("a project serialises");
        json_patch::merge(&mut doc, &changes);
        let write: ProjectWrite = serde_path_to_error::deserialize(doc).map_err(|e| {
            let (field, code) = crate::http::extract::json_error(&e.path().to_string(), e.inner());
            Invalid::one(&field, code)
        })?;
        if write
            .institution
            .as_deref()
            .is_some_and(|b| b.trim().to_uppercase() != current.institution_brin.as_str())
        {
            return Err(Invalid::one("institution", ErrorCode::InvalidChoice));
        }
        lists.with_references_keeping(&current.data, |refs| {
            ProjectData::parse(&write.input(), refs)
        })
    };
    let edit = Edit::Fields {
        touched,
        apply: &apply,
    };
    match state
        .store
        .save_edit(
            id,
            stip_core::Version(patch.version),
            edit,
            &viewer.editor(),
        )
        .await?
    {
        Edited::Saved { project, .. } => Ok(Json(ProjectJson::from(&*project))),
        Edited::Conflict {
            current,
            since,
            fields,
            ..
        } => {
            // Name the fields as the patch did.
            let keys = changes.as_object().expect("an object").keys();
            let named = keys
                .filter(|k| history_field(k).is_ok_and(|f| f.is_some_and(|f| fields.contains(&f))))
                .map(String::as_str)
                .collect();
            Err(conflict(&viewer, &current, since, named)?)
        }
    }
}

/// The project, if the caller may edit it: 401 without a login whatever the id (anonymous
/// writes learn nothing about which exist), 404 when the caller may not see it, 403 when they
/// may only read it.
async fn editable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Arc<Project>, Error> {
    viewer.require_login()?;
    let p = visible_or_not_found(state, viewer, id).await?;
    if viewer.may(Action::EditProject {
        institution_id: p.institution_id,
    }) {
        Ok(p)
    } else {
        Err(Error::Forbidden)
    }
}

fn to_json(v: &impl Serialize) -> Result<serde_json::Value, Error> {
    serde_json::to_value(v).map_err(|e| Error::Internal(e.to_string()))
}

/// Deletes a project with its history.
#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "projects", operation_id = "delete_project", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may read but not delete this project", body = crate::Problem),
        (status = 404, description = "No project with this id that the caller may see", body = crate::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, Error> {
    // Writing needs a login whatever the id: anonymous writes learn nothing about which exist.
    viewer.require_login()?;
    let p = visible_or_not_found(&state, &viewer, id).await?;
    viewer.require(Action::DeleteProject {
        institution_id: p.institution_id,
    })?;
    state.store.delete_project(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
