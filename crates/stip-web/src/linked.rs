//! A project another record links to (a meeting's case, a working group's exchange), as one
//! reader may see it: every path that shows or makes such a link goes through [`linked`].

use crate::auth::Viewer;
use crate::{AppState, Error};
use std::sync::Arc;
use stip_core::access::{self, Action, Actor};
use stip_core::portfolio::Project;
use stip_store::StoreError;

/// A linked project as one reader may see it: a link never shows a project its reader may not
/// see.
pub enum Linked {
    Shown(Arc<Project>),
    /// It exists, but the reader may not see it: "een project van een andere instelling".
    Hidden,
    /// Deleted since (or never there).
    Gone,
}

impl Linked {
    /// Whether `actor` may make this link: only to a project they see. A hidden project and a
    /// missing one are refused alike, so the answer tells nothing of what exists.
    pub fn may_link(&self) -> bool {
        matches!(self, Linked::Shown(_))
    }
}

/// Project `id` as `actor` may see it.
pub async fn linked(state: &AppState, actor: &Actor, id: i64) -> Result<Linked, StoreError> {
    match state.store.project(id).await {
        Ok(p) => Ok(
            if access::may(
                actor,
                Action::ViewProject {
                    institution_id: p.institution_id,
                    visibility: p.data.visibility,
                },
            ) {
                Linked::Shown(p)
            } else {
                Linked::Hidden
            },
        ),
        Err(StoreError::NotFound) => Ok(Linked::Gone),
        Err(e) => Err(e),
    }
}

/// Project `id` if it exists and `actor` may see it.
pub async fn visible(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Option<Arc<Project>>, StoreError> {
    Ok(match linked(state, actor, id).await? {
        Linked::Shown(p) => Some(p),
        Linked::Hidden | Linked::Gone => None,
    })
}

/// Project `id` if `viewer` may see it; otherwise 404, the same answer as for a project that
/// does not exist, so none tells it does.
pub async fn visible_or_not_found(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<Arc<Project>, Error> {
    visible(state, &viewer.actor, id)
        .await?
        .ok_or(Error::NotFound)
}
