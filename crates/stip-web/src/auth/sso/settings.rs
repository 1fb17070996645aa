//! The beheerder's rules for logging in: `/beheer/inloggen` and `/api/v1/login-settings`.

use crate::auth::Viewer;
use crate::http::extract::{Form, json_body};
use crate::ui::form::Errors;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use stip_core::access::Action;
use stip_core::sso::{LoginSettings, LoginSettingsInput, PasswordLogin, SSO_ROLES};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new().route("/beheer/inloggen", get(page).post(save))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_settings, save_settings))
}

#[derive(Template)]
#[template(path = "sso/settings.html")]
struct SettingsPage {
    c: Chrome,
    /// The provider's issuer when SURFconext is configured.
    issuer: Option<String>,
    configured: bool,
    password_login: String,
    sso_role: String,
    password_options: Vec<(&'static str, String)>,
    role_options: Vec<(String, String)>,
    errors: Errors,
    saved: bool,
    /// What saving ended: "3 sessies en 1 API-token …".
    ended: Option<String>,
}

impl SettingsPage {
    fn new(state: &AppState, viewer: &Viewer, input: LoginSettingsInput, errors: Errors) -> Self {
        let c = viewer.chrome();
        let password_options = PasswordLogin::ALL
            .iter()
            .map(|p| (p.code(), c.t(&format!("sso.settings.{}", p.code()))))
            .collect();
        let role_options = SSO_ROLES
            .iter()
            .map(|r| {
                (
                    r.code().to_string(),
                    capitalised(&c.label("role", r.code())),
                )
            })
            .collect();
        let issuer = state.oidc.as_ref().map(|o| o.issuer().to_string());
        SettingsPage {
            c,
            configured: issuer.is_some(),
            issuer,
            password_login: input.password_login,
            sso_role: input.sso_role,
            password_options,
            role_options,
            errors,
            saved: false,
            ended: None,
        }
    }

    fn configured_text(&self) -> String {
        self.c.t_with(
            "sso.settings.configured",
            &[("issuer", self.issuer.as_deref().unwrap_or(""))],
        )
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn input_of(s: LoginSettings) -> LoginSettingsInput {
    LoginSettingsInput {
        password_login: s.password_login.code().into(),
        sso_role: s.sso_role.code().into(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    opgeslagen: Option<String>,
    /// Password sessions and API tokens the save ended.
    sessies: u64,
    tokens: u64,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    let current = state.store.login_settings().await?;
    let mut page = SettingsPage::new(
        &state,
        &viewer,
        input_of(current),
        Errors::none(viewer.lang),
    );
    page.saved = q.opgeslagen.is_some();
    page.ended = (q.sessies > 0 || q.tokens > 0).then(|| {
        viewer.chrome().t_with(
            "sso.settings.ended",
            &[
                ("sessions", &q.sessies.to_string()),
                ("tokens", &q.tokens.to_string()),
            ],
        )
    });
    Ok(render(&page))
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(input): Form<LoginSettingsInput>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    match input.check() {
        Ok(s) => {
            let (sessions, tokens) = state
                .store
                .save_login_settings(&s, state.oidc.is_some())
                .await?;
            Ok(Redirect::to(&format!(
                "/beheer/inloggen?opgeslagen=1&sessies={sessions}&tokens={tokens}"
            ))
            .into_response())
        }
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&SettingsPage::new(
                &state,
                &viewer,
                input,
                Errors::new(viewer.lang, e),
            )),
        )
            .into_response()),
    }
}

/// Who may log in with a password once SURFconext is configured, and the role of an account
/// SURFconext makes.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginSettingsJson {
    /// `everyone`, or `beheerders`: everyone else logs in with SURFconext (applies only while
    /// SURFconext is configured).
    #[schema(example = "beheerders")]
    pub password_login: String,
    /// `lezer` or `informatiemanager`.
    #[schema(example = "lezer")]
    pub sso_role: String,
}

fn json(s: LoginSettings) -> LoginSettingsJson {
    LoginSettingsJson {
        password_login: s.password_login.code().into(),
        sso_role: s.sso_role.code().into(),
    }
}

/// The rules for logging in (the beheerder).
#[utoipa::path(get, path = "/api/v1/login-settings", tag = "login", operation_id = "read_login_settings",
    responses((status = 200, description = "The rules", body = LoginSettingsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder", body = crate::Problem)))]
pub async fn read_settings(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<LoginSettingsJson>, Error> {
    viewer.require(Action::ManageUsers)?;
    Ok(Json(json(state.store.login_settings().await?)))
}

/// Sets the rules for logging in (the beheerder).
#[utoipa::path(put, path = "/api/v1/login-settings", tag = "login", operation_id = "save_login_settings", request_body = LoginSettingsJson,
    responses((status = 200, description = "Saved", body = LoginSettingsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder", body = crate::Problem),
        (status = 422, description = "A field is refused: `password_login`, `sso_role`", body = crate::Problem)))]
pub async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<LoginSettingsJson>, Error> {
    viewer.require(Action::ManageUsers)?;
    let sent: LoginSettingsJson = json_body(&headers, &body)?;
    let settings = LoginSettingsInput {
        password_login: sent.password_login,
        sso_role: sent.sso_role,
    }
    .check()
    .map_err(Error::Invalid)?;
    state
        .store
        .save_login_settings(&settings, state.oidc.is_some())
        .await?;
    Ok(Json(json(settings)))
}
