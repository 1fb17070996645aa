//! The cross-links: how many projects two themes share (`/inzicht/dwarsverbanden`,
//! `/api/v1/insight/crosslinks`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
