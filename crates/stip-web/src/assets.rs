//! The stylesheet and script, written by us and embedded in the binary.

use crate::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const CSS: &str = include_str!("../assets/stip.css");
const JS: &str = include_str!("../assets/stip.js");
const ICON: &str = include_str!("../assets/stip.svg");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/stip.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    CSS,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/stip.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    JS,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/stip.svg",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "image/svg+xml"),
                        (header::CACHE_CONTROL, "public, max-age=86400"),
                    ],
                    ICON,
                )
                    .into_response()
            }),
        )
}
