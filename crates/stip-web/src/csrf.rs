//! The CSRF check on every state-changing request made with a cookie: the `X-CSRF-Token`
//! header, or the `csrf` field of a form.

use axum::body::Body;
use axum::http::{HeaderMap, header};

/// The CSRF token of a request: the `X-CSRF-Token` header, or the `csrf` field of a form.
pub async fn matches(headers: &HeaderMap, body: Body, expected: &str) -> (bool, Body) {
    if let Some(h) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return (!expected.is_empty() && constant_time_eq(h, expected), body);
    }
    let is_form = headers.get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    if !is_form {
        return (false, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_BODY).await else {
        return (false, Body::empty());
    };
    let ok = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .is_some_and(|(_, v)| !expected.is_empty() && constant_time_eq(&v, expected));
    (ok, Body::from(bytes))
}

/// Compares in time independent of where the strings differ, so timing tells nothing of the token.
fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
