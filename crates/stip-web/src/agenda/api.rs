//! `/api/v1/themes`: the themes of the strategic agenda as JSON.

use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes with their OpenAPI paths, declared once.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(themes))
}

#[derive(Serialize, ToSchema)]
pub struct ThemeJson {
    #[schema(example = "data-ondersteund-onderwijs")]
    pub code: String,
    pub name: String,
    pub description: String,
    #[schema(example = "#1f78b4")]
    pub colour: String,
    /// Code of the main line (hoofdlijn); empty for a line across all of them.
    pub main_line: Option<String>,
}

/// The themes of the strategic agenda, in agenda order.
#[utoipa::path(get, path = "/api/v1/themes", tag = "agenda", operation_id = "list_themes", security((), ("token" = []), ("session" = [])), responses((status = 200, description = "The themes", body = Vec<ThemeJson>)))]
pub async fn themes(State(state): State<AppState>) -> Result<Json<Vec<ThemeJson>>, Error> {
    let themes = state.store.themes().await?;
    Ok(Json(
        themes
            .into_iter()
            .map(|t| ThemeJson {
                code: t.data.code,
                name: t.data.name,
                description: t.data.description,
                colour: t.data.colour,
                main_line: t.data.main_line,
            })
            .collect(),
    ))
}
