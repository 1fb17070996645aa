//! The agenda's working groups (issue 16): a theme's SAD working group and the log of exchanges
//! with it, read by everyone logged in and kept by the regiegroep.

mod api;
mod pages;

pub(crate) use pages::{ExchangeView, exchange_views};

use crate::AppState;
use crate::linked::linked;
use stip_core::Invalid;
use stip_core::access::Actor;
use stip_core::workgroup::{Exchange, ExchangeInput, WorkgroupData, WorkgroupInput};
use stip_store::StoreError;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages and API operations.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}

/// Checks a working group against the institutions.
pub(crate) async fn checked_group(
    state: &AppState,
    input: &WorkgroupInput,
) -> Result<Result<WorkgroupData, Invalid>, StoreError> {
    let lists = state.lists().await?;
    Ok(input.check(|id| lists.institutions.iter().any(|i| i.id == id)))
}

/// Checks an exchange against the projects and meetings.
/// Only projects `actor` may see can be linked; one they may not see is refused as if it were
/// not there.
pub(crate) async fn checked_exchange(
    state: &AppState,
    actor: &Actor,
    input: &ExchangeInput,
) -> Result<Result<Exchange, Invalid>, StoreError> {
    let mut projects = Vec::new();
    for id in &input.projects {
        if linked(state, actor, *id).await?.may_link() {
            projects.push(*id);
        }
    }
    let meetings: Vec<i64> = match input.meeting {
        Some(_) => state
            .store
            .meetings()
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect(),
        None => Vec::new(),
    };
    Ok(input.check(|p| projects.contains(&p), |m| meetings.contains(&m)))
}
