//! The best selection under a budget (and FTE), projects forced in or out and requirements met, and
//! the efficient frontier (`/prioriteren/selectie`, `/api/v1/prioritisation/{selection,frontier}`).

mod api;
mod pages;

// What a saved scenario reuses: the selection's conditions as typed, and its outcome shown.
pub(super) use api::{SelectionJson, cap, selection_json};
pub(super) use pages::{SelectionView, ids, result_view, typed_weights};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
