//! Scenarios: a selection's conditions saved under a name, their outcome on the portfolio now, and
//! two or three compared (`/prioriteren/scenarios`, `/api/v1/prioritisation/scenarios`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
