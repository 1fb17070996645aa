//! `/api/v1/workshops/{id}/results` and `/priorities`, and `/api/v1/priorities`: the ranking, the
//! top three saved, and the network's priorities.

use crate::auth::Viewer;
use crate::http::extract::Id;
use crate::workshop::notes::{WorkshopNoteJson, note_json};
use crate::workshop::{facilitating, following, outcome};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use stip_core::access::Action;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(workshop_results))
        .routes(routes!(save_priorities))
        .routes(routes!(network_priorities))
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopResultsJson {
    /// Ranked by dots, most first (ties in the workshop's order).
    pub themes: Vec<ThemeResultJson>,
    /// Phase 1: every perspective group, in the workshop's order, with its notes per question.
    pub groups: Vec<WorkshopGroupJson>,
    /// The comparing step: each duo or trio of institutions and what it could do together.
    pub together: Vec<WorkshopTogetherJson>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopTogetherJson {
    /// The group's institutions (BRIN codes).
    pub institutions: Vec<String>,
    /// Where the group compared its portfolios.
    pub compare: String,
    pub notes: Vec<WorkshopTogetherNoteJson>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopTogetherNoteJson {
    pub id: i64,
    /// The writer's name; absent in an anonymous workshop.
    pub author: Option<String>,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopGroupJson {
    /// The group's name ("Strategisch").
    pub name: String,
    /// Every question of the workshop, in order.
    pub questions: Vec<WorkshopQuestionJson>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkshopQuestionJson {
    pub text: String,
    /// The group's notes on it that the caller may see, oldest first.
    pub notes: Vec<WorkshopNoteJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeResultJson {
    /// The theme's code.
    pub theme: String,
    pub name: String,
    /// Absent while people vote and the facilitator hides the running totals (then the themes
    /// come in the workshop's order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dots: Option<u32>,
    /// Its notes the caller may see, by kind (`conclusie`, `waarom`, `aanpak`, `voorbeeld`).
    pub notes: Vec<WorkshopNoteJson>,
}

/// The themes ranked by dots, with their notes, and what each group wrote per question in
/// phase 1.
#[utoipa::path(get, path = "/api/v1/workshops/{id}/results", tag = "workshops", operation_id = "workshop_results",
    params(("id" = i64, Path, description = "Workshop id")),
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "The ranking", body = WorkshopResultsJson),
        (status = 401, description = "Not logged in and no participant's token", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem)))]
pub async fn workshop_results(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Json<WorkshopResultsJson>, Error> {
    let (w, t) = following(&state, &viewer, &headers, id, true).await?;
    let lists = state.lists().await?;
    let outcome = outcome(&state, &w, &t).await?;
    let groups = outcome
        .groups
        .iter()
        .map(|g| WorkshopGroupJson {
            name: g.name.clone(),
            questions: g
                .questions
                .iter()
                .map(|q| WorkshopQuestionJson {
                    text: q.text.clone(),
                    notes: q.notes.iter().map(|n| note_json(&w, n)).collect(),
                })
                .collect(),
        })
        .collect();
    let totals = outcome.totals;
    let themes = outcome
        .themes
        .into_iter()
        .map(|r| ThemeResultJson {
            name: lists.theme_name(&r.theme),
            theme: r.theme,
            dots: totals.then_some(r.dots),
            notes: r
                .notes
                .iter()
                .flat_map(|(_, notes)| notes.iter().map(|n| note_json(&w, n)))
                .collect(),
        })
        .collect();
    let together = outcome
        .together
        .iter()
        .map(|g| {
            let brins = crate::workshop::groups::brins(&lists, &g.institutions);
            WorkshopTogetherJson {
                compare: crate::workshop::groups::href(&brins),
                institutions: brins,
                notes: g
                    .notes
                    .iter()
                    .map(|n| WorkshopTogetherNoteJson {
                        id: n.id,
                        author: (!w.data.anonymous).then(|| n.author.clone()),
                        text: n.text.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(WorkshopResultsJson {
        themes,
        groups,
        together,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PrioritiesJson {
    /// ISO date.
    pub decided_on: String,
    /// The top themes (codes), in order.
    pub themes: Vec<String>,
    pub workshop: Option<i64>,
}

/// Saves the top three themes as the network's priorities, dated today (the facilitator, once
/// the workshop shows its results).
#[utoipa::path(post, path = "/api/v1/workshops/{id}/priorities", tag = "workshops", operation_id = "save_workshop_priorities",
    params(("id" = i64, Path, description = "Workshop id")),
    responses((status = 201, description = "Saved", body = PrioritiesJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the facilitator saves priorities", body = crate::Problem),
        (status = 404, description = "No such workshop", body = crate::Problem),
        (status = 409, description = "The workshop does not show its results yet", body = crate::Problem)))]
pub async fn save_priorities(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    facilitating(&viewer)?;
    let (day, themes) = super::pages::save_top_three(&state, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(PrioritiesJson {
            decided_on: day.to_string(),
            themes,
            workshop: Some(id),
        }),
    )
        .into_response())
}

/// The network's priorities as a workshop last saved them.
#[utoipa::path(get, path = "/api/v1/priorities", tag = "workshops", operation_id = "network_priorities",
    responses((status = 200, description = "The latest priorities", body = PrioritiesJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No workshop has saved priorities yet", body = crate::Problem)))]
pub async fn network_priorities(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<PrioritiesJson>, Error> {
    viewer.require(Action::ViewWorkshops)?;
    let p = state
        .store
        .network_priorities()
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Json(PrioritiesJson {
        decided_on: p.decided_on,
        themes: p.themes,
        workshop: p.workshop,
    }))
}
