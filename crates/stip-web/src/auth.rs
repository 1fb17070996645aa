//! Who is asking: sessions (server-side, in the database), personal API tokens, the CSRF check on
//! every state-changing request, logging in and out, and slowing down password guessing.

use crate::error::ErrorReply;
use crate::i18n::{LANG_COOKIE, Lang};
use crate::layout::{Chrome, ErrorPage, render};
use crate::{AppState, PageError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use stip_core::access::{self, Action, Actor};
use stip_core::user::User;

pub const SESSION_COOKIE: &str = "stip_session";
pub const CSRF_COOKIE: &str = "stip_csrf";
const SESSION_HOURS: i64 = 12;

/// The person (or program) behind a request, resolved once per request by [`identify`].
#[derive(Clone, Debug)]
pub struct Viewer {
    pub actor: Actor,
    pub user: Option<User>,
    pub lang: Lang,
    /// The token every form of this viewer carries.
    pub csrf: String,
    /// The path and query of the request, for the language switch and "log in to continue".
    pub path: String,
    /// The client's IP address, for slowing down password guessing.
    pub address: String,
}

impl Viewer {
    pub fn may(&self, action: Action) -> bool {
        access::may(&self.actor, action)
    }

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

    pub fn chrome(&self) -> Chrome {
        Chrome::new(self)
    }

    pub fn editor(&self) -> stip_store::portfolio::Editor {
        stip_store::portfolio::Editor {
            user_id: self.user.as_ref().map(|u| u.id),
            name: self
                .user
                .as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_default(),
        }
    }
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as their SHA-256, so a copy of the database opens no session.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_password(password: &str) -> String {
    let salt =
        SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new personal API token and the hash to store.
pub fn new_api_token() -> (String, String) {
    let token = format!("stip_{}", random_token());
    let hash = token_hash(&token);
    (token, hash)
}

fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are ASCII")
}

/// Cookies get `Secure` when the request came over https (directly or through a proxy).
fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Resolves the [`Viewer`] of every request, checks the CSRF token of every state-changing
/// request made with a cookie, and renders errors in the viewer's language.
pub async fn identify(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let headers = &parts.headers;
    let lang = Lang::from_request(headers, cookie(headers, LANG_COOKIE));
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let is_api = parts.uri.path().starts_with("/api/");
    let mut new_csrf_cookie = None;
    let mut by_token = false;

    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let (user, csrf) = if let Some(token) = bearer {
        by_token = true;
        match state.store.api_token_user(&token_hash(token)).await {
            Ok(Some(user)) => (Some(user), String::new()),
            Ok(None) => {
                return finish(
                    crate::ApiError::Unauthorized.into_response(),
                    lang,
                    None,
                    is_api,
                )
                .await;
            }
            Err(e) => {
                return finish(crate::ApiError::from(e).into_response(), lang, None, is_api).await;
            }
        }
    } else {
        let session = match cookie(headers, SESSION_COOKIE) {
            Some(token) => state
                .store
                .session_user(&token_hash(token))
                .await
                .ok()
                .flatten(),
            None => None,
        };
        match session {
            Some((user, csrf)) => (Some(user), csrf),
            None => match cookie(headers, CSRF_COOKIE) {
                Some(c) if c.len() >= 32 => (None, c.to_string()),
                _ => {
                    let c = random_token();
                    new_csrf_cookie = Some(c.clone());
                    (None, c)
                }
            },
        }
    };
    let actor = match &user {
        Some(u) => Actor::User {
            id: u.id,
            role: u.role,
            institution_id: u.institution_id,
        },
        None => Actor::Anonymous,
    };
    let address = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|a| a.0.ip().to_string())
        .unwrap_or_else(|| "local".into());
    let viewer = Viewer {
        actor,
        user,
        lang,
        csrf,
        path,
        address,
    };

    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    // Without a session a JSON call carries no ambient credentials to abuse; forms always need
    // the token (also the login form, against login CSRF).
    let ambient = viewer.user.is_some() || !is_api;
    if unsafe_method && !by_token && ambient {
        let (ok, restored) = csrf_matches(&parts.headers, body, &viewer.csrf).await;
        body = restored;
        if !ok {
            let res = if is_api {
                crate::ApiError::Forbidden.into_response()
            } else {
                let mut r = StatusCode::FORBIDDEN.into_response();
                r.extensions_mut().insert(ErrorReply::Page {
                    status: StatusCode::FORBIDDEN,
                    key: "csrf",
                });
                r
            };
            return finish(res, lang, Some(&viewer), is_api).await;
        }
    }
    parts.extensions.insert(viewer.clone());
    let secure = is_https(&parts.headers);
    let res = next.run(Request::from_parts(parts, body)).await;
    let mut res = finish(res, lang, Some(&viewer), is_api).await;
    if let Some(c) = new_csrf_cookie {
        let is_html = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if is_html {
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(CSRF_COOKIE, &c, None, secure),
            );
        }
    }
    res
}

/// The CSRF token of a request: the `X-CSRF-Token` header, or the `csrf` field of a form.
async fn csrf_matches(headers: &HeaderMap, body: Body, expected: &str) -> (bool, Body) {
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
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return (false, Body::empty());
    };
    let ok = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .is_some_and(|(_, v)| !expected.is_empty() && constant_time_eq(&v, expected));
    (ok, Body::from(bytes))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Renders an [`ErrorReply`] left by a handler, in the viewer's language.
async fn finish(res: Response, lang: Lang, viewer: Option<&Viewer>, is_api: bool) -> Response {
    let reply = match res.extensions().get::<ErrorReply>().cloned() {
        Some(reply) => reply,
        // A request axum could not read (a path like /projecten/abc, a malformed form): answered
        // like every other error, in the viewer's language.
        None if res.status() == StatusCode::BAD_REQUEST => {
            let (status, key) = (StatusCode::BAD_REQUEST, "bad_request");
            if is_api {
                ErrorReply::Problem {
                    status,
                    key,
                    invalid: None,
                    extra: None,
                }
            } else {
                ErrorReply::Page { status, key }
            }
        }
        None => return res,
    };
    let (mut parts, _) = res.into_parts();
    match reply {
        ErrorReply::Page { status, key } => {
            let anonymous = Viewer {
                actor: Actor::Anonymous,
                user: None,
                lang,
                csrf: String::new(),
                path: "/".into(),
                address: String::new(),
            };
            let viewer = viewer.unwrap_or(&anonymous);
            let page = ErrorPage {
                c: viewer.chrome(),
                key,
                login_hint: viewer.user.is_none() && status == StatusCode::FORBIDDEN,
            };
            let mut out = render(&page);
            *out.status_mut() = status;
            for (k, v) in parts.headers.drain().filter_map(|(k, v)| k.map(|k| (k, v))) {
                if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                    out.headers_mut().insert(k, v);
                }
            }
            out
        }
        ErrorReply::Problem {
            status,
            key,
            invalid,
            extra,
        } => {
            let mut body = serde_json::json!({
                "type": format!("https://stip.example/problems/{key}"),
                "title": lang.t(&format!("problem.{key}")),
                "status": status.as_u16(),
            });
            if let Some(invalid) = invalid {
                let errors: Vec<_> = invalid
                    .0
                    .iter()
                    .map(|e| {
                        let mut v = serde_json::to_value(e).unwrap_or_default();
                        v["message"] = lang.error(&e.code).into();
                        v
                    })
                    .collect();
                body["detail"] = invalid
                    .0
                    .iter()
                    .map(|e| lang.field_error(e))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .into();
                body["errors"] = errors.into();
            }
            if let Some(serde_json::Value::Object(extra)) = extra {
                for (k, v) in extra {
                    body[k] = v;
                }
            }
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            );
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.extensions.remove::<ErrorReply>();
            Response::from_parts(parts, Body::from(body.to_string()))
        }
    }
}

/// Counts failed logins per account and per address; past a threshold, refuses with 429 until
/// the window has passed.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u32 = 20;

impl LoginThrottle {
    /// Seconds to wait when any of the keys is over its limit.
    fn blocked(&self, keys: &[(String, u32)]) -> Option<u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .filter_map(|(k, limit)| {
                map.get(k)
                    .filter(|(n, since)| n >= limit && since.elapsed() < WINDOW)
            })
            .map(|(_, since)| WINDOW.saturating_sub(since.elapsed()).as_secs().max(1))
            .max()
    }

    fn fail(&self, keys: &[(String, u32)]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        for (k, _) in keys {
            let entry = map.entry(k.clone()).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    fn succeed(&self, account: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(account);
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inloggen", get(login_page).post(login))
        .route("/uitloggen", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    email: String,
    next: String,
    failed: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    terug: String,
}

/// Only local paths are followed after logging in.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".into()
    }
}

async fn login_page(
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    render(&LoginPage {
        c: viewer.chrome(),
        email: String::new(),
        next: safe_next(&q.terug),
        failed: false,
    })
}

#[derive(serde::Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    terug: String,
}

async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let email = form.email.trim().to_lowercase();
    let keys = [
        (format!("account:{email}"), MAX_FAILURES_PER_ACCOUNT),
        (
            format!("address:{}", viewer.address),
            MAX_FAILURES_PER_ADDRESS,
        ),
    ];
    if let Some(wait) = state.throttle.blocked(&keys) {
        return PageError::TooManyRequests(wait).into_response();
    }
    let found = match state.store.user_for_login(&email).await {
        Ok(found) => found,
        Err(e) => return PageError::from(e).into_response(),
    };
    let password = form.password.clone();
    // Without an account, verify against a fixed hash anyway, so timing does not tell.
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let valid = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let user = match found {
        Some((user, _)) if valid && user.active => user,
        _ => {
            state.throttle.fail(&keys);
            let mut res = render(&LoginPage {
                c: viewer.chrome(),
                email,
                next: safe_next(&form.terug),
                failed: true,
            });
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            return res;
        }
    };
    state.throttle.succeed(&keys[0].0);
    let token = random_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    if let Err(e) = state
        .store
        .create_session(&token_hash(&token), user.id, &random_token(), &expires)
        .await
    {
        return PageError::from(e).into_response();
    }
    let mut res = Redirect::to(&safe_next(&form.terug)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            Some(SESSION_HOURS * 3600),
            is_https(&headers),
        ),
    );
    res
}

/// A hash of a random password, verified when the account does not exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_token()));

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.store.delete_session(&token_hash(token)).await;
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), is_https(&headers)),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let h = hash_password("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("anything", &DUMMY_HASH));
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/projecten?theme=llo"), "/projecten?theme=llo");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
    }
}
