//! Logging in and out, and slowing down password guessing.

use crate::extract::Form;
use crate::identity::{
    SESSION_COOKIE, SESSION_HOURS, Viewer, cookie, hash_password, is_https, random_token,
    set_cookie, token_hash, verify_password,
};
use crate::layout::{Chrome, render};
use crate::redirect::local_path;
use crate::{AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

async fn login_page(
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    render(&LoginPage {
        c: viewer.chrome(),
        email: String::new(),
        next: local_path(&q.terug),
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
                next: local_path(&form.terug),
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
    let mut res = Redirect::to(&local_path(&form.terug)).into_response();
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
    use crate::identity::hash_password;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let h = hash_password("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("anything", &DUMMY_HASH));
    }
}
