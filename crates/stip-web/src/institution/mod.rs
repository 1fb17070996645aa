//! Instellingen: the list of institutions, an institution's portfolio, their management by the
//! beheerder, and `/api/v1/institutions`.

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
