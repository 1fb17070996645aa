//! The Weging page: a view's weights (saved over the version read) and the pairwise comparison
//! that proposes weights with their consistency.

use super::api::judged;
use crate::auth::Viewer;
use crate::http::extract::Form;
use crate::http::redirect::urlencode;
use crate::lists::Lists;
use crate::prioritisation::{View, Weighing, amount, check_some_weight, pairs};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::prioritisation::ahp;
use stip_core::prioritisation::scenario::check_weights;
use stip_core::{ErrorCode, Invalid, Version};

pub fn routes() -> Router<AppState> {
    Router::new().route("/prioriteren/weging", get(weighting).post(save_weighting))
}

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
) -> Result<Response, Error> {
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
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
    let lists = state.lists().await?;
    let pairs = pairs(&raw);
    let Some(view) = View::of(&lists, param(&pairs, "view")) else {
        return Err(Error::NotFound);
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
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let Some(view) = View::of(&lists, param(&form, "view")) else {
        return Err(Error::NotFound);
    };
    viewer.require(Action::WeighCriteria {
        institution_id: view.institution_id(),
    })?;
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
