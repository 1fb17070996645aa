//! The insight pages' routes (Netwerkoverzicht, Balans, Dwarsverbanden, Roadmap, Zoeken), as the
//! crate's router merges them, and what the home page takes of the overview.

use crate::AppState;
use axum::Router;

// The home page of someone logged in is the network overview.
pub use crate::insight::counting::PageParams;
pub use crate::insight::overview::pages::overview_page;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::insight::overview::pages::routes())
        .merge(crate::insight::balance::pages::routes())
        .merge(crate::insight::crosslinks::pages::routes())
        .merge(crate::insight::roadmap::pages::routes())
        .merge(crate::insight::search::pages::routes())
}
