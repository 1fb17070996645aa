//! The Prioriteren pages' routes (Ranglijst, Waarde en inspanning, Selectie, Weging, Scenario's),
//! as the crate's router merges them; each page lives in its sub-feature's `pages.rs`.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::prioritisation::scores::pages::routes())
        .merge(crate::prioritisation::selection::pages::routes())
        .merge(crate::prioritisation::weighting::pages::routes())
        .merge(crate::prioritisation::scenarios::pages::routes())
}
