//! `GET /api/v1/insight/roadmap`: a page of the roadmap as JSON.

use crate::auth::Viewer;
use crate::http::extract::ListParams;
use crate::http::extract::Listing;
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use stip_core::access::project_scope;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(roadmap))
}

#[derive(Serialize, ToSchema)]
pub struct RoadmapItemJson {
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub institution_name: String,
    /// Theme codes, the main theme first.
    pub themes: Vec<String>,
    pub phase: String,
    pub status: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// Projects on a timeline: by start date, those without one last.
#[derive(Serialize, ToSchema)]
pub struct RoadmapJson {
    pub items: Vec<RoadmapItemJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The roadmap: the projects that pass the filters by start date, a page at a time.
#[utoipa::path(get, path = "/api/v1/insight/roadmap", tag = "insight", operation_id = "insight_roadmap", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "A page of the roadmap (its order is by start date, whatever `sort` says)", body = RoadmapJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn roadmap(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<RoadmapJson>, Error> {
    let mut request = query.parse().map_err(Error::Invalid)?;
    request.sort = stip_core::portfolio::Sort {
        key: stip_core::portfolio::SortKey::StartDate,
        descending: false,
    };
    let page = state
        .store
        .list_projects(&request, project_scope(&viewer.actor))
        .await?;
    Ok(Json(RoadmapJson {
        items: page
            .items
            .iter()
            .map(|p| RoadmapItemJson {
                id: p.id,
                title: p.data.title.clone(),
                institution: p.institution_brin.to_string(),
                institution_name: p.institution_name.clone(),
                themes: p.data.themes.clone(),
                phase: p.data.phase.code().into(),
                status: p.data.status.map(|s| s.code().into()),
                start_date: p.data.start_date.map(|d| d.to_string()),
                end_date: p.data.end_date.map(|d| d.to_string()),
            })
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}
