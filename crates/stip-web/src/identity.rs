//! Who is asking: the [`Viewer`] of every request, resolved by [`identify`] from a server-side
//! session (in the database) or a personal API token; password and token hashing.

use crate::csrf;
use crate::error::{ApiError, ErrorReply, finish};
use crate::i18n::{LANG_COOKIE, Lang};
use crate::layout::Chrome;
use crate::{AppState, PageError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use stip_core::access::{self, Action, Actor};
use stip_core::user::User;

pub const SESSION_COOKIE: &str = "stip_session";
pub const CSRF_COOKIE: &str = "stip_csrf";
pub(crate) const SESSION_HOURS: i64 = 12;

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
    /// Where people reach Stip (`scheme://host`), the start of every absolute link: see
    /// [`crate::address::origin`].
    pub origin: String,
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

pub(crate) fn random_token() -> String {
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

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
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

/// A cookie of Stip's own: for the whole site, out of reach of scripts, not sent along with
/// requests from other sites' forms, and only over https when the request came that way.
/// Without `max_age` it lasts as long as the browser session.
pub(crate) fn private_cookie(
    name: &'static str,
    value: String,
    max_age: Option<i64>,
    secure: bool,
) -> Cookie<'static> {
    let mut c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure);
    if let Some(age) = max_age {
        c = c.max_age(cookie::time::Duration::seconds(age));
    }
    c.build()
}

/// Cookies get `Secure` when the request came over https (directly or through a proxy).
pub(crate) fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Resolves the [`Viewer`] of every request, checks the CSRF token of every state-changing
/// request made with a cookie, and renders errors in the viewer's language.
pub async fn identify(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, mut body) = req.into_parts();
    let headers = &parts.headers;
    let jar = CookieJar::from_headers(headers);
    let lang = Lang::from_request(headers, jar.get(LANG_COOKIE).map(Cookie::value));
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
        // A workshop participant's token is no account's: the workshop's handlers read it.
        if token.starts_with(crate::workshop::TOKEN_PREFIX) {
            (None, String::new())
        } else {
            match state.store.api_token_user(&token_hash(token)).await {
                Ok(Some(user)) => (Some(user), String::new()),
                Ok(None) => {
                    return finish(ApiError::Unauthorized.into_response(), lang, None, is_api)
                        .await;
                }
                Err(e) => {
                    return finish(ApiError::from(e).into_response(), lang, None, is_api).await;
                }
            }
        }
    } else {
        // A database that cannot say whose session this is gets a 503, never an anonymous
        // visitor: that would show someone logged in a page as if they were not.
        let session = match jar.get(SESSION_COOKIE) {
            Some(token) => match state.store.session_user(&token_hash(token.value())).await {
                Ok(found) => found,
                Err(e) => {
                    let res = if is_api {
                        ApiError::from(e).into_response()
                    } else {
                        PageError::from(e).into_response()
                    };
                    return finish(res, lang, None, is_api).await;
                }
            },
            None => None,
        };
        match session {
            Some((user, csrf)) => (Some(user), csrf),
            None => match jar.get(CSRF_COOKIE).map(Cookie::value) {
                Some(c) if c.len() >= 32 => (None, c.to_string()),
                _ => {
                    let c = random_token();
                    new_csrf_cookie = Some(c.clone());
                    (None, c)
                }
            },
        }
    };
    let actor = user.as_ref().map_or(Actor::Anonymous, Actor::of);
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|a| a.0.ip());
    let address = state
        .trusted_proxies
        .client(peer, headers)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "local".into());
    let origin = crate::address::origin(
        state.public_url.as_deref(),
        &state.trusted_proxies,
        peer,
        headers,
    );
    let viewer = Viewer {
        actor,
        user,
        lang,
        csrf,
        path,
        address,
        origin,
    };

    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    // Without a session a JSON call carries no ambient credentials to abuse; forms always need
    // the token (also the login form, against login CSRF).
    let ambient = viewer.user.is_some() || !is_api;
    if unsafe_method && !by_token && ambient {
        let limit = crate::body_limit(parts.uri.path());
        // A respondent's answers survive a session that ran out while typing: the form goes
        // to its page marked stale, which shows it again with a fresh token and saves nothing.
        let keeps = !is_api && crate::survey::pages::keeps_stale_forms(parts.uri.path());
        let kept = if keeps {
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    body = axum::body::Body::from(bytes.clone());
                    Some(bytes)
                }
                Err(_) => {
                    let res = StatusCode::PAYLOAD_TOO_LARGE.into_response();
                    return finish(res, lang, Some(&viewer), is_api).await;
                }
            }
        } else {
            None
        };
        body = match csrf::check(&parts.headers, body, &viewer.csrf, limit).await {
            Ok(body) => body,
            Err(csrf::Refusal::Mismatch) if kept.is_some() => {
                parts.extensions.insert(crate::survey::pages::StaleForm);
                axum::body::Body::from(kept.unwrap_or_default())
            }
            Err(refusal) => {
                let res = match refusal {
                    // `finish` renders a bare 413 as "too large", page or problem.
                    csrf::Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
                    csrf::Refusal::Mismatch if is_api => ApiError::Csrf.into_response(),
                    csrf::Refusal::Mismatch => {
                        let mut r = StatusCode::FORBIDDEN.into_response();
                        r.extensions_mut().insert(ErrorReply::Page {
                            status: StatusCode::FORBIDDEN,
                            key: "csrf",
                        });
                        r
                    }
                };
                return finish(res, lang, Some(&viewer), is_api).await;
            }
        };
    }
    parts.extensions.insert(viewer.clone());
    let secure = is_https(&parts.headers);
    let res = next.run(Request::from_parts(parts, body)).await;
    let res = finish(res, lang, Some(&viewer), is_api).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    match new_csrf_cookie {
        // Only a page has forms that need the token.
        Some(c) if is_html => {
            let jar = CookieJar::new().add(private_cookie(CSRF_COOKIE, c, None, secure));
            (jar, res).into_response()
        }
        _ => res,
    }
}
