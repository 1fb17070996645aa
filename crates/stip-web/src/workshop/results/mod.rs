//! The results: the themes ranked by dots with their notes, as files and in the API; the top three
//! saved as the network's priorities; and a meeting's workshops for its page and report.

mod api;
mod pages;

pub(crate) use pages::{MeetingWorkshop, meeting_workshops};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
