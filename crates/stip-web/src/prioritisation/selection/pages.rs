//! The Selectie page: the candidates with their conditions as a GET form (so a result is a link
//! that can be shared), the best selection with why each project is in or out, and the frontier.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::i18n::Lang;
use crate::insight::euros;
use crate::lists::Lists;
use crate::prioritisation::{
    Conditions, Frame, MAX_CANDIDATES, View, Weighing, amount, candidates_of, check_some_weight,
    frame, fte, infeasible, note_text, pairs, problem, reason_text, score_text,
};
use crate::ui::chart::Frontier;
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::filters::Filters;
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::Project;
use stip_core::prioritisation::scenario::check_weights;
use stip_core::prioritisation::selection::{self, Selection};
use stip_core::{ErrorCode, Invalid};

pub fn routes() -> Router<AppState> {
    Router::new().route("/prioriteren/selectie", get(selection_page))
}

/// A candidate as the selection form shows it.
pub struct CandidateRow {
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub score: String,
    pub budget: String,
    pub effort: String,
    /// `mee`, `niet` or empty.
    pub forced: String,
    /// The projects it requires, as typed (titles or numbers).
    pub requires: String,
    /// The same as numbers, for the scenario form to carry.
    pub requires_ids: String,
    /// What came of it: chosen, or why not; empty before a result.
    pub outcome: String,
    pub chosen: bool,
}

/// The outcome of a selection as the pages show it.
pub struct SelectionView {
    pub summary: Vec<(String, String)>,
    pub chosen: Vec<(i64, String, String, String, String)>,
    pub left_out: Vec<(i64, String, String)>,
    pub optimal: bool,
    /// When not proven optimal: how much value the best selection can at most have more.
    pub shortfall: String,
}

pub(crate) fn result_view(
    lang: Lang,
    s: &Selection,
    projects: &[Arc<Project>],
    weighing: &Weighing,
    budget_cap: i64,
    fte_cap: Option<i64>,
) -> SelectionView {
    let find = |id: i64| projects.iter().find(|p| p.id == id);
    let title = |id: i64| find(id).map(|p| p.data.title.clone()).unwrap_or_default();
    let used = if budget_cap > 0 {
        format!(
            " ({} %)",
            (s.total_cost as f64 / budget_cap as f64 * 100.0).round()
        )
    } else {
        String::new()
    };
    let mut summary = vec![
        (
            lang.t("prioritise.total_value"),
            score_text(lang, Some(Hundredths(s.total_value))),
        ),
        (
            lang.t("prioritise.chosen_count"),
            s.selected.len().to_string(),
        ),
        (
            lang.t("prioritise.budget_used"),
            format!(
                "{} {} {}{used}",
                euros(lang, s.total_cost),
                lang.t("prioritise.of"),
                euros(lang, budget_cap)
            ),
        ),
        (
            lang.t("prioritise.budget_left"),
            euros(lang, budget_cap - s.total_cost),
        ),
    ];
    if let Some(cap) = fte_cap {
        summary.push((
            lang.t("prioritise.fte_used"),
            format!(
                "{} {} {} {}",
                amount(lang, s.total_fte),
                lang.t("prioritise.of"),
                amount(lang, cap),
                lang.t("prioritise.fte")
            ),
        ));
    }
    let chosen = s
        .selected
        .iter()
        .map(|&id| {
            let p = find(id);
            let notes: Vec<String> = s
                .notes
                .iter()
                .filter(|(n, _)| *n == id)
                .map(|(_, n)| note_text(lang, n))
                .collect();
            (
                id,
                title(id),
                score_text(lang, p.and_then(|p| weighing.score(p).score)),
                p.and_then(|p| p.data.budget)
                    .map(|b| euros(lang, b.0))
                    .unwrap_or_else(|| "–".into()),
                notes.join(" "),
            )
        })
        .collect();
    let left_out = s
        .not_selected
        .iter()
        .map(|(id, r)| (*id, title(*id), reason_text(lang, r)))
        .collect();
    SelectionView {
        summary,
        chosen,
        left_out,
        optimal: s.optimal,
        shortfall: score_text(lang, Some(Hundredths(s.max_shortfall))),
    }
}

#[derive(Template)]
#[template(path = "prioritisation/selection.html")]
struct SelectionPage {
    c: Chrome,
    f: Filters,
    frame: Frame,
    errors: Errors,
    budget: String,
    fte: String,
    candidates: Vec<CandidateRow>,
    too_many: Option<String>,
    result: Option<SelectionView>,
    frontier: Option<String>,
    frontier_rows: Vec<(String, String, String)>,
    /// The query of this selection, for saving it as a scenario.
    candidates_query: String,
    may_save: bool,
    /// Changing a saved scenario: (id, version, name).
    editing: Option<(i64, i64, String)>,
    scenario_name: String,
    weight_inputs: Vec<WeightField>,
    own_weights_given: bool,
}

/// A criterion's weight as the selection form offers it: empty keeps the view's (`usual`).
pub struct WeightField {
    pub code: String,
    pub name: String,
    pub value: String,
    pub usual: String,
}

/// The weights typed in a form's `w_<criterion>` fields (empty ones left out), each 0–100.
pub(crate) fn typed_weights(
    lists: &Lists,
    form: &[(String, String)],
    invalid: &mut Invalid,
) -> BTreeMap<String, Hundredths> {
    let mut out = BTreeMap::new();
    for c in &lists.criteria {
        let field = format!("w_{}", c.data.code);
        let raw = param(form, &field).trim();
        if raw.is_empty() {
            continue;
        }
        match Hundredths::parse(raw) {
            Ok(w) if check_weights(&[(c.data.code.clone(), w)].into()).is_ok() => {
                out.insert(c.data.code.clone(), w);
            }
            Ok(_) => invalid.push(&field, ErrorCode::OutOfRange { min: 0, max: 100 }),
            Err(code) => invalid.push(&field, code),
        }
    }
    out
}

/// A criterion's weight in the view itself (its weighting, else the criteria list's).
fn view_weight(lists: &Lists, weighing: &Weighing, code: &str) -> i64 {
    weighing
        .weighting
        .as_ref()
        .and_then(|w| w.weights.get(code))
        .or_else(|| {
            lists
                .criteria
                .iter()
                .find(|c| c.data.code == code)
                .map(|c| &c.data.weight)
        })
        .map_or(0, |w| w.0)
}

/// Ids as typed: "12, 15" (spaces, commas or semicolons between).
/// The candidates a project requires, as typed: their titles (as the picker takes them) apart by
/// `;` or a line, or their numbers.
fn required(raw: &str, candidates: &[Arc<Project>]) -> Result<Vec<i64>, ErrorCode> {
    if raw
        .chars()
        .all(|c| c.is_ascii_digit() || "#,; \n".contains(c))
    {
        return ids(raw);
    }
    raw.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match crate::ui::picker::pick(candidates, s) {
            crate::ui::picker::Picked::Project(id) => Ok(id),
            crate::ui::picker::Picked::Nothing => Err(ErrorCode::Required),
            crate::ui::picker::Picked::Refused(code, _) => Err(code),
        })
        .collect()
}

pub(crate) fn ids(raw: &str) -> Result<Vec<i64>, ErrorCode> {
    raw.split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim_start_matches('#')
                .parse()
                .map_err(|_| ErrorCode::NotANumber)
        })
        .collect()
}

async fn selection_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let pairs = pairs(&raw);
    let f = Filters::new(lang, &lists, query.clone(), "/prioriteren/selectie");
    let (view, projects) = match candidates_of(&state, &viewer, &lists, &f.query).await {
        Ok(found) => found,
        Err(Error::Invalid(_)) => (View::of_filter(&lists, &f.request.filter), Vec::new()),
        Err(e) => return Err(e),
    };
    let editing = match param(&pairs, "scenario").parse::<i64>() {
        Ok(id) => match state.store.scenario(id).await {
            Ok(s) => Some((s.id, s.version, s.data.name)),
            Err(stip_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    let mut invalid = Invalid::default();
    // The selection's own weights (`w_<criterion>`), over the view's; empty keeps the view's.
    let own_weights = typed_weights(&lists, &pairs, &mut invalid);
    let weighing = Weighing::of(&state, &lists, view.clone(), Some(&own_weights)).await?;
    if let Err(e) = check_some_weight(&weighing.weights) {
        invalid.0.extend(e.0);
    }
    let weight_inputs = weighing
        .weights
        .iter()
        .map(|w| WeightField {
            name: lists.criterion_name(&w.code),
            value: param(&pairs, &format!("w_{}", w.code)).to_string(),
            usual: amount(lang, view_weight(&lists, &weighing, &w.code)),
            code: w.code.clone(),
        })
        .collect::<Vec<_>>();
    // A save that was refused comes back here with the fields at fault.
    for (k, field) in &pairs {
        if k == "fout" {
            let code = if field == "version" {
                ErrorCode::Taken
            } else {
                ErrorCode::Required
            };
            invalid.push(field, code);
        }
    }
    let budget = param(&pairs, "budget").to_string();
    let fte_text = param(&pairs, "fte").to_string();
    let budget_cap = match stip_core::number::optional_amount(&budget) {
        Ok(v) => v.map(|h| h.0),
        Err(code) => {
            invalid.push("budget", code);
            None
        }
    };
    let fte_cap = match stip_core::number::optional_amount(&fte_text) {
        Ok(v) => v.map(|h| h.0),
        Err(code) => {
            invalid.push("fte", code);
            None
        }
    };
    let too_many = (projects.len() > MAX_CANDIDATES).then(|| {
        lang.t_with(
            "prioritise.too_many",
            &[
                ("n", &projects.len().to_string()),
                ("max", &MAX_CANDIDATES.to_string()),
            ],
        )
    });
    let projects: Vec<Arc<Project>> = if too_many.is_some() {
        Vec::new()
    } else {
        projects
    };
    let mut conditions = Conditions {
        budget_cap: budget_cap.unwrap_or(0),
        fte_cap,
        ..Conditions::default()
    };
    for p in &projects {
        match param(&pairs, &format!("k{}", p.id)) {
            "mee" => conditions.forced_in.push(p.id),
            "niet" => conditions.forced_out.push(p.id),
            _ => {}
        }
        match required(param(&pairs, &format!("v{}", p.id)), &projects) {
            Ok(required) => conditions
                .requires
                .extend(required.into_iter().map(|b| (p.id, b))),
            Err(code) => invalid.push(&format!("v{}", p.id), code),
        }
    }
    let mut result = None;
    let mut outcome_of: BTreeMap<i64, (bool, String)> = BTreeMap::new();
    let mut frontier = None;
    let mut frontier_rows = Vec::new();
    if budget_cap.is_some() && invalid.is_empty() && !projects.is_empty() {
        let prob = problem(&projects, &weighing, &conditions);
        match selection::select(&prob) {
            Ok(s) => {
                for id in &s.selected {
                    outcome_of.insert(*id, (true, lang.t("prioritise.chosen")));
                }
                for (id, r) in &s.not_selected {
                    outcome_of.insert(*id, (false, reason_text(lang, r)));
                }
                if let Ok(points) = selection::frontier(&prob, 12) {
                    let money = |v: f64| euros(lang, (v * 100.0).round() as i64);
                    let value =
                        |v: f64| score_text(lang, Some(Hundredths((v * 100.0).round() as i64)));
                    let described = |b: i64, sel: &Selection| {
                        lang.t_with(
                            "prioritise.frontier_point",
                            &[
                                ("budget", &euros(lang, b)),
                                (
                                    "value",
                                    &score_text(lang, Some(Hundredths(sel.total_value))),
                                ),
                                ("n", &sel.selected.len().to_string()),
                            ],
                        )
                    };
                    frontier_rows = points
                        .iter()
                        .map(|(b, sel)| {
                            (
                                euros(lang, *b),
                                score_text(lang, Some(Hundredths(sel.total_value))),
                                sel.selected.len().to_string(),
                            )
                        })
                        .collect();
                    frontier = Some(
                        Frontier::new(
                            "frontier",
                            lang.t("prioritise.frontier"),
                            lang.t("prioritise.frontier_desc"),
                            (
                                lang.t("prioritise.axis_budget"),
                                lang.t("prioritise.axis_total_value"),
                            ),
                            money,
                            value,
                            points
                                .iter()
                                .map(|(b, sel)| {
                                    (
                                        Hundredths(*b).as_f64(),
                                        Hundredths(sel.total_value).as_f64(),
                                        described(*b, sel),
                                    )
                                })
                                .collect(),
                            Some((
                                Hundredths(conditions.budget_cap).as_f64(),
                                Hundredths(s.total_value).as_f64(),
                                described(conditions.budget_cap, &s),
                            )),
                            lang.t("prioritise.current"),
                        )
                        .svg(),
                    );
                }
                result = Some(result_view(
                    lang,
                    &s,
                    &projects,
                    &weighing,
                    conditions.budget_cap,
                    fte_cap,
                ));
            }
            Err(e) => {
                let refused = infeasible(&e);
                for fe in refused.0 {
                    let field = match fe.field.as_str() {
                        "budget_cap" => "budget".to_string(),
                        "fte_cap" => "fte".to_string(),
                        _ => "candidates".to_string(),
                    };
                    invalid.push(&field, fe.code);
                }
            }
        }
    }
    let candidates = projects
        .iter()
        .map(|p| {
            let (chosen, outcome) = outcome_of.remove(&p.id).unwrap_or_default();
            CandidateRow {
                id: p.id,
                title: p.data.title.clone(),
                institution: p.institution_name.clone(),
                score: score_text(lang, weighing.score(p).score),
                budget: p
                    .data
                    .budget
                    .map(|b| euros(lang, b.0))
                    .unwrap_or_else(|| "–".into()),
                effort: fte(p)
                    .map(|v| amount(lang, v))
                    .unwrap_or_else(|| "–".into()),
                forced: param(&pairs, &format!("k{}", p.id)).to_string(),
                requires: param(&pairs, &format!("v{}", p.id)).to_string(),
                requires_ids: conditions
                    .requires
                    .iter()
                    .filter(|(a, _)| *a == p.id)
                    .map(|(_, b)| b.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                outcome,
                chosen,
            }
        })
        .collect();
    let candidates_query = crate::ui::project_list::filters::with_query("", &f.query)
        .trim_start_matches('?')
        .to_string();
    Ok(render(&SelectionPage {
        frame: frame(&viewer, &lists, &f, &view, "/prioriteren/selectie"),
        may_save: viewer.may(Action::ManageScenarios {
            institution_id: view.institution_id(),
        }),
        scenario_name: editing.as_ref().map(|e| e.2.clone()).unwrap_or_default(),
        editing,
        errors: Errors::new(lang, invalid),
        c: viewer.chrome(),
        f,
        budget,
        fte: fte_text,
        candidates,
        too_many,
        result,
        frontier,
        frontier_rows,
        candidates_query,
        own_weights_given: weight_inputs.iter().any(|w| !w.value.is_empty()),
        weight_inputs,
    }))
}
