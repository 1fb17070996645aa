//! A session: started after a login (by password or at the provider), carried in a private
//! cookie, kept in the database, ended by logging out.

use super::token::{random_token, token_hash};
use crate::{AppState, Error};
use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "stip_session";
pub const CSRF_COOKIE: &str = "stip_csrf";
pub const SESSION_HOURS: i64 = 12;

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

/// A new session for `user_id` (begun at the provider when there is an ID token) and the
/// cookie that carries it.
pub(crate) async fn start_session(
    state: &AppState,
    user_id: i64,
    id_token: Option<&str>,
    secure: bool,
) -> Result<axum_extra::extract::cookie::Cookie<'static>, Error> {
    let token = random_token();
    let expires = crate::time::stamp(chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS));
    let hash = token_hash(&token);
    match id_token {
        Some(id_token) => {
            state
                .store
                .create_sso_session(&hash, user_id, &random_token(), &expires, id_token)
                .await?
        }
        None => {
            state
                .store
                .create_session(&hash, user_id, &random_token(), &expires)
                .await?
        }
    }
    Ok(private_cookie(
        SESSION_COOKIE,
        token,
        Some(SESSION_HOURS * 3600),
        secure,
    ))
}
