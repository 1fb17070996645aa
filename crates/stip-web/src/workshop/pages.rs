//! The Werksessies pages' routes, as the crate's router merges them; each page lives in its
//! sub-feature's `pages.rs`.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::workshop::setup::pages::routes())
        .merge(crate::workshop::participants::pages::routes())
        .merge(crate::workshop::board::pages::routes())
        .merge(crate::workshop::notes::pages::routes())
        .merge(crate::workshop::voting::pages::routes())
        .merge(crate::workshop::results::pages::routes())
}
