//! `GET /api/v1/insight/balance`: the network's mix and each institution's as JSON.

use crate::auth::Viewer;
use crate::http::extract::ListParams;
use crate::http::extract::Listing;
use crate::insight::{MixJson, Names, institutions_page, mix_json, tally};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use stip_core::insight::Mix;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(balance))
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionMixJson {
    pub institution: String,
    pub name: String,
    pub projects: u64,
    pub mix: MixJson,
}

/// Each institution's mix beside the network's.
#[derive(Serialize, ToSchema)]
pub struct BalanceJson {
    pub visible_projects: u64,
    /// All visible projects together.
    pub network: MixJson,
    /// A page of the institutions with visible projects, by name (`page`, `per_page`).
    pub institutions: Vec<InstitutionMixJson>,
    pub institutions_total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The balance: each institution's mix of karakter, horizon and perspective quadrant, and the
/// network's.
#[utoipa::path(get, path = "/api/v1/insight/balance", tag = "insight", operation_id = "insight_balance", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The mixes of the visible projects that pass the filters", body = BalanceJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn balance(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<BalanceJson>, Error> {
    let (request, tally) = tally(&state, &viewer, &query).await?;
    let lists = state.lists().await?;
    let names = Names::new(&lists);
    let empty = Mix::default();
    Ok(Json(BalanceJson {
        visible_projects: tally.projects,
        network: mix_json(&tally.network_mix()),
        institutions: institutions_page(&tally, &names, &request)
            .into_iter()
            .map(|(id, institution, name)| InstitutionMixJson {
                institution,
                name,
                projects: tally.per_institution.get(&id).map_or(0, |c| c.projects),
                mix: mix_json(tally.mix.get(&id).unwrap_or(&empty)),
            })
            .collect(),
        institutions_total: tally.per_institution.len() as u64,
        page: request.page,
        per_page: request.per_page,
    }))
}
