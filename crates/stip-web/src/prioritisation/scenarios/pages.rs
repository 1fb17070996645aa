//! The Scenario's pages: the list, a scenario with its selection now, saving and changing one from
//! the selection form, deleting it, and two or three compared side by side.

use super::api::{Outcome, compare_ids, compared, outcome};
use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::i18n::Lang;
use crate::insight::euros;
use crate::lists::Lists;
use crate::prioritisation::selection::{SelectionView, ids, result_view, typed_weights};
use crate::prioritisation::{View, amount, infeasible, pairs, score_text};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::ListQuery;
use stip_core::prioritisation::scenario::{Scenario, ScenarioData};
use stip_core::{ErrorCode, Invalid, Version};

pub fn routes() -> Router<AppState> {
    Router::new()
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
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let rows = crate::prioritisation::readable_scenarios(&state, &viewer)
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
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let query = ListQuery::from_pairs(
        url::form_urlencoded::parse(param(&form, "candidates").as_bytes()).into_owned(),
    );
    let view = query
        .parse()
        .map(|r| View::of_filter(&lists, &r.filter))
        .unwrap_or(View::Network);
    viewer.require(Action::ManageScenarios {
        institution_id: view.institution_id(),
    })?;
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
) -> Result<Response, Error> {
    let before = readable(&state, &viewer, id).await?;
    viewer.require(Action::ManageScenarios {
        institution_id: before.data.institution_id,
    })?;
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
) -> Result<Response, Error> {
    let s = readable(&state, &viewer, id).await?;
    viewer.require(Action::ManageScenarios {
        institution_id: s.data.institution_id,
    })?;
    state.store.delete_scenario(id).await?;
    Ok(Redirect::to("/prioriteren/scenarios").into_response())
}

async fn readable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Scenario, Error> {
    let s = state.store.scenario(id).await?;
    if !viewer.may(Action::ViewScenarios {
        institution_id: s.data.institution_id,
    }) {
        return Err(Error::NotFound);
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
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
    let s = readable(&state, &viewer, id).await?;
    let lists = state.lists().await?;
    let lang = viewer.lang;
    let o = outcome(&state, &viewer, &lists, &s.data).await?;
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
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
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
    let (scenarios, differences) = compared(&state, &viewer, &lists, &ids).await?;
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
