//! Logging in with a password (slowed down by the [`LoginThrottle`]) and logging out.

use super::Viewer;
use super::password::{DUMMY_HASH, verify_password};
use super::session::{SESSION_COOKIE, is_https, private_cookie, start_session};
use super::throttle::{LoginThrottle, MAX_EMAIL};
use super::token::token_hash;
use crate::http::extract::Form;
use crate::http::redirect::local_path;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;

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
    /// Seconds to wait before the next attempt, after too many failures.
    wait: Option<u64>,
    /// The field left empty ("email" or "password"), said at that field.
    missing: Option<&'static str>,
    /// Whether SURFconext is configured (the button to log in there).
    sso: bool,
    /// A correct password of someone who must log in with SURFconext now.
    password_refused: bool,
}

impl LoginPage {
    /// The form as first shown: empty, nothing refused.
    fn new(viewer: &Viewer, state: &AppState, email: String, next: &str) -> LoginPage {
        LoginPage {
            c: viewer.chrome(),
            email,
            next: local_path(next),
            failed: false,
            wait: None,
            missing: None,
            sso: state.oidc.is_some(),
            password_refused: false,
        }
    }

    fn next_encoded(&self) -> String {
        crate::http::redirect::urlencode(&self.next)
    }

    fn wait_message(&self) -> String {
        let seconds = self.wait.unwrap_or(0);
        self.c
            .t_with("login.wait", &[("seconds", &seconds.to_string())])
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    terug: String,
}

async fn login_page(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    render(&LoginPage::new(&viewer, &state, String::new(), &q.terug))
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
) -> Result<Response, Error> {
    let refuse = |email: String, wait: Option<u64>| {
        let mut res = render(&LoginPage {
            failed: wait.is_none(),
            wait,
            ..LoginPage::new(&viewer, &state, email, &form.terug)
        });
        match wait {
            Some(secs) => {
                *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                res.headers_mut().insert(header::RETRY_AFTER, secs.into());
            }
            None => *res.status_mut() = StatusCode::UNAUTHORIZED,
        }
        res
    };
    let email = form.email.trim().to_lowercase();
    // An empty field is a slip, not a guess: said at the field, not counted, no hashing.
    let missing = if email.is_empty() {
        Some("email")
    } else if form.password.is_empty() {
        Some("password")
    } else {
        None
    };
    if missing.is_some() {
        let mut res = render(&LoginPage {
            missing,
            ..LoginPage::new(&viewer, &state, email, &form.terug)
        });
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    // No account has such an address: refused before it costs a database row or a query (a
    // control character is also what PostgreSQL cannot store in text).
    if email.len() > MAX_EMAIL || email.chars().any(char::is_control) {
        return Ok(refuse(String::new(), None));
    }
    let address = viewer.address.as_str();
    if let Some(wait) = LoginThrottle::wait(&state.store, &email, address).await? {
        return Ok(refuse(email, Some(wait)));
    }
    let found = state.store.user_for_login(&email).await?;
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
            LoginThrottle::fail(&state.store, &email, address).await?;
            return Ok(refuse(email, None));
        }
    };
    LoginThrottle::succeed(&state.store, &email, address).await?;
    // With SURFconext, the beheerder may keep passwords for beheerders only.
    let rules = state.store.login_settings().await?;
    if !rules.allows_password(&user, state.oidc.is_some()) {
        let mut res = render(&LoginPage {
            password_refused: true,
            ..LoginPage::new(&viewer, &state, email, &form.terug)
        });
        *res.status_mut() = StatusCode::FORBIDDEN;
        return Ok(res);
    }
    let cookie = start_session(&state, user.id, None, is_https(&headers)).await?;
    Ok((
        CookieJar::new().add(cookie),
        Redirect::to(&local_path(&form.terug)),
    )
        .into_response())
}

/// Ends the session; one begun at SURFconext ends there too, where the provider offers that.
/// A session the database could not end is not reported as ended: the person gets the 503 page
/// and can log out again.
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, Error> {
    let mut id_token = None;
    if let Some(token) = jar.get(SESSION_COOKIE) {
        let hash = token_hash(token.value());
        id_token = state.store.session_id_token(&hash).await?;
        state.store.delete_session(&hash).await?;
    }
    let gone = private_cookie(SESSION_COOKIE, String::new(), Some(0), is_https(&headers));
    let to = super::sso::flow::after_logout(&state, id_token).await;
    Ok((jar.add(gone), Redirect::to(&to)).into_response())
}
