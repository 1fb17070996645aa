//! Instellingen: the list of institutions, an institution's portfolio, their management by the
//! beheerder, and `/api/v1/institutions`.

pub mod api;
mod pages;

use crate::AppState;
use axum::Router;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> Router<AppState> {
    pages::routes()
}
