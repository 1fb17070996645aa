//! The project portfolio on the web: the list with filters, project pages, the project form
//! with conflict handling, and the `/api/v1/projects` API.

mod api;
mod json;
mod pages;

use crate::AppState;
use serde::Deserialize;
use std::collections::BTreeMap;
use stip_core::portfolio::ProjectInput;
use utoipa_axum::router::OpenApiRouter;

/// The pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}

/// The project form as the browser sends it: checked checkboxes (`themes`, `drivers`,
/// `mora_areas`) repeat
/// their name, and scores come as `score_<criterion>` fields.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProjectForm {
    /// Only a beheerder's new-project form has it.
    pub institution: String,
    /// The version the edit started from.
    pub version: String,
    /// On the conflict page: the fields to choose between (`keep_<field>` is `mine` or
    /// `theirs`), comma-separated, and the version the edit first started from.
    pub conflicts: String,
    pub conflict_base: String,
    title: String,
    summary: String,
    description: String,
    intended_result: String,
    owner: String,
    project_lead: String,
    contact_person: String,
    phase: String,
    status: String,
    status_note: String,
    start_date: String,
    end_date: String,
    budget: String,
    effort: String,
    effort_unit: String,
    horizon: String,
    character: String,
    perspective_strategic_operational: String,
    perspective_ict_business: String,
    primary_theme: String,
    themes: Vec<String>,
    drivers: Vec<String>,
    mora_areas: Vec<String>,
    visibility: String,
    shareable: String,
    case_summary: String,
    links: String,
    /// `score_<criterion>`, `keep_<field>` and the CSRF token.
    #[serde(flatten)]
    other: BTreeMap<String, String>,
}

impl ProjectForm {
    /// The choice made on the conflict page for `field`: `Some(true)` to keep mine.
    pub fn keeps_mine(&self, field: &str) -> Option<bool> {
        match self.other.get(&format!("keep_{field}")).map(String::as_str) {
            Some("mine") => Some(true),
            Some("theirs") => Some(false),
            _ => None,
        }
    }

    pub fn input(&self) -> ProjectInput {
        ProjectInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            intended_result: self.intended_result.clone(),
            owner: self.owner.clone(),
            project_lead: self.project_lead.clone(),
            contact_person: self.contact_person.clone(),
            phase: self.phase.clone(),
            status: self.status.clone(),
            status_note: self.status_note.clone(),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            budget: self.budget.clone(),
            effort: self.effort.clone(),
            effort_unit: self.effort_unit.clone(),
            horizon: self.horizon.clone(),
            character: self.character.clone(),
            perspective_strategic_operational: self.perspective_strategic_operational.clone(),
            perspective_ict_business: self.perspective_ict_business.clone(),
            primary_theme: self.primary_theme.clone(),
            themes: self.themes.clone(),
            drivers: self.drivers.clone(),
            mora_areas: self.mora_areas.clone(),
            scores: self
                .other
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("score_").map(|c| (c.to_string(), v.clone())))
                .collect(),
            visibility: self.visibility.clone(),
            // An unchecked checkbox is not sent at all.
            shareable: !self.shareable.is_empty() && self.shareable != "false",
            case_summary: self.case_summary.clone(),
            links: self.links.clone(),
        }
    }
}
