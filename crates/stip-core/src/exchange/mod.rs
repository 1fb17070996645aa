//! Portfolios in and out: the exchange standard (`docs/exchange/`), reading the overviews
//! institutions keep in spreadsheets, and writing any list of projects back out.
//!
//! - [`sheet`] reads a file's bytes (xlsx, ods, xls, csv, or the JSON format) into rows of cells.
//! - [`columns`] knows every field a column can hold, by its Dutch and English names and the
//!   synonyms institutions use, and finds the header row.
//! - [`content`] recognises a column by its values when its header does not say, and the rows
//!   that are no project (totals, a repeated header, a section's heading).
//! - [`values`] reads a cell the way people fill them in: Dutch dates, euro amounts, phase and
//!   status words, theme names.
//! - [`preview`] turns rows into projects, each with its problems named by row and column.
//! - [`write`] writes projects as XLSX, CSV or JSON in the exchange format.

pub mod columns;
pub mod content;
mod lists;
pub mod preview;
pub mod sheet;
pub mod suggestion;
pub mod values;
pub mod write;

use crate::number::Hundredths;
use crate::portfolio::ProjectData;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The reference lists a file is read against and an export explains (and names MORA areas
/// by), each entry as `(code, name)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferencePairs {
    pub themes: Vec<(String, String)>,
    pub drivers: Vec<(String, String)>,
    pub mora_areas: Vec<(String, String)>,
    pub criteria: Vec<(String, String)>,
}

/// The `format` of a JSON exchange document.
pub const FORMAT: &str = "stip-portfolio";
/// The version of the exchange format this Stip writes and reads.
pub const VERSION: u32 = 1;

/// A portfolio in the JSON exchange format: `{"format": "stip-portfolio", "version": 1,
/// "projects": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub projects: Vec<ExchangeProject>,
}

/// One project in the exchange format: the API's project fields, without what a database
/// gives it (id, version, timestamps), so a portfolio reads back the same into any Stip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExchangeProject {
    /// BRIN code of the institution.
    pub institution: String,
    /// The institution's own project number, which matches the project on a later import.
    pub external_id: Option<String>,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub intended_result: String,
    pub owner: String,
    pub project_lead: String,
    pub contact_person: String,
    pub phase: String,
    pub status: Option<String>,
    pub status_note: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget_eur: Option<f64>,
    pub effort: Option<f64>,
    pub effort_unit: Option<String>,
    pub horizon: Option<String>,
    pub character: Option<String>,
    pub perspective_strategic_operational: Option<u8>,
    pub perspective_ict_business: Option<u8>,
    /// Theme codes, the primary theme first.
    pub themes: Vec<String>,
    pub drivers: Vec<String>,
    /// MORA process area codes.
    pub mora_areas: Vec<String>,
    pub scores: BTreeMap<String, u8>,
    pub visibility: String,
    pub shareable: bool,
    pub case_summary: String,
    pub links: Vec<String>,
}

impl ExchangeProject {
    pub fn new(institution: &str, external_id: Option<&str>, d: &ProjectData) -> Self {
        ExchangeProject {
            institution: institution.to_string(),
            external_id: external_id.map(str::to_string),
            title: d.title.clone(),
            summary: d.summary.clone(),
            description: d.description.clone(),
            intended_result: d.intended_result.clone(),
            owner: d.owner.clone(),
            project_lead: d.project_lead.clone(),
            contact_person: d.contact_person.clone(),
            phase: d.phase.code().into(),
            status: d.status.map(|s| s.code().into()),
            status_note: d.status_note.clone(),
            start_date: d.start_date.map(|x| x.to_string()),
            end_date: d.end_date.map(|x| x.to_string()),
            budget_eur: d.budget.map(Hundredths::as_f64),
            effort: d.effort.map(|e| e.amount.as_f64()),
            effort_unit: d.effort.map(|e| e.unit.code().into()),
            horizon: d.horizon.map(|x| x.code().into()),
            character: d.character.map(|x| x.code().into()),
            perspective_strategic_operational: d.perspective.strategic_operational,
            perspective_ict_business: d.perspective.ict_business,
            themes: d.themes.clone(),
            drivers: d.drivers.clone(),
            mora_areas: d.mora_areas.clone(),
            scores: d.scores.clone(),
            visibility: d.visibility.code().into(),
            shareable: d.shareable,
            case_summary: d.case_summary.clone(),
            links: d.links.clone(),
        }
    }
}
