//! Setting a workshop up: the list, a new one (its themes, groups, questions, dots and timer),
//! reading and deleting one (`/werksessies`, `/api/v1/workshops`).

mod api;
mod pages;

// The workshop as the API shows it, also after a phase moved.
pub(super) use api::{WorkshopJson, workshop_json};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
