//! The project portfolio on the web: the list with filters, project pages, the project form
//! with conflict handling, and the `/api/v1/projects` API.

pub mod api;
mod pages;

use crate::AppState;
use crate::form::Pairs;
use axum::Router;
use stip_core::portfolio::ProjectInput;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> Router<AppState> {
    pages::routes()
}

/// Reads the project form. Scores come as `score_<criterion>` fields.
pub fn input_from_form(pairs: &Pairs) -> ProjectInput {
    ProjectInput {
        title: pairs.get("title"),
        summary: pairs.get("summary"),
        description: pairs.get("description"),
        intended_result: pairs.get("intended_result"),
        owner: pairs.get("owner"),
        project_lead: pairs.get("project_lead"),
        contact_person: pairs.get("contact_person"),
        phase: pairs.get("phase"),
        status: pairs.get("status"),
        status_note: pairs.get("status_note"),
        start_date: pairs.get("start_date"),
        end_date: pairs.get("end_date"),
        budget: pairs.get("budget"),
        effort: pairs.get("effort"),
        effort_unit: pairs.get("effort_unit"),
        horizon: pairs.get("horizon"),
        character: pairs.get("character"),
        perspective_strategic_operational: pairs.get("perspective_strategic_operational"),
        perspective_ict_business: pairs.get("perspective_ict_business"),
        primary_theme: pairs.get("primary_theme"),
        themes: pairs.all("themes"),
        drivers: pairs.all("drivers"),
        scores: pairs
            .0
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("score_").map(|c| (c.to_string(), v.clone())))
            .collect(),
        visibility: pairs.get("visibility"),
        shareable: pairs.checked("shareable"),
        case_summary: pairs.get("case_summary"),
        links: pairs.get("links"),
    }
}
