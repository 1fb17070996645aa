//! The workshop as it runs: each person's page (phase by phase), the projector's view, moving
//! phases, revealing notes, and the live stream (`/werksessies/{id}`, `/api/v1/workshops/{id}/…`).

mod api;
mod pages;

// The page shown again with a refused form.
pub(super) use pages::refused;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
