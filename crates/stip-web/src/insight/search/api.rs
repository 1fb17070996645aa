//! `GET /api/v1/search` and `GET /api/v1/projects/{id}/similar`: the projects that match, and the
//! similar projects with why, as JSON.

use crate::auth::Viewer;
use crate::http::extract::ListParams;
use crate::http::extract::{Id, Listing};
use crate::insight::snippet_html;
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use stip_core::access::project_scope;
use stip_core::{ErrorCode, Invalid};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(similar))
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
) -> Result<Json<SearchJson>, Error> {
    let request = query.parse().map_err(Error::Invalid)?;
    // Blank is white space as Rust and as JSON Schema count it (U+FEFF is the latter's only):
    // the same set the OpenAPI document's pattern for `q` leaves out.
    let text = query
        .q
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Err(Error::Invalid(Invalid::one("q", ErrorCode::Required)));
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
) -> Result<Json<SimilarJson>, Error> {
    crate::linked::visible_or_not_found(&state, &viewer, id).await?;
    let found = state
        .store
        .similar(id, project_scope(&viewer.actor), SIMILAR * 2)
        .await?
        .ok_or(Error::NotFound)?;
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
