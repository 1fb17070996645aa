//! The [`Viewer`]: who is behind a request, as [`super::identify`] resolved it once for the
//! request. A leaf: what a viewer may do comes from `stip_core::access`, nothing else here.

use crate::i18n::Lang;
use axum::extract::FromRequestParts;
use axum::http::{StatusCode, request::Parts};
use stip_core::access::{self, Action, Actor};
use stip_core::user::User;

/// The person (or program) behind a request, resolved once per request by [`identify`].
#[derive(Clone, Debug)]
pub struct Viewer {
    pub actor: Actor,
    pub user: Option<User>,
    pub lang: Lang,
    /// The token every form of this viewer carries.
    pub csrf: String,
    /// The path and query of the request, for the language switch and "log in to continue".
    pub path: String,
    /// The client's IP address, for slowing down password guessing.
    pub address: String,
    /// Where people reach Stip (`scheme://host`), the start of every absolute link: see
    /// [`crate::http::address::origin`].
    pub origin: String,
}

impl Viewer {
    pub fn may(&self, action: Action) -> bool {
        access::may(&self.actor, action)
    }

    pub fn editor(&self) -> stip_store::portfolio::Editor {
        stip_store::portfolio::Editor {
            user_id: self.user.as_ref().map(|u| u.id),
            name: self
                .user
                .as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_default(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}
