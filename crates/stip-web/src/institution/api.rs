//! `/api/v1/institutions`: the institutions of the network as JSON.

use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes with their OpenAPI paths, declared once.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionJson {
    #[schema(example = "25LN")]
    pub brin: String,
    pub name: String,
    pub short_name: String,
    pub region: String,
    /// Number of students.
    pub students: Option<i64>,
    /// The home organisation domains SURFconext names the institution's staff by
    /// (`schac_home_organization`).
    #[schema(example = json!(["horizoncollege.nl"]))]
    pub domains: Vec<String>,
}

/// The institutions of the network.
#[utoipa::path(get, path = "/api/v1/institutions", tag = "institutions", operation_id = "list_institutions", security((), ("token" = []), ("session" = [])), responses((status = 200, description = "The institutions", body = Vec<InstitutionJson>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<InstitutionJson>>, Error> {
    let list = state.store.institutions().await?;
    Ok(Json(
        list.into_iter()
            .map(|i| InstitutionJson {
                brin: i.data.brin.to_string(),
                name: i.data.name,
                short_name: i.data.short_name,
                region: i.data.region,
                students: i.data.students,
                domains: i.data.domains,
            })
            .collect(),
    ))
}
