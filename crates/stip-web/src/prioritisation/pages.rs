//! The Prioriteren pages: Ranglijst, Waarde en inspanning, Selectie (with the efficient
//! frontier), Weging (also by pairwise comparison) and Scenario's (saved, and compared side by
//! side). Every page takes the portfolio list's filters and works without JavaScript: the
//! selection is a GET form, so a result is a link that can be shared.

use super::api::{Outcome, compare_ids, compared, judged, outcome};
use super::{
    Conditions, MAX_CANDIDATES, View, Weighing, amount, candidates_of, check_some_weight, fte,
    infeasible, note_text, problem, reason_text, score_text,
};
use crate::chart::{Bubbles, Frontier, Plotted};
use crate::extract::{Form, Id, Listing};
use crate::filters::Filters;
use crate::form::{Errors, param};
use crate::i18n::Lang;
use crate::identity::{Viewer, urlencode};
use crate::insight::euros;
use crate::layout::{Chrome, render};
use crate::lists::Lists;
use crate::{ApiError, AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::{ListQuery, Project};
use stip_core::prioritisation::ahp;
use stip_core::prioritisation::scenario::{Scenario, ScenarioData, check_weights};
use stip_core::prioritisation::selection::{self, Selection};
use stip_core::{ErrorCode, Invalid, Version};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/prioriteren", get(ranking))
        .route("/prioriteren/waarde-inspanning", get(value_effort))
        .route("/prioriteren/selectie", get(selection_page))
        .route("/prioriteren/weging", get(weighting).post(save_weighting))
        .route("/prioriteren/scenarios", get(scenarios).post(save_scenario))
        .route("/prioriteren/scenarios/vergelijk", get(compare))
        .route(
            "/prioriteren/scenarios/{id}",
            get(scenario).post(update_scenario),
        )
        .route(
            "/prioriteren/scenarios/{id}/verwijderen",
            post(delete_scenario),
        )
}

/// Ranked projects per page.
const PER_PAGE: usize = 50;

fn page_error(e: ApiError) -> PageError {
    PageError::from(e)
}

/// The raw query's pairs.
fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// What the nav and the view switch of every page need.
pub struct Frame {
    pub view_name: String,
    /// (label, href, current) for the network and the viewer's own institution.
    pub views: Vec<(String, String, bool)>,
}

fn frame(viewer: &Viewer, lists: &Lists, f: &Filters, view: &View, base: &str) -> Frame {
    let mut without = f.query.clone();
    without.institution.clear();
    without.page.clear();
    let network = crate::filters::with_query(base, &without);
    let mut views = vec![(
        viewer.lang.t("prioritise.view_network"),
        network,
        *view == View::Network,
    )];
    if let Some(own) = View::of_id(lists, viewer.actor.institution_id()).institution_id()
        && let View::Institution { brin, name, .. } = View::of_id(lists, Some(own))
    {
        let mut with = without.clone();
        with.institution = brin.clone();
        views.push((
            name,
            crate::filters::with_query(base, &with),
            view.institution_id() == Some(own),
        ));
    }
    // Another institution's view, reached through the filters, is shown as the current one.
    if !views.iter().any(|(_, _, current)| *current) {
        views.push((view.name(viewer.lang), String::new(), true));
    }
    Frame {
        view_name: view.name(viewer.lang),
        views,
    }
}

// ---- Ranglijst ------------------------------------------------------------------------------

pub struct RankRow {
    pub rank: String,
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub score: String,
    /// The criteria it lacks a score on, by name.
    pub missing: String,
    /// Per criterion: its score and the points it adds ("4 · 22,5"), or "–".
    pub parts: Vec<String>,
}

pub struct WeightRow {
    pub name: String,
    pub weight: String,
    pub share: String,
    pub negative: bool,
}

fn weight_rows(lang: Lang, lists: &Lists, w: &Weighing) -> Vec<WeightRow> {
    w.weights
        .iter()
        .map(|weight| WeightRow {
            name: lists.criterion_name(&weight.code),
            weight: amount(lang, weight.weight.0),
            share: format!("{} %", (weight.share * 100.0).round()),
            negative: weight.direction == stip_core::agenda::Direction::Negative,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "prioritisation/ranking.html")]
struct RankingPage {
    c: Chrome,
    f: Filters,
    frame: Frame,
    weights: Vec<WeightRow>,
    weights_href: String,
    own_weights: bool,
    criteria: Vec<String>,
    rows: Vec<RankRow>,
    count_text: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_of: String,
}

async fn ranking(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let f = Filters::new(lang, &lists, query, "/prioriteren");
    let view = View::of_filter(&lists, &f.request.filter);
    let weighing = Weighing::of(&state, &lists, view.clone(), None).await?;
    let scored = super::ranking(&state, &viewer, &weighing, &f.request.filter).await?;
    let total = scored.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = (f.request.page as usize).clamp(1, pages);
    let rows = scored
        .iter()
        .enumerate()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|(i, (p, s))| {
            let scored = weighing.score(p);
            RankRow {
                rank: if s.is_some() {
                    (i + 1).to_string()
                } else {
                    String::new()
                },
                id: p.id,
                title: p.data.title.clone(),
                institution: p.institution_name.clone(),
                score: score_text(lang, *s),
                missing: scored
                    .missing()
                    .map(|c| lists.criterion_name(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                parts: scored
                    .parts
                    .iter()
                    .map(|part| match (part.score, part.points) {
                        (Some(s), Some(points)) => format!(
                            "{s} · {}",
                            score_text(lang, Some(Hundredths((points * 100.0).round() as i64)))
                        ),
                        _ => "–".into(),
                    })
                    .collect(),
            }
        })
        .collect();
    let without_score = scored.iter().filter(|(_, s)| s.is_none()).count();
    let count_text = lang.t_with(
        "prioritise.ranking_count",
        &[
            ("n", &total.to_string()),
            ("missing", &without_score.to_string()),
        ],
    );
    let page_href = |n: usize| f.with("page", &n.to_string());
    let weights_href = format!("/prioriteren/weging?view={}", urlencode(&view.code()));
    Ok(render(&RankingPage {
        frame: frame(&viewer, &lists, &f, &view, "/prioriteren"),
        weights: weight_rows(lang, &lists, &weighing),
        own_weights: weighing.weighting.is_some(),
        weights_href,
        criteria: weighing
            .weights
            .iter()
            .map(|w| lists.criterion_name(&w.code))
            .collect(),
        rows,
        count_text,
        prev_href: (page > 1).then(|| page_href(page - 1)),
        next_href: (page < pages).then(|| page_href(page + 1)),
        page_of: lang.t_with(
            "list.page_of",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        c: viewer.chrome(),
        f,
    }))
}

// ---- Waarde en inspanning -------------------------------------------------------------------

pub struct LegendItem {
    pub label: String,
    pub name: String,
    pub colour: String,
}

pub struct BubbleRow {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub score: String,
    pub effort: String,
    pub budget: String,
}

#[derive(Template)]
#[template(path = "prioritisation/value_effort.html")]
struct ValueEffortPage {
    c: Chrome,
    f: Filters,
    frame: Frame,
    chart: String,
    legend: Vec<LegendItem>,
    rows: Vec<BubbleRow>,
    /// Projects that cannot be placed: (id, title, why).
    left_out: Vec<(i64, String, String)>,
    /// Said when there are more projects than the chart takes.
    truncated: Option<String>,
}

async fn value_effort(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let f = Filters::new(lang, &lists, query, "/prioriteren/waarde-inspanning");
    let view = View::of_filter(&lists, &f.request.filter);
    let weighing = Weighing::of(&state, &lists, view.clone(), None).await?;
    // Best first, so a chart that cannot take them all shows the highest scores.
    let ranked = super::ranking(&state, &viewer, &weighing, &f.request.filter).await?;
    let projects: Vec<&Arc<Project>> = ranked.iter().map(|(p, _)| p).collect();
    let mut plotted = Vec::new();
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    let mut legend: Vec<LegendItem> = Vec::new();
    let truncated = (projects.len() > MAX_CANDIDATES).then(|| {
        lang.t_with(
            "prioritise.plot_first",
            &[
                ("n", &projects.len().to_string()),
                ("max", &MAX_CANDIDATES.to_string()),
            ],
        )
    });
    for (p, score) in ranked.iter().take(MAX_CANDIDATES) {
        let score = *score;
        let effort = fte(p);
        let (Some(score), Some(effort)) = (score, effort) else {
            let why = if score.is_none() {
                lang.t("prioritise.no_score")
            } else {
                lang.t("prioritise.no_effort")
            };
            left_out.push((p.id, p.data.title.clone(), why));
            continue;
        };
        let theme = p.data.themes.first().cloned().unwrap_or_default();
        let label = match legend
            .iter()
            .position(|l| l.name == lists.theme_name(&theme))
        {
            Some(i) => legend[i].label.clone(),
            None => {
                let label = (legend.len() + 1).to_string();
                legend.push(LegendItem {
                    label: label.clone(),
                    name: lists.theme_name(&theme),
                    colour: lists
                        .theme(&theme)
                        .map(|t| t.data.colour.clone())
                        .unwrap_or_else(|| "#888888".into()),
                });
                label
            }
        };
        let colour = legend
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.colour.clone())
            .unwrap_or_default();
        let budget = p.data.budget.map_or(0, |b| b.0);
        let row = BubbleRow {
            id: p.id,
            title: p.data.title.clone(),
            theme: lists.theme_name(&theme),
            score: score_text(lang, Some(score)),
            effort: format!("{} {}", amount(lang, effort), lang.t("prioritise.fte")),
            budget: p
                .data
                .budget
                .map(|b| euros(lang, b.0))
                .unwrap_or_else(|| "–".into()),
        };
        plotted.push(Plotted {
            href: format!("/projecten/{}", p.id),
            title: format!(
                "{} — {}: {}, {} {}, {} {}, {}",
                row.title,
                lang.t("field.theme"),
                row.theme,
                lang.t("prioritise.score"),
                row.score,
                lang.t("prioritise.effort"),
                row.effort,
                row.budget
            ),
            label,
            colour,
            effort: Hundredths(effort).as_f64(),
            value: score.as_f64(),
            budget: Hundredths(budget).as_f64(),
        });
        rows.push(row);
    }
    let chart = Bubbles::new(
        "value-effort",
        lang.t("prioritise.value_effort"),
        lang.t_with(
            "prioritise.value_effort_desc",
            &[("n", &plotted.len().to_string())],
        ),
        (
            lang.t("prioritise.axis_effort"),
            lang.t("prioritise.axis_value"),
        ),
        |v| amount(lang, (v * 100.0).round() as i64),
        plotted,
    )
    .svg();
    Ok(render(&ValueEffortPage {
        frame: frame(&viewer, &lists, &f, &view, "/prioriteren/waarde-inspanning"),
        c: viewer.chrome(),
        f,
        chart,
        legend,
        rows,
        left_out,
        truncated,
    }))
}

// ---- Selectie -------------------------------------------------------------------------------

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
    /// The ids it requires, as typed.
    pub requires: String,
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

fn result_view(
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
fn typed_weights(
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
fn ids(raw: &str) -> Result<Vec<i64>, ErrorCode> {
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
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let pairs = pairs(&raw);
    let f = Filters::new(lang, &lists, query.clone(), "/prioriteren/selectie");
    let (view, projects) = match candidates_of(&state, &viewer, &lists, &f.query).await {
        Ok(found) => found,
        Err(ApiError::Invalid(_)) => (View::of_filter(&lists, &f.request.filter), Vec::new()),
        Err(e) => return Err(page_error(e)),
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
        match ids(param(&pairs, &format!("v{}", p.id))) {
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
                outcome,
                chosen,
            }
        })
        .collect();
    let candidates_query = crate::filters::with_query("", &f.query)
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

// ---- Weging ---------------------------------------------------------------------------------

pub struct WeightInput {
    pub code: String,
    pub name: String,
    pub value: String,
    pub share: String,
    pub negative: bool,
}

pub struct PairInput {
    pub field: String,
    pub a: String,
    pub b: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "prioritisation/weighting.html")]
struct WeightingPage {
    c: Chrome,
    view_code: String,
    view_name: String,
    views: Vec<(String, String, bool)>,
    own: bool,
    version: String,
    consistency: Option<String>,
    may_weigh: bool,
    inputs: Vec<WeightInput>,
    errors: Errors,
    saved: bool,
    pairs: Vec<PairInput>,
    /// The scale's options: (value, how it reads).
    scale: Vec<(String, String)>,
    derived: Option<Derived>,
}

pub struct Derived {
    pub weights: Vec<(String, String, String)>,
    pub ratio: String,
    pub consistent: bool,
    pub ratio_raw: String,
}

/// Saaty's scale as the form offers it, from "a far more" to "b far more".
const SCALE: [(&str, &str); 9] = [
    ("9", "a_9"),
    ("7", "a_7"),
    ("5", "a_5"),
    ("3", "a_3"),
    ("1", "equal"),
    ("1/3", "b_3"),
    ("1/5", "b_5"),
    ("1/7", "b_7"),
    ("1/9", "b_9"),
];

fn judgement(raw: &str) -> Option<Result<f64, ErrorCode>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let value = match raw.split_once('/') {
        Some((n, d)) => n
            .trim()
            .parse::<f64>()
            .ok()
            .zip(d.trim().parse::<f64>().ok())
            .map(|(n, d)| n / d),
        None => raw.parse().ok(),
    };
    Some(value.ok_or(ErrorCode::NotANumber).and_then(ahp::judgement))
}

fn views_for(viewer: &Viewer, lists: &Lists, view: &View) -> Vec<(String, String, bool)> {
    let mut views = vec![(
        viewer.lang.t("prioritise.view_network"),
        "/prioriteren/weging".to_string(),
        *view == View::Network,
    )];
    if let View::Institution { id, brin, name } = View::of_id(lists, viewer.actor.institution_id())
    {
        views.push((
            name,
            format!("/prioriteren/weging?view={brin}"),
            view.institution_id() == Some(id),
        ));
    }
    if let View::Institution { brin, name, .. } = view
        && !views.iter().any(|(_, _, current)| *current)
    {
        views.push((
            name.clone(),
            format!("/prioriteren/weging?view={brin}"),
            true,
        ));
    }
    views
}

/// What the weighting page shows besides the view: the weights as typed (after a refused
/// save), the pairwise judgements asked about, refusals, and whether a save just succeeded.
struct Shown<'a> {
    typed: Option<&'a [(String, String)]>,
    judgements: &'a [(String, String)],
    errors: Invalid,
    saved: bool,
}

async fn weighting_page(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    view: View,
    shown: Shown<'_>,
) -> Result<Response, PageError> {
    let Shown {
        typed,
        judgements,
        errors,
        saved,
    } = shown;
    let lang = viewer.lang;
    let weighing = Weighing::of(state, lists, view.clone(), None).await?;
    let inputs = weighing
        .weights
        .iter()
        .map(|w| WeightInput {
            value: typed
                .map(|t| param(t, &format!("w_{}", w.code)).to_string())
                .unwrap_or_else(|| amount(lang, w.weight.0)),
            name: lists.criterion_name(&w.code),
            share: format!("{} %", (w.share * 100.0).round()),
            negative: w.direction == stip_core::agenda::Direction::Negative,
            code: w.code.clone(),
        })
        .collect::<Vec<_>>();
    let codes: Vec<String> = lists.criteria.iter().map(|c| c.data.code.clone()).collect();
    let mut pair_inputs = Vec::new();
    for i in 0..codes.len() {
        for j in i + 1..codes.len() {
            let field = format!("p_{}_{}", codes[i], codes[j]);
            pair_inputs.push(PairInput {
                value: param(judgements, &field).to_string(),
                field,
                a: lists.criterion_name(&codes[i]),
                b: lists.criterion_name(&codes[j]),
            });
        }
    }
    let mut errors = errors;
    let asked = pair_inputs.iter().any(|p| !p.value.is_empty());
    let derived = if asked && codes.len() >= 2 && codes.len() <= ahp::MAX_CRITERIA {
        match judged(lists, None, |a, b| {
            judgement(param(judgements, &format!("p_{a}_{b}")))
        }) {
            Ok((codes, matrix)) => {
                let d = ahp::derive(&matrix);
                Some(Derived {
                    weights: codes
                        .iter()
                        .zip(&d.weights)
                        .map(|(c, w)| {
                            (
                                c.clone(),
                                lists.criterion_name(c),
                                amount(lang, (w * 10_000.0).round() as i64),
                            )
                        })
                        .collect(),
                    ratio: amount(lang, (d.consistency_ratio * 100.0).round() as i64),
                    ratio_raw: format!("{:.4}", d.consistency_ratio),
                    consistent: d.is_consistent(),
                })
            }
            Err(e) => {
                errors.0.extend(e.0.into_iter().map(|mut fe| {
                    fe.field = format!("p_{}", fe.field.replace(':', "_"));
                    fe
                }));
                None
            }
        }
    } else {
        None
    };
    let scale = SCALE
        .iter()
        .map(|(v, key)| (v.to_string(), lang.t(&format!("prioritise.scale.{key}"))))
        .collect();
    Ok(render(&WeightingPage {
        c: viewer.chrome(),
        view_code: view.code(),
        view_name: view.name(lang),
        views: views_for(viewer, lists, &view),
        own: weighing.weighting.is_some(),
        version: weighing
            .weighting
            .as_ref()
            .map(|w| w.version.to_string())
            .unwrap_or_default(),
        consistency: weighing
            .weighting
            .as_ref()
            .and_then(|w| w.consistency)
            .map(|c| amount(lang, (c * 100.0).round() as i64)),
        may_weigh: viewer.may(Action::WeighCriteria {
            institution_id: view.institution_id(),
        }),
        inputs,
        errors: Errors::new(lang, errors),
        saved,
        pairs: pair_inputs,
        scale,
        derived,
    }))
}

async fn weighting(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let lists = state.lists().await?;
    let pairs = pairs(&raw);
    let Some(view) = View::of(&lists, param(&pairs, "view")) else {
        return Err(PageError::NotFound);
    };
    let saved = param(&pairs, "opgeslagen") == "1";
    let shown = Shown {
        typed: None,
        judgements: &pairs,
        errors: Invalid::default(),
        saved,
    };
    weighting_page(&state, &viewer, &lists, view, shown).await
}

async fn save_weighting(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lists = state.lists().await?;
    let Some(view) = View::of(&lists, param(&form, "view")) else {
        return Err(PageError::NotFound);
    };
    if let Some(res) = viewer.refusal(Action::WeighCriteria {
        institution_id: view.institution_id(),
    }) {
        return Ok(res);
    }
    let mut invalid = Invalid::default();
    let mut weights = BTreeMap::new();
    for c in &lists.criteria {
        let field = format!("w_{}", c.data.code);
        match Hundredths::parse(param(&form, &field)) {
            Ok(w) if check_weights(&[(c.data.code.clone(), w)].into()).is_ok() => {
                weights.insert(c.data.code.clone(), w);
            }
            Ok(_) => invalid.push(&field, ErrorCode::OutOfRange { min: 0, max: 100 }),
            Err(code) => invalid.push(&field, code),
        }
    }
    if invalid.is_empty()
        && let Err(e) = check_some_weight(&stip_core::prioritisation::weights(
            &lists.criteria,
            &weights,
        ))
    {
        invalid.0.extend(e.0);
    }
    let consistency = param(&form, "consistency").parse::<f64>().ok();
    if invalid.is_empty() {
        let version = param(&form, "version").trim().parse().ok().map(Version);
        let saved = state
            .store
            .save_weighting(
                view.institution_id(),
                version,
                &weights,
                consistency.filter(|c| c.is_finite() && *c >= 0.0),
                viewer.actor.user_id().unwrap_or_default(),
            )
            .await?;
        if saved {
            let to = format!(
                "/prioriteren/weging?view={}&opgeslagen=1",
                urlencode(&view.code())
            );
            return Ok(Redirect::to(&to).into_response());
        }
        invalid.push("weights", ErrorCode::Taken);
    }
    let shown = Shown {
        typed: Some(&form),
        judgements: &[],
        errors: invalid,
        saved: false,
    };
    weighting_page(&state, &viewer, &lists, view, shown).await
}

// ---- Scenario's -----------------------------------------------------------------------------

pub struct ScenarioRow {
    pub id: i64,
    pub name: String,
    pub view: String,
    pub budget: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "prioritisation/scenarios.html")]
struct ScenariosPage {
    c: Chrome,
    rows: Vec<ScenarioRow>,
    errors: Errors,
}

async fn scenarios(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let rows = super::readable_scenarios(&state, &viewer)
        .await?
        .into_iter()
        .map(|s| ScenarioRow {
            id: s.id,
            name: s.data.name.clone(),
            view: View::of_id(&lists, s.data.institution_id).name(viewer.lang),
            budget: euros(viewer.lang, s.data.budget_cap.0),
            updated: c.moment(&s.updated_at),
        })
        .collect();
    let mut invalid = Invalid::default();
    if param(&pairs(&raw), "vergelijken") == "fout" {
        invalid.push("ids", ErrorCode::OutOfRange { min: 2, max: 3 });
    }
    Ok(render(&ScenariosPage {
        c,
        rows,
        errors: Errors::new(viewer.lang, invalid),
    }))
}

/// A scenario as the selection form sends it to be saved.
fn scenario_from_form(
    lists: &Lists,
    form: &[(String, String)],
    institution_id: Option<i64>,
) -> Result<ScenarioData, Invalid> {
    let mut invalid = Invalid::default();
    let budget_cap = match stip_core::number::optional_amount(param(form, "budget")) {
        Ok(Some(v)) => v,
        Ok(None) => {
            invalid.push("budget", ErrorCode::Required);
            Hundredths(0)
        }
        Err(code) => {
            invalid.push("budget", code);
            Hundredths(0)
        }
    };
    let fte_cap = match stip_core::number::optional_amount(param(form, "fte")) {
        Ok(v) => v,
        Err(code) => {
            invalid.push("fte", code);
            None
        }
    };
    let mut forced_in = Vec::new();
    let mut forced_out = Vec::new();
    let mut requires = Vec::new();
    for (k, v) in form {
        if let Some(id) = k.strip_prefix('k').and_then(|id| id.parse::<i64>().ok()) {
            match v.as_str() {
                "mee" => forced_in.push(id),
                "niet" => forced_out.push(id),
                _ => {}
            }
        }
        if let Some(id) = k.strip_prefix('v').and_then(|id| id.parse::<i64>().ok()) {
            match ids(v) {
                Ok(req) => requires.extend(req.into_iter().map(|b| (id, b))),
                Err(code) => invalid.push(k, code),
            }
        }
    }
    let weights = typed_weights(lists, form, &mut invalid);
    let data = ScenarioData {
        name: param(form, "name").to_string(),
        institution_id,
        candidates: param(form, "candidates").to_string(),
        budget_cap,
        fte_cap,
        forced_in,
        forced_out,
        requires,
        weights,
    };
    data.check_after(invalid)
}

/// Back to the selection with what was sent and the refusals in the query, so nothing typed is
/// lost.
fn back_to_selection(form: &[(String, String)], invalid: &Invalid) -> Response {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    let candidates = param(form, "candidates");
    for (k, v) in url::form_urlencoded::parse(candidates.as_bytes()) {
        q.append_pair(&k, &v);
    }
    for (k, v) in form {
        if matches!(k.as_str(), "budget" | "fte" | "name")
            || k.starts_with('k')
            || k.starts_with('v')
            || k.starts_with("w_")
        {
            q.append_pair(k, v);
        }
    }
    for e in &invalid.0 {
        q.append_pair("fout", &e.field);
    }
    Redirect::to(&format!("/prioriteren/selectie?{}#opslaan", q.finish())).into_response()
}

async fn save_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lists = state.lists().await?;
    let query = ListQuery::from_pairs(
        url::form_urlencoded::parse(param(&form, "candidates").as_bytes()).into_owned(),
    );
    let view = query
        .parse()
        .map(|r| View::of_filter(&lists, &r.filter))
        .unwrap_or(View::Network);
    if let Some(res) = viewer.refusal(Action::ManageScenarios {
        institution_id: view.institution_id(),
    }) {
        return Ok(res);
    }
    match scenario_from_form(&lists, &form, view.institution_id()) {
        Ok(data) => {
            let id = state
                .store
                .create_scenario(&data, viewer.actor.user_id().unwrap_or_default())
                .await?;
            Ok(Redirect::to(&format!("/prioriteren/scenarios/{id}")).into_response())
        }
        Err(invalid) => Ok(back_to_selection(&form, &invalid)),
    }
}

async fn update_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let before = readable(&state, &viewer, id).await?;
    if let Some(res) = viewer.refusal(Action::ManageScenarios {
        institution_id: before.data.institution_id,
    }) {
        return Ok(res);
    }
    let lists = state.lists().await?;
    match scenario_from_form(&lists, &form, before.data.institution_id) {
        Ok(data) => {
            let version = Version::from_form(param(&form, "version"));
            if state.store.update_scenario(id, version, &data).await? {
                Ok(Redirect::to(&format!("/prioriteren/scenarios/{id}")).into_response())
            } else {
                Ok(back_to_selection(
                    &form,
                    &Invalid::one("version", ErrorCode::Taken),
                ))
            }
        }
        Err(invalid) => Ok(back_to_selection(&form, &invalid)),
    }
}

async fn delete_scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    let s = readable(&state, &viewer, id).await?;
    if let Some(res) = viewer.refusal(Action::ManageScenarios {
        institution_id: s.data.institution_id,
    }) {
        return Ok(res);
    }
    state.store.delete_scenario(id).await?;
    Ok(Redirect::to("/prioriteren/scenarios").into_response())
}

async fn readable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Scenario, PageError> {
    let s = state.store.scenario(id).await?;
    if !viewer.may(Action::ViewScenarios {
        institution_id: s.data.institution_id,
    }) {
        return Err(PageError::NotFound);
    }
    Ok(s)
}

#[derive(Template)]
#[template(path = "prioritisation/scenario.html")]
struct ScenarioPage {
    c: Chrome,
    s: Scenario,
    facts: Vec<(String, String)>,
    result: Option<SelectionView>,
    problem: Option<String>,
    edit_href: String,
    may_manage: bool,
}

/// The selection page's query that reproduces a scenario.
fn selection_href(s: &Scenario, lists: &Lists) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(s.data.candidates.as_bytes()) {
        if k != "institution" {
            q.append_pair(&k, &v);
        }
    }
    if let View::Institution { brin, .. } = View::of_id(lists, s.data.institution_id) {
        q.append_pair("institution", &brin);
    }
    q.append_pair("budget", &Hundredths(s.data.budget_cap.0).to_dutch());
    if let Some(f) = s.data.fte_cap {
        q.append_pair("fte", &f.to_dutch());
    }
    for id in &s.data.forced_in {
        q.append_pair(&format!("k{id}"), "mee");
    }
    for id in &s.data.forced_out {
        q.append_pair(&format!("k{id}"), "niet");
    }
    let mut required: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (a, b) in &s.data.requires {
        required.entry(*a).or_default().push(b.to_string());
    }
    for (a, bs) in required {
        q.append_pair(&format!("v{a}"), &bs.join(", "));
    }
    for (code, w) in &s.data.weights {
        q.append_pair(&format!("w_{code}"), &w.to_dutch());
    }
    q.append_pair("scenario", &s.id.to_string());
    format!("/prioriteren/selectie?{}", q.finish())
}

fn outcome_view(
    lang: Lang,
    o: &Outcome,
    s: &ScenarioData,
) -> (Option<SelectionView>, Option<String>) {
    match &o.result {
        Ok(sel) => (
            Some(result_view(
                lang,
                sel,
                &o.projects,
                &o.weighing,
                s.budget_cap.0,
                s.fte_cap.map(|f| f.0),
            )),
            None,
        ),
        Err(e) => (
            None,
            Some(
                infeasible(e)
                    .0
                    .iter()
                    .map(|f| lang.error_for(&f.field, &f.code))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ),
    }
}

async fn scenario(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let s = readable(&state, &viewer, id).await?;
    let lists = state.lists().await?;
    let lang = viewer.lang;
    let o = outcome(&state, &viewer, &lists, &s.data)
        .await
        .map_err(page_error)?;
    let (result, problem) = outcome_view(lang, &o, &s.data);
    let mut facts = vec![
        (lang.t("prioritise.view"), o.view.name(lang)),
        (
            lang.t("prioritise.budget_cap"),
            euros(lang, s.data.budget_cap.0),
        ),
        (
            lang.t("prioritise.candidates"),
            lang.t_with(
                "prioritise.candidates_count",
                &[("n", &o.projects.len().to_string())],
            ),
        ),
    ];
    if let Some(f) = s.data.fte_cap {
        facts.push((
            lang.t("prioritise.fte_cap"),
            format!("{} {}", amount(lang, f.0), lang.t("prioritise.fte")),
        ));
    }
    let c = viewer.chrome();
    facts.push((lang.t("prioritise.updated"), c.moment(&s.updated_at)));
    Ok(render(&ScenarioPage {
        edit_href: selection_href(&s, &lists),
        may_manage: viewer.may(Action::ManageScenarios {
            institution_id: s.data.institution_id,
        }),
        c,
        s,
        facts,
        result,
        problem,
    }))
}

pub struct CompareColumn {
    pub id: i64,
    pub name: String,
    pub view: String,
    pub budget: String,
    pub value: String,
    pub cost: String,
    pub chosen: String,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "prioritisation/compare.html")]
struct ComparePage {
    c: Chrome,
    columns: Vec<CompareColumn>,
    /// Per main theme: its name and, per scenario, "n · €".
    themes: Vec<(String, Vec<String>)>,
    /// Per project chosen by some: (id, title, per scenario whether chosen).
    differences: Vec<(i64, String, Vec<bool>)>,
}

async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::Prioritise) {
        return Ok(res);
    }
    let pairs = pairs(&raw);
    let joined = pairs
        .iter()
        .filter(|(k, _)| k == "id" || k == "ids")
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let Ok(ids) = compare_ids(&joined) else {
        return Ok(Redirect::to("/prioriteren/scenarios?vergelijken=fout#f-ids").into_response());
    };
    let lists = state.lists().await?;
    let lang = viewer.lang;
    let (scenarios, differences) = compared(&state, &viewer, &lists, &ids)
        .await
        .map_err(page_error)?;
    let columns = scenarios
        .iter()
        .map(|c| {
            let sel = c.outcome.result.as_ref().ok();
            CompareColumn {
                id: c.scenario.id,
                name: c.scenario.data.name.clone(),
                view: c.outcome.view.name(lang),
                budget: euros(lang, c.scenario.data.budget_cap.0),
                value: sel
                    .map(|s| score_text(lang, Some(Hundredths(s.total_value))))
                    .unwrap_or_else(|| "–".into()),
                cost: sel
                    .map(|s| euros(lang, s.total_cost))
                    .unwrap_or_else(|| "–".into()),
                chosen: sel
                    .map(|s| s.selected.len().to_string())
                    .unwrap_or_else(|| "–".into()),
                problem: outcome_view(lang, &c.outcome, &c.scenario.data).1,
            }
        })
        .collect();
    let mut theme_codes: Vec<&String> = scenarios
        .iter()
        .flat_map(|c| c.themes.iter().map(|(code, _, _)| code))
        .collect();
    theme_codes.sort_by_key(|code| {
        lists
            .themes
            .iter()
            .position(|t| &t.data.code == *code)
            .unwrap_or(usize::MAX)
    });
    theme_codes.dedup();
    let themes = theme_codes
        .into_iter()
        .map(|code| {
            (
                lists.theme_name(code),
                scenarios
                    .iter()
                    .map(|c| match c.themes.iter().find(|(t, _, _)| t == code) {
                        Some((_, n, cents)) => format!("{n} · {}", euros(lang, *cents)),
                        None => "–".into(),
                    })
                    .collect(),
            )
        })
        .collect();
    let differences = differences
        .into_iter()
        .map(|(p, by)| {
            (
                p.id,
                p.data.title.clone(),
                scenarios
                    .iter()
                    .map(|c| by.contains(&c.scenario.id))
                    .collect(),
            )
        })
        .collect();
    Ok(render(&ComparePage {
        c: viewer.chrome(),
        columns,
        themes,
        differences,
    }))
}
