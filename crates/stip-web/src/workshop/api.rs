//! The routes of `/api/v1/workshops/...` and `/api/v1/priorities` with their OpenAPI paths, as
//! `openapi.rs` merges them; each operation lives in its sub-feature's `api.rs`.

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::workshop::setup::api::routes())
        .merge(crate::workshop::participants::api::routes())
        .merge(crate::workshop::board::api::routes())
        .merge(crate::workshop::notes::api::routes())
        .merge(crate::workshop::voting::api::routes())
        .merge(crate::workshop::results::api::routes())
}
