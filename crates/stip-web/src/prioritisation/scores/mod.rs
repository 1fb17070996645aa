//! The projects scored with a view's weights: the ranking, value against effort, and the scores
//! in the API (`/prioriteren`, `/prioriteren/waarde-inspanning`, `/api/v1/prioritisation/scores`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
