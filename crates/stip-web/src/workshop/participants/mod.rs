//! Who takes part: joining by code (or QR code), with or without an account and within the limits
//! on joining; changing group; the facilitator's list of participants and removing one.

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
