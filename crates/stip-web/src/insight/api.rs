//! `/api/v1/insight/...`, `/api/v1/search` and `/api/v1/projects/{id}/similar`: the numbers of
//! the insight pages, search and similar projects as JSON, with the list's filters, counting
//! only what the caller may see.

use super::{Dimension, Names, institutions_by_name, snippet_html};
use crate::extract::{Id, Listing};
use crate::identity::Viewer;
use crate::portfolio::api::ListParams;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use stip_core::access::project_scope;
use stip_core::insight::{Mix, Tally};
use stip_core::number::Hundredths;
use stip_core::portfolio::{ListQuery, ListRequest, Phase, Status};
use stip_core::{ErrorCode, Invalid};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(heatmap))
        .routes(routes!(balance))
        .routes(routes!(crosslinks))
        .routes(routes!(roadmap))
        .routes(routes!(search))
        .routes(routes!(similar))
}

fn euros(cents: i64) -> f64 {
    Hundredths(cents).as_f64()
}

/// A number of projects with a value (`null`: not given).
#[derive(Serialize, ToSchema)]
pub struct CountJson {
    pub value: Option<String>,
    pub projects: u64,
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

#[derive(Serialize, ToSchema)]
pub struct MixJson {
    /// Karakter: `basis-op-orde`, `verbeteren`, `innoveren`, null (not given).
    pub character: Vec<CountJson>,
    pub horizon: Vec<CountJson>,
    /// Perspective quadrant: `strategisch-ict`, `strategisch-business`, `operationeel-ict`,
    /// `operationeel-business`, null (in the middle of an axis, or not assessed).
    pub quadrant: Vec<CountJson>,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionMixJson {
    pub institution: String,
    pub name: String,
    pub projects: u64,
    pub mix: MixJson,
}

/// Each institution's mix beside the network's.
#[derive(Serialize, ToSchema)]
pub struct BalanceJson {
    pub visible_projects: u64,
    /// All visible projects together.
    pub network: MixJson,
    /// A page of the institutions with visible projects, by name (`page`, `per_page`).
    pub institutions: Vec<InstitutionMixJson>,
    pub institutions_total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Serialize, ToSchema)]
pub struct PairJson {
    /// Two theme codes, in code order.
    pub themes: Vec<String>,
    /// Projects with both themes.
    pub projects: u64,
}

/// How often themes occur together in projects, the most frequent pair first.
#[derive(Serialize, ToSchema)]
pub struct CrosslinksJson {
    pub visible_projects: u64,
    pub pairs: Vec<PairJson>,
}

#[derive(Serialize, ToSchema)]
pub struct RoadmapItemJson {
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub institution_name: String,
    /// Theme codes, the main theme first.
    pub themes: Vec<String>,
    pub phase: String,
    pub status: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// Projects on a timeline: by start date, those without one last.
#[derive(Serialize, ToSchema)]
pub struct RoadmapJson {
    pub items: Vec<RoadmapItemJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitJson {
    pub id: i64,
    pub title: String,
    /// BRIN code.
    pub institution: String,
    pub institution_name: String,
    /// The passage of the project's text that matched.
    pub snippet: String,
    /// The same passage as HTML: escaped, the words found in `<mark>`.
    pub snippet_html: String,
    /// Relevance: higher matches better.
    pub score: f32,
}

#[derive(Serialize, ToSchema)]
pub struct SearchJson {
    pub items: Vec<SearchHitJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Why a project is like the other.
#[derive(Serialize, ToSchema)]
pub struct ReasonsJson {
    /// Theme codes both projects have.
    pub themes: Vec<String>,
    /// Words both use, as the similar project writes them.
    pub words: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SimilarItemJson {
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub institution_name: String,
    /// Who to call about it.
    pub contact_person: String,
    /// Likeness: higher is more alike.
    pub score: f32,
    pub reasons: ReasonsJson,
}

/// Projects of other institutions most like this one, the most alike first.
#[derive(Serialize, ToSchema)]
pub struct SimilarJson {
    pub items: Vec<SimilarItemJson>,
}

async fn tally(
    state: &AppState,
    viewer: &Viewer,
    query: &ListQuery,
) -> Result<(ListRequest, std::sync::Arc<Tally>), ApiError> {
    let request = query.parse().map_err(ApiError::Invalid)?;
    let tally = state
        .store
        .insight(&request.filter, project_scope(&viewer.actor))
        .await?;
    Ok((request, tally))
}

/// The institutions with counted projects on the request's page, by name: (id, BRIN, name).
fn institutions_page(
    tally: &Tally,
    names: &Names,
    request: &ListRequest,
) -> Vec<(i64, String, String)> {
    let all = institutions_by_name(tally, names);
    let per_page = request.per_page as usize;
    let skip = (request.page as usize - 1).saturating_mul(per_page);
    all.into_iter().skip(skip).take(per_page).collect()
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

fn mix_json(mix: &Mix) -> MixJson {
    let of = |dim: Dimension| {
        dim.counts(mix)
            .into_iter()
            .map(|(value, projects)| CountJson {
                value: value.map(str::to_string),
                projects,
            })
            .collect()
    };
    MixJson {
        character: of(Dimension::Character),
        horizon: of(Dimension::Horizon),
        quadrant: of(Dimension::Quadrant),
    }
}

/// The network overview: institutions × themes, totals, phases and statuses.
#[utoipa::path(get, path = "/api/v1/insight/heatmap", tag = "insight", operation_id = "insight_heatmap", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "Counts of the visible projects that pass the filters", body = HeatmapJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn heatmap(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<HeatmapJson>, ApiError> {
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

/// The balance: each institution's mix of karakter, horizon and perspective quadrant, and the
/// network's.
#[utoipa::path(get, path = "/api/v1/insight/balance", tag = "insight", operation_id = "insight_balance", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The mixes of the visible projects that pass the filters", body = BalanceJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn balance(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<BalanceJson>, ApiError> {
    let (request, tally) = tally(&state, &viewer, &query).await?;
    let lists = state.lists().await?;
    let names = Names::new(&lists);
    let empty = Mix::default();
    Ok(Json(BalanceJson {
        visible_projects: tally.projects,
        network: mix_json(&tally.network_mix()),
        institutions: institutions_page(&tally, &names, &request)
            .into_iter()
            .map(|(id, institution, name)| InstitutionMixJson {
                institution,
                name,
                projects: tally.per_institution.get(&id).map_or(0, |c| c.projects),
                mix: mix_json(tally.mix.get(&id).unwrap_or(&empty)),
            })
            .collect(),
        institutions_total: tally.per_institution.len() as u64,
        page: request.page,
        per_page: request.per_page,
    }))
}

/// The cross-links: how many projects have both themes of a pair.
#[utoipa::path(get, path = "/api/v1/insight/crosslinks", tag = "insight", operation_id = "insight_crosslinks", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "Theme pairs of the visible projects that pass the filters", body = CrosslinksJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn crosslinks(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<CrosslinksJson>, ApiError> {
    let (_, tally) = tally(&state, &viewer, &query).await?;
    let mut pairs: Vec<PairJson> = tally
        .crosslinks
        .iter()
        .map(|((a, b), n)| PairJson {
            themes: vec![a.clone(), b.clone()],
            projects: *n,
        })
        .collect();
    pairs.sort_by(|x, y| y.projects.cmp(&x.projects).then(x.themes.cmp(&y.themes)));
    Ok(Json(CrosslinksJson {
        visible_projects: tally.projects,
        pairs,
    }))
}

/// The roadmap: the projects that pass the filters by start date, a page at a time.
#[utoipa::path(get, path = "/api/v1/insight/roadmap", tag = "insight", operation_id = "insight_roadmap", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "A page of the roadmap (its order is by start date, whatever `sort` says)", body = RoadmapJson),
        (status = 422, description = "A filter does not parse, or is given twice", body = crate::Problem)))]
pub async fn roadmap(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<RoadmapJson>, ApiError> {
    let mut request = query.parse().map_err(ApiError::Invalid)?;
    request.sort = stip_core::portfolio::Sort {
        key: stip_core::portfolio::SortKey::StartDate,
        descending: false,
    };
    let page = state
        .store
        .list_projects(&request, project_scope(&viewer.actor))
        .await?;
    Ok(Json(RoadmapJson {
        items: page
            .items
            .iter()
            .map(|p| RoadmapItemJson {
                id: p.id,
                title: p.data.title.clone(),
                institution: p.institution_brin.to_string(),
                institution_name: p.institution_name.clone(),
                themes: p.data.themes.clone(),
                phase: p.data.phase.code().into(),
                status: p.data.status.map(|s| s.code().into()),
                start_date: p.data.start_date.map(|d| d.to_string()),
                end_date: p.data.end_date.map(|d| d.to_string()),
            })
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Full-text search with Dutch stemming (`leermiddel` finds `leermiddelen`) over titles,
/// summaries, descriptions and case summaries, every word required, best match first; the
/// list's other filters apply. `q` is required here.
#[utoipa::path(get, path = "/api/v1/search", tag = "insight", operation_id = "search", params(ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "A page of the visible projects that match", body = SearchJson),
        (status = 422, description = "`q` is empty, or a filter does not parse", body = crate::Problem)))]
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Json<SearchJson>, ApiError> {
    let request = query.parse().map_err(ApiError::Invalid)?;
    // Blank is white space as Rust and as JSON Schema count it (U+FEFF is the latter's only):
    // the same set the OpenAPI document's pattern for `q` leaves out.
    let text = query
        .q
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Err(ApiError::Invalid(Invalid::one("q", ErrorCode::Required)));
    }
    let found = state
        .store
        .search(text, &request, project_scope(&viewer.actor))
        .await?;
    Ok(Json(SearchJson {
        items: found
            .items
            .iter()
            .map(|h| SearchHitJson {
                id: h.project.id,
                title: h.project.data.title.clone(),
                institution: h.project.institution_brin.to_string(),
                institution_name: h.project.institution_name.clone(),
                snippet: h.snippet.text.clone(),
                snippet_html: snippet_html(&h.snippet),
                score: h.score,
            })
            .collect(),
        total: found.total,
        page: found.page,
        per_page: found.per_page,
    }))
}

/// How many similar projects a project shows.
pub const SIMILAR: usize = 5;

/// Projects of other institutions most like this one by their words and themes, with why.
#[utoipa::path(get, path = "/api/v1/projects/{id}/similar", tag = "insight", operation_id = "similar_projects", params(("id" = i64, Path)), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The most similar projects the caller may see, never the project itself nor its institution's", body = SimilarJson),
        (status = 401, description = "A network project, asked without logging in", body = crate::Problem),
        (status = 404, description = "No project with this id that the caller may see", body = crate::Problem)))]
pub async fn similar(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<SimilarJson>, ApiError> {
    crate::portfolio::api::visible(&state, &viewer, id).await?;
    let found = state
        .store
        .similar(id, project_scope(&viewer.actor), SIMILAR * 2)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(SimilarJson {
        items: found
            .iter()
            .map(|s| SimilarItemJson {
                id: s.project.id,
                title: s.project.data.title.clone(),
                institution: s.project.institution_brin.to_string(),
                institution_name: s.project.institution_name.clone(),
                contact_person: s.project.data.contact_person.clone(),
                score: s.score,
                reasons: ReasonsJson {
                    themes: s.themes.clone(),
                    words: s.words.clone(),
                },
            })
            .collect(),
    }))
}
