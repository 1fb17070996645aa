//! Errors as the user meets them, on one path. Handlers return [`PageError`] or [`ApiError`];
//! both become a bare response marked with an [`ErrorReply`], which [`finish`] (called by
//! `identity::identify` for every response) renders in the viewer's language: an HTML page with
//! the usual navigation, or a [`Problem`] as `application/problem+json` (RFC 9457).

use crate::auth::viewer::Viewer;
use crate::i18n::Lang;
use crate::layout::{Chrome, render};
use crate::redirect::urlencode;
use askama::Template;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use serde_json::Value;
use stip_core::access::{Action, Actor};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;
use utoipa::ToSchema;

/// An error as `application/problem+json` (RFC 9457): the one body every API error has.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "https://stip.example/problems/invalid")]
    pub r#type: String,
    /// What went wrong, in the request's language.
    pub title: String,
    pub status: u16,
    /// All field errors in one sentence, in the request's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// 422: one entry per refused field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// 409: the record as it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<Value>,
    /// 409: the changes saved since the version the request started from, newest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub changes: Option<Value>,
    /// 409: the fields of the request that were changed since its version (for PUT, every
    /// field changed since).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["status"]))]
    pub fields: Option<Vec<String>>,
}

/// What a client needs to resolve a 409: the record as it is now, the changes saved since the
/// client's version, and the fields in the way.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub current: Value,
    pub changes: Value,
    pub fields: Vec<String>,
}

/// A refused field: which, why (a stable code) and a sentence for people.
#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    #[schema(example = "budget")]
    pub field: String,
    #[schema(example = "not_a_number")]
    pub code: String,
    /// In the request's language.
    pub message: String,
    /// The smallest allowed value or length, for `out_of_range` and `too_short`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// The largest allowed value or length, for `out_of_range` and `too_long`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

impl Problem {
    fn new(lang: Lang, status: StatusCode, key: &str, invalid: Option<Invalid>) -> Problem {
        let (detail, errors) = match invalid {
            Some(invalid) => (
                Some(
                    invalid
                        .0
                        .iter()
                        .map(|e| lang.field_error(e))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                Some(
                    invalid
                        .0
                        .iter()
                        .map(|e| ProblemField::new(lang, e))
                        .collect(),
                ),
            ),
            None => (None, None),
        };
        Problem {
            r#type: format!("https://stip.example/problems/{key}"),
            title: lang.t(&format!("problem.{key}")),
            status: status.as_u16(),
            detail,
            errors,
            current: None,
            changes: None,
            fields: None,
        }
    }
}

impl ProblemField {
    fn new(lang: Lang, e: &stip_core::FieldError) -> ProblemField {
        let (min, max) = match e.code {
            ErrorCode::TooLong { max } => (None, Some(max as i64)),
            ErrorCode::TooShort { min } => (Some(min as i64), None),
            ErrorCode::OutOfRange { min, max } => (Some(min), Some(max)),
            _ => (None, None),
        };
        ProblemField {
            field: e.field.clone(),
            code: e.code.key().to_string(),
            message: lang.error_for(&e.field, &e.code),
            min,
            max,
        }
    }
}

/// What went wrong, carried to the renderer in the response's extensions.
#[derive(Debug, Clone)]
pub enum ErrorReply {
    Page {
        status: StatusCode,
        key: &'static str,
    },
    Problem {
        status: StatusCode,
        key: &'static str,
        invalid: Option<Invalid>,
        conflict: Option<Conflict>,
    },
}

#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden,
    TooManyRequests(u64),
    /// Input a page handler could not show back in its form (a form shows its own errors).
    Invalid(Invalid),
    /// A form whose bytes are not UTF-8 text.
    BadEncoding,
    /// 503: a record saved by others too often in the same instant to merge with; nothing was
    /// saved, and trying again in a moment will (`Retry-After`).
    Busy,
    /// The database cannot answer now (see [`StoreError::is_unavailable`]): 503, try again.
    Unavailable(String),
    Internal(String),
}

/// Seconds after which a save refused as busy (503) is worth trying again.
const BUSY_RETRY_AFTER: u64 = 1;
/// Seconds a client is asked to wait before trying again when the database could not answer.
const RETRY_AFTER_SECONDS: u64 = 2;

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => PageError::NotFound,
            StoreError::Invalid(i) => PageError::Invalid(i),
            StoreError::Busy => PageError::Busy,
            other if other.is_unavailable() => PageError::Unavailable(other.to_string()),
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, key) = match &self {
            PageError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            PageError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            PageError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            PageError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            PageError::BadEncoding => (StatusCode::BAD_REQUEST, "bad_encoding"),
            PageError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            PageError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
            PageError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let mut res = status.into_response();
        let retry_after = match self {
            PageError::TooManyRequests(secs) => Some(secs),
            PageError::Busy => Some(BUSY_RETRY_AFTER),
            PageError::Unavailable(_) => Some(RETRY_AFTER_SECONDS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res.extensions_mut()
            .insert(ErrorReply::Page { status, key });
        res
    }
}

#[derive(Debug)]
pub enum ApiError {
    NotFound,
    Unauthorized,
    Forbidden,
    /// A body that is not `application/json`.
    UnsupportedMediaType,
    Invalid(Invalid),
    /// 409 with what the client needs to resolve it.
    Conflict(Conflict),
    /// 409: the record is not in a state that allows this (a survey that closed, a response
    /// submitted already); the key names which (`problem.<key>`).
    NotNow(&'static str),
    /// 403: a request with the session cookie but without its CSRF token (a page open too
    /// long, or a request from another site).
    Csrf,
    /// 429: too many attempts from here; try again after this many seconds (`Retry-After`).
    TooManyRequests(u64),
    /// 503 with `Retry-After`: see [`PageError::Busy`].
    Busy,
    /// The database cannot answer now: 503 with `Retry-After`.
    Unavailable(String),
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Invalid(i) => ApiError::Invalid(i),
            StoreError::Busy => ApiError::Busy,
            other if other.is_unavailable() => ApiError::Unavailable(other.to_string()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::TooManyRequests(secs) => Some(*secs),
            ApiError::Busy => Some(BUSY_RETRY_AFTER),
            ApiError::Unavailable(_) => Some(RETRY_AFTER_SECONDS),
            _ => None,
        };
        let (status, key, invalid, conflict) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", None, None),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "login_required", None, None),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None, None),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                None,
                None,
            ),
            ApiError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(i), None),
            ApiError::Conflict(conflict) => {
                (StatusCode::CONFLICT, "conflict", None, Some(conflict))
            }
            ApiError::NotNow(key) => (StatusCode::CONFLICT, key, None, None),
            ApiError::Csrf => (StatusCode::FORBIDDEN, "csrf", None, None),
            ApiError::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                None,
                None,
            ),
            ApiError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", None, None),
            ApiError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", None, None)
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None, None)
            }
        };
        let mut res = status.into_response();
        if let Some(secs) = retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res.extensions_mut().insert(ErrorReply::Problem {
            status,
            key,
            invalid,
            conflict,
        });
        res
    }
}

/// What a viewer may not do, as the answer to give.
impl Viewer {
    /// For pages: `None` when allowed; otherwise the answer to give. Anonymous visitors are
    /// sent to the login page, others get 403.
    pub fn refusal(&self, action: Action) -> Option<Response> {
        if self.may(action) {
            None
        } else if self.user.is_none() {
            Some(
                Redirect::to(&format!("/inloggen?terug={}", urlencode(&self.path))).into_response(),
            )
        } else {
            Some(PageError::Forbidden.into_response())
        }
    }

    /// For the API: `Ok` when logged in, else 401.
    pub fn logged_in(&self) -> Result<(), ApiError> {
        if self.user.is_none() {
            Err(ApiError::Unauthorized)
        } else {
            Ok(())
        }
    }

    /// For the API: `Ok` when allowed; 401 when not logged in, else 403 (what
    /// [`Viewer::refusal`] is for pages).
    pub fn allowed(&self, action: Action) -> Result<(), ApiError> {
        self.logged_in()?;
        if self.may(action) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// An API error where a page answers (a page built on an API handler's work).
impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound => PageError::NotFound,
            ApiError::Forbidden | ApiError::Unauthorized | ApiError::Csrf => PageError::Forbidden,
            ApiError::Invalid(i) => PageError::Invalid(i),
            ApiError::TooManyRequests(secs) => PageError::TooManyRequests(secs),
            ApiError::Busy => PageError::Busy,
            ApiError::Unavailable(detail) => PageError::Unavailable(detail),
            ApiError::Internal(detail) => PageError::Internal(detail),
            other => PageError::Internal(format!("{other:?}")),
        }
    }
}

/// A page's error where the API answers (a file the API gives as a page renders it).
impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::NotFound => ApiError::NotFound,
            PageError::Forbidden => ApiError::Forbidden,
            PageError::Invalid(i) => ApiError::Invalid(i),
            PageError::TooManyRequests(secs) => ApiError::TooManyRequests(secs),
            PageError::Busy => ApiError::Busy,
            PageError::Unavailable(detail) => ApiError::Unavailable(detail),
            PageError::Internal(detail) => ApiError::Internal(detail),
            other => ApiError::Internal(format!("{other:?}")),
        }
    }
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound.into_response()
    } else {
        PageError::NotFound.into_response()
    }
}

/// The error a request gets when axum refused it before any handler ran (a path or body it could
/// not read, a body too large, a method the path does not take), so those are answered like
/// every other error.
fn rejection(status: StatusCode) -> Option<&'static str> {
    Some(match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        _ => return None,
    })
}

/// Renders an [`ErrorReply`] left by a handler, in the viewer's language; other responses pass.
pub async fn finish(res: Response, lang: Lang, viewer: Option<&Viewer>, is_api: bool) -> Response {
    // A page a handler rendered itself (e.g. a login that failed at the provider, 400) is its
    // own answer; only extractors' bare rejections get the standard page.
    let rendered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let reply = match res.extensions().get::<ErrorReply>().cloned() {
        Some(reply) => reply,
        None if rendered => return res,
        None => match rejection(res.status()) {
            Some(key) if is_api => ErrorReply::Problem {
                status: res.status(),
                key,
                invalid: None,
                conflict: None,
            },
            Some(key) => ErrorReply::Page {
                status: res.status(),
                key,
            },
            None => return res,
        },
    };
    let (mut parts, _) = res.into_parts();
    parts.extensions.remove::<ErrorReply>();
    parts.headers.remove(header::CONTENT_LENGTH);
    match reply {
        ErrorReply::Page { status, key } => {
            let anonymous = Viewer {
                actor: Actor::Anonymous,
                user: None,
                lang,
                csrf: String::new(),
                path: "/".into(),
                address: String::new(),
                origin: String::new(),
            };
            let viewer = viewer.unwrap_or(&anonymous);
            let page = ErrorPage {
                c: viewer.chrome(),
                key,
                // Offered on every 404 too, so a missing page and a hidden one look alike.
                login_hint: viewer.user.is_none()
                    && matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            };
            let mut out = render(&page);
            *out.status_mut() = status;
            for (k, v) in parts.headers.drain().filter_map(|(k, v)| k.map(|k| (k, v))) {
                if k != header::CONTENT_TYPE {
                    out.headers_mut().insert(k, v);
                }
            }
            out
        }
        ErrorReply::Problem {
            status,
            key,
            invalid,
            conflict,
        } => {
            let mut problem = Problem::new(lang, status, key, invalid);
            if matches!(key, "csrf" | "unavailable") {
                problem.detail = Some(lang.t(&format!("page_error.{key}.text")));
            }
            if key == "too_large" {
                let path = viewer.map(|v| v.path.as_str()).unwrap_or("/");
                problem.title = lang.t_with("problem.too_large", &[("mb", &limit_mb(path))]);
            }
            // A 429 says in words when to try again, as its `Retry-After` says in seconds.
            if let Some(secs) = parts
                .headers
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|_| status == StatusCode::TOO_MANY_REQUESTS)
            {
                problem.detail = Some(lang.try_again_in(secs));
            }
            if let Some(conflict) = conflict {
                problem.detail = Some(lang.t_with(
                    "problem.conflict_fields",
                    &[("fields", &conflict.fields.join(", "))],
                ));
                problem.current = Some(conflict.current);
                problem.changes = Some(conflict.changes);
                problem.fields = Some(conflict.fields);
            }
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            );
            let body = serde_json::to_string(&problem).expect("a problem serialises");
            Response::from_parts(parts, Body::from(body))
        }
    }
}

/// The most a request to `path` (with its query) may carry, in MB, as "too large" says it.
fn limit_mb(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    (crate::body_limit(path) / (1024 * 1024)).to_string()
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub key: &'static str,
    pub login_hint: bool,
}

impl ErrorPage {
    fn title(&self) -> String {
        self.c.t(&format!("page_error.{}.title", self.key))
    }
    fn text(&self) -> String {
        self.c.t_with(
            &format!("page_error.{}.text", self.key),
            &[("mb", &limit_mb(&self.c.path))],
        )
    }
    fn back(&self) -> String {
        urlencode(&self.c.path)
    }
}
