//! Building a survey: the list of surveys, a new one (from a template or blank), its settings and
//! questions, opening and deleting it (`/enquetes`, `/api/v1/surveys`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
