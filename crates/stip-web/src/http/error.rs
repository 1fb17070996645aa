//! Errors as the user meets them, on one path. Every handler, page or API, returns [`Error`];
//! it becomes a bare response marked with an [`ErrorReply`], which [`finish`] (called by
//! `auth::identify` for every response) renders in the viewer's language by the request: an
//! HTML page with the usual navigation (or, for [`Error::LoginRequired`], the login page with
//! the way back), or a [`Problem`] as `application/problem+json` (RFC 9457) under `/api/`.

use crate::auth::viewer::Viewer;
use crate::http::redirect::urlencode;
use crate::i18n::Lang;
use crate::ui::layout::{Chrome, render};
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
pub struct ErrorReply {
    pub status: StatusCode,
    /// `problem.<key>` and `page_error.<key>` in the locales.
    pub key: &'static str,
    pub invalid: Option<Invalid>,
    pub conflict: Option<Conflict>,
}

/// Everything a request can end in other than its answer.
#[derive(Debug)]
pub enum Error {
    NotFound,
    /// Not logged in: 401 on the API; a page sends the browser to the login page and back.
    LoginRequired,
    Forbidden,
    /// A body that is not `application/json`.
    UnsupportedMediaType,
    /// A form whose bytes are not UTF-8 text.
    BadEncoding,
    /// Input refused, field by field (a page with a form shows these next to its fields itself).
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

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::Invalid(i) => Error::Invalid(i),
            StoreError::Busy => Error::Busy,
            other if other.is_unavailable() => Error::Unavailable(other.to_string()),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            Error::TooManyRequests(secs) => Some(*secs),
            Error::Busy => Some(BUSY_RETRY_AFTER),
            Error::Unavailable(_) => Some(RETRY_AFTER_SECONDS),
            _ => None,
        };
        let (status, key, invalid, conflict) = match self {
            Error::NotFound => (StatusCode::NOT_FOUND, "not_found", None, None),
            Error::LoginRequired => (StatusCode::UNAUTHORIZED, "login_required", None, None),
            Error::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None, None),
            Error::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                None,
                None,
            ),
            Error::BadEncoding => (StatusCode::BAD_REQUEST, "bad_encoding", None, None),
            Error::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(i), None),
            Error::Conflict(conflict) => (StatusCode::CONFLICT, "conflict", None, Some(conflict)),
            Error::NotNow(key) => (StatusCode::CONFLICT, key, None, None),
            Error::Csrf => (StatusCode::FORBIDDEN, "csrf", None, None),
            Error::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                None,
                None,
            ),
            Error::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", None, None),
            Error::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", None, None)
            }
            Error::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None, None)
            }
        };
        let mut res = status.into_response();
        if let Some(secs) = retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        res.extensions_mut().insert(ErrorReply {
            status,
            key,
            invalid,
            conflict,
        });
        res
    }
}

/// What a viewer may do, as the answer a page and the API give alike.
impl Viewer {
    /// `Ok` when logged in; otherwise [`Error::LoginRequired`].
    pub fn require_login(&self) -> Result<(), Error> {
        self.logged_in().map(|_| ())
    }

    /// The person logged in; otherwise [`Error::LoginRequired`].
    pub fn logged_in(&self) -> Result<&stip_core::user::User, Error> {
        self.user.as_ref().ok_or(Error::LoginRequired)
    }

    /// `Ok` when allowed; [`Error::LoginRequired`] for someone not logged in, else
    /// [`Error::Forbidden`].
    pub fn require(&self, action: Action) -> Result<(), Error> {
        if self.may(action) {
            Ok(())
        } else {
            self.require_login()?;
            Err(Error::Forbidden)
        }
    }
}

pub async fn not_found() -> Error {
    Error::NotFound
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

/// Renders an [`ErrorReply`] left by a handler, in the viewer's language, as a page or (under
/// `/api/`) a problem; other responses pass.
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
            Some(key) => ErrorReply {
                status: res.status(),
                key,
                invalid: None,
                conflict: None,
            },
            None => return res,
        },
    };
    let (mut parts, _) = res.into_parts();
    parts.extensions.remove::<ErrorReply>();
    parts.headers.remove(header::CONTENT_LENGTH);
    if is_api {
        return problem(parts, reply, lang, viewer);
    }
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
    if reply.key == "login_required" {
        let to = format!("/inloggen?terug={}", urlencode(&viewer.path));
        return Redirect::to(&to).into_response();
    }
    let page = ErrorPage {
        c: viewer.chrome(),
        key: reply.key,
        // Offered on every 404 too, so a missing page and a hidden one look alike.
        login_hint: viewer.user.is_none()
            && matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
    };
    let mut out = render(&page);
    *out.status_mut() = reply.status;
    for (k, v) in parts.headers.drain().filter_map(|(k, v)| k.map(|k| (k, v))) {
        if k != header::CONTENT_TYPE {
            out.headers_mut().insert(k, v);
        }
    }
    out
}

/// The error as `application/problem+json`.
fn problem(
    mut parts: axum::http::response::Parts,
    reply: ErrorReply,
    lang: Lang,
    viewer: Option<&Viewer>,
) -> Response {
    let ErrorReply {
        status,
        key,
        invalid,
        conflict,
    } = reply;
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
    /// `page_error.<key>.<part>`, or for a key only the API knew before (a state that does not
    /// allow this, input refused) the problem's title and no text.
    fn part(&self, part: &str) -> Option<String> {
        let key = format!("page_error.{}.{part}", self.key);
        let text = self.c.t_with(&key, &[("mb", &limit_mb(&self.c.path))]);
        (!text.ends_with(&key)).then_some(text)
    }
    fn title(&self) -> String {
        self.part("title")
            .unwrap_or_else(|| self.c.t(&format!("problem.{}", self.key)))
    }
    fn text(&self) -> String {
        self.part("text").unwrap_or_default()
    }
    fn back(&self) -> String {
        urlencode(&self.c.path)
    }
}
