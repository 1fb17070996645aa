//! `/api/v1/mora-areas`: the MORA process areas a project's `mora_areas` come from.

use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes with their OpenAPI paths, declared once.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mora_areas))
}

#[derive(Serialize, ToSchema)]
pub struct MoraAreaJson {
    #[schema(example = "bedrijfsvoering-hrm")]
    pub code: String,
    #[schema(example = "HRM")]
    pub name: String,
    /// Code of the main area this is a part of; `null` for a main area.
    #[schema(example = "bedrijfsvoering")]
    pub parent: Option<String>,
}

/// The process areas of the MORA (MBO Referentie Architectuur), in its order: each main area
/// followed by its sub-areas. Filtering the projects on a main area (`mora`) also finds those
/// mapped to its sub-areas.
#[utoipa::path(get, path = "/api/v1/mora-areas", tag = "agenda", operation_id = "list_mora_areas", security((), ("token" = []), ("session" = [])), responses((status = 200, description = "The MORA process areas", body = Vec<MoraAreaJson>)))]
pub async fn mora_areas(State(state): State<AppState>) -> Result<Json<Vec<MoraAreaJson>>, Error> {
    let lists = state.lists().await?;
    Ok(Json(
        lists
            .mora_areas
            .iter()
            .map(|a| MoraAreaJson {
                code: a.data.code.clone(),
                name: a.data.name.clone(),
                parent: a.data.parent.clone(),
            })
            .collect(),
    ))
}
