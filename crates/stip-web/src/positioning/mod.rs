//! Positionering (issue 16): an institution's own place on the quadrant, its aspects and its
//! stakeholder map, mirrored against the network's anonymised distributions.

mod api;
mod pages;

use crate::auth::Viewer;
use stip_core::access::Action;
use stip_core::positioning::{Network, Settings, network};
use stip_store::StoreError;
use stip_store::positioning::SavedPosition;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The area's pages and API operations.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}

/// The viewer's institution, when they may read its positioning.
pub(crate) fn own_institution(viewer: &Viewer) -> Option<i64> {
    viewer
        .actor
        .institution_id()
        .filter(|&id| viewer.may(Action::ViewPositioning { institution_id: id }))
}

/// What the viewer may see: their institution's positioning (current first, then history), the
/// settings and the network's distributions with their own scores marked.
pub(crate) struct Mirror {
    pub settings: Settings,
    pub mine: Vec<SavedPosition>,
    pub network: Network,
    /// When the network's snapshot was last renewed; `None` before the first.
    pub renewed_at: Option<String>,
}

pub(crate) async fn mirror(state: &AppState, viewer: &Viewer) -> Result<Mirror, StoreError> {
    let settings = state.store.positioning_settings().await?;
    let mine = match own_institution(viewer) {
        Some(id) => state.store.positions_of(id, 50).await?,
        None => Vec::new(),
    };
    // The network sees a snapshot, renewed only once at least the threshold of institutions
    // saved since the last one: no single save shows as a difference between two moments.
    let snapshot = state.store.network_positions().await?;
    let mut network = network(
        &snapshot.positions,
        &settings.aspects,
        settings.threshold,
        mine.first().map(|s| &s.position),
    );
    if snapshot.taken_at.is_none() {
        // Nothing published yet: only how many have positioned themselves.
        network.answered = snapshot.institutions;
        network.needed = (network.threshold - snapshot.institutions).max(0);
    }
    Ok(Mirror {
        settings,
        mine,
        network,
        renewed_at: snapshot.taken_at,
    })
}
