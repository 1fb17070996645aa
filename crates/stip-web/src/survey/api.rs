//! The routes of `/api/v1/surveys/...` with their OpenAPI paths, as `openapi.rs` merges them;
//! each operation lives in its sub-feature's `api.rs`.

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::survey::builder::api::routes())
        .merge(crate::survey::invitations::api::routes())
        .merge(crate::survey::respond::api::routes())
        .merge(crate::survey::results::api::routes())
}
