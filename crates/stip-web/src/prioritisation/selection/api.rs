//! `POST /api/v1/prioritisation/selection` and `/frontier`: the best selection of the candidates
//! sent, and the most value achievable per budget level.

use crate::auth::Viewer;
use crate::http::extract::json_body;
use crate::lists::Lists;
use crate::prioritisation::{
    Conditions, MAX_CANDIDATES, View, Weighing, check_some_weight, infeasible, note_text, problem,
    reason_text, weights_of,
};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::Project;
use stip_core::prioritisation::selection::{self, Selection};
use stip_core::{ErrorCode, Invalid};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(select))
        .routes(routes!(frontier))
}

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
pub(crate) fn cap(field: &str, value: f64, invalid: &mut Invalid) -> i64 {
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

/// The candidates of a request, each one the caller sees; and the view they are weighed in:
/// their institution's when they all have one, else the network's.
async fn requested(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    req: &SelectionRequest,
    invalid: &mut Invalid,
) -> Result<(View, Vec<Arc<Project>>), Error> {
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
) -> Result<(Prepared, SelectionRequest), Error> {
    viewer.require(Action::Prioritise)?;
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
        return Err(Error::Invalid(invalid));
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
) -> Result<Json<SelectionJson>, Error> {
    let (p, _) = prepare(&state, &viewer, &headers, &body, true).await?;
    let s = selection::select(&problem(&p.projects, &p.weighing, &p.conditions))
        .map_err(|e| Error::Invalid(infeasible(&e)))?;
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
) -> Result<Json<FrontierJson>, Error> {
    let (p, req) = prepare(&state, &viewer, &headers, &body, false).await?;
    let steps = req.steps.unwrap_or(20);
    if !(2..=100).contains(&steps) {
        return Err(Error::Invalid(Invalid::one(
            "steps",
            ErrorCode::OutOfRange { min: 2, max: 100 },
        )));
    }
    let prob = problem(&p.projects, &p.weighing, &p.conditions);
    let points =
        selection::frontier(&prob, steps as usize).map_err(|e| Error::Invalid(infeasible(&e)))?;
    let current = match req.budget_cap {
        Some(_) => Some(
            selection::select(&prob)
                .map(|s| point(p.conditions.budget_cap, &s))
                .map_err(|e| Error::Invalid(infeasible(&e)))?,
        ),
        None => None,
    };
    Ok(Json(FrontierJson {
        points: points.iter().map(|(b, s)| point(*b, s)).collect(),
        current,
        weighting: p.view.code(),
    }))
}
