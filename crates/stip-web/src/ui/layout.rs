//! What every page shares: the page chrome (navigation, user menu, language switch, skip
//! link), rendering, the home page, the error page and the language switch.

use crate::AppState;
use crate::auth::viewer::Viewer;
use crate::http::redirect::urlencode;
use crate::i18n::{LANG_COOKIE, Lang};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use stip_core::access::Action;
use stip_core::user::Role;

/// The parts of the layout that depend on who is looking, in which language.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub lang: Lang,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub csrf: String,
    pub path: String,
    /// Shows the Beheer menu item.
    pub can_manage: bool,
    /// The top-level section the page belongs to, for `aria-current`.
    pub section: &'static str,
}

impl Chrome {
    pub fn new(v: &Viewer) -> Chrome {
        let section = [
            "/inzicht",
            "/zoeken",
            "/prioriteren",
            "/enquete",
            "/bijeenkomsten",
            "/werksessies",
            "/positionering",
            "/projecten",
            "/instellingen",
            "/themas",
            "/beheer",
            "/api",
            "/account",
        ]
        .into_iter()
        .find(|s| v.path.starts_with(s))
        // Searching is part of insight.
        .map(|s| if s == "/zoeken" { "/inzicht" } else { s })
        .unwrap_or("/");
        Chrome {
            lang: v.lang,
            user_name: v.user.as_ref().map(|u| u.name.clone()),
            role: v.user.as_ref().map(|u| u.role),
            csrf: v.csrf.clone(),
            path: v.path.clone(),
            can_manage: v.may(Action::ManageAgenda) || v.may(Action::ManageInstitutions),
            section,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.t_with(key, args)
    }

    /// A stored moment in Dutch time, written out in the reader's language.
    pub fn moment(&self, stored: &str) -> String {
        crate::time::moment(self.lang, stored)
    }

    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        crate::time::date(self.lang, *d)
    }

    /// A whole number with thousands grouped as the reader's language writes it: 11.500 / 11,500.
    pub fn number(&self, n: &i64) -> String {
        let dutch = stip_core::number::Hundredths(n.saturating_mul(100)).to_dutch();
        match self.lang {
            crate::i18n::Lang::Nl => dutch,
            crate::i18n::Lang::En => dutch.replace('.', ","),
        }
    }

    pub fn label(&self, kind: &str, code: &str) -> String {
        self.lang.label(kind, code)
    }

    pub fn role_label(&self) -> String {
        self.role
            .map(|r| self.label("role", r.code()))
            .unwrap_or_default()
    }

    pub fn current(&self, section: &str) -> bool {
        self.section == section
    }

    pub fn switch_href(&self) -> String {
        format!(
            "/taal/{}?terug={}",
            self.lang.other().code(),
            urlencode(&self.path)
        )
    }

    pub fn switch_label(&self) -> String {
        self.t("nav.other_language")
    }

    pub fn switch_lang(&self) -> &'static str {
        self.lang.other().code()
    }
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/taal/{lang}", get(switch_language))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Back {
    terug: String,
}

/// The cookie that keeps `lang` as the person's choice. Not HttpOnly: the choice of language is
/// no secret. Kept for a year.
pub fn lang_cookie(lang: Lang) -> Cookie<'static> {
    Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .max_age(cookie::time::Duration::seconds(31_536_000))
        .same_site(SameSite::Lax)
        .build()
}

/// Remembers the chosen language in a cookie and goes back to the page the user was on.
async fn switch_language(Path(lang): Path<String>, Query(back): Query<Back>) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return crate::Error::NotFound.into_response();
    };
    (
        CookieJar::new().add(lang_cookie(lang)),
        Redirect::to(&crate::http::redirect::local_path(&back.terug)),
    )
        .into_response()
}

/// Alive: the process answers. For a load balancer's liveness check.
async fn healthz() -> Response {
    (StatusCode::OK, "ok").into_response()
}

/// How far behind the change log an instance may be and still take requests.
const READY_LAG: std::time::Duration = std::time::Duration::from_secs(3);

/// Ready to take requests: the database answers, the portfolio is in memory, and the change
/// log was read to its end within [`READY_LAG`]. Otherwise 503 saying which is not.
async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let unready = if !state.store.ping().await {
        Some("database unavailable".to_string())
    } else if !state.store.is_warm() {
        Some("portfolio not loaded yet".to_string())
    } else {
        match state.store.change_log_lag() {
            None => Some("change log not followed yet".to_string()),
            Some(lag) if lag > READY_LAG => Some(format!(
                "change log last followed {} ms ago",
                lag.as_millis()
            )),
            Some(_) => None,
        }
    };
    match unready {
        None => (StatusCode::OK, "ready").into_response(),
        Some(why) => (StatusCode::SERVICE_UNAVAILABLE, why).into_response(),
    }
}

impl Viewer {
    /// What every page around this viewer shows: navigation, language, the CSRF token.
    pub fn chrome(&self) -> Chrome {
        Chrome::new(self)
    }
}
