//! Instellingen: the list of institutions, an institution's portfolio, their management by the
//! beheerder, and `/api/v1/institutions`.

pub mod api;
mod pages;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    pages::routes().merge(api::routes())
}
