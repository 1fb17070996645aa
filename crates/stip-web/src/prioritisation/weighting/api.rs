//! `/api/v1/prioritisation/weights` (a view's weights, read and saved) and `/ahp` (weights from
//! pairwise comparison).

use crate::auth::Viewer;
use crate::http::extract::json_body;
use crate::lists::Lists;
use crate::prioritisation::{View, Weighing, check_some_weight, query_value, weights_of};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::prioritisation::ahp;
use stip_core::{ErrorCode, Invalid, Version};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_weights, save_weights))
        .routes(routes!(pairwise))
}

/// Read from the query's pairs (not axum's `Query`, which answers a repeated name with a 400).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // only documents the query, which is read from its pairs
pub struct ViewParams {
    /// `network` (or nothing) for the network's weights, or an institution's BRIN code.
    pub view: Option<String>,
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
fn view_of(lists: &Lists, raw: &str) -> Result<View, Error> {
    View::of(lists, raw).ok_or(Error::NotFound)
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
) -> Result<Json<WeightsJson>, Error> {
    viewer.require(Action::Prioritise)?;
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
) -> Result<Json<WeightsJson>, Error> {
    viewer.require_login()?;
    let lists = state.lists().await?;
    let view = view_of(&lists, &query_value(&query, "view"))?;
    viewer.require(Action::WeighCriteria {
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
        return Err(Error::Invalid(invalid));
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
        return Err(Error::Conflict(crate::http::error::Conflict {
            current: serde_json::to_value(weights_json(&viewer, &lists, &w))
                .map_err(|e| Error::Internal(e.to_string()))?,
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
) -> Result<Json<PairwiseJson>, Error> {
    viewer.require(Action::Prioritise)?;
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
    .map_err(Error::Invalid)?;
    Ok(Json(pairwise_json(&codes, &ahp::derive(&matrix))))
}
