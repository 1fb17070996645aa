//! `GET /api/v1/prioritisation/scores`: every visible project that passes the list's filters with
//! its weighted score, best first.

use crate::auth::Viewer;
use crate::http::extract::ListParams;
use crate::http::extract::Listing;
use crate::prioritisation::{View, Weighing};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::Project;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scores))
}

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
        fte: crate::prioritisation::fte(p).map(|f| Hundredths(f).as_f64()),
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
) -> Result<Json<ScoresJson>, Error> {
    viewer.require(Action::Prioritise)?;
    let lists = state.lists().await?;
    let request = query.parse().map_err(Error::Invalid)?;
    let view = View::of_filter(&lists, &request.filter);
    let weighing = Weighing::of(&state, &lists, view, None).await?;
    let scored =
        crate::prioritisation::ranking(&state, &viewer, &weighing, &request.filter).await?;
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
