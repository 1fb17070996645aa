//! The Enquêtes pages' routes, as the crate's router merges them (each page lives in its
//! sub-feature's `pages.rs`), and the stale form `identity::identify` marks.

use crate::AppState;
use axum::Router;

// Named by `identity::identify`, which keeps a stale respondent's form.
pub use crate::survey::respond::pages::{StaleForm, keeps_stale_forms};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::survey::builder::pages::routes())
        .merge(crate::survey::invitations::pages::routes())
        .merge(crate::survey::respond::pages::routes())
        .merge(crate::survey::results::pages::routes())
}
