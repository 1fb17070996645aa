//! The Enquêtes pages' routes, as the crate's router merges them (each page lives in its
//! sub-feature's `pages.rs`).

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::survey::builder::pages::routes())
        .merge(crate::survey::invitations::pages::routes())
        .merge(crate::survey::respond::pages::routes())
        .merge(crate::survey::results::pages::routes())
}
