//! The roadmap: the projects on a timeline by their dates, grouped by theme or institution
//! (`/inzicht/roadmap`, `/api/v1/insight/roadmap`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
