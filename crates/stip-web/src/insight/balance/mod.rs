//! The balance: the mix of character, horizon and quadrant, the network's and each institution's,
//! and one institution compared with the network (`/inzicht/balans`, `/api/v1/insight/balance`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
