//! The insight API's routes with their OpenAPI paths, as `openapi.rs` merges them, and how many
//! similar projects a project's page shows.

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

// A project's page shows as many similar projects.
pub use crate::insight::search::api::SIMILAR;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::insight::overview::api::routes())
        .merge(crate::insight::balance::api::routes())
        .merge(crate::insight::crosslinks::api::routes())
        .merge(crate::insight::roadmap::api::routes())
        .merge(crate::insight::search::api::routes())
}
