//! The routes of `/api/v1/prioritisation/...` with their OpenAPI paths, as `openapi.rs` merges
//! them; each operation lives in its sub-feature's `api.rs`.

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::prioritisation::scores::api::routes())
        .merge(crate::prioritisation::selection::api::routes())
        .merge(crate::prioritisation::weighting::api::routes())
        .merge(crate::prioritisation::scenarios::api::routes())
}
