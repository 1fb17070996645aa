//! Notes: answers to the questions (phase 1) and notes of a kind on a theme, written, changed and
//! removed by their writer, hidden by the facilitator (`/werksessies/{id}/notities`, `…/notes`).

mod api;
mod pages;

// A note as the results show it.
pub(super) use api::{WorkshopNoteJson, note_json};

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
