//! Voting with dots: a dot placed on a theme (the same client id twice is one dot) and taken back
//! (`/werksessies/{id}/stippen`, `/api/v1/workshops/{id}/dots/{client_id}`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
