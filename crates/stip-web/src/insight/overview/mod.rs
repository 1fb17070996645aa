//! The network overview, the home page of people who log in: institutions × themes, phases and
//! statuses, and the viewer's projects that need attention (`/inzicht`, `/api/v1/insight/heatmap`).

mod api;
mod pages;

pub(crate) use pages::overview_page;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
