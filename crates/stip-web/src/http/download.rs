//! A file as an answer: its media type and its name, for the browser to save (`attachment`) or
//! to show (`inline`).

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file the browser saves under `file`.
pub fn attachment(media_type: &str, file: &str, body: impl Into<Body>) -> Response {
    with_disposition(
        media_type,
        format!("attachment; filename=\"{file}\""),
        body.into(),
    )
}

/// A file the browser shows (a PDF, a calendar), named `file` when saved.
pub fn inline(media_type: &str, file: &str, body: impl Into<Body>) -> Response {
    with_disposition(
        media_type,
        format!("inline; filename=\"{file}\""),
        body.into(),
    )
}

fn with_disposition(media_type: &str, disposition: String, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
