//! A survey's results: per question with charts and tables, as a page, as the printable appendix
//! (also of a meeting's report), and in the API, counted and exported.

mod api;
mod pages;

pub(crate) use pages::{QuestionView, question_views};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
