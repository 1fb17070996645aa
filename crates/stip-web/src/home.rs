//! The home page: for visitors what Stip is; for people with an account also their own
//! institution's projects that need attention and the latest changes in the network.

use crate::identity::Viewer;
use crate::layout::{Chrome, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::institution::Institution;
use stip_core::portfolio::{ListQuery, Project};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// How many changed projects the home page lists.
const LATEST: &str = "8";

/// An informatiemanager's own portfolio at a glance.
struct Own {
    institution: Institution,
    total: u64,
    /// Running projects with a status older than the stale limit or a passed end date.
    attention: Vec<Arc<Project>>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    own: Option<Own>,
    latest: Vec<Arc<Project>>,
    today: NaiveDate,
}

impl HomePage {
    fn stale(&self, p: &Project) -> bool {
        p.status_is_stale(self.today)
    }
    fn overdue(&self, p: &Project) -> bool {
        p.is_overdue(self.today)
    }
}

async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let today = crate::time::today();
    let scope = project_scope(&viewer.actor);
    let mut own = None;
    let mut latest = Vec::new();
    if viewer.user.is_some() {
        if let Some(id) = viewer.actor.institution_id() {
            let institution = state.store.institution(id).await?;
            let query = ListQuery {
                institution: institution.data.brin.to_string(),
                per_page: stip_core::portfolio::MAX_PER_PAGE.to_string(),
                ..Default::default()
            };
            let request = query.parse().map_err(PageError::Invalid)?;
            let page = state.store.list_projects(&request, scope).await?;
            let attention = page
                .items
                .into_iter()
                .filter(|p| p.status_is_stale(today) || p.is_overdue(today))
                .collect();
            own = Some(Own {
                institution,
                total: page.total,
                attention,
            });
        }
        let query = ListQuery {
            sort: "-updated".into(),
            per_page: LATEST.into(),
            ..Default::default()
        };
        let request = query.parse().map_err(PageError::Invalid)?;
        latest = state.store.list_projects(&request, scope).await?.items;
    }
    Ok(render(&HomePage {
        c: viewer.chrome(),
        own,
        latest,
        today,
    }))
}
