//! `/api/v1/projects`: the portfolio as JSON, with the same filters as the list page, the same
//! validation as the form, and 409 with what changed when a save starts from a stale version.

use crate::identity::Viewer;
use crate::{ApiError, AppState};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::access::{Action, project_scope};
use stip_core::institution::BrinCode;
use stip_core::number::Hundredths;
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Invalid};
use stip_store::portfolio::Saved;
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/projects", get(list).post(create))
        .route(
            "/api/v1/projects/{id}",
            get(read).put(update).delete(delete),
        )
        .route("/api/v1/projects/{id}/history", get(history))
}

/// A project as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct ProjectJson {
    pub id: i64,
    /// BRIN code of the institution.
    #[schema(example = "25LN")]
    pub institution: String,
    pub institution_name: String,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub intended_result: String,
    pub owner: String,
    pub project_lead: String,
    pub contact_person: String,
    #[schema(example = "uitvoering")]
    pub phase: String,
    #[schema(example = "groen")]
    pub status: String,
    pub status_note: String,
    /// ISO date the status or its note last changed.
    pub status_date: Option<String>,
    #[schema(example = "2025-01-01")]
    pub start_date: Option<String>,
    #[schema(example = "2026-06-30")]
    pub end_date: Option<String>,
    pub budget_eur: Option<f64>,
    pub effort: Option<f64>,
    /// `fte` or `uren`.
    pub effort_unit: Option<String>,
    /// `kort`, `middellang` or `lang`.
    pub horizon: Option<String>,
    /// Karakter: `basis-op-orde`, `verbeteren` or `innoveren`.
    pub character: Option<String>,
    /// 1 = strategisch … 5 = operationeel.
    pub perspective_strategic_operational: Option<u8>,
    /// 1 = ICT … 5 = business.
    pub perspective_ict_business: Option<u8>,
    /// Theme codes, the primary theme first.
    pub themes: Vec<String>,
    /// Policy driver codes.
    pub drivers: Vec<String>,
    /// Score 1–5 per criterion code.
    pub scores: BTreeMap<String, u8>,
    /// `instelling`, `netwerk` or `openbaar`.
    pub visibility: String,
    pub shareable: bool,
    pub case_summary: String,
    pub links: Vec<String>,
    /// Send this back with PUT.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Project> for ProjectJson {
    fn from(p: &Project) -> Self {
        let d = &p.data;
        ProjectJson {
            id: p.id,
            institution: p.institution_brin.to_string(),
            institution_name: p.institution_name.clone(),
            title: d.title.clone(),
            summary: d.summary.clone(),
            description: d.description.clone(),
            intended_result: d.intended_result.clone(),
            owner: d.owner.clone(),
            project_lead: d.project_lead.clone(),
            contact_person: d.contact_person.clone(),
            phase: d.phase.code().into(),
            status: d.status.code().into(),
            status_note: d.status_note.clone(),
            status_date: p.status_date.map(|x| x.to_string()),
            start_date: d.start_date.map(|x| x.to_string()),
            end_date: d.end_date.map(|x| x.to_string()),
            budget_eur: d.budget.map(Hundredths::as_f64),
            effort: d.effort.map(|e| e.amount.as_f64()),
            effort_unit: d.effort.map(|e| e.unit.code().into()),
            horizon: d.horizon.map(|x| x.code().into()),
            character: d.character.map(|x| x.code().into()),
            perspective_strategic_operational: d.perspective.strategic_operational,
            perspective_ict_business: d.perspective.ict_business,
            themes: d.themes.clone(),
            drivers: d.drivers.clone(),
            scores: d.scores.clone(),
            visibility: d.visibility.code().into(),
            shareable: d.shareable,
            case_summary: d.case_summary.clone(),
            links: d.links.clone(),
            version: p.version,
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
        }
    }
}

/// A number, or a text as typed ("12.500,50").
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(untagged)]
pub enum Amount {
    Number(f64),
    Text(String),
}

impl Amount {
    fn as_input(&self) -> String {
        match self {
            Amount::Number(n) => Hundredths::from_f64(*n).to_dutch(),
            Amount::Text(t) => t.clone(),
        }
    }
}

/// A project to create or save. Fields left out are empty; PUT replaces the whole project.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectWrite {
    /// BRIN code; an informatiemanager's own institution when left out.
    pub institution: Option<String>,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub intended_result: String,
    pub owner: String,
    pub project_lead: String,
    pub contact_person: String,
    pub phase: String,
    pub status: String,
    pub status_note: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget_eur: Option<Amount>,
    pub effort: Option<Amount>,
    pub effort_unit: Option<String>,
    pub horizon: Option<String>,
    pub character: Option<String>,
    pub perspective_strategic_operational: Option<u8>,
    pub perspective_ict_business: Option<u8>,
    /// Theme codes, the primary theme first.
    pub themes: Vec<String>,
    pub drivers: Vec<String>,
    pub scores: BTreeMap<String, u8>,
    pub visibility: Option<String>,
    pub shareable: bool,
    pub case_summary: String,
    pub links: Vec<String>,
    /// Required for PUT: the version this edit started from.
    pub version: Option<i64>,
}

impl ProjectWrite {
    fn input(&self) -> ProjectInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        ProjectInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            intended_result: self.intended_result.clone(),
            owner: self.owner.clone(),
            project_lead: self.project_lead.clone(),
            contact_person: self.contact_person.clone(),
            phase: self.phase.clone(),
            status: self.status.clone(),
            status_note: self.status_note.clone(),
            start_date: s(&self.start_date),
            end_date: s(&self.end_date),
            budget: self
                .budget_eur
                .as_ref()
                .map(Amount::as_input)
                .unwrap_or_default(),
            effort: self
                .effort
                .as_ref()
                .map(Amount::as_input)
                .unwrap_or_default(),
            effort_unit: s(&self.effort_unit),
            horizon: s(&self.horizon),
            character: s(&self.character),
            perspective_strategic_operational: self
                .perspective_strategic_operational
                .map(|v| v.to_string())
                .unwrap_or_default(),
            perspective_ict_business: self
                .perspective_ict_business
                .map(|v| v.to_string())
                .unwrap_or_default(),
            primary_theme: self.themes.first().cloned().unwrap_or_default(),
            themes: self.themes.iter().skip(1).cloned().collect(),
            drivers: self.drivers.clone(),
            scores: self
                .scores
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect(),
            visibility: s(&self.visibility),
            shareable: self.shareable,
            case_summary: self.case_summary.clone(),
            links: self.links.join("\n"),
        }
    }
}

/// Reads a JSON body; a wrong type is a 422 naming the field.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        ApiError::Invalid(Invalid::one(&field, ErrorCode::InvalidChoice))
    })
}

/// Filters of the list; the same names as the list page's.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// BRIN code of an institution.
    institution: String,
    /// Theme code (any of the project's themes).
    theme: String,
    phase: String,
    status: String,
    /// Karakter.
    character: String,
    horizon: String,
    /// `strategisch`, `operationeel`, `ict` or `business`.
    perspective: String,
    /// Policy driver code.
    driver: String,
    /// Text the title, summary or description contains.
    q: String,
    /// `title`, `institution`, `phase`, `status`, `start_date`, `end_date`, `budget`, `updated`; `-` first for descending.
    sort: String,
    /// From 1.
    page: String,
    /// 1–200, default 50.
    per_page: String,
}

impl From<ListParams> for ListQuery {
    fn from(p: ListParams) -> Self {
        ListQuery {
            institution: p.institution,
            theme: p.theme,
            phase: p.phase,
            status: p.status,
            character: p.character,
            horizon: p.horizon,
            perspective: p.perspective,
            driver: p.driver,
            q: p.q,
            sort: p.sort,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectJson>,
    /// All matching projects, over every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Serialize, ToSchema)]
pub struct FieldChangeJson {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryJson {
    pub version: i64,
    pub changed_at: String,
    pub user: String,
    /// Empty for the version that created the project.
    pub changes: Vec<FieldChangeJson>,
}

fn history_json(h: &[HistoryEntry]) -> Vec<HistoryJson> {
    h.iter()
        .map(|e| HistoryJson {
            version: e.version,
            changed_at: e.changed_at.clone(),
            user: e.user_name.clone(),
            changes: e
                .changes
                .iter()
                .map(|c| FieldChangeJson {
                    field: c.field.clone(),
                    old: c.old.clone(),
                    new: c.new.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The portfolio, filtered, sorted and paged, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ListParams),
    responses((status = 200, body = ProjectPage), (status = 422, description = "A filter does not parse", body = crate::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<ListParams>,
) -> Result<Json<ProjectPage>, ApiError> {
    let req = ListQuery::from(params).parse().map_err(ApiError::Invalid)?;
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

async fn visible(state: &AppState, viewer: &Viewer, id: i64) -> Result<Arc<Project>, ApiError> {
    let p = state.store.project(id).await?;
    if viewer.may(Action::ViewProject {
        institution_id: p.institution_id,
        visibility: p.data.visibility,
    }) {
        Ok(p)
    } else {
        // The same answer as for a project that does not exist, so none tells it does.
        Err(ApiError::NotFound)
    }
}

/// One project.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectJson), (status = 404, body = crate::Problem)))]
pub async fn read(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ProjectJson>, ApiError> {
    Ok(Json(ProjectJson::from(
        &*visible(&state, &viewer, id).await?,
    )))
}

/// Who changed which fields when, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/history", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<HistoryJson>), (status = 404, body = crate::Problem)))]
pub async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<Vec<HistoryJson>>, ApiError> {
    visible(&state, &viewer, id).await?;
    Ok(Json(history_json(&state.store.project_history(id).await?)))
}

/// Adds a project. An informatiemanager adds to their own institution; a beheerder names one.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectWrite,
    responses((status = 201, body = ProjectJson), (status = 401, body = crate::Problem), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, ApiError> {
    if viewer.user.is_none() {
        return Err(ApiError::Unauthorized);
    }
    let write: ProjectWrite = parse_body(&body)?;
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
        return Err(ApiError::Forbidden);
    }
    if institution.is_none() && invalid.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let data = match lists.with_references(|refs| ProjectData::parse(&write.input(), refs)) {
        Ok(d) if invalid.is_empty() => d,
        Ok(_) => return Err(ApiError::Invalid(invalid)),
        Err(e) => {
            invalid.0.extend(e.0);
            return Err(ApiError::Invalid(invalid));
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
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)), request_body = ProjectWrite,
    responses((status = 200, body = ProjectJson), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, description = "Saved by someone else since `version`: `current` and `changes` tell what", body = crate::Problem),
        (status = 422, body = crate::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<ProjectJson>, ApiError> {
    let p = visible(&state, &viewer, id).await?;
    if !viewer.may(Action::EditProject {
        institution_id: p.institution_id,
    }) {
        return Err(if viewer.user.is_none() {
            ApiError::Unauthorized
        } else {
            ApiError::Forbidden
        });
    }
    let write: ProjectWrite = parse_body(&body)?;
    if write
        .institution
        .as_deref()
        .is_some_and(|b| b.trim().to_uppercase() != p.institution_brin.as_str())
    {
        return Err(ApiError::Invalid(Invalid::one(
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
        return Err(ApiError::Invalid(invalid));
    };
    let data = match parsed.as_mut() {
        Ok(d) => std::mem::replace(d, p.data.clone()),
        Err(e) => return Err(ApiError::Invalid(std::mem::take(e))),
    };
    match state
        .store
        .update_project(id, version, &data, &viewer.editor())
        .await?
    {
        Saved::Saved(p) => Ok(Json(ProjectJson::from(&*p))),
        Saved::Conflict { current, since } => Err(ApiError::Conflict {
            current: to_json(&ProjectJson::from(&*current))?,
            changes: to_json(&history_json(&since))?,
        }),
    }
}

fn to_json(v: &impl Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Deletes a project with its history.
#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let p = visible(&state, &viewer, id).await?;
    if !viewer.may(Action::DeleteProject {
        institution_id: p.institution_id,
    }) {
        return Err(if viewer.user.is_none() {
            ApiError::Unauthorized
        } else {
            ApiError::Forbidden
        });
    }
    state.store.delete_project(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
