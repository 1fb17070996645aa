//! Answering a survey: the respondent's form, its preview, the surveys waiting on the home page,
//! and the caller's own response in the API (`/enquete/{token}`, `/api/v1/surveys/{id}/response`).

mod api;
mod pages;

pub use pages::{Waiting, keeps_stale_forms, waiting};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
