//! `GET /api/v1/compare`: two or three institutions' portfolios side by side as JSON.

use super::{Compared, chosen};
use crate::auth::Viewer;
use crate::insight::search::ReasonsJson;
use crate::insight::{MixJson, mix_json};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::{RawQuery, State};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(compare))
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct CompareParams {
    /// BRIN code (or name) of an institution; two or three times, in the order to show them.
    #[param(min_items = 2, max_items = 3)]
    institution: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ComparedInstitutionJson {
    pub brin: String,
    pub name: String,
    /// The projects of this institution the caller may see: everything below counts only these.
    pub visible_projects: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ComparedThemeJson {
    pub code: String,
    pub name: String,
    /// One of the network's priorities (the latest a workshop saved); these come first.
    pub priority: bool,
    /// Per BRIN code: the projects on this theme.
    pub counts: BTreeMap<String, u64>,
    /// Per BRIN code: the budget in whole euros of the projects with this as primary theme.
    pub budget_eur: BTreeMap<String, i64>,
    /// Per BRIN code: the ids of the projects on this theme, by title.
    pub projects: BTreeMap<String, Vec<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct ComparedPairJson {
    /// A project of an institution asked before `b`'s.
    pub a: i64,
    pub b: i64,
    /// Likeness from 0 to 1 (their weighed words and themes); only pairs of 0.2 and more.
    pub score: f32,
    pub reasons: ReasonsJson,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionsComparedJson {
    pub institutions: Vec<ComparedInstitutionJson>,
    /// Every theme of the active agenda, the network's priorities first.
    pub themes: Vec<ComparedThemeJson>,
    /// Alike projects of different institutions, the most alike first.
    pub pairs: Vec<ComparedPairJson>,
    /// Per BRIN code: the ids of its projects with nothing alike at the others.
    pub only: BTreeMap<String, Vec<i64>>,
    /// Per BRIN code, and `network` for everything the caller sees: karakter, horizon and
    /// perspective quadrant.
    pub balance: BTreeMap<String, MixJson>,
}

/// Two or three institutions' portfolios side by side: per theme of the active agenda, the
/// alike projects across them, what only one does, and their balance beside the network's.
#[utoipa::path(get, path = "/api/v1/compare", tag = "insight", operation_id = "compare_institutions", params(CompareParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The institutions compared, counting only the projects the caller may see", body = InstitutionsComparedJson),
        (status = 422, description = "Fewer than two or more than three institutions, one twice, or one Stip does not know (field `institution`)", body = crate::Problem)))]
pub async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Json<InstitutionsComparedJson>, Error> {
    let typed: Vec<String> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "institution")
        .map(|(_, v)| v.into_owned())
        .collect();
    let lists = state.lists().await?;
    let chosen = chosen(&lists, &typed).map_err(Error::Invalid)?;
    let c = Compared::build(&state, &viewer, &lists, chosen).await?;
    Ok(Json(json(&c)))
}

fn json(c: &Compared) -> InstitutionsComparedJson {
    let per = |f: &dyn Fn(usize) -> u64| -> BTreeMap<String, u64> {
        c.chosen
            .iter()
            .enumerate()
            .map(|(i, ch)| (ch.brin.clone(), f(i)))
            .collect()
    };
    let ids = |ps: &[std::sync::Arc<stip_core::portfolio::Project>]| -> Vec<i64> {
        ps.iter().map(|p| p.id).collect()
    };
    let mut balance: BTreeMap<String, MixJson> = c
        .chosen
        .iter()
        .zip(&c.mixes)
        .map(|(ch, mix)| (ch.brin.clone(), mix_json(mix)))
        .collect();
    balance.insert("network".into(), mix_json(&c.network));
    InstitutionsComparedJson {
        institutions: c
            .chosen
            .iter()
            .zip(&c.comparison.sides)
            .map(|(ch, side)| ComparedInstitutionJson {
                brin: ch.brin.clone(),
                name: ch.name.clone(),
                visible_projects: side.len() as u64,
            })
            .collect(),
        themes: c
            .themes
            .iter()
            .map(|t| ComparedThemeJson {
                code: t.code.clone(),
                name: t.name.clone(),
                priority: t.priority,
                counts: per(&|i| t.cells[i].projects.len() as u64),
                budget_eur: c
                    .chosen
                    .iter()
                    .zip(&t.cells)
                    .map(|(ch, cell)| (ch.brin.clone(), cell.budget_cents / 100))
                    .collect(),
                projects: c
                    .chosen
                    .iter()
                    .zip(&t.cells)
                    .map(|(ch, cell)| (ch.brin.clone(), ids(&cell.projects)))
                    .collect(),
            })
            .collect(),
        pairs: c
            .comparison
            .pairs
            .iter()
            .map(|p| ComparedPairJson {
                a: p.a.id,
                b: p.b.id,
                score: p.score,
                reasons: ReasonsJson {
                    themes: p.themes.clone(),
                    words: p.words.clone(),
                },
            })
            .collect(),
        only: c
            .chosen
            .iter()
            .zip(&c.only)
            .map(|(ch, only)| (ch.brin.clone(), ids(only)))
            .collect(),
        balance,
    }
}
