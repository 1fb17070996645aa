//! MORA process areas on the web: managing the list (`/beheer/mora`, beheerder) and
//! `/api/v1/mora-areas`. Projects' areas are part of the portfolio's form, list and API.

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
