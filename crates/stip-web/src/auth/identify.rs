//! Who is asking: every request's [`Viewer`], resolved from a server-side session (in the
//! database) or a personal API token, in the language the request asks for.

use super::session::{CSRF_COOKIE, SESSION_COOKIE, is_https, private_cookie};
use super::token::{WORKSHOP_TOKEN_PREFIX, bearer, random_token, token_hash};
use super::viewer::Viewer;
use crate::AppState;
use crate::http::error::{Error, finish};
use crate::i18n::{LANG_COOKIE, Lang};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use std::net::SocketAddr;
use stip_core::access::Actor;

/// Resolves the [`Viewer`] of every request (for the handlers and the layers inside, such as
/// [`super::csrf::check_forms`]) and renders errors in the viewer's language.
pub async fn identify(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
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

    let (user, csrf) = if let Some(token) = bearer(headers) {
        // A workshop participant's token is no account's: the workshop's handlers read it.
        if token.starts_with(WORKSHOP_TOKEN_PREFIX) {
            (None, String::new())
        } else {
            match state.store.api_token_user(&token_hash(token)).await {
                Ok(Some(user)) => (Some(user), String::new()),
                Ok(None) => {
                    return finish(Error::LoginRequired.into_response(), lang, None, is_api).await;
                }
                Err(e) => {
                    return finish(Error::from(e).into_response(), lang, None, is_api).await;
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
                    return finish(Error::from(e).into_response(), lang, None, is_api).await;
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
    let origin = crate::http::address::origin(
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
