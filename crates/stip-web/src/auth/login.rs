//! Logging in and out, and slowing down password guessing.

use crate::extract::Form;
use crate::identity::{
    SESSION_COOKIE, SESSION_HOURS, Viewer, hash_password, is_https, private_cookie, random_token,
    token_hash, verify_password,
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
use axum_extra::extract::cookie::CookieJar;
use chrono::{DateTime, Utc};
use stip_store::Store;

/// Slows down password guessing with delays that grow with each failure, counted in the
/// database so every instance sees them. Three counters: per (account, address), so one
/// person's typos or one attacker's guesses slow down that pair soon; per account, looser, so
/// guesses spread over many addresses still slow down (but a colleague elsewhere can make the
/// owner wait a little, never lock them out); per address, loosest, against one address trying
/// many accounts (behind a reverse proxy that is not trusted, every client shares one address).
pub struct LoginThrottle;

/// After `free` failures in a run, each further failure makes the next attempt wait twice as
/// long as the one before, from 2 seconds up to `max_wait` seconds.
#[derive(Clone, Copy)]
pub struct Policy {
    pub free: i64,
    pub max_wait: i64,
}

pub const PER_ACCOUNT_AND_ADDRESS: Policy = Policy {
    free: 5,
    max_wait: 60,
};
pub const PER_ACCOUNT: Policy = Policy {
    free: 10,
    max_wait: 30,
};
pub const PER_ADDRESS: Policy = Policy {
    free: 50,
    max_wait: 60,
};
/// The longest an answer from a busy address is held back.
pub const ADDRESS_DELAY_SECONDS: u64 = 2;
/// A run of failures is forgotten this long after its last failure.
const FORGET_AFTER_MINUTES: i64 = 15;

/// The longest e-mail address there can be (RFC 5321 path limit); anything longer is refused
/// before it reaches the throttle or the database.
pub const MAX_EMAIL: usize = 254;

impl Policy {
    fn wait_after(self, failures: i64) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(16) as u32;
        2i64.saturating_pow(doublings + 1).min(self.max_wait)
    }
}

impl LoginThrottle {
    /// The counters an attempt on `email` from `address` touches, as hashes: no submitted text
    /// is stored, and every key has the same small size.
    fn keys(email: &str, address: &str) -> [(String, Policy); 3] {
        [
            (
                token_hash(&format!("pair\n{email}\n{address}")),
                PER_ACCOUNT_AND_ADDRESS,
            ),
            (token_hash(&format!("account\n{email}")), PER_ACCOUNT),
            (token_hash(&format!("address\n{address}")), PER_ADDRESS),
        ]
    }

    /// Seconds to wait before an attempt on `email` from `address` is answered, if any: the
    /// account's own counters refuse until then. The address's counter only slows the answer
    /// down (by at most [`ADDRESS_DELAY_SECONDS`]) and never refuses: a whole college behind one
    /// NAT address shares it, and a correct password must always get in.
    pub(crate) async fn wait(
        store: &Store,
        email: &str,
        address: &str,
    ) -> Result<Option<u64>, PageError> {
        let [(pair, _), (account, _), (by_address, _)] = Self::keys(email, address);
        let now = Utc::now();
        if let Some(until) = store.login_blocked_until(&[&pair, &account], now).await? {
            return Ok(Some(seconds_until(now, until)));
        }
        if let Some(until) = store.login_blocked_until(&[&by_address], now).await? {
            let secs = seconds_until(now, until).min(ADDRESS_DELAY_SECONDS);
            tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
        }
        Ok(None)
    }

    pub(crate) async fn fail(store: &Store, email: &str, address: &str) -> Result<(), PageError> {
        let now = Utc::now();
        let forget = chrono::Duration::minutes(FORGET_AFTER_MINUTES);
        for (key, policy) in Self::keys(email, address) {
            let failures = store.record_login_failure(&key, now, forget).await?;
            let wait = policy.wait_after(failures);
            if wait > 0 {
                store
                    .block_login(&key, now + chrono::Duration::seconds(wait))
                    .await?;
            }
        }
        Ok(())
    }

    /// After a successful login the pair starts afresh; the account's and the address's
    /// counters run on, so one success does not buy an attacker new free guesses.
    async fn succeed(store: &Store, email: &str, address: &str) -> Result<(), PageError> {
        let [(pair, _), ..] = Self::keys(email, address);
        Ok(store.forget_login_failures(&pair).await?)
    }
}

/// Whole seconds from `now` to `until`, rounded up, at least one.
fn seconds_until(now: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(0) as u64;
    ms.div_ceil(1000).max(1)
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
        crate::identity::urlencode(&self.next)
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
) -> Response {
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
        return res;
    }
    // No account has such an address: refused before it costs a database row or a query (a
    // control character is also what PostgreSQL cannot store in text).
    if email.len() > MAX_EMAIL || email.chars().any(char::is_control) {
        return refuse(String::new(), None);
    }
    let address = viewer.address.as_str();
    match LoginThrottle::wait(&state.store, &email, address).await {
        Ok(Some(wait)) => return refuse(email, Some(wait)),
        Ok(None) => {}
        Err(e) => return e.into_response(),
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
            if let Err(e) = LoginThrottle::fail(&state.store, &email, address).await {
                return e.into_response();
            }
            return refuse(email, None);
        }
    };
    if let Err(e) = LoginThrottle::succeed(&state.store, &email, address).await {
        return e.into_response();
    }
    // With SURFconext, the beheerder may keep passwords for beheerders only.
    match state.store.login_settings().await {
        Ok(rules) if !rules.allows_password(&user, state.oidc.is_some()) => {
            let mut res = render(&LoginPage {
                password_refused: true,
                ..LoginPage::new(&viewer, &state, email, &form.terug)
            });
            *res.status_mut() = StatusCode::FORBIDDEN;
            return res;
        }
        Ok(_) => {}
        Err(e) => return PageError::from(e).into_response(),
    }
    match start_session(&state, user.id, None, is_https(&headers)).await {
        Ok(cookie) => (
            CookieJar::new().add(cookie),
            Redirect::to(&local_path(&form.terug)),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// A new session for `user_id` (begun at the provider when there is an ID token) and the
/// cookie that carries it.
pub(crate) async fn start_session(
    state: &AppState,
    user_id: i64,
    id_token: Option<&str>,
    secure: bool,
) -> Result<axum_extra::extract::cookie::Cookie<'static>, PageError> {
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

/// A hash of a random password, verified when the account does not exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_token()));

/// Ends the session; one begun at SURFconext ends there too, where the provider offers that.
/// A session the database could not end is not reported as ended: the person gets the 503 page
/// and can log out again.
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let mut id_token = None;
    if let Some(token) = jar.get(SESSION_COOKIE) {
        let hash = token_hash(token.value());
        id_token = state.store.session_id_token(&hash).await?;
        state.store.delete_session(&hash).await?;
    }
    let gone = private_cookie(SESSION_COOKIE, String::new(), Some(0), is_https(&headers));
    let to = crate::sso::flow::after_logout(&state, id_token).await;
    Ok((jar.add(gone), Redirect::to(&to)).into_response())
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

    #[test]
    fn waits_double_after_the_free_failures_up_to_the_cap() {
        let p = PER_ACCOUNT_AND_ADDRESS;
        let waits: Vec<i64> = (1..=12).map(|n| p.wait_after(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(PER_ACCOUNT.wait_after(1_000_000), PER_ACCOUNT.max_wait);
    }
}
