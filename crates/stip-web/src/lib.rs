//! Stip on the web: the HTML pages and the JSON API, each area in its own module, plus what all
//! of them share (auth, languages, errors, security headers, assets).

mod admin;
mod agenda;
mod assets;
pub mod auth;
pub mod demo;
pub mod exchange;
mod home;
mod http;
pub mod i18n;
mod insight;
mod institution;
mod linked;
mod lists;
mod meeting;
mod metrics;
mod mora;
mod openapi;
mod portfolio;
mod positioning;
mod prioritisation;
mod survey;
mod time;
mod ui;
mod user;
mod workgroup;
mod workshop;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use std::sync::{Arc, RwLock};
use stip_store::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use http::address::{TrustedProxies, parse_public_url};
pub use http::error::{Error, Problem};

/// The reference lists with the store's generation they were read at.
type CachedLists = (u64, Arc<lists::Lists>);

/// The largest request body Stip reads: 4 MB, except for an import's upload.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// The most a request to `path` may carry: an overview to import may be as large as the
/// importer reads (20 MB), every other request [`MAX_BODY`].
pub fn body_limit(path: &str) -> usize {
    match path {
        "/api/v1/imports" | "/projecten/importeren" => exchange::MAX_UPLOAD,
        _ => MAX_BODY,
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Whose `X-Forwarded-For` names the client (for slowing down password guessing).
    pub trusted_proxies: Arc<TrustedProxies>,
    lists: Arc<RwLock<Option<CachedLists>>>,
    /// Survey results, kept until the survey's responses change (see `survey::results`).
    survey_results: Arc<survey::ResultsCache>,
    pub stale_after_days: u32,
    /// The provider people log in with (SURFconext), when configured.
    pub oidc: Option<Arc<auth::sso::Oidc>>,
    /// `STIP_PUBLIC_URL`: when set, the one start of every absolute link.
    pub public_url: Option<Arc<str>>,
    /// Turns to read an uploaded file (see `exchange::Readers`).
    pub readers: Arc<exchange::Readers>,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            trusted_proxies: Arc::default(),
            lists: Arc::default(),
            survey_results: Arc::default(),
            stale_after_days: stip_core::portfolio::STATUS_STALE_AFTER_DAYS,
            oidc: None,
            public_url: None,
            readers: Arc::default(),
        }
    }

    /// Makes every absolute link start with `url` (already checked by
    /// [`address::parse_public_url`]), whatever the request's headers say.
    pub fn with_public_url(mut self, url: &str) -> AppState {
        self.public_url = Some(url.trim_end_matches('/').into());
        self
    }

    /// Reads uploaded files with these turns (how many at once, how long a request waits).
    pub fn with_readers(mut self, readers: Arc<exchange::Readers>) -> AppState {
        self.readers = readers;
        self
    }

    /// Logs people in with their institution's account through this provider too.
    pub fn with_oidc(mut self, oidc: auth::sso::Oidc) -> AppState {
        self.oidc = Some(Arc::new(oidc));
        self
    }

    /// After how many days without an update a running project's status is out of date.
    pub fn with_stale_after_days(mut self, days: u32) -> AppState {
        self.stale_after_days = days;
        self
    }

    /// The day before which a running project's status is out of date, today.
    pub fn stale_limit(&self) -> chrono::NaiveDate {
        stip_core::portfolio::stale_limit(time::today(), self.stale_after_days)
    }

    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// Institutions, themes, drivers, MORA areas and criteria, read again only after one of
    /// them changed.
    pub async fn lists(&self) -> Result<Arc<lists::Lists>, stip_store::StoreError> {
        let generation = self.store.reference_generation();
        if let Some((g, lists)) = &*self.lists.read().unwrap_or_else(|e| e.into_inner())
            && *g == generation
        {
            return Ok(lists.clone());
        }
        let fresh = Arc::new(lists::Lists::load(&self.store).await?);
        *self.lists.write().unwrap_or_else(|e| e.into_inner()) = Some((generation, fresh.clone()));
        Ok(fresh)
    }
}

/// Every area's pages and API operations. An operation cannot exist without being documented:
/// its route and its OpenAPI path come from the same `routes!`.
fn areas() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(ui::layout::routes().into())
        .merge(home::routes().into())
        .merge(admin::routes().into())
        .merge(user::routes().into())
        .merge(auth::routes())
        .merge(institution::routes())
        .merge(agenda::routes())
        .merge(mora::routes())
        .merge(portfolio::routes())
        .merge(exchange::routes())
        .merge(insight::routes())
        .merge(prioritisation::routes())
        .merge(survey::routes())
        .merge(meeting::routes())
        .merge(workshop::routes())
        .merge(workgroup::routes())
        .merge(positioning::routes())
}

/// The whole application: pages, API, assets, with identity, CSRF and security headers.
pub fn router(state: AppState) -> Router {
    // Logging out of a SURFconext session is a form whose answer sends the browser on to the
    // provider's end-session endpoint, so form-action names the provider too.
    let form_action = match &state.oidc {
        Some(oidc) => format!("'self' {}", oidc.origin()),
        None => "'self'".into(),
    };
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action {form_action}"
    );
    let (areas, document) = areas().split_for_parts();
    Router::new()
        .merge(areas)
        .merge(openapi::routes(document))
        .merge(assets::routes())
        .route_layer(axum::middleware::from_fn(metrics::track))
        .fallback(http::error::not_found)
        // The most any request may carry; the CSRF check reads form bodies up to the same size.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        // Inside the identification, which gives it the viewer's token to expect.
        .layer(axum::middleware::from_fn_with_state(
            survey::keeps_stale_forms as auth::csrf::KeepsStaleForms,
            auth::csrf::check_forms,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).expect("the policy is a valid header"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        // Every request gets an id (or keeps the proxy's), logged with it and sent back.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
