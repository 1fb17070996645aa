//! Vergelijken (issue 33): two or three institutions' portfolios side by side, as the duos and
//! trios of the seed's workshop laid theirs out on paper: per theme of the active agenda, the
//! alike projects across them, what only one of them does, and their balance beside the
//! network's (`/vergelijken`, `/api/v1/compare`). Everything counts only what the viewer may
//! see.

mod api;
mod pages;

use crate::auth::Viewer;
use crate::lists::Lists;
use crate::{AppState, Error};
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::insight::{Mix, Tally};
use stip_core::portfolio::{Project, ProjectFilter};
use stip_core::{ErrorCode, Invalid};
use stip_store::compare::Comparison;
use utoipa_axum::router::OpenApiRouter;

/// This sub-feature's pages and API operations.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}

/// An institution being compared.
pub(crate) struct Chosen {
    pub id: i64,
    pub brin: String,
    pub name: String,
}

/// The institutions `typed` names (each by BRIN code or name), two or three different ones,
/// in the order typed; else why not, on the field `institution`.
pub(crate) fn chosen(lists: &Lists, typed: &[String]) -> Result<Vec<Chosen>, Invalid> {
    let typed: Vec<&str> = typed
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if !(2..=3).contains(&typed.len()) {
        return Err(Invalid::one(
            "institution",
            ErrorCode::OutOfRange { min: 2, max: 3 },
        ));
    }
    let mut out: Vec<Chosen> = Vec::new();
    for t in typed {
        let i = crate::ui::picker::institution(lists, t)
            .map_err(|code| Invalid::one("institution", code))?;
        if out.iter().any(|c| c.id == i.id) {
            return Err(Invalid::one("institution", ErrorCode::Duplicate));
        }
        out.push(Chosen {
            id: i.id,
            brin: i.data.brin.to_string(),
            name: i.data.name.clone(),
        });
    }
    Ok(out)
}

/// One theme of the active agenda, with each chosen institution's projects on it.
pub(crate) struct ThemeRow {
    pub code: String,
    pub name: String,
    /// One of the network's priorities (the latest a workshop saved).
    pub priority: bool,
    /// Per chosen institution, in order.
    pub cells: Vec<ThemeCell>,
}

pub(crate) struct ThemeCell {
    /// By title.
    pub projects: Vec<Arc<Project>>,
    /// The budget of the projects with this as their primary theme (so budgets add up).
    pub budget_cents: i64,
}

/// Two or three institutions compared, as the page, the API and the downloads show it.
pub(crate) struct Compared {
    pub chosen: Vec<Chosen>,
    pub comparison: Arc<Comparison>,
    /// The network's priorities first (in their order), then the agenda's order.
    pub themes: Vec<ThemeRow>,
    /// Per chosen institution: its projects with nothing alike at the others.
    pub only: Vec<Vec<Arc<Project>>>,
    /// Per chosen institution: the themes only it works on (names).
    pub only_themes: Vec<Vec<String>>,
    /// Per chosen institution: karakter, horizon and quadrant.
    pub mixes: Vec<Mix>,
    /// The same over everything the viewer sees, as a reference.
    pub network: Mix,
}

impl Compared {
    pub async fn build(
        state: &AppState,
        viewer: &Viewer,
        lists: &Lists,
        chosen: Vec<Chosen>,
    ) -> Result<Compared, Error> {
        let scope = project_scope(&viewer.actor);
        let ids: Vec<i64> = chosen.iter().map(|c| c.id).collect();
        let comparison = state.store.compare(&ids, scope).await?;
        let network = state
            .store
            .insight(&ProjectFilter::default(), scope)
            .await?;
        let priorities: Vec<String> = state
            .store
            .network_priorities()
            .await?
            .map(|p| p.themes)
            .unwrap_or_default();

        let mut order: Vec<&stip_core::agenda::Theme> = Vec::new();
        for code in &priorities {
            if let Some(t) = lists.themes.iter().find(|t| &t.data.code == code) {
                order.push(t);
            }
        }
        for t in &lists.themes {
            if !priorities.contains(&t.data.code) {
                order.push(t);
            }
        }
        let themes: Vec<ThemeRow> = order
            .into_iter()
            .map(|t| ThemeRow {
                code: t.data.code.clone(),
                name: t.data.name.clone(),
                priority: priorities.contains(&t.data.code),
                cells: comparison
                    .sides
                    .iter()
                    .map(|side| {
                        let on: Vec<Arc<Project>> = side
                            .iter()
                            .filter(|p| p.data.themes.contains(&t.data.code))
                            .cloned()
                            .collect();
                        ThemeCell {
                            budget_cents: on
                                .iter()
                                .filter(|p| p.data.themes.first() == Some(&t.data.code))
                                .map(|p| p.data.budget.map_or(0, |b| b.0))
                                .sum(),
                            projects: on,
                        }
                    })
                    .collect(),
            })
            .collect();

        let only = comparison
            .sides
            .iter()
            .map(|side| {
                side.iter()
                    .filter(|p| !comparison.paired.contains(&p.id))
                    .cloned()
                    .collect()
            })
            .collect();
        let only_themes = (0..chosen.len())
            .map(|i| {
                themes
                    .iter()
                    .filter(|t| {
                        t.cells
                            .iter()
                            .enumerate()
                            .all(|(j, cell)| (j == i) != cell.projects.is_empty())
                    })
                    .map(|t| t.name.clone())
                    .collect()
            })
            .collect();
        let mixes = chosen
            .iter()
            .zip(&comparison.sides)
            .map(|(c, side)| {
                let mut tally = Tally::default();
                for p in side {
                    tally.add(c.id, &p.data, p.status_date);
                }
                tally.mix.remove(&c.id).unwrap_or_default()
            })
            .collect();
        Ok(Compared {
            chosen,
            themes,
            only,
            only_themes,
            mixes,
            network: network.network_mix(),
            comparison,
        })
    }

    /// The themes at least one of them works on.
    pub fn worked_on(&self) -> impl Iterator<Item = &ThemeRow> {
        self.themes
            .iter()
            .filter(|t| t.cells.iter().any(|c| !c.projects.is_empty()))
    }
}
