//! The home page: for someone logged in, the network overview with their own institution's
//! projects that need attention (see `insight::pages`); for visitors, what Stip is.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::insight::{PageParams, overview_page};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
}

async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    Query(params): Query<PageParams>,
) -> Result<Response, Error> {
    if viewer.user.is_some() {
        return overview_page(&state, &viewer, query, params, true).await;
    }
    Ok(render(&HomePage { c: viewer.chrome() }))
}
