//! `GET /api/v1/insight/heatmap`: the network overview's counts as JSON.

use crate::auth::Viewer;
use crate::http::extract::ListParams;
use crate::http::extract::Listing;
use crate::insight::{CountJson, Names, institutions_page, tally};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use stip_core::number::Hundredths;
use stip_core::portfolio::{Phase, Status};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(heatmap))
}

fn euros(cents: i64) -> f64 {
    Hundredths(cents).as_f64()
}

#[derive(Serialize, ToSchema)]
pub struct HeatCellJson {
    /// BRIN code.
    pub institution: String,
    /// Theme code.
    pub theme: String,
    /// Projects of the institution on the theme (a project counts on each of its themes).
    pub projects: u64,
    /// Budget of those projects whose main theme this is, in euros.
    pub budget_eur: f64,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionTotalJson {
    pub institution: String,
    pub name: String,
    pub projects: u64,
    pub budget_eur: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeTotalJson {
    pub theme: String,
    pub name: String,
    pub projects: u64,
    /// Budget of the projects with this main theme, in euros.
    pub budget_eur: f64,
}

/// The network overview's numbers.
#[derive(Serialize, ToSchema)]
pub struct HeatmapJson {
    /// The projects the numbers rest on: those the caller may see that pass the filters.
    pub visible_projects: u64,
    /// Every theme with projects of each institution on this page.
    pub cells: Vec<HeatCellJson>,
    /// The institutions with visible projects that pass the filters, a page of them by name
    /// (`page`, `per_page`); the other numbers cover them all.
    pub institutions: Vec<InstitutionTotalJson>,
    pub institutions_total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Every theme of the agenda, also those without projects.
    pub themes: Vec<ThemeTotalJson>,
    pub phases: Vec<CountJson>,
    /// `value` null: projects without a status yet.
    pub statuses: Vec<CountJson>,
    /// Running projects whose status was last set longer ago than the server's limit (90 days
    /// unless configured otherwise).
    pub stale_statuses: u64,
}

fn counts<T: Copy + Ord>(
    all: &[T],
    code: fn(T) -> &'static str,
    get: impl Fn(T) -> u64,
) -> Vec<CountJson> {
    all.iter()
        .map(|v| CountJson {
            value: Some(code(*v).to_string()),
            projects: get(*v),
        })
        .collect()
}

/// The network overview: institutions × themes, totals, phases and statuses.
#[utoipa::path(get, path = "/api/v1/insight/heatmap", tag = "insight", operation_id = "insight_heatmap", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "Counts of the visible projects that pass the filters", body = HeatmapJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn heatmap(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<HeatmapJson>, Error> {
    let (request, tally) = tally(&state, &viewer, &query).await?;
    let lists = state.lists().await?;
    let names = Names::new(&lists);
    let page = institutions_page(&tally, &names, &request);
    let mut statuses = counts(Status::ALL, Status::code, |s| {
        tally.per_status.get(&Some(s)).copied().unwrap_or(0)
    });
    statuses.push(CountJson {
        value: None,
        projects: tally.per_status.get(&None).copied().unwrap_or(0),
    });
    Ok(Json(HeatmapJson {
        visible_projects: tally.projects,
        cells: page
            .iter()
            .flat_map(|(id, brin, _)| {
                tally
                    .heatmap
                    .range((*id, String::new())..(*id + 1, String::new()))
                    .map(|((_, theme), cell)| HeatCellJson {
                        institution: brin.clone(),
                        theme: theme.clone(),
                        projects: cell.projects,
                        budget_eur: euros(cell.budget_cents),
                    })
            })
            .collect(),
        institutions: page
            .iter()
            .map(|(id, brin, name)| {
                let cell = tally.per_institution.get(id).copied().unwrap_or_default();
                InstitutionTotalJson {
                    institution: brin.clone(),
                    name: name.clone(),
                    projects: cell.projects,
                    budget_eur: euros(cell.budget_cents),
                }
            })
            .collect(),
        institutions_total: tally.per_institution.len() as u64,
        page: request.page,
        per_page: request.per_page,
        themes: lists
            .themes
            .iter()
            .map(|t| {
                let cell = tally
                    .per_theme
                    .get(&t.data.code)
                    .copied()
                    .unwrap_or_default();
                ThemeTotalJson {
                    theme: t.data.code.clone(),
                    name: t.data.name.clone(),
                    projects: cell.projects,
                    budget_eur: euros(cell.budget_cents),
                }
            })
            .collect(),
        phases: counts(Phase::ALL, Phase::code, |p| {
            tally.per_phase.get(&p).copied().unwrap_or(0)
        }),
        statuses,
        stale_statuses: tally.status_set_before(state.stale_limit()),
    }))
}
