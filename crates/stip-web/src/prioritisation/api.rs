//! `/api/v1/prioritisation/...`: scores, the best selection under a budget, the frontier, the
//! views' weights, weights from pairwise comparison, and scenarios (create, list, read, change,
//! delete, compare).

use super::{
    Conditions, MAX_CANDIDATES, View, Weighing, candidates_of, check_some_weight, infeasible,
    note_text, problem, reason_text,
};
use crate::extract::{Id, Listing, json_body};
use crate::identity::Viewer;
use crate::lists::Lists;
use crate::portfolio::api::ListParams;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::{ListQuery, Project};
use stip_core::prioritisation::ahp;
use stip_core::prioritisation::scenario::{Scenario, ScenarioData, check_weights};
use stip_core::prioritisation::selection::{self, Infeasible, Selection};
use stip_core::{ErrorCode, Invalid, Version};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(scores))
        .routes(routes!(select))
        .routes(routes!(frontier))
        .routes(routes!(read_weights, save_weights))
        .routes(routes!(pairwise))
        .routes(routes!(list_scenarios, create_scenario))
        .routes(routes!(compare_scenarios))
        .routes(routes!(read_scenario, update_scenario, delete_scenario))
}

// ---- Scores -----------------------------------------------------------------------------

/// One criterion's part of a score.
#[derive(Serialize, ToSchema)]
pub struct PartJson {
    /// Criterion code.
    pub criterion: String,
    /// The project's score on it, 1–5; `null`: not scored.
    pub score: Option<u8>,
    /// The criterion's share of the weights, 0–1.
    pub weight: f64,
    /// What it adds to the score (0 … 100 × weight); `null` when not scored.
    pub points: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoreJson {
    pub id: i64,
    pub title: String,
    /// BRIN code of the project's institution.
    pub institution: String,
    /// 0–100 (two decimals); `null` when a weighed criterion has no score.
    pub score: Option<f64>,
    pub breakdown: Vec<PartJson>,
    /// The weighed criteria the project has no score on.
    pub missing: Vec<String>,
    pub budget_eur: Option<f64>,
    /// Effort in FTE (hours counted at 1.659 per FTE).
    pub fte: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoresJson {
    /// The view whose weights scored: `network` or a BRIN code.
    pub weighting: String,
    /// Best first; projects without a score last.
    pub items: Vec<ScoreJson>,
    pub total: usize,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn score_json(p: &Project, weighing: &Weighing) -> ScoreJson {
    let scored = weighing.score(p);
    ScoreJson {
        id: p.id,
        title: p.data.title.clone(),
        institution: p.institution_brin.to_string(),
        score: scored.score.map(Hundredths::as_f64),
        missing: scored.missing().map(str::to_string).collect(),
        breakdown: scored
            .parts
            .into_iter()
            .map(|part| PartJson {
                criterion: part.criterion,
                score: part.score,
                weight: (part.share * 10_000.0).round() / 10_000.0,
                points: part.points.map(round2),
            })
            .collect(),
        budget_eur: p.data.budget.map(Hundredths::as_f64),
        fte: super::fte(p).map(|f| Hundredths(f).as_f64()),
    }
}

/// Every visible project that passes the list's filters with its weighted score, best first.
/// The weights are those of the view the filters name (an institution's, else the network's).
/// All projects come at once unless `page` or `per_page` is given.
#[utoipa::path(get, path = "/api/v1/prioritisation/scores", tag = "prioritisation", operation_id = "prioritisation_scores", params(ListParams),
    responses((status = 200, description = "The projects with their scores, best first", body = ScoresJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn scores(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<ScoresJson>, ApiError> {
    viewer.allowed(Action::Prioritise)?;
    let lists = state.lists().await?;
    let request = query.parse().map_err(ApiError::Invalid)?;
    let view = View::of_filter(&lists, &request.filter);
    let weighing = Weighing::of(&state, &lists, view, None).await?;
    let scored = super::ranking(&state, &viewer, &weighing, &request.filter).await?;
    let total = scored.len();
    let paged = !query.page.trim().is_empty() || !query.per_page.trim().is_empty();
    let (skip, take) = if paged {
        (
            (request.page as usize - 1).saturating_mul(request.per_page as usize),
            request.per_page as usize,
        )
    } else {
        (0, usize::MAX)
    };
    Ok(Json(ScoresJson {
        weighting: weighing.view.code(),
        items: scored
            .iter()
            .skip(skip)
            .take(take)
            .map(|(p, _)| score_json(p, &weighing))
            .collect(),
        total,
    }))
}

// ---- Selection and frontier -------------------------------------------------------------

/// What to choose from and under which conditions.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SelectionRequest {
    /// The candidate projects.
    pub project_ids: Vec<i64>,
    /// The budget to spend, in euros; required for a selection. For the frontier it marks the
    /// selection at that budget.
    pub budget_cap: Option<f64>,
    /// The FTE available, if it is a condition too.
    pub fte_cap: Option<f64>,
    #[serde(default)]
    pub forced_in: Vec<i64>,
    #[serde(default)]
    pub forced_out: Vec<i64>,
    /// `[A, B]`: A can only be chosen together with B.
    #[serde(default)]
    #[schema(value_type = Vec<Vec<i64>>, example = json!([[12, 7]]))]
    pub requires: Vec<(i64, i64)>,
    /// Weights per criterion code (0–100) instead of the view's, for this request only.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Frontier only: how many budget levels (2–100; 20 if not given).
    pub steps: Option<u32>,
}

/// A project left out and why.
#[derive(Serialize, ToSchema)]
pub struct LeftOutJson {
    pub id: i64,
    pub title: String,
    /// `forced_out`, `no_score`, `no_budget`, `no_effort`, `requires_unavailable`,
    /// `over_budget`, `over_fte`, `no_value` or `search_stopped`.
    pub reason: String,
    /// The reason in the request's language.
    pub message: String,
}

/// Why a chosen project is in, where not simply for its value.
#[derive(Serialize, ToSchema)]
pub struct NoteJson {
    pub id: i64,
    /// `forced_in`, `required_by_forced`, `counted_without_score`, `counted_without_budget`
    /// or `counted_without_effort`.
    pub note: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct SelectionJson {
    /// The chosen project ids.
    pub selected: Vec<i64>,
    /// The sum of the chosen projects' scores.
    pub total_value: f64,
    /// Their budgets together, in euros.
    pub total_cost: f64,
    pub total_fte: f64,
    pub budget_cap: f64,
    pub budget_left: f64,
    pub fte_cap: Option<f64>,
    /// False only when the search was stopped before it could prove the selection best.
    pub optimal: bool,
    /// How much more value the best possible selection can at most have (0 when optimal).
    pub max_shortfall: f64,
    /// The view whose weights gave the values: `network` or a BRIN code.
    pub weighting: String,
    pub not_selected: Vec<LeftOutJson>,
    pub notes: Vec<NoteJson>,
}

pub fn selection_json(
    viewer: &Viewer,
    s: &Selection,
    projects: &[Arc<Project>],
    budget_cap: i64,
    fte_cap: Option<i64>,
    weighting: String,
) -> SelectionJson {
    let title = |id: i64| {
        projects
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.data.title.clone())
            .unwrap_or_default()
    };
    SelectionJson {
        selected: s.selected.clone(),
        total_value: Hundredths(s.total_value).as_f64(),
        total_cost: Hundredths(s.total_cost).as_f64(),
        total_fte: Hundredths(s.total_fte).as_f64(),
        budget_cap: Hundredths(budget_cap).as_f64(),
        budget_left: Hundredths(budget_cap - s.total_cost).as_f64(),
        fte_cap: fte_cap.map(|f| Hundredths(f).as_f64()),
        optimal: s.optimal,
        max_shortfall: Hundredths(s.max_shortfall).as_f64(),
        weighting,
        not_selected: s
            .not_selected
            .iter()
            .map(|(id, r)| LeftOutJson {
                id: *id,
                title: title(*id),
                reason: r.code().into(),
                message: reason_text(viewer.lang, r),
            })
            .collect(),
        notes: s
            .notes
            .iter()
            .map(|(id, n)| NoteJson {
                id: *id,
                note: n.code().into(),
                message: note_text(viewer.lang, n),
            })
            .collect(),
    }
}

/// A cap in euros or FTE as hundredths; refused when negative or absurd.
fn cap(field: &str, value: f64, invalid: &mut Invalid) -> i64 {
    let max = stip_core::prioritisation::scenario::MAX_BUDGET_CAP;
    let h = (value * 100.0).round();
    if !h.is_finite() || h < 0.0 || h > max as f64 {
        invalid.push(
            field,
            ErrorCode::OutOfRange {
                min: 0,
                max: max / 100,
            },
        );
        return 0;
    }
    h as i64
}

/// Weights given in a request as hundredths, every code a criterion's.
fn weights_of(
    lists: &Lists,
    given: &BTreeMap<String, f64>,
    invalid: &mut Invalid,
) -> BTreeMap<String, Hundredths> {
    let mut out = BTreeMap::new();
    for (code, w) in given {
        if !lists.criteria.iter().any(|c| &c.data.code == code) {
            invalid.push(&format!("weights.{code}"), ErrorCode::Unknown);
            continue;
        }
        let h = Hundredths::from_f64(*w);
        if !w.is_finite() || check_weights(&[(code.clone(), h)].into()).is_err() {
            invalid.push(
                &format!("weights.{code}"),
                ErrorCode::OutOfRange { min: 0, max: 100 },
            );
            continue;
        }
        out.insert(code.clone(), h);
    }
    out
}

/// The candidates of a request, each one the caller sees; and the view they are weighed in:
/// their institution's when they all have one, else the network's.
async fn requested(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    req: &SelectionRequest,
    invalid: &mut Invalid,
) -> Result<(View, Vec<Arc<Project>>), ApiError> {
    if req.project_ids.len() > MAX_CANDIDATES {
        invalid.push(
            "project_ids",
            ErrorCode::TooLong {
                max: MAX_CANDIDATES,
            },
        );
        return Ok((View::Network, Vec::new()));
    }
    let mut projects = Vec::with_capacity(req.project_ids.len());
    let mut seen = BTreeSet::new();
    for (k, &id) in req.project_ids.iter().enumerate() {
        if !seen.insert(id) {
            continue;
        }
        match state.store.project(id).await {
            Ok(p)
                if viewer.may(Action::ViewProject {
                    institution_id: p.institution_id,
                    visibility: p.data.visibility,
                }) =>
            {
                projects.push(p)
            }
            Ok(_) | Err(stip_store::StoreError::NotFound) => {
                invalid.push(&format!("project_ids[{k}]"), ErrorCode::Unknown)
            }
            Err(e) => return Err(e.into()),
        }
    }
    let institutions: BTreeSet<i64> = projects.iter().map(|p| p.institution_id).collect();
    let view = match institutions.iter().collect::<Vec<_>>().as_slice() {
        [one] => View::of_id(lists, Some(**one)),
        _ => View::Network,
    };
    Ok((view, projects))
}

struct Prepared {
    view: View,
    weighing: Weighing,
    projects: Vec<Arc<Project>>,
    conditions: Conditions,
}

async fn prepare(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    body: &Bytes,
    needs_cap: bool,
) -> Result<(Prepared, SelectionRequest), ApiError> {
    viewer.allowed(Action::Prioritise)?;
    let req: SelectionRequest = json_body(headers, body)?;
    let lists = state.lists().await?;
    let mut invalid = Invalid::default();
    let budget_cap = match req.budget_cap {
        Some(v) => cap("budget_cap", v, &mut invalid),
        None if needs_cap => {
            invalid.push("budget_cap", ErrorCode::Required);
            0
        }
        None => 0,
    };
    let fte_cap = req.fte_cap.map(|v| cap("fte_cap", v, &mut invalid));
    let weights = weights_of(&lists, &req.weights, &mut invalid);
    let (view, projects) = requested(state, viewer, &lists, &req, &mut invalid).await?;
    let weighing = Weighing::of(state, &lists, view.clone(), Some(&weights)).await?;
    if let Err(e) = check_some_weight(&weighing.weights) {
        invalid.0.extend(e.0);
    }
    if !invalid.is_empty() {
        return Err(ApiError::Invalid(invalid));
    }
    let conditions = Conditions {
        budget_cap,
        fte_cap,
        forced_in: req.forced_in.clone(),
        forced_out: req.forced_out.clone(),
        requires: req.requires.clone(),
    };
    Ok((
        Prepared {
            view,
            weighing,
            projects,
            conditions,
        },
        req,
    ))
}

/// The most valuable set of the candidates within the budget (and FTE) cap, with projects
/// forced in or out and requirements met; every project left out says why. A project's value
/// is its score, its cost its budget; one without a score or budget is left out unless forced
/// in. Conditions no selection can meet are a 422 naming the cause.
#[utoipa::path(post, path = "/api/v1/prioritisation/selection", tag = "prioritisation", operation_id = "prioritisation_selection", request_body = SelectionRequest,
    responses((status = 200, description = "The best selection and why the others are left out", body = SelectionJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 415, description = "The body is not JSON", body = crate::Problem),
        (status = 422, description = "A field is refused, or no selection can meet the conditions: `errors` names the cause", body = crate::Problem)))]
pub async fn select(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SelectionJson>, ApiError> {
    let (p, _) = prepare(&state, &viewer, &headers, &body, true).await?;
    let s = selection::select(&problem(&p.projects, &p.weighing, &p.conditions))
        .map_err(|e| ApiError::Invalid(infeasible(&e)))?;
    Ok(Json(selection_json(
        &viewer,
        &s,
        &p.projects,
        p.conditions.budget_cap,
        p.conditions.fte_cap,
        p.view.code(),
    )))
}

#[derive(Serialize, ToSchema)]
pub struct FrontierPointJson {
    /// The budget level, in euros.
    pub budget: f64,
    /// The most value achievable within it.
    pub value: f64,
    /// The selection that achieves it.
    pub selected: Vec<i64>,
    /// What that selection costs, in euros.
    pub cost: f64,
}

#[derive(Serialize, ToSchema)]
pub struct FrontierJson {
    /// From what the forced projects cost to what all candidates cost; the value never falls.
    pub points: Vec<FrontierPointJson>,
    /// The selection at the request's `budget_cap`, when it gives one.
    pub current: Option<FrontierPointJson>,
    pub weighting: String,
}

fn point(budget: i64, s: &Selection) -> FrontierPointJson {
    FrontierPointJson {
        budget: Hundredths(budget).as_f64(),
        value: Hundredths(s.total_value).as_f64(),
        selected: s.selected.clone(),
        cost: Hundredths(s.total_cost).as_f64(),
    }
}

/// The efficient frontier: the most value achievable at evenly spread budget levels.
#[utoipa::path(post, path = "/api/v1/prioritisation/frontier", tag = "prioritisation", operation_id = "prioritisation_frontier", request_body = SelectionRequest,
    responses((status = 200, description = "Value per budget level", body = FrontierJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 415, description = "The body is not JSON", body = crate::Problem),
        (status = 422, description = "A field is refused, or no selection can meet the conditions", body = crate::Problem)))]
pub async fn frontier(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<FrontierJson>, ApiError> {
    let (p, req) = prepare(&state, &viewer, &headers, &body, false).await?;
    let steps = req.steps.unwrap_or(20);
    if !(2..=100).contains(&steps) {
        return Err(ApiError::Invalid(Invalid::one(
            "steps",
            ErrorCode::OutOfRange { min: 2, max: 100 },
        )));
    }
    let prob = problem(&p.projects, &p.weighing, &p.conditions);
    let points = selection::frontier(&prob, steps as usize)
        .map_err(|e| ApiError::Invalid(infeasible(&e)))?;
    let current = match req.budget_cap {
        Some(_) => Some(
            selection::select(&prob)
                .map(|s| point(p.conditions.budget_cap, &s))
                .map_err(|e| ApiError::Invalid(infeasible(&e)))?,
        ),
        None => None,
    };
    Ok(Json(FrontierJson {
        points: points.iter().map(|(b, s)| point(*b, s)).collect(),
        current,
        weighting: p.view.code(),
    }))
}

// ---- Weights ----------------------------------------------------------------------------

/// Read from the query's pairs (not axum's `Query`, which answers a repeated name with a 400).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewParams {
    /// `network` (or nothing) for the network's weights, or an institution's BRIN code.
    pub view: Option<String>,
}

/// The first value of `name` in a query string; empty when it is not there.
fn query_value(raw: &Option<String>, name: &str) -> String {
    url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct CriterionWeightJson {
    pub criterion: String,
    pub name: String,
    /// `positive`, or `negative` where a higher score is worse (inspanning, risico).
    pub direction: String,
    /// The weight as given, 0–100.
    pub weight: f64,
    /// Its share of all weights, 0–1.
    pub share: f64,
    /// The weight in the criteria list, which a view without its own weighting uses.
    pub default_weight: f64,
}

#[derive(Serialize, ToSchema)]
pub struct WeightsJson {
    /// `network` or a BRIN code.
    pub view: String,
    pub name: String,
    /// Whether the view has weights of its own (else the criteria list's).
    pub own: bool,
    /// The version to send back when changing them; `null` when the view has none of its own.
    pub version: Option<i64>,
    /// When the weights came from pairwise comparison: its consistency ratio.
    pub consistency_ratio: Option<f64>,
    pub criteria: Vec<CriterionWeightJson>,
}

fn weights_json(viewer: &Viewer, lists: &Lists, w: &Weighing) -> WeightsJson {
    WeightsJson {
        view: w.view.code(),
        name: w.view.name(viewer.lang),
        own: w.weighting.is_some(),
        version: w.weighting.as_ref().map(|w| w.version),
        consistency_ratio: w.weighting.as_ref().and_then(|w| w.consistency),
        criteria: w
            .weights
            .iter()
            .zip(&lists.criteria)
            .map(|(weight, c)| CriterionWeightJson {
                criterion: weight.code.clone(),
                name: c.data.name.clone(),
                direction: c.data.direction.code().into(),
                weight: weight.weight.as_f64(),
                share: (weight.share * 10_000.0).round() / 10_000.0,
                default_weight: c.data.weight.as_f64(),
            })
            .collect(),
    }
}

/// The view a request names; an institution Stip does not know is not found.
fn view_of(lists: &Lists, raw: &str) -> Result<View, ApiError> {
    View::of(lists, raw).ok_or(ApiError::NotFound)
}

/// The criteria's weights in a view.
#[utoipa::path(get, path = "/api/v1/prioritisation/weights", tag = "prioritisation", operation_id = "prioritisation_weights", params(ViewParams),
    responses((status = 200, description = "The view's weights", body = WeightsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No institution with this BRIN code", body = crate::Problem)))]
pub async fn read_weights(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Json<WeightsJson>, ApiError> {
    viewer.allowed(Action::Prioritise)?;
    let lists = state.lists().await?;
    let view = view_of(&lists, &query_value(&query, "view"))?;
    let w = Weighing::of(&state, &lists, view, None).await?;
    Ok(Json(weights_json(&viewer, &lists, &w)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsWrite {
    /// Weight per criterion code, 0–100; a criterion left out keeps the criteria list's weight.
    pub weights: BTreeMap<String, f64>,
    /// The version read; leave out when the view has no weights of its own yet.
    pub version: Option<i64>,
    /// The consistency ratio, when the weights come from pairwise comparison.
    pub consistency_ratio: Option<f64>,
}

/// Sets the criteria's weights of a view: the network's (beheerder, regiegroep) or an
/// institution's (also its informatiemanager).
#[utoipa::path(put, path = "/api/v1/prioritisation/weights", tag = "prioritisation", operation_id = "prioritisation_save_weights", params(ViewParams), request_body = WeightsWrite,
    responses((status = 200, description = "Saved", body = WeightsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not weigh this view", body = crate::Problem),
        (status = 404, description = "No institution with this BRIN code", body = crate::Problem),
        (status = 409, description = "Saved by someone else since `version`", body = crate::Problem),
        (status = 422, description = "A weight is refused", body = crate::Problem)))]
pub async fn save_weights(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WeightsJson>, ApiError> {
    viewer.logged_in()?;
    let lists = state.lists().await?;
    let view = view_of(&lists, &query_value(&query, "view"))?;
    viewer.allowed(Action::WeighCriteria {
        institution_id: view.institution_id(),
    })?;
    let write: WeightsWrite = json_body(&headers, &body)?;
    let mut invalid = Invalid::default();
    let weights = weights_of(&lists, &write.weights, &mut invalid);
    if let Some(cr) = write.consistency_ratio
        && !(cr.is_finite() && cr >= 0.0)
    {
        invalid.push(
            "consistency_ratio",
            ErrorCode::OutOfRange { min: 0, max: 100 },
        );
    }
    let all = stip_core::prioritisation::weights(&lists.criteria, &weights);
    if let Err(e) = check_some_weight(&all) {
        invalid.0.extend(e.0);
    }
    if !invalid.is_empty() {
        return Err(ApiError::Invalid(invalid));
    }
    let saved = state
        .store
        .save_weighting(
            view.institution_id(),
            write.version.map(Version),
            &weights,
            write.consistency_ratio,
            viewer.actor.user_id().unwrap_or_default(),
        )
        .await?;
    let w = Weighing::of(&state, &lists, view, None).await?;
    if !saved {
        return Err(ApiError::Conflict(crate::error::Conflict {
            current: serde_json::to_value(weights_json(&viewer, &lists, &w))
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            changes: serde_json::Value::Array(vec![]),
            fields: vec!["weights".into()],
        }));
    }
    Ok(Json(weights_json(&viewer, &lists, &w)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComparisonJson {
    /// Criterion code.
    pub a: String,
    /// Criterion code.
    pub b: String,
    /// How much more important `a` is than `b` on Saaty's scale: 1 (equal) … 9 (extremely
    /// more), or 1/3 … 1/9 for less.
    pub value: f64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairwiseRequest {
    /// The criteria compared (codes); all of them when left out.
    pub criteria: Option<Vec<String>>,
    /// One judgement per pair of those criteria.
    pub comparisons: Vec<ComparisonJson>,
}

#[derive(Serialize, ToSchema)]
pub struct DerivedWeightJson {
    pub criterion: String,
    /// 0–1; together 1.
    pub weight: f64,
}

#[derive(Serialize, ToSchema)]
pub struct PairwiseJson {
    pub weights: Vec<DerivedWeightJson>,
    pub lambda_max: f64,
    pub consistency_index: f64,
    /// Above 0.1 the judgements contradict each other too much: look at them again.
    pub consistency_ratio: f64,
    pub consistent: bool,
}

/// The judged criteria and the matrix of their judgements; a missing or unknown pair refused.
pub fn judged(
    lists: &Lists,
    criteria: Option<&[String]>,
    mut judgement: impl FnMut(&str, &str) -> Option<Result<f64, ErrorCode>>,
) -> Result<(Vec<String>, Vec<Vec<f64>>), Invalid> {
    let codes: Vec<String> = match criteria {
        Some(c) => c.to_vec(),
        None => lists.criteria.iter().map(|c| c.data.code.clone()).collect(),
    };
    let mut invalid = Invalid::default();
    for (k, code) in codes.iter().enumerate() {
        if !lists.criteria.iter().any(|c| &c.data.code == code) {
            invalid.push(&format!("criteria[{k}]"), ErrorCode::Unknown);
        }
    }
    if codes.len() < 2 || codes.len() > ahp::MAX_CRITERIA {
        invalid.push(
            "criteria",
            ErrorCode::OutOfRange {
                min: 2,
                max: ahp::MAX_CRITERIA as i64,
            },
        );
    }
    if !invalid.is_empty() {
        return Err(invalid);
    }
    let mut above = Vec::with_capacity(ahp::pairs(codes.len()));
    for i in 0..codes.len() {
        for j in i + 1..codes.len() {
            let field = format!("{}:{}", codes[i], codes[j]);
            match judgement(&codes[i], &codes[j]) {
                Some(Ok(v)) => above.push(v),
                Some(Err(code)) => {
                    invalid.push(&field, code);
                    above.push(1.0);
                }
                None => {
                    invalid.push(&field, ErrorCode::MissingPair);
                    above.push(1.0);
                }
            }
        }
    }
    let matrix = ahp::matrix(codes.len(), &above);
    invalid.into_result((codes, matrix))
}

pub fn pairwise_json(codes: &[String], d: &ahp::Derived) -> PairwiseJson {
    PairwiseJson {
        weights: codes
            .iter()
            .zip(&d.weights)
            .map(|(c, w)| DerivedWeightJson {
                criterion: c.clone(),
                weight: (w * 10_000.0).round() / 10_000.0,
            })
            .collect(),
        lambda_max: (d.lambda_max * 10_000.0).round() / 10_000.0,
        consistency_index: (d.consistency_index * 10_000.0).round() / 10_000.0,
        consistency_ratio: (d.consistency_ratio * 10_000.0).round() / 10_000.0,
        consistent: d.is_consistent(),
    }
}

/// Criterion weights from pairwise comparison (AHP): the principal eigenvector of the
/// judgements, with their consistency ratio. Saves nothing; send the weights to
/// `PUT /api/v1/prioritisation/weights` to use them.
#[utoipa::path(post, path = "/api/v1/prioritisation/ahp", tag = "prioritisation", operation_id = "prioritisation_ahp", request_body = PairwiseRequest,
    responses((status = 200, description = "The derived weights and their consistency", body = PairwiseJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 422, description = "A pair is missing, or a judgement is off the scale: the field names the pair", body = crate::Problem)))]
pub async fn pairwise(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PairwiseJson>, ApiError> {
    viewer.allowed(Action::Prioritise)?;
    let req: PairwiseRequest = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let (codes, matrix) = judged(&lists, req.criteria.as_deref(), |a, b| {
        req.comparisons.iter().find_map(|c| {
            if c.a == a && c.b == b {
                Some(ahp::judgement(c.value))
            } else if c.a == b && c.b == a {
                Some(ahp::judgement(c.value).map(|v| 1.0 / v))
            } else {
                None
            }
        })
    })
    .map_err(ApiError::Invalid)?;
    Ok(Json(pairwise_json(&codes, &ahp::derive(&matrix))))
}

// ---- Scenarios --------------------------------------------------------------------------

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioWrite {
    pub name: String,
    /// The institution (BRIN code) whose portfolio it chooses from; `null`: the network's.
    pub institution: Option<String>,
    /// The list's filters that make the candidates, as a query string
    /// (`theme=llo&phase=idee`); without a phase, the projects in idee, verkenning or
    /// voorbereiding.
    #[serde(default)]
    pub candidates: String,
    /// In euros.
    pub budget_cap: f64,
    pub fte_cap: Option<f64>,
    #[serde(default)]
    pub forced_in: Vec<i64>,
    #[serde(default)]
    pub forced_out: Vec<i64>,
    #[serde(default)]
    #[schema(value_type = Vec<Vec<i64>>, example = json!([[12, 7]]))]
    pub requires: Vec<(i64, i64)>,
    /// Weights per criterion code, 0–100, over the view's.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Changing: the version read.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ScenarioJson {
    pub id: i64,
    pub name: String,
    /// BRIN code; `null`: the network.
    pub institution: Option<String>,
    pub candidates: String,
    pub budget_cap: f64,
    pub fte_cap: Option<f64>,
    pub forced_in: Vec<i64>,
    pub forced_out: Vec<i64>,
    #[schema(value_type = Vec<Vec<i64>>)]
    pub requires: Vec<(i64, i64)>,
    pub weights: BTreeMap<String, f64>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Its selection on the portfolio as it is now (when reading one scenario).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<SelectionJson>,
    /// Why no selection meets its conditions now, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

fn scenario_json(lists: &Lists, s: &Scenario) -> ScenarioJson {
    let d = &s.data;
    ScenarioJson {
        id: s.id,
        name: d.name.clone(),
        institution: match View::of_id(lists, d.institution_id) {
            View::Network => None,
            View::Institution { brin, .. } => Some(brin),
        },
        candidates: d.candidates.clone(),
        budget_cap: d.budget_cap.as_f64(),
        fte_cap: d.fte_cap.map(Hundredths::as_f64),
        forced_in: d.forced_in.clone(),
        forced_out: d.forced_out.clone(),
        requires: d.requires.clone(),
        weights: d
            .weights
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64()))
            .collect(),
        created_at: s.created_at.clone(),
        updated_at: s.updated_at.clone(),
        version: s.version,
        result: None,
        problem: None,
    }
}

/// A scenario's selection on the portfolio as it is now, as the viewer sees it.
pub struct Outcome {
    pub view: View,
    pub weighing: Weighing,
    pub projects: Vec<Arc<Project>>,
    pub result: Result<Selection, Infeasible>,
}

pub async fn outcome(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    s: &ScenarioData,
) -> Result<Outcome, ApiError> {
    let view = View::of_id(lists, s.institution_id);
    let mut query =
        ListQuery::from_pairs(url::form_urlencoded::parse(s.candidates.as_bytes()).into_owned());
    if let View::Institution { brin, .. } = &view {
        query.institution = brin.clone();
    }
    // A saved filter that no longer parses (a theme since removed) chooses from nothing.
    let projects = match candidates_of(state, viewer, lists, &query).await {
        Ok((_, projects)) => projects,
        Err(ApiError::Invalid(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    let weighing = Weighing::of(state, lists, view.clone(), Some(&s.weights)).await?;
    let conditions = Conditions {
        budget_cap: s.budget_cap.0,
        fte_cap: s.fte_cap.map(|f| f.0),
        forced_in: s.forced_in.clone(),
        forced_out: s.forced_out.clone(),
        requires: s.requires.clone(),
    };
    let result = selection::select(&problem(&projects, &weighing, &conditions));
    Ok(Outcome {
        view,
        weighing,
        projects,
        result,
    })
}

fn with_outcome(
    viewer: &Viewer,
    mut json: ScenarioJson,
    o: &Outcome,
    s: &ScenarioData,
) -> ScenarioJson {
    match &o.result {
        Ok(sel) => {
            json.result = Some(selection_json(
                viewer,
                sel,
                &o.projects,
                s.budget_cap.0,
                s.fte_cap.map(|f| f.0),
                o.view.code(),
            ))
        }
        Err(e) => {
            json.problem = Some(
                infeasible(e)
                    .0
                    .iter()
                    .map(|f| viewer.lang.field_error(f))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
    }
    json
}

/// A scenario as written, checked, with the institution it belongs to.
fn scenario_data(lists: &Lists, w: &ScenarioWrite) -> Result<ScenarioData, Invalid> {
    let mut invalid = Invalid::default();
    let institution_id = match w.institution.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(brin) => match View::of(lists, brin) {
            Some(View::Institution { id, .. }) => Some(id),
            _ => {
                invalid.push("institution", ErrorCode::Unknown);
                None
            }
        },
    };
    let budget_cap = cap("budget_cap", w.budget_cap, &mut invalid);
    let fte_cap = w.fte_cap.map(|v| cap("fte_cap", v, &mut invalid));
    let weights = weights_of(lists, &w.weights, &mut invalid);
    let candidates =
        ListQuery::from_pairs(url::form_urlencoded::parse(w.candidates.as_bytes()).into_owned());
    if let Err(e) = candidates.parse() {
        invalid.0.extend(e.0.into_iter().map(|mut f| {
            f.field = format!("candidates.{}", f.field);
            f
        }));
    }
    let data = ScenarioData {
        name: w.name.clone(),
        institution_id,
        candidates: w.candidates.trim().trim_start_matches('?').to_string(),
        budget_cap: Hundredths(budget_cap),
        fte_cap: fte_cap.map(Hundredths),
        forced_in: w.forced_in.clone(),
        forced_out: w.forced_out.clone(),
        requires: w.requires.clone(),
        weights,
    };
    data.check_after(invalid)
}

#[derive(Serialize, ToSchema)]
pub struct ScenariosJson {
    pub items: Vec<ScenarioJson>,
}

/// The scenarios the caller may read: the network's, and those of institutions they may see
/// scenarios of; newest first.
#[utoipa::path(get, path = "/api/v1/prioritisation/scenarios", tag = "prioritisation", operation_id = "list_scenarios",
    responses((status = 200, description = "The scenarios", body = ScenariosJson),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn list_scenarios(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<ScenariosJson>, ApiError> {
    viewer.allowed(Action::Prioritise)?;
    let lists = state.lists().await?;
    let items = super::readable_scenarios(&state, &viewer).await?;
    Ok(Json(ScenariosJson {
        items: items.iter().map(|s| scenario_json(&lists, s)).collect(),
    }))
}

/// Saves a named scenario: the network's (beheerder, regiegroep) or an institution's (its
/// informatiemanager). Answers with its selection on the portfolio as it is now.
#[utoipa::path(post, path = "/api/v1/prioritisation/scenarios", tag = "prioritisation", operation_id = "create_scenario", request_body = ScenarioWrite,
    responses((status = 201, description = "Saved", body = ScenarioJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not save scenarios for this view", body = crate::Problem),
        (status = 422, description = "A field is refused", body = crate::Problem)))]
pub async fn create_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    viewer.logged_in()?;
    // Permission first: whoever may save no scenario at all hears that before anything about
    // what they sent; which view they may save for is known once the body is read.
    let may_save_any = [None, viewer.actor.institution_id()]
        .into_iter()
        .any(|institution_id| viewer.may(Action::ManageScenarios { institution_id }));
    if !may_save_any {
        return Err(ApiError::Forbidden);
    }
    let write: ScenarioWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let data = scenario_data(&lists, &write).map_err(ApiError::Invalid)?;
    viewer.allowed(Action::ManageScenarios {
        institution_id: data.institution_id,
    })?;
    let id = state
        .store
        .create_scenario(&data, viewer.actor.user_id().unwrap_or_default())
        .await?;
    let saved = state.store.scenario(id).await?;
    let o = outcome(&state, &viewer, &lists, &saved.data).await?;
    let json = with_outcome(&viewer, scenario_json(&lists, &saved), &o, &saved.data);
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

async fn readable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Scenario, ApiError> {
    viewer.logged_in()?;
    let s = state.store.scenario(id).await?;
    if !viewer.may(Action::ViewScenarios {
        institution_id: s.data.institution_id,
    }) {
        // Whether another institution has a scenario of this number is not the caller's business.
        return Err(ApiError::NotFound);
    }
    Ok(s)
}

/// A scenario with its selection on the portfolio as it is now.
#[utoipa::path(get, path = "/api/v1/prioritisation/scenarios/{id}", tag = "prioritisation", operation_id = "read_scenario", params(("id" = i64, Path)),
    responses((status = 200, description = "The scenario and its selection", body = ScenarioJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such scenario the caller may read", body = crate::Problem)))]
pub async fn read_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<ScenarioJson>, ApiError> {
    let s = readable(&state, &viewer, id).await?;
    let lists = state.lists().await?;
    let o = outcome(&state, &viewer, &lists, &s.data).await?;
    Ok(Json(with_outcome(
        &viewer,
        scenario_json(&lists, &s),
        &o,
        &s.data,
    )))
}

/// Changes a scenario read at `version`; 409 when someone changed it since. Its view stays.
#[utoipa::path(put, path = "/api/v1/prioritisation/scenarios/{id}", tag = "prioritisation", operation_id = "update_scenario", params(("id" = i64, Path)), request_body = ScenarioWrite,
    responses((status = 200, description = "Saved", body = ScenarioJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not change it", body = crate::Problem),
        (status = 404, description = "No such scenario the caller may read", body = crate::Problem),
        (status = 409, description = "Changed by someone else since `version`", body = crate::Problem),
        (status = 422, description = "A field is refused", body = crate::Problem)))]
pub async fn update_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ScenarioJson>, ApiError> {
    let before = readable(&state, &viewer, id).await?;
    viewer.allowed(Action::ManageScenarios {
        institution_id: before.data.institution_id,
    })?;
    let write: ScenarioWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let mut data = scenario_data(&lists, &write).map_err(ApiError::Invalid)?;
    data.institution_id = before.data.institution_id;
    let Some(version) = write.version else {
        return Err(ApiError::Invalid(Invalid::one(
            "version",
            ErrorCode::Required,
        )));
    };
    if !state
        .store
        .update_scenario(id, Version(version), &data)
        .await?
    {
        let now = state.store.scenario(id).await?;
        return Err(ApiError::Conflict(crate::error::Conflict {
            current: serde_json::to_value(scenario_json(&lists, &now))
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            changes: serde_json::Value::Array(vec![]),
            fields: vec![],
        }));
    }
    let saved = state.store.scenario(id).await?;
    let o = outcome(&state, &viewer, &lists, &saved.data).await?;
    Ok(Json(with_outcome(
        &viewer,
        scenario_json(&lists, &saved),
        &o,
        &saved.data,
    )))
}

/// Deletes a scenario.
#[utoipa::path(delete, path = "/api/v1/prioritisation/scenarios/{id}", tag = "prioritisation", operation_id = "delete_scenario", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not delete it", body = crate::Problem),
        (status = 404, description = "No such scenario the caller may read", body = crate::Problem)))]
pub async fn delete_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    let s = readable(&state, &viewer, id).await?;
    viewer.allowed(Action::ManageScenarios {
        institution_id: s.data.institution_id,
    })?;
    state.store.delete_scenario(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read from the query's pairs, as [`ViewParams`].
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// Two or three scenario ids, comma-separated: `3,5`.
    #[param(pattern = "^[0-9]{1,18}(,[0-9]{1,18}){1,2}$", example = "3,5")]
    pub ids: String,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeShareJson {
    /// Main theme code.
    pub theme: String,
    pub projects: u64,
    pub budget_eur: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ComparedJson {
    pub id: i64,
    pub name: String,
    pub selected: Vec<i64>,
    pub total_value: f64,
    pub total_cost: f64,
    pub budget_cap: f64,
    /// The chosen projects per main theme.
    pub themes: Vec<ThemeShareJson>,
    /// Why no selection meets its conditions now, if so.
    pub problem: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DifferenceJson {
    pub id: i64,
    pub title: String,
    /// The scenarios (ids) that choose it.
    pub chosen_in: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CompareJson {
    pub scenarios: Vec<ComparedJson>,
    /// The projects some of the scenarios choose and others do not.
    pub differences: Vec<DifferenceJson>,
}

/// One scenario of a comparison: its outcome and the chosen projects' main themes.
pub struct Compared {
    pub scenario: Scenario,
    pub outcome: Outcome,
    /// (theme code, projects, cents), by theme order.
    pub themes: Vec<(String, u64, i64)>,
}

/// Two or three scenarios side by side.
pub async fn compared(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    ids: &[i64],
) -> Result<(Vec<Compared>, Vec<(Arc<Project>, Vec<i64>)>), ApiError> {
    let mut out = Vec::new();
    for &id in ids {
        let scenario = readable(state, viewer, id).await?;
        let outcome = outcome(state, viewer, lists, &scenario.data).await?;
        let mut themes: BTreeMap<String, (u64, i64)> = BTreeMap::new();
        if let Ok(sel) = &outcome.result {
            for p in outcome
                .projects
                .iter()
                .filter(|p| sel.selected.contains(&p.id))
            {
                let theme = p.data.themes.first().cloned().unwrap_or_default();
                let t = themes.entry(theme).or_default();
                t.0 += 1;
                t.1 += p.data.budget.map_or(0, |b| b.0);
            }
        }
        let mut themes: Vec<(String, u64, i64)> =
            themes.into_iter().map(|(k, (n, c))| (k, n, c)).collect();
        themes.sort_by_key(|(code, _, _)| {
            lists
                .themes
                .iter()
                .position(|t| &t.data.code == code)
                .unwrap_or(usize::MAX)
        });
        out.push(Compared {
            scenario,
            outcome,
            themes,
        });
    }
    let mut chosen: BTreeMap<i64, (Arc<Project>, Vec<i64>)> = BTreeMap::new();
    for c in &out {
        if let Ok(sel) = &c.outcome.result {
            for p in c
                .outcome
                .projects
                .iter()
                .filter(|p| sel.selected.contains(&p.id))
            {
                chosen
                    .entry(p.id)
                    .or_insert_with(|| (p.clone(), Vec::new()))
                    .1
                    .push(c.scenario.id);
            }
        }
    }
    let differences = chosen
        .into_values()
        .filter(|(_, by)| by.len() < out.len())
        .collect();
    Ok((out, differences))
}

/// The ids of a comparison: two or three, comma-separated (the same one twice compares it
/// with itself).
pub fn compare_ids(raw: &str) -> Result<Vec<i64>, Invalid> {
    let mut ids: Vec<i64> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse() {
            Ok(id) => ids.push(id),
            Err(_) => return Err(Invalid::one("ids", ErrorCode::NotANumber)),
        }
    }
    if !(2..=3).contains(&ids.len()) {
        return Err(Invalid::one(
            "ids",
            ErrorCode::OutOfRange { min: 2, max: 3 },
        ));
    }
    Ok(ids)
}

/// Two or three scenarios side by side: what each chooses, its value and cost, its theme
/// balance, and the projects on which they differ.
#[utoipa::path(get, path = "/api/v1/prioritisation/scenarios/compare", tag = "prioritisation", operation_id = "compare_scenarios", params(CompareParams),
    responses((status = 200, description = "The scenarios side by side", body = CompareJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "A scenario does not exist or the caller may not read it", body = crate::Problem),
        (status = 422, description = "Not two or three ids", body = crate::Problem)))]
pub async fn compare_scenarios(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Json<CompareJson>, ApiError> {
    viewer.allowed(Action::Prioritise)?;
    let ids = compare_ids(&query_value(&query, "ids")).map_err(ApiError::Invalid)?;
    let lists = state.lists().await?;
    let (scenarios, differences) = compared(&state, &viewer, &lists, &ids).await?;
    Ok(Json(CompareJson {
        scenarios: scenarios
            .iter()
            .map(|c| {
                let sel = c.outcome.result.as_ref().ok();
                ComparedJson {
                    id: c.scenario.id,
                    name: c.scenario.data.name.clone(),
                    selected: sel.map(|s| s.selected.clone()).unwrap_or_default(),
                    total_value: sel.map_or(0.0, |s| Hundredths(s.total_value).as_f64()),
                    total_cost: sel.map_or(0.0, |s| Hundredths(s.total_cost).as_f64()),
                    budget_cap: c.scenario.data.budget_cap.as_f64(),
                    themes: c
                        .themes
                        .iter()
                        .map(|(theme, n, cents)| ThemeShareJson {
                            theme: theme.clone(),
                            projects: *n,
                            budget_eur: Hundredths(*cents).as_f64(),
                        })
                        .collect(),
                    problem: c.outcome.result.as_ref().err().map(|e| {
                        infeasible(e)
                            .0
                            .iter()
                            .map(|f| viewer.lang.field_error(f))
                            .collect::<Vec<_>>()
                            .join(" ")
                    }),
                }
            })
            .collect(),
        differences: differences
            .into_iter()
            .map(|(p, by)| DifferenceJson {
                id: p.id,
                title: p.data.title.clone(),
                chosen_in: by,
            })
            .collect(),
    }))
}
