//! The workshop's comparing step (issue 33): after the first round, the participants'
//! institutions in duos and trios lay their portfolios side by side (`/vergelijken`) and write
//! down what they could do together. A participant says which institution they are from (one
//! who logs in is of their own); the facilitator may form the groups again.

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
