//! Search and similar projects: the projects that match some words, and those of other
//! institutions most like one project (`/zoeken`, `/api/v1/search`, `/api/v1/projects/{id}/similar`).

mod api;
mod pages;

pub(crate) use api::{ReasonsJson, SIMILAR};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
