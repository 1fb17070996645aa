//! The login through the provider: `GET /inloggen/oidc` sends the browser there with a fresh
//! state, nonce and PKCE challenge; `GET /inloggen/oidc/terug` checks what comes back and logs
//! the person in (making their account on the first login); `/inloggen/oidc/koppelen` links a
//! provider account to the existing password account with its e-mail address once the person
//! gives that password. Every failure is a page that says what happened and how to try again,
//! with a line in the log.

use super::{CLOCK_SKEW, Oidc, Unreachable, chain};
use crate::auth::Viewer;
use crate::auth::password::verify_password;
use crate::auth::session::{is_https, private_cookie, start_session};
use crate::auth::throttle::LoginThrottle;
use crate::auth::token::{random_token, token_hash};
use crate::http::extract::Form;
use crate::http::redirect::local_path;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;
use openidconnect::core::{CoreGenderClaim, CoreResponseType};
use openidconnect::{
    AccessToken, AuthenticationFlow, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RequestTokenError, Scope, TokenResponse, UserInfoClaims,
};
use std::sync::Arc;
use stip_core::sso::Claims;
use stip_core::user::{Email, User};
use stip_store::sso::{PendingLink, PendingLogin};
use stip_store::user::UserData;
use subtle::ConstantTimeEq;

/// The cookie that ties the way back to the browser that went: the state it was sent with.
const STATE_COOKIE: &str = "stip_oidc";
/// The cookie of a provider account waiting to be linked to a password account.
const LINK_COOKIE: &str = "stip_oidc_link";
/// How long a login may take at the provider.
const LOGIN_MINUTES: i64 = 10;
/// How long a link waits for the password.
const LINK_MINUTES: i64 = 60;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inloggen/oidc", get(start))
        .route("/inloggen/oidc/terug", get(back))
        .route("/inloggen/oidc/koppelen", get(link_page).post(link))
}

/// Why a login did not succeed, as the person is told (and the log).
#[derive(Debug)]
enum Failure {
    /// The provider could not be reached (discovery, token or userinfo request).
    Unreachable(String),
    /// A way back this browser did not start, started long ago, or came back before.
    UnknownState,
    /// The provider says the login ended (the person cancelled, or it refused them).
    Cancelled(String),
    /// The provider refused the code (expired, used) or the client.
    CodeRefused(String),
    /// An answer Stip could not verify: the ID token's signature, issuer, audience, nonce,
    /// times, or a userinfo answer about someone else.
    Unverified(String),
    /// The provider gave no usable e-mail address.
    NoEmail,
    /// No institution has the home organisation among its domains.
    UnknownOrganisation(Option<String>),
    /// The Stip account is switched off.
    Inactive,
    /// Stip's own database failed: the standard error page, as anywhere else.
    Store(stip_store::StoreError),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::Unreachable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Failure::UnknownState | Failure::CodeRefused(_) => StatusCode::BAD_REQUEST,
            Failure::Cancelled(_) => StatusCode::UNAUTHORIZED,
            // Refused as a login that did not prove who it is (a 4xx, not the provider's 5xx:
            // the log says what did not verify).
            Failure::Unverified(_) => StatusCode::UNAUTHORIZED,
            Failure::NoEmail | Failure::UnknownOrganisation(_) | Failure::Inactive => {
                StatusCode::FORBIDDEN
            }
            Failure::Store(e) if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Failure::Unreachable(_) => "unreachable",
            Failure::UnknownState => "unknown_state",
            Failure::Cancelled(_) => "cancelled",
            Failure::CodeRefused(_) => "code_refused",
            Failure::Unverified(_) => "unverified",
            Failure::NoEmail => "no_email",
            Failure::UnknownOrganisation(_) => "unknown_organisation",
            Failure::Inactive => "inactive",
            Failure::Store(_) => "store",
        }
    }

    fn log(&self) {
        match self {
            Failure::Unreachable(e) => {
                tracing::warn!(error = %e, "SURFconext login: the provider could not be reached")
            }
            Failure::UnknownState => tracing::warn!(
                "SURFconext login: a way back with a state this browser did not start (or used before, or expired)"
            ),
            Failure::Cancelled(e) => {
                tracing::info!(error = %e, "SURFconext login: the provider ended the login")
            }
            Failure::CodeRefused(e) => {
                tracing::warn!(error = %e, "SURFconext login: the token endpoint refused the code")
            }
            Failure::Unverified(e) => {
                tracing::warn!(error = %e, "SURFconext login: refused an answer that did not verify (ID token or userinfo)")
            }
            Failure::NoEmail => tracing::warn!("SURFconext login: no e-mail address in the claims"),
            Failure::UnknownOrganisation(o) => tracing::warn!(
                organisation = o.as_deref().unwrap_or("-"),
                "SURFconext login: no institution has this home organisation; no account made"
            ),
            Failure::Inactive => tracing::warn!("SURFconext login: the account is switched off"),
            Failure::Store(e) => {
                tracing::error!(error = %e, "SURFconext login: the database failed")
            }
        }
    }
}

impl From<Unreachable> for Failure {
    fn from(u: Unreachable) -> Failure {
        Failure::Unreachable(u.0)
    }
}

#[derive(Template)]
#[template(path = "sso/failed.html")]
struct FailedPage {
    c: Chrome,
    title: String,
    text: String,
    retry: String,
}

/// The page for a login that failed at or on the way back from the provider; a database that
/// failed is the usual error.
fn failed(viewer: &Viewer, failure: Failure, return_to: &str) -> Result<Response, Error> {
    if let Failure::Store(e) = failure {
        return Err(e.into());
    }
    failure.log();
    let c = viewer.chrome();
    let key = failure.key();
    let title = match failure {
        Failure::UnknownOrganisation(_) => c.t("sso.failed.unknown_organisation_title"),
        _ => c.t("sso.failed.title"),
    };
    let text = match &failure {
        Failure::UnknownOrganisation(Some(org)) => {
            c.t_with("sso.failed.unknown_organisation", &[("organisation", org)])
        }
        Failure::UnknownOrganisation(None) => c.t("sso.failed.no_organisation"),
        _ => c.t(&format!("sso.failed.{key}")),
    };
    // Trying again only helps where the cause may have passed; otherwise back to the login page.
    let retry = match failure {
        Failure::UnknownOrganisation(_) | Failure::NoEmail | Failure::Inactive => {
            "/inloggen".to_string()
        }
        _ => format!(
            "/inloggen/oidc?terug={}",
            crate::http::redirect::urlencode(&local_path(return_to))
        ),
    };
    let mut res = render(&FailedPage {
        c,
        title,
        text,
        retry,
    });
    *res.status_mut() = failure.status();
    Ok(res)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct StartQuery {
    terug: String,
}

/// Sends the browser to the provider, remembering (in the database, so any instance can finish
/// it) the nonce and PKCE verifier under the state, and (in a cookie) the state.
async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> Result<Response, Error> {
    let oidc = state.oidc.clone().ok_or(Error::NotFound)?;
    let return_to = local_path(&q.terug);
    // Read afresh for every login: a provider that is down gets Stip's page now, not a browser
    // error there; and its keys are the newest when the browser comes back.
    let metadata = match oidc.metadata(true).await {
        Ok(m) => m,
        Err(e) => return failed(&viewer, e.into(), &return_to),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = oidc.client(metadata);
    let mut request = client.authorize_url(
        AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in oidc.scopes.iter().filter(|s| *s != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf_state, nonce) = request.set_pkce_challenge(challenge).url();
    let pending = PendingLogin {
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        return_to,
        expires_at: crate::time::stamp(
            chrono::Utc::now() + chrono::Duration::minutes(LOGIN_MINUTES),
        ),
    };
    state
        .store
        .start_oidc_login(&token_hash(csrf_state.secret()), &pending)
        .await?;
    let cookie = private_cookie(
        STATE_COOKIE,
        csrf_state.secret().clone(),
        Some(LOGIN_MINUTES * 60),
        oidc.https() || is_https(&headers),
    );
    Ok((
        StatusCode::FOUND,
        CookieJar::new().add(cookie),
        [(axum::http::header::LOCATION, url.to_string())],
    )
        .into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct BackQuery {
    code: String,
    state: String,
    error: String,
    error_description: String,
}

/// The browser is back from the provider.
async fn back(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<BackQuery>,
) -> Result<Response, Error> {
    let oidc = state.oidc.clone().ok_or(Error::NotFound)?;
    let secure = oidc.https() || is_https(&headers);
    // The state cookie is spent whatever happens next.
    let jar = jar.add(private_cookie(STATE_COOKIE, String::new(), Some(0), secure));
    // The state must be the one this browser was sent with, and one the database still holds.
    let sent = jar_value(&headers, STATE_COOKIE);
    let same = !q.state.is_empty()
        && sent
            .as_deref()
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(q.state.as_bytes())));
    let pending = if same {
        state.store.take_oidc_login(&token_hash(&q.state)).await?
    } else {
        None
    };
    let Some(pending) = pending else {
        return Ok((jar, failed(&viewer, Failure::UnknownState, "/")?).into_response());
    };
    if !q.error.is_empty() {
        let why = format!("{}: {}", q.error, q.error_description);
        return Ok((
            jar,
            failed(&viewer, Failure::Cancelled(why), &pending.return_to)?,
        )
            .into_response());
    }
    let return_to = pending.return_to.clone();
    Ok(match finish(&state, &oidc, &q.code, pending).await {
        Ok(Outcome::LoggedIn { user, id_token }) => {
            let cookie = start_session(&state, user.id, Some(&id_token), secure).await?;
            (jar.add(cookie), Redirect::to(&return_to)).into_response()
        }
        Ok(Outcome::Link { token, email }) => {
            let cookie = private_cookie(LINK_COOKIE, token, Some(LINK_MINUTES * 60), secure);
            (jar.add(cookie), link_form(&viewer, &email, false)).into_response()
        }
        Err(f) => (jar, failed(&viewer, f, &return_to)?).into_response(),
    })
}

fn jar_value(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// A claim that may come in several languages, in its default one.
fn text<T: std::ops::Deref<Target = String>>(
    claim: Option<&openidconnect::LocalizedClaim<T>>,
) -> Option<String> {
    claim.and_then(|c| c.get(None)).map(|t| t.to_string())
}

enum Outcome {
    LoggedIn {
        user: User,
        id_token: String,
    },
    /// A link waiting for the password of the account with this e-mail address.
    Link {
        token: String,
        email: String,
    },
}

/// Exchanges the code, verifies the ID token, reads the claims, and finds, makes or links the
/// account.
async fn finish(
    state: &AppState,
    oidc: &Arc<Oidc>,
    code: &str,
    pending: PendingLogin,
) -> Result<Outcome, Failure> {
    let client = oidc.client(oidc.metadata(false).await?);
    let request = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| Failure::Unreachable(format!("the provider names no token endpoint: {e}")))?;
    let tokens = request
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&oidc.http)
        .await
        .map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => Failure::CodeRefused(r.to_string()),
            RequestTokenError::Request(e) => Failure::Unreachable(chain(&e)),
            RequestTokenError::Parse(e, _) => Failure::Unverified(format!(
                "the token response (with its ID token) could not be read: {e}"
            )),
            RequestTokenError::Other(e) => Failure::Unverified(e),
        })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| Failure::Unverified("the token response has no ID token".into()))?;
    let nonce = Nonce::new(pending.nonce.clone());
    let now = chrono::Utc::now;
    let verify = |client: &super::Client| {
        let verifier = client
            .id_token_verifier()
            // Expired only once the provider's clock, however far ahead, agrees too.
            .set_time_fn(move || now() - CLOCK_SKEW)
            .set_issue_time_verifier_fn(move |iat| {
                let t = now();
                if iat > t + CLOCK_SKEW {
                    Err(format!("ID token issued in the future ({iat})"))
                } else if iat < t - chrono::Duration::minutes(LOGIN_MINUTES) - CLOCK_SKEW {
                    Err(format!("ID token issued too long ago ({iat})"))
                } else {
                    Ok(())
                }
            });
        id_token.claims(&verifier, &nonce).cloned()
    };
    let claims = match verify(&client) {
        Ok(c) => c,
        // A key Stip does not know yet: the provider may have rotated its keys; read them again
        // and check once more.
        Err(openidconnect::ClaimsVerificationError::SignatureVerification(
            openidconnect::SignatureVerificationError::NoMatchingKey,
        )) => {
            let fresh = oidc.client(oidc.metadata(true).await?);
            verify(&fresh).map_err(|e| Failure::Unverified(format!("ID token: {}", chain(&e))))?
        }
        Err(e) => return Err(Failure::Unverified(format!("ID token: {}", chain(&e)))),
    };
    let mut person = Claims {
        subject: claims.subject().to_string(),
        name: text(claims.name()),
        given_name: text(claims.given_name()),
        family_name: text(claims.family_name()),
        email: claims.email().map(|e| e.to_string()),
        home_organisation: claims.additional_claims().schac_home_organization.clone(),
    };
    // SURFconext releases most attributes at the userinfo endpoint; what it says there wins.
    if let Ok(request) = client.user_info(
        AccessToken::new(tokens.access_token().secret().clone()),
        Some(claims.subject().clone()),
    ) {
        let info: UserInfoClaims<super::SurfClaims, CoreGenderClaim> = request
            .request_async(&oidc.http)
            .await
            .map_err(|e| match e {
                openidconnect::UserInfoError::Request(e) => Failure::Unreachable(chain(&e)),
                e => Failure::Unverified(format!("userinfo: {}", chain(&e))),
            })?;
        person.name = text(info.name()).or(person.name);
        person.given_name = text(info.given_name()).or(person.given_name);
        person.family_name = text(info.family_name()).or(person.family_name);
        person.email = info.email().map(|e| e.to_string()).or(person.email);
        person.home_organisation = info
            .additional_claims()
            .schac_home_organization
            .clone()
            .or(person.home_organisation);
    }
    let id_token = id_token.to_string();
    account(state, oidc, &person, id_token, &pending.return_to).await
}

/// The account the person logs in to: linked before, made now, or waiting for a link.
async fn account(
    state: &AppState,
    oidc: &Oidc,
    person: &Claims,
    id_token: String,
    return_to: &str,
) -> Result<Outcome, Failure> {
    let store = &state.store;
    let db = Failure::Store;
    let email = person.email();
    let name = person.display_name().ok_or(Failure::NoEmail)?;
    if let Some(user) = store
        .identity_user(oidc.issuer(), &person.subject)
        .await
        .map_err(db)?
    {
        if !user.active {
            return Err(Failure::Inactive);
        }
        let user = store
            .sso_logged_in(
                &user,
                oidc.issuer(),
                &person.subject,
                &name,
                email.as_ref().map(Email::as_str),
            )
            .await
            .map_err(db)?;
        return Ok(Outcome::LoggedIn { user, id_token });
    }
    let email = email.ok_or(Failure::NoEmail)?;
    // An account with this address exists: linked only once its password is given.
    if let Some(user) = store
        .user_for_login(email.as_str())
        .await
        .map_err(db)?
        .map(|(u, _)| u)
    {
        if !user.active {
            return Err(Failure::Inactive);
        }
        let token = random_token();
        let link = PendingLink {
            user_id: user.id,
            issuer: oidc.issuer().to_string(),
            subject: person.subject.clone(),
            name,
            id_token,
            return_to: return_to.to_string(),
            expires_at: crate::time::stamp(
                chrono::Utc::now() + chrono::Duration::minutes(LINK_MINUTES),
            ),
        };
        store
            .save_oidc_link(&token_hash(&token), &link)
            .await
            .map_err(db)?;
        return Ok(Outcome::Link {
            token,
            email: user.email,
        });
    }
    let institutions = store.institutions().await.map_err(db)?;
    let institution = person
        .institution(&institutions)
        .ok_or_else(|| Failure::UnknownOrganisation(person.home_organisation.clone()))?;
    let settings = store.login_settings().await.map_err(db)?;
    let data = UserData {
        email: &email,
        name: &name,
        role: settings.sso_role,
        institution_id: Some(institution.id),
        active: true,
    };
    let id = store
        .create_sso_user(&data, oidc.issuer(), &person.subject)
        .await
        .map_err(db)?;
    tracing::info!(user = id, institution = %institution.data.brin, role = %settings.sso_role, "SURFconext login: made an account");
    let user = store.user(id).await.map_err(db)?;
    Ok(Outcome::LoggedIn { user, id_token })
}

#[derive(Template)]
#[template(path = "sso/link.html")]
struct LinkPage {
    c: Chrome,
    email: String,
    wrong: bool,
}

impl LinkPage {
    fn intro(&self) -> String {
        self.c.t_with("sso.link.intro", &[("email", &self.email)])
    }
}

fn link_form(viewer: &Viewer, email: &str, wrong: bool) -> Response {
    let mut res = render(&LinkPage {
        c: viewer.chrome(),
        email: email.to_string(),
        wrong,
    });
    if wrong {
        *res.status_mut() = StatusCode::UNAUTHORIZED;
    }
    res
}

/// The link waiting for this browser, with the token's hash.
async fn waiting(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(String, PendingLink)>, Error> {
    let Some(token) = jar_value(headers, LINK_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    Ok(state.store.oidc_link(&hash).await?.map(|l| (hash, l)))
}

async fn link_page(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, Error> {
    match waiting(&state, &headers).await? {
        Some((_, link)) => {
            let user = state.store.user(link.user_id).await?;
            Ok(link_form(&viewer, &user.email, false))
        }
        None => failed(&viewer, Failure::UnknownState, "/"),
    }
}

#[derive(serde::Deserialize)]
struct LinkForm {
    #[serde(default)]
    password: String,
}

/// The person gives the password of the account with their address: the provider account is
/// linked to it and they are logged in. Slowed down like the login form.
async fn link(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LinkForm>,
) -> Result<Response, Error> {
    let oidc = state.oidc.clone().ok_or(Error::NotFound)?;
    let Some((hash, pending)) = waiting(&state, &headers).await? else {
        return failed(&viewer, Failure::UnknownState, "/");
    };
    let found = state.store.user(pending.user_id).await?;
    let address = viewer.address.clone();
    if LoginThrottle::wait(&state.store, &found.email, &address)
        .await?
        .is_some()
    {
        return Ok(link_form(&viewer, &found.email, true));
    }
    let hash_of_password = state.store.password_hash(found.id).await?;
    let password = form.password;
    let valid = tokio::task::spawn_blocking(move || verify_password(&password, &hash_of_password))
        .await
        .unwrap_or(false);
    if !valid || !found.active {
        LoginThrottle::fail(&state.store, &found.email, &address).await?;
        return Ok(link_form(&viewer, &found.email, true));
    }
    if !state.store.complete_oidc_link(&hash, &pending).await? {
        return failed(&viewer, Failure::UnknownState, "/");
    }
    tracing::info!(
        user = found.id,
        "SURFconext login: linked to the password account after its password was given"
    );
    let secure = oidc.https() || is_https(&headers);
    let jar = jar.add(private_cookie(LINK_COOKIE, String::new(), Some(0), secure));
    let cookie = start_session(&state, found.id, Some(&pending.id_token), secure).await?;
    Ok((
        jar.add(cookie),
        Redirect::to(&local_path(&pending.return_to)),
    )
        .into_response())
}

/// Where logging out sends the browser: the provider's end-session endpoint when the session
/// began there and the provider has one (RP-initiated logout), else Stip's home page.
pub async fn after_logout(state: &AppState, id_token: Option<String>) -> String {
    let (Some(oidc), Some(id_token)) = (state.oidc.as_ref(), id_token) else {
        return "/".into();
    };
    let Some(end) = oidc.end_session().await else {
        return "/".into();
    };
    let mut request = openidconnect::LogoutRequest::from(end).set_client_id(oidc.client_id.clone());
    if let Ok(token) = id_token.parse::<openidconnect::core::CoreIdToken>() {
        request = request.set_id_token_hint(&token);
    }
    if let Ok(back) = openidconnect::PostLogoutRedirectUrl::new(format!("{}/", oidc.public_url)) {
        request = request.set_post_logout_redirect_uri(back);
    }
    request.http_get_url().to_string()
}
