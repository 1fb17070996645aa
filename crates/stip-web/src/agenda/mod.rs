//! The strategic agenda: theme pages (a theme's projects across institutions), the theme colours
//! stylesheet, `/api/v1/themes`, and managing main lines, themes, policy drivers and criteria.

pub mod api;
mod pages;
mod versions;
pub mod versions_api;

use crate::AppState;
use axum::Router;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> Router<AppState> {
    pages::routes().merge(versions::routes())
}

/// Why a project's themes should be looked at again, for its editors.
pub(crate) fn review_text(
    c: &crate::layout::Chrome,
    r: &stip_store::agenda_version::Flagged,
) -> String {
    c.t_with(
        "agenda_version.review_notice",
        &[
            (
                "reason",
                &c.t(&format!("agenda_version.review.{}", r.reason.code())),
            ),
            ("themes", &r.old_themes.join(", ")),
        ],
    )
}
