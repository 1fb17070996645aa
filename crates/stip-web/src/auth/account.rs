//! "Mijn account": every logged-in person changes their own password and keeps their personal
//! API tokens (lists them, makes a new one, revokes them one by one).

use super::Viewer;
use super::password::hash_password;
use super::session::SESSION_COOKIE;
use super::token::{new_api_token, token_hash};
use crate::http::extract::Form;
use crate::ui::form::{Errors, checked};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use stip_core::user::{self, User};
use stip_core::{ErrorCode, Invalid};
use stip_store::user::{ApiToken, NewPassword};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/wachtwoord", post(change_password))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/intrekken", post(revoke_token))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    name: String,
    email: String,
    /// "Je rol is lezer bij Horizon College."
    role_line: String,
    /// Whether the account logs in through SURFconext.
    sso: bool,
    /// Whether the account has a password (one made by SURFconext has none).
    has_password: bool,
    tokens: Vec<ApiToken>,
    errors: Errors,
    /// Whether the "also revoke all tokens" box is ticked (it is, until someone unticks it).
    revoke_tokens: bool,
    token_name: String,
    /// A token just made: shown this once.
    new_token: Option<String>,
    /// What was just done, to confirm it.
    done: Option<&'static str>,
}

impl AccountPage {
    fn intro(&self) -> String {
        self.c.t_with(
            "account.intro",
            &[("name", &self.name), ("email", &self.email)],
        )
    }

    fn revoke_label(&self, t: &ApiToken) -> String {
        let name = if t.name.is_empty() {
            self.c.t("account.unnamed")
        } else {
            t.name.clone()
        };
        self.c.t_with("account.revoke_named", &[("name", &name)])
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    user: &User,
    errors: Errors,
    revoke_tokens: bool,
    new_token: Option<String>,
    done: Option<&'static str>,
) -> Result<Response, Error> {
    let tokens = state.store.api_tokens(user.id).await?;
    let found = async {
        let institution = match user.institution_id {
            Some(id) => Some(state.store.institution(id).await?.data.name),
            None => None,
        };
        let sso = state.store.has_identity(user.id).await?;
        let has_password = !state.store.password_hash(user.id).await?.is_empty();
        Ok::<_, stip_store::StoreError>((institution, sso, has_password))
    };
    let (institution, sso, has_password) = found.await?;
    let c = viewer.chrome();
    let role = c.label("role", user.role.code());
    let role_line = match &institution {
        Some(name) => c.t_with(
            "account.role_institution",
            &[("role", &role), ("institution", name)],
        ),
        None => c.t_with("account.role_only", &[("role", &role)]),
    };
    let status = if errors.any() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut res = render(&AccountPage {
        c,
        name: user.name.clone(),
        email: user.email.clone(),
        role_line,
        sso,
        has_password,
        tokens,
        errors,
        revoke_tokens,
        token_name: String::new(),
        new_token,
        done,
    });
    *res.status_mut() = status;
    Ok(res)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Done {
    gedaan: String,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Done>,
) -> Result<Response, Error> {
    let user = viewer.logged_in()?;
    let done = match q.gedaan.as_str() {
        "wachtwoord" => Some("account.password_changed"),
        "ingetrokken" => Some("account.token_revoked"),
        _ => None,
    };
    page(
        &state,
        &viewer,
        user,
        Errors::none(viewer.lang),
        true,
        None,
        done,
    )
    .await
}

/// The password form as sent.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    revoke_tokens: String,
}

async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(p): Form<PasswordForm>,
) -> Result<Response, Error> {
    let user = viewer.logged_in()?;
    let revoke_tokens = checked(&p.revoke_tokens);
    let current = p.current_password.clone();
    let stored = state.store.password_hash(user.id).await?;
    let (password, hash) = (current.clone(), stored);
    let valid =
        tokio::task::spawn_blocking(move || super::password::verify_password(&password, &hash))
            .await
            .unwrap_or(false);
    let mut invalid = Invalid::default();
    if !valid {
        invalid.push("current_password", ErrorCode::WrongPassword);
    }
    let new = invalid.take("new_password", user::password(&p.new_password));
    let Some(new) = new.filter(|_| invalid.is_empty()) else {
        let errors = Errors::new(viewer.lang, invalid);
        return page(&state, &viewer, user, errors, revoke_tokens, None, None).await;
    };
    let hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))?;
    let session = jar
        .get(SESSION_COOKIE)
        .map(|c| token_hash(c.value()))
        .unwrap_or_default();
    let new = NewPassword {
        hash: &hash,
        revoke_tokens,
    };
    state.store.change_password(user.id, &new, &session).await?;
    Ok(Redirect::to("/account?gedaan=wachtwoord").into_response())
}

/// The most a token's name may be: it is a label, not a document.
const MAX_TOKEN_NAME: usize = 100;

/// The new-token form as sent.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    token_name: String,
}

async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(p): Form<TokenForm>,
) -> Result<Response, Error> {
    let user = viewer.logged_in()?;
    let name = match stip_core::error::optional_text(&p.token_name, MAX_TOKEN_NAME) {
        Ok(n) => n,
        Err(code) => {
            let errors = Errors::new(viewer.lang, Invalid::one("token_name", code));
            return page(&state, &viewer, user, errors, true, None, None).await;
        }
    };
    let (token, hash) = new_api_token();
    state
        .store
        .create_named_api_token(&hash, user.id, &name)
        .await?;
    let errors = Errors::none(viewer.lang);
    page(&state, &viewer, user, errors, true, Some(token), None).await
}

async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let user = viewer.logged_in()?;
    if state.store.revoke_api_token(user.id, id).await? {
        Ok(Redirect::to("/account?gedaan=ingetrokken").into_response())
    } else {
        // Someone else's token, or one already gone: nothing of yours by that id.
        Err(Error::NotFound)
    }
}
