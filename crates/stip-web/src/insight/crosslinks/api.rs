//! `GET /api/v1/insight/crosslinks`: the theme pairs and how many projects each shares, as JSON.

use crate::auth::Viewer;
use crate::http::extract::ListParams;
use crate::http::extract::Listing;
use crate::insight::tally;
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(crosslinks))
}

#[derive(Serialize, ToSchema)]
pub struct PairJson {
    /// Two theme codes, in code order.
    pub themes: Vec<String>,
    /// Projects with both themes.
    pub projects: u64,
}

/// How often themes occur together in projects, the most frequent pair first.
#[derive(Serialize, ToSchema)]
pub struct CrosslinksJson {
    pub visible_projects: u64,
    pub pairs: Vec<PairJson>,
}

/// The cross-links: how many projects have both themes of a pair.
#[utoipa::path(get, path = "/api/v1/insight/crosslinks", tag = "insight", operation_id = "insight_crosslinks", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "Theme pairs of the visible projects that pass the filters", body = CrosslinksJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn crosslinks(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<CrosslinksJson>, Error> {
    let (_, tally) = tally(&state, &viewer, &query).await?;
    let mut pairs: Vec<PairJson> = tally
        .crosslinks
        .iter()
        .map(|((a, b), n)| PairJson {
            themes: vec![a.clone(), b.clone()],
            projects: *n,
        })
        .collect();
    pairs.sort_by(|x, y| y.projects.cmp(&x.projects).then(x.themes.cmp(&y.themes)));
    Ok(Json(CrosslinksJson {
        visible_projects: tally.projects,
        pairs,
    }))
}
