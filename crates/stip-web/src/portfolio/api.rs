//! `/api/v1/projects`: the portfolio as JSON, with the same filters as the list page, the same
//! validation as the form, and 409 with what changed when a save starts from a stale version.

use crate::auth::Viewer;
use crate::http::extract::{Id, Listing, json_body};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::access::{Action, project_scope, visible_history};
use stip_core::institution::BrinCode;
use stip_core::merge::changed_since;
use stip_core::number::Hundredths;
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Invalid};
use stip_store::portfolio::{Edit, Edited, Saved};
use utoipa::openapi::{Object, ObjectBuilder, Schema};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes with their OpenAPI paths, declared once.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update, patch, delete))
        .routes(routes!(history))
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
    /// `groen`, `oranje` or `rood`; `null` until someone gives one.
    #[schema(example = "groen")]
    pub status: Option<String>,
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
    /// MORA process area codes (`GET /api/v1/mora-areas`).
    #[schema(example = json!(["onderwijs-uitvoeren", "bedrijfsvoering-hrm"]))]
    pub mora_areas: Vec<String>,
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
            status: d.status.map(|x| x.code().into()),
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
            mora_areas: d.mora_areas.clone(),
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
/// A project as read (`ProjectJson`) may be sent back as it is: its read-only fields are
/// accepted and ignored. Any other field is refused by name.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectWrite {
    /// BRIN code; an informatiemanager's own institution when left out.
    #[schema(pattern = r"^\s*[0-9]{2}[A-Za-z0-9]{2}\s*$", example = "25LN")]
    pub institution: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    #[schema(max_length = 2000)]
    pub summary: String,
    /// Markdown.
    #[schema(max_length = 50000)]
    pub description: String,
    #[schema(max_length = 5000)]
    pub intended_result: String,
    #[schema(max_length = 200)]
    pub owner: String,
    #[schema(max_length = 200)]
    pub project_lead: String,
    #[schema(max_length = 200)]
    pub contact_person: String,
    #[schema(required = true, schema_with = phases)]
    pub phase: String,
    /// Left out or `null`: no status yet.
    #[schema(schema_with = statuses)]
    pub status: Option<String>,
    #[schema(max_length = 2000)]
    pub status_note: String,
    /// ISO date.
    #[schema(schema_with = optional_date)]
    pub start_date: Option<String>,
    /// ISO date, not before `start_date`.
    #[schema(schema_with = optional_date)]
    pub end_date: Option<String>,
    /// Euros, zero or more: a number, or a text as typed (`"12.500,50"`).
    pub budget_eur: Option<Amount>,
    /// Zero or more, in `effort_unit`: a number, or a text as typed (`"1,5"`).
    pub effort: Option<Amount>,
    #[schema(schema_with = effort_units)]
    pub effort_unit: Option<String>,
    #[schema(schema_with = horizons)]
    pub horizon: Option<String>,
    /// Karakter.
    #[schema(schema_with = characters)]
    pub character: Option<String>,
    /// 1 = strategisch … 5 = operationeel.
    #[schema(minimum = 1, maximum = 5)]
    pub perspective_strategic_operational: Option<i64>,
    /// 1 = ICT … 5 = business.
    #[schema(minimum = 1, maximum = 5)]
    pub perspective_ict_business: Option<i64>,
    /// Theme codes (`GET /api/v1/themes`), the primary theme first.
    #[schema(required = true, min_items = 1, example = json!(["leermiddelen"]))]
    pub themes: Vec<String>,
    /// Policy driver codes.
    pub drivers: Vec<String>,
    /// MORA process area codes (`GET /api/v1/mora-areas`).
    #[schema(example = json!(["onderwijs-uitvoeren"]))]
    pub mora_areas: Vec<String>,
    /// Score 1–5 per criterion code.
    pub scores: BTreeMap<String, i64>,
    #[schema(schema_with = visibilities)]
    pub visibility: Option<String>,
    pub shareable: bool,
    #[schema(max_length = 5000)]
    pub case_summary: String,
    /// Links starting with `https://`.
    pub links: Vec<String>,
    /// Required for PUT: the version this edit started from.
    pub version: Option<i64>,
    /// Read-only: ignored.
    #[schema(value_type = Option<i64>, read_only)]
    pub id: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub institution_name: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub status_date: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub created_at: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub updated_at: Option<serde_json::Value>,
}

/// Whether a code field may be left empty, and how.
#[derive(Clone, Copy)]
enum Empty {
    No,
    /// `""` means "not set" (a query parameter).
    Text,
    /// `""` or `null` mean "not set" (a JSON field).
    TextOrNull,
}

/// A string that is one of `codes`, or empty where `empty` allows it.
fn code_schema(codes: impl IntoIterator<Item = String>, empty: Empty) -> Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let codes: Vec<String> = codes.into_iter().collect();
    if let Empty::Text = empty {
        // A query parameter is read trimmed, so blanks around a code (or only blanks) are fine.
        return ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!(r"^\s*({})?\s*$", codes.join("|"))))
            .build();
    }
    let mut values: Vec<serde_json::Value> = codes.into_iter().map(Into::into).collect();
    let mut builder = ObjectBuilder::new().schema_type(Type::String);
    match empty {
        Empty::No | Empty::Text => {}
        Empty::TextOrNull => {
            values.extend([serde_json::Value::from(""), serde_json::Value::Null]);
            builder = builder.schema_type(SchemaType::from_iter([Type::String, Type::Null]));
        }
    }
    builder.enum_values(Some(values)).build()
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> impl Iterator<Item = String> {
    all.iter().map(move |c| code(*c).to_string())
}

fn phases() -> Object {
    code_schema(codes(Phase::ALL, Phase::code), Empty::No)
}
fn statuses() -> Object {
    code_schema(codes(Status::ALL, Status::code), Empty::TextOrNull)
}
fn effort_units() -> Object {
    code_schema(codes(EffortUnit::ALL, EffortUnit::code), Empty::TextOrNull)
}
fn horizons() -> Object {
    code_schema(codes(Horizon::ALL, Horizon::code), Empty::TextOrNull)
}
fn characters() -> Object {
    code_schema(codes(Character::ALL, Character::code), Empty::TextOrNull)
}
fn visibilities() -> Object {
    code_schema(codes(Visibility::ALL, Visibility::code), Empty::TextOrNull)
}
fn phase_filter() -> Object {
    code_schema(codes(Phase::ALL, Phase::code), Empty::Text)
}
fn status_filter() -> Object {
    code_schema(codes(Status::ALL, Status::code), Empty::Text)
}
fn horizon_filter() -> Object {
    code_schema(codes(Horizon::ALL, Horizon::code), Empty::Text)
}
fn character_filter() -> Object {
    code_schema(codes(Character::ALL, Character::code), Empty::Text)
}
fn perspective_filter() -> Object {
    code_schema(
        codes(PerspectivePole::ALL, PerspectivePole::code),
        Empty::Text,
    )
}
fn quadrant_filter() -> Object {
    code_schema(
        codes(
            stip_core::portfolio::Quadrant::ALL,
            stip_core::portfolio::Quadrant::code,
        ),
        Empty::Text,
    )
}
fn flag_filter() -> Object {
    code_schema(
        ["1", "0", "true", "false", "on"].map(String::from),
        Empty::Text,
    )
}
fn sorts() -> Object {
    let keys: Vec<String> = codes(SortKey::ALL, SortKey::code).collect();
    let descending = keys.iter().map(|k| format!("-{k}")).collect::<Vec<_>>();
    code_schema(keys.into_iter().chain(descending), Empty::Text)
}

/// A whole number from 1 to `max`, or empty for the default.
fn whole_or_empty(max: u32) -> Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, Type};
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(max)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .build()
        .into()
}
fn page_numbers() -> Schema {
    whole_or_empty(1_000_000)
}
fn page_sizes() -> Schema {
    whole_or_empty(MAX_PER_PAGE)
}

/// A date as ISO `YYYY-MM-DD`; empty or `null` when not set.
fn optional_date() -> Schema {
    use utoipa::openapi::schema::{KnownFormat, OneOfBuilder, SchemaFormat, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
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
            status: s(&self.status),
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
            mora_areas: self.mora_areas.clone(),
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

/// Filters of the list; the same names as the list page's.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// BRIN code of an institution.
    #[param(pattern = r"^\s*([0-9]{2}[A-Za-z0-9]{2})?\s*$")]
    institution: String,
    /// Theme code (any of the project's themes).
    theme: String,
    /// `1`: only projects whose main theme is `theme`.
    #[param(schema_with = flag_filter)]
    primary_only: String,
    /// A second theme code the project must also have.
    also_theme: String,
    /// ISO date: running projects whose status was last set before it, or at an unknown date
    /// (out of date when it is 90 days ago).
    #[param(schema_with = optional_date)]
    status_before: String,
    /// `1`: only projects shareable as an example (a case).
    #[param(schema_with = flag_filter)]
    shareable: String,
    /// Perspective quadrant: leaning this way on both axes (1–2 or 4–5 on each).
    #[param(schema_with = quadrant_filter)]
    quadrant: String,
    #[param(schema_with = phase_filter)]
    phase: String,
    #[param(schema_with = status_filter)]
    status: String,
    /// Karakter.
    #[param(schema_with = character_filter)]
    character: String,
    #[param(schema_with = horizon_filter)]
    horizon: String,
    /// `strategisch`, `operationeel`, `ict` or `business`.
    #[param(schema_with = perspective_filter)]
    perspective: String,
    /// Policy driver code.
    driver: String,
    /// MORA process area code (`GET /api/v1/mora-areas`); a main area also finds the projects
    /// mapped to its sub-areas.
    mora: String,
    /// Text the title, summary or description contains.
    #[param(max_length = 200)]
    q: String,
    /// `-` first for descending.
    #[param(schema_with = sorts)]
    sort: String,
    /// From 1; empty is the first page.
    #[param(schema_with = page_numbers)]
    page: String,
    /// 1–200; empty is the default, 50.
    #[param(schema_with = page_sizes)]
    per_page: String,
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

pub(crate) async fn visible(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<Arc<Project>, Error> {
    let p = state.store.project(id).await?;
    if viewer.may(Action::ViewProject {
        institution_id: p.institution_id,
        visibility: p.data.visibility,
    }) {
        Ok(p)
    } else {
        // The same answer as for a project that does not exist, so none tells it does.
        Err(Error::NotFound)
    }
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
        &*visible(&state, &viewer, id).await?,
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
    let p = visible(&state, &viewer, id).await?;
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
    if viewer.user.is_none() {
        return Err(Error::LoginRequired);
    }
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
    if viewer.user.is_none() {
        return Err(Error::LoginRequired);
    }
    let p = visible(state, viewer, id).await?;
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
    if viewer.user.is_none() {
        return Err(Error::LoginRequired);
    }
    let p = visible(&state, &viewer, id).await?;
    if !viewer.may(Action::DeleteProject {
        institution_id: p.institution_id,
    }) {
        return Err(if viewer.user.is_none() {
            Error::LoginRequired
        } else {
            Error::Forbidden
        });
    }
    state.store.delete_project(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
