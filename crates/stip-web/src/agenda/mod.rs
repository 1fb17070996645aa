//! The strategic agenda: theme pages (a theme's projects across institutions), the theme colours
//! stylesheet, `/api/v1/themes`, and managing main lines, themes, policy drivers and criteria.

pub mod api;
mod pages;
mod versions;
pub mod versions_api;

use crate::AppState;
use axum::Router;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> Router<AppState> {
    pages::routes().merge(versions::routes())
}
