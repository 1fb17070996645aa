//! The strategic agenda's versions: a concept edited beside the active one, activated with a
//! mapping of its themes to the new ones (`/agenda/versies`, `/api/v1/agendas`).

mod api;
mod pages;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The versions' pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}
