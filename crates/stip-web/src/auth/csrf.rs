//! The CSRF check on every state-changing request made with a cookie: the `X-CSRF-Token`
//! header, or the `csrf` field of a form (urlencoded or multipart, as a file upload sends it).

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};

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
