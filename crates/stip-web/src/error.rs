//! Errors as the user meets them. Handlers return [`PageError`] or [`ApiError`]; both become a
//! bare response marked with an [`ErrorReply`], which `auth::identify` renders in the viewer's
//! language: an HTML page with the usual navigation, or `application/problem+json` (RFC 9457).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use stip_core::Invalid;
use stip_store::StoreError;

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
        extra: Option<Value>,
    },
}

#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden,
    TooManyRequests(u64),
    Internal(String),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => PageError::NotFound,
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
            PageError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let mut res = status.into_response();
        if let PageError::TooManyRequests(secs) = self {
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
    Invalid(Invalid),
    /// 409 with what the client needs to resolve it.
    Conflict(Value),
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Invalid(i) => ApiError::Invalid(i),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, key, invalid, extra) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", None, None),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "login_required", None, None),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None, None),
            ApiError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(i), None),
            ApiError::Conflict(v) => (StatusCode::CONFLICT, "conflict", None, Some(v)),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None, None)
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(ErrorReply::Problem {
            status,
            key,
            invalid,
            extra,
        });
        res
    }
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound.into_response()
    } else {
        PageError::NotFound.into_response()
    }
}
