//! The strategic agenda: theme pages (a theme's projects across institutions), the theme colours
//! stylesheet, `/api/v1/themes`, and managing main lines, themes, policy drivers and criteria.

mod api;
mod pages;
mod versions;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes()
        .merge(pages::routes().into())
        .merge(versions::routes())
}

/// Every theme's name by code, over every version of the agenda (the active one's first), so a
/// theme that no longer exists is still named.
pub(crate) async fn theme_names(
    state: &crate::AppState,
) -> Result<std::collections::HashMap<String, String>, stip_store::StoreError> {
    let mut names = std::collections::HashMap::new();
    for a in state.store.agendas().await? {
        for t in a.content.themes {
            names.entry(t.code).or_insert(t.name);
        }
    }
    Ok(names)
}

/// Theme codes as their names, joined.
pub(crate) fn named(codes: &[String], names: &std::collections::HashMap<String, String>) -> String {
    codes
        .iter()
        .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a project's themes should be looked at again, for its editors.
pub(crate) fn review_text(
    c: &crate::ui::layout::Chrome,
    r: &stip_store::agenda_version::Flagged,
    names: &std::collections::HashMap<String, String>,
) -> String {
    c.t_with(
        "agenda_version.review_notice",
        &[
            (
                "reason",
                &c.t(&format!("agenda_version.review.{}", r.reason.code())),
            ),
            ("themes", &named(&r.old_themes, names)),
        ],
    )
}
