//! Who is asking and how they got in: the [`Viewer`] of every request ([`identify`]), the CSRF
//! check ([`csrf`]), every token Stip hands out ([`token`]), passwords, sessions and the login
//! throttle, the login and account pages, and logging in with SURFconext ([`sso`]). Auth knows
//! no area: a route that needs another rule says so where the router is put together.

mod account;
pub mod csrf;
mod identify;
mod login;
pub mod password;
pub mod session;
pub mod sso;
pub mod throttle;
pub mod token;
pub mod viewer;

use crate::AppState;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;

pub use identify::identify;
pub use viewer::Viewer;

/// Logging in and out, the account page, and SURFconext's login and settings (pages and API).
pub fn routes() -> OpenApiRouter<AppState> {
    let pages = Router::new()
        .merge(login::routes())
        .merge(account::routes())
        .merge(sso::flow::routes())
        .merge(sso::settings::routes());
    sso::settings::api_routes().merge(pages.into())
}
