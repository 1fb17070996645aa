//! The CSRF check on every state-changing request made with a cookie: the `X-CSRF-Token`
//! header, or the `csrf` field of a form (urlencoded or multipart, as a file upload sends it).
//! A layer inside [`super::identify`], whose [`Viewer`] carries the token to expect.

use super::viewer::Viewer;
use crate::Error;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Which paths keep a form whose token went stale (a session that ran out while someone was
/// typing): the form reaches its handler marked [`StaleForm`] instead of being refused, so the
/// page can show it again with a fresh token and save nothing. Given by whoever builds the
/// router, from the areas that have such forms.
pub type KeepsStaleForms = fn(&str) -> bool;

/// Marks a form that came with a stale token on a path that keeps such forms: show it again,
/// save nothing.
#[derive(Clone, Copy, Debug)]
pub struct StaleForm;

/// Refuses every state-changing request made with the session or CSRF cookie (not a bearer
/// token) that does not carry the viewer's token; on paths that `keeps` names a page form
/// with a stale token goes on marked [`StaleForm`].
pub async fn check_forms(
    State(keeps): State<KeepsStaleForms>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, mut body) = req.into_parts();
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let by_token = super::token::bearer(&parts.headers).is_some();
    let Some(viewer) = parts.extensions.get::<Viewer>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let is_api = parts.uri.path().starts_with("/api/");
    // Without a session a JSON call carries no ambient credentials to abuse; forms always need
    // the token (also the login form, against login CSRF).
    let ambient = viewer.user.is_some() || !is_api;
    if unsafe_method && !by_token && ambient {
        let limit = crate::body_limit(parts.uri.path());
        let kept = if !is_api && keeps(parts.uri.path()) {
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    body = Body::from(bytes.clone());
                    Some(bytes)
                }
                // `finish` renders a bare 413 as "too large", page or problem.
                Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            }
        } else {
            None
        };
        body = match check(&parts.headers, body, &viewer.csrf, limit).await {
            Ok(body) => body,
            Err(Refusal::Mismatch) if kept.is_some() => {
                parts.extensions.insert(StaleForm);
                Body::from(kept.unwrap_or_default())
            }
            Err(Refusal::TooLarge) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            Err(Refusal::Mismatch) => return Error::Csrf.into_response(),
        };
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Why a request did not pass.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No token, or not the viewer's.
    Mismatch,
    /// The form is larger than the request may be, so its token was never read.
    TooLarge,
}

/// Checks the CSRF token of a request; on success gives back the body (read when the token
/// was in it) for the handler.
pub async fn check(
    headers: &HeaderMap,
    body: Body,
    expected: &str,
    limit: usize,
) -> Result<Body, Refusal> {
    if expected.is_empty() {
        return Err(Refusal::Mismatch);
    }
    if let Some(h) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return constant_time_eq(h, expected)
            .then_some(body)
            .ok_or(Refusal::Mismatch);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type).ok();
    let urlencoded = content_type.starts_with("application/x-www-form-urlencoded");
    if boundary.is_none() && !urlencoded {
        return Err(Refusal::Mismatch);
    }
    let bytes = read(body, limit).await?;
    let token = match boundary {
        Some(boundary) => multipart_field(bytes.clone(), boundary, "csrf").await,
        None => url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned()),
    };
    match token {
        Some(t) if constant_time_eq(&t, expected) => Ok(Body::from(bytes)),
        _ => Err(Refusal::Mismatch),
    }
}

/// The whole body, up to the most the request may carry.
async fn read(body: Body, limit: usize) -> Result<Bytes, Refusal> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        if too_large {
            Refusal::TooLarge
        } else {
            // A body that broke off while being read: nobody is there to tell.
            Refusal::Mismatch
        }
    })
}

/// The text of the first field called `name` in a `multipart/form-data` body.
async fn multipart_field(bytes: Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = Body::from(bytes).into_data_stream();
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// Compares in time independent of where the strings differ, so timing tells nothing of the token.
fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
