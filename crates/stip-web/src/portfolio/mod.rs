//! The project portfolio on the web: the list with filters, project pages, the project form
//! with conflict handling, and the `/api/v1/projects` API.

mod api;
mod json;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The portfolio's pages and its API.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
