//! `/api/v1/prioritisation/scenarios`: saved scenarios (create, list, read, change, delete) with
//! their selection on the portfolio as it is now, and two or three compared.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::lists::Lists;
use crate::prioritisation::selection::{SelectionJson, cap, selection_json};
use crate::prioritisation::{
    Conditions, View, Weighing, candidates_of, infeasible, problem, query_value, weights_of,
};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::{ListQuery, Project};
use stip_core::prioritisation::scenario::{Scenario, ScenarioData};
use stip_core::prioritisation::selection::{self, Infeasible, Selection};
use stip_core::{ErrorCode, Invalid, Version};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_scenarios, create_scenario))
        .routes(routes!(compare_scenarios))
        .routes(routes!(read_scenario, update_scenario, delete_scenario))
}

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
) -> Result<Outcome, Error> {
    let view = View::of_id(lists, s.institution_id);
    let mut query =
        ListQuery::from_pairs(url::form_urlencoded::parse(s.candidates.as_bytes()).into_owned());
    if let View::Institution { brin, .. } = &view {
        query.institution = brin.clone();
    }
    // A saved filter that no longer parses (a theme since removed) chooses from nothing.
    let projects = match candidates_of(state, viewer, lists, &query).await {
        Ok((_, projects)) => projects,
        Err(Error::Invalid(_)) => Vec::new(),
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
) -> Result<Json<ScenariosJson>, Error> {
    viewer.require(Action::Prioritise)?;
    let lists = state.lists().await?;
    let items = crate::prioritisation::readable_scenarios(&state, &viewer).await?;
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
) -> Result<Response, Error> {
    viewer.require_login()?;
    // Permission first: whoever may save no scenario at all hears that before anything about
    // what they sent; which view they may save for is known once the body is read.
    let may_save_any = [None, viewer.actor.institution_id()]
        .into_iter()
        .any(|institution_id| viewer.may(Action::ManageScenarios { institution_id }));
    if !may_save_any {
        return Err(Error::Forbidden);
    }
    let write: ScenarioWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let data = scenario_data(&lists, &write).map_err(Error::Invalid)?;
    viewer.require(Action::ManageScenarios {
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

async fn readable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Scenario, Error> {
    viewer.require_login()?;
    let s = state.store.scenario(id).await?;
    if !viewer.may(Action::ViewScenarios {
        institution_id: s.data.institution_id,
    }) {
        // Whether another institution has a scenario of this number is not the caller's business.
        return Err(Error::NotFound);
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
) -> Result<Json<ScenarioJson>, Error> {
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
) -> Result<Json<ScenarioJson>, Error> {
    let before = readable(&state, &viewer, id).await?;
    viewer.require(Action::ManageScenarios {
        institution_id: before.data.institution_id,
    })?;
    let write: ScenarioWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let mut data = scenario_data(&lists, &write).map_err(Error::Invalid)?;
    data.institution_id = before.data.institution_id;
    let Some(version) = write.version else {
        return Err(Error::Invalid(Invalid::one("version", ErrorCode::Required)));
    };
    if !state
        .store
        .update_scenario(id, Version(version), &data)
        .await?
    {
        let now = state.store.scenario(id).await?;
        return Err(Error::Conflict(crate::http::error::Conflict {
            current: serde_json::to_value(scenario_json(&lists, &now))
                .map_err(|e| Error::Internal(e.to_string()))?,
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
) -> Result<StatusCode, Error> {
    let s = readable(&state, &viewer, id).await?;
    viewer.require(Action::ManageScenarios {
        institution_id: s.data.institution_id,
    })?;
    state.store.delete_scenario(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read from the query's pairs, as the weighting's `ViewParams`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // only documents the query, which is read from its pairs
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
) -> Result<(Vec<Compared>, Vec<(Arc<Project>, Vec<i64>)>), Error> {
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
) -> Result<Json<CompareJson>, Error> {
    viewer.require(Action::Prioritise)?;
    let ids = compare_ids(&query_value(&query, "ids")).map_err(Error::Invalid)?;
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
