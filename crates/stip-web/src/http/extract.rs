//! What handlers read from a request, parsed once at the edge: record ids, the list query, JSON
//! bodies and HTML forms — each refused with an answer that says what was wrong.

use crate::Error;
use crate::http::schema::*;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use stip_core::portfolio::ListQuery;
use stip_core::{ErrorCode, Invalid};
use utoipa::IntoParams;

/// The `{id}` of a record's path. Anything that is not an id of a record (`abc`, `-1`, a number
/// beyond 2^63) is answered as any id that does not exist: 404.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(axum::extract::Path(raw)) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await
        else {
            return Err(Error::NotFound);
        };
        raw.parse::<i64>().map(Id).map_err(|_| Error::NotFound)
    }
}

/// The portfolio list's query string, read as pairs so a parameter given twice is refused by
/// name (`ListQuery::parse`) instead of the whole request being a 400.
pub struct Listing(pub ListQuery);

impl<S: Send + Sync> FromRequestParts<S> for Listing {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        Ok(Listing(ListQuery::from_pairs(
            url::form_urlencoded::parse(query.as_bytes()).into_owned(),
        )))
    }
}

/// What [`Listing`] reads, as the OpenAPI document describes it: the list's filters, with the
/// same names as the list page's.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// BRIN code of an institution.
    #[param(pattern = r"^\s*([0-9]{2}[A-Za-z0-9]{2})?\s*$")]
    institution: String,
    /// Theme code (any of the project's themes).
    theme: String,
    /// `1`: only projects whose main theme is `theme`.
    #[param(schema_with = flag_filter)]
    primary_only: String,
    /// A second theme code the project must also have.
    also_theme: String,
    /// ISO date: running projects whose status was last set before it, or at an unknown date
    /// (out of date when it is 90 days ago).
    #[param(schema_with = optional_date)]
    status_before: String,
    /// `1`: only projects shareable as an example (a case).
    #[param(schema_with = flag_filter)]
    shareable: String,
    /// Perspective quadrant: leaning this way on both axes (1–2 or 4–5 on each).
    #[param(schema_with = quadrant_filter)]
    quadrant: String,
    #[param(schema_with = phase_filter)]
    phase: String,
    #[param(schema_with = status_filter)]
    status: String,
    /// Karakter.
    #[param(schema_with = character_filter)]
    character: String,
    #[param(schema_with = horizon_filter)]
    horizon: String,
    /// `strategisch`, `operationeel`, `ict` or `business`.
    #[param(schema_with = perspective_filter)]
    perspective: String,
    /// Policy driver code.
    driver: String,
    /// MORA process area code (`GET /api/v1/mora-areas`); a main area also finds the projects
    /// mapped to its sub-areas.
    mora: String,
    /// Text the title, summary or description contains.
    #[param(max_length = 200)]
    q: String,
    /// `-` first for descending.
    #[param(schema_with = sorts)]
    sort: String,
    /// From 1; empty is the first page.
    #[param(schema_with = page_numbers)]
    page: String,
    /// 1–200; empty is the default, 50.
    #[param(schema_with = page_sizes)]
    per_page: String,
}

/// Reads a JSON body. What is wrong is a 422 naming the field as it was sent: an unknown field,
/// a value of the wrong type, a missing field, or JSON that does not parse (with where).
/// A body of another media type is a 415.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, Error> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !(media_type == "application/json"
        || media_type.starts_with("application/") && media_type.ends_with("+json"))
    {
        return Err(Error::UnsupportedMediaType);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let (field, code) = json_error(&path, e.inner());
        Error::Invalid(Invalid::one(&field, code))
    })
}

/// The field and reason of a serde_json error. serde states the reason only as text; its
/// wording ("unknown field `x`", "invalid type: …, expected …") is stable across versions.
pub(crate) fn json_error(path: &str, e: &serde_json::Error) -> (String, ErrorCode) {
    use serde_json::error::Category;
    let at = |name: &str| match path {
        "." => name.to_string(),
        parent => format!("{parent}.{name}"),
    };
    let field = if path == "." {
        "body".to_string()
    } else {
        path.to_string()
    };
    if matches!(
        e.classify(),
        Category::Syntax | Category::Eof | Category::Io
    ) {
        return (
            "body".into(),
            ErrorCode::MalformedJson {
                line: e.line(),
                column: e.column(),
            },
        );
    }
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if message.starts_with("unknown field") {
        // serde_path_to_error's path already ends in the unknown name.
        return (field, ErrorCode::UnknownField);
    }
    if message.starts_with("missing field") {
        let name = quoted(message).unwrap_or_default();
        return (at(&name), ErrorCode::Required);
    }
    if message.contains("untagged enum Amount") {
        return (field, ErrorCode::NotANumber);
    }
    let expected = message.rsplit_once("expected ").map_or("", |(_, x)| x);
    let code = if [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
    ]
    .contains(&expected)
        || expected.contains("integer")
        || expected.contains("number")
    {
        ErrorCode::ExpectedNumber
    } else if expected.contains("string") {
        ErrorCode::ExpectedText
    } else if expected.contains("sequence") {
        ErrorCode::ExpectedList
    } else if expected.contains("map") || expected.contains("struct") {
        ErrorCode::ExpectedObject
    } else if expected.contains("bool") {
        ErrorCode::ExpectedBoolean
    } else {
        ErrorCode::InvalidChoice
    };
    (field, code)
}

/// An HTML form (`application/x-www-form-urlencoded`) read by axum-extra's `Form`, so repeated
/// names (checkboxes) become lists. Bytes that are not UTF-8 are refused with a page that says
/// so: the form decoder would silently replace them with U+FFFD and save the damage.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !is_utf8_form(&bytes) {
            return Err(Error::BadEncoding.into_response());
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        axum_extra::extract::Form::<T>::from_request(req, state)
            .await
            .map(|axum_extra::extract::Form(v)| Form(v))
            .map_err(IntoResponse::into_response)
    }
}

/// Whether every name and value of an urlencoded body decodes to UTF-8.
fn is_utf8_form(body: &[u8]) -> bool {
    body.split(|b| *b == b'&')
        .flat_map(|pair| pair.splitn(2, |b| *b == b'='))
        .all(|part| percent_decode(part).is_some())
}

fn percent_decode(part: &[u8]) -> Option<String> {
    let plus_as_space: Vec<u8> = part
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&plus_as_space)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_bytes_that_are_not_utf8_is_recognised() {
        assert!(is_utf8_form(b"title=caf%C3%A9&themes=a&themes=b"));
        assert!(!is_utf8_form(b"title=caf%E9"));
        assert!(!is_utf8_form(b"caf%FF=x"));
        assert!(!is_utf8_form(b"title=\xff"));
    }
}
