//! The project portfolio on the web: the list with filters, project pages, the project form
//! with conflict handling, and the `/api/v1/projects` API.

pub mod api;
mod pages;

use crate::AppState;
use crate::form::Pairs;
use axum::Router;
use std::collections::HashMap;
use stip_core::agenda::{Criterion, PolicyDriver, Theme};
use stip_core::institution::Institution;
use stip_core::portfolio::{ProjectInput, References};
use stip_store::{Store, StoreError};

pub fn routes() -> Router<AppState> {
    pages::routes().merge(api::routes())
}

pub use pages::{ProjectTable, table_for};

/// The reference lists a project is shown and validated against.
#[derive(Clone, Debug)]
pub struct Lists {
    pub themes: Vec<Theme>,
    pub drivers: Vec<PolicyDriver>,
    pub criteria: Vec<Criterion>,
    pub institutions: Vec<Institution>,
    theme_index: HashMap<String, usize>,
}

impl Lists {
    pub async fn load(store: &Store) -> Result<Lists, StoreError> {
        let themes = store.themes().await?;
        let theme_index = themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.data.code.clone(), i))
            .collect();
        Ok(Lists {
            themes,
            drivers: store.policy_drivers().await?,
            criteria: store.criteria().await?,
            institutions: store.institutions().await?,
            theme_index,
        })
    }

    /// Checks codes against these lists; the closure gets the borrowed code slices.
    pub fn with_references<T>(&self, f: impl FnOnce(&References<'_>) -> T) -> T {
        let themes: Vec<&str> = self.themes.iter().map(|t| t.data.code.as_str()).collect();
        let drivers: Vec<&str> = self.drivers.iter().map(|d| d.code.as_str()).collect();
        let criteria: Vec<&str> = self.criteria.iter().map(|c| c.data.code.as_str()).collect();
        f(&References {
            themes: &themes,
            drivers: &drivers,
            criteria: &criteria,
        })
    }

    pub fn theme(&self, code: &str) -> Option<&Theme> {
        self.theme_index.get(code).map(|i| &self.themes[*i])
    }

    pub fn theme_name(&self, code: &str) -> String {
        self.theme(code)
            .map(|t| t.data.name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn driver_name(&self, code: &str) -> String {
        self.drivers
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn criterion_name(&self, code: &str) -> String {
        self.criteria
            .iter()
            .find(|c| c.data.code == code)
            .map(|c| c.data.name.clone())
            .unwrap_or_else(|| code.to_string())
    }
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

/// Markdown as HTML, with any raw HTML in it shown as text.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let parser = Parser::new(text).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_never_passes_html_through() {
        let html = super::markdown("## Doel\n\n<script>alert(1)</script>\n\nmet *nadruk*");
        assert!(html.contains("<h2>Doel</h2>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("<em>nadruk</em>"));
    }
}
