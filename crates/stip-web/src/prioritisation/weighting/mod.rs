//! The criteria's weights per view, typed or derived from pairwise comparison (AHP)
//! (`/prioriteren/weging`, `/api/v1/prioritisation/weights` and `/ahp`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
