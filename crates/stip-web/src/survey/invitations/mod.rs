//! Who is invited: every invitation's progress and link for the regiegroep, a submitted response
//! reopened on request, a link renewed (`/enquetes/{id}`, `/api/v1/surveys/{id}/invitations`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
