//! The reference lists a file's names are read against: themes, policy drivers, MORA areas
//! and criteria, by code and by name.

use super::ReferencePairs;
use super::columns::{Criteria, Field};
use super::values::Names;
use std::collections::BTreeMap;

/// The reference lists a file's names are read against.
pub struct Lists {
    pub(super) themes: Names,
    pub(super) drivers: Names,
    pub(super) mora_areas: Names,
    pub(super) criteria: Criteria,
    pub(super) theme_codes: Vec<String>,
    pub(super) driver_codes: Vec<String>,
    pub(super) mora_codes: Vec<String>,
    pub(super) criterion_codes: Vec<String>,
    pub(super) criterion_names: BTreeMap<String, String>,
}

impl Lists {
    pub fn new(r: &ReferencePairs) -> Self {
        let names = |list: &[(String, String)]| {
            Names::new(list.iter().map(|(c, n)| (c.as_str(), n.as_str())))
        };
        let codes = |list: &[(String, String)]| list.iter().map(|(c, _)| c.clone()).collect();
        Lists {
            themes: names(&r.themes),
            drivers: names(&r.drivers),
            mora_areas: names(&r.mora_areas),
            criteria: Criteria(names(&r.criteria)),
            theme_codes: codes(&r.themes),
            driver_codes: codes(&r.drivers),
            mora_codes: codes(&r.mora_areas),
            criterion_codes: codes(&r.criteria),
            criterion_names: r.criteria.iter().cloned().collect(),
        }
    }

    /// Whether `code` is a theme of the agenda.
    pub fn has_theme(&self, code: &str) -> bool {
        self.theme_codes.iter().any(|c| c == code)
    }

    /// The exchange standard's header of `field`, a score's with its criterion's name.
    pub(super) fn header_of(&self, field: &Field) -> String {
        match field {
            Field::Score(code) => {
                field.dutch(self.criterion_names.get(code).map_or(code, String::as_str))
            }
            f => f.dutch(""),
        }
    }
}
