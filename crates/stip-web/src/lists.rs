//! The reference lists (institutions, themes, policy drivers, MORA areas, criteria) that pages show and
//! project input is checked against, cached in `AppState` until one of them changes.

use std::collections::HashMap;
use stip_core::agenda::{Criterion, PolicyDriver, Theme};
use stip_core::institution::Institution;
use stip_core::mora::MoraArea;
use stip_core::portfolio::{ProjectData, References};
use stip_store::{Store, StoreError};

/// The reference lists a project is shown and validated against.
#[derive(Clone, Debug)]
pub struct Lists {
    pub themes: Vec<Theme>,
    pub drivers: Vec<PolicyDriver>,
    /// In the architecture's order: each main area followed by its sub-areas.
    pub mora_areas: Vec<MoraArea>,
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
            mora_areas: store.mora_areas().await?,
            criteria: store.criteria().await?,
            institutions: store.institutions().await?,
            theme_index,
        })
    }

    /// Checks codes against these lists; the closure gets the borrowed code slices.
    pub fn with_references<T>(&self, f: impl FnOnce(&References<'_>) -> T) -> T {
        let themes: Vec<&str> = self.themes.iter().map(|t| t.data.code.as_str()).collect();
        let drivers: Vec<&str> = self.drivers.iter().map(|d| d.code.as_str()).collect();
        let mora_areas: Vec<&str> = self
            .mora_areas
            .iter()
            .map(|a| a.data.code.as_str())
            .collect();
        let criteria: Vec<&str> = self.criteria.iter().map(|c| c.data.code.as_str()).collect();
        f(&References {
            themes: &themes,
            drivers: &drivers,
            mora_areas: &mora_areas,
            criteria: &criteria,
        })
    }

    /// As [`Lists::with_references`], with the codes `kept` (a project as stored) holds known
    /// too: what a project has now was valid when it was saved, and lists read a moment before
    /// an activation of a new agenda must not refuse the themes it moved the project to.
    pub fn with_references_keeping<T>(
        &self,
        kept: &ProjectData,
        f: impl FnOnce(&References<'_>) -> T,
    ) -> T {
        fn with<'a>(mut known: Vec<&'a str>, kept: Vec<&'a str>) -> Vec<&'a str> {
            for code in kept {
                if !known.contains(&code) {
                    known.push(code);
                }
            }
            known
        }
        fn str_of(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let themes = with(
            self.themes.iter().map(|t| t.data.code.as_str()).collect(),
            str_of(&kept.themes),
        );
        let drivers = with(
            self.drivers.iter().map(|d| d.code.as_str()).collect(),
            str_of(&kept.drivers),
        );
        let mora_areas = with(
            self.mora_areas
                .iter()
                .map(|a| a.data.code.as_str())
                .collect(),
            str_of(&kept.mora_areas),
        );
        let criteria = with(
            self.criteria.iter().map(|c| c.data.code.as_str()).collect(),
            kept.scores.keys().map(String::as_str).collect(),
        );
        f(&References {
            themes: &themes,
            drivers: &drivers,
            mora_areas: &mora_areas,
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

    /// A MORA area's name as a list shows it: a sub-area with its main area ("Bedrijfsvoering
    /// – HRM"), so it reads on its own.
    pub fn mora_name(&self, code: &str) -> String {
        let find = |code: &str| self.mora_areas.iter().find(|a| a.data.code == code);
        match find(code) {
            Some(area) => match area.data.parent.as_deref().and_then(find) {
                Some(main) => format!("{} – {}", main.data.name, area.data.name),
                None => area.data.name.clone(),
            },
            None => code.to_string(),
        }
    }

    pub fn criterion_name(&self, code: &str) -> String {
        self.criteria
            .iter()
            .find(|c| c.data.code == code)
            .map(|c| c.data.name.clone())
            .unwrap_or_else(|| code.to_string())
    }
}
