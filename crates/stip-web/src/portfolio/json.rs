//! A project's fields as the API writes and reads them: [`ProjectJson`] out, [`ProjectWrite`]
//! in (both through `ProjectInput`, the one path every input takes), with the code lists the
//! OpenAPI document offers for each.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stip_core::exchange::ExchangeProject;
use stip_core::number::Hundredths;
use stip_core::portfolio::*;

use crate::http::schema::*;
use utoipa::ToSchema;

/// A project as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct ProjectJson {
    pub id: i64,
    /// BRIN code of the institution.
    #[schema(example = "25LN")]
    pub institution: String,
    pub institution_name: String,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub intended_result: String,
    pub owner: String,
    pub project_lead: String,
    pub contact_person: String,
    #[schema(example = "uitvoering")]
    pub phase: String,
    /// `groen`, `oranje` or `rood`; `null` until someone gives one.
    #[schema(example = "groen")]
    pub status: Option<String>,
    pub status_note: String,
    /// ISO date the status or its note last changed.
    pub status_date: Option<String>,
    #[schema(example = "2025-01-01")]
    pub start_date: Option<String>,
    #[schema(example = "2026-06-30")]
    pub end_date: Option<String>,
    pub budget_eur: Option<f64>,
    pub effort: Option<f64>,
    /// `fte` or `uren`.
    pub effort_unit: Option<String>,
    /// `kort`, `middellang` or `lang`.
    pub horizon: Option<String>,
    /// Karakter: `basis-op-orde`, `verbeteren` or `innoveren`.
    pub character: Option<String>,
    /// 1 = strategisch … 5 = operationeel.
    pub perspective_strategic_operational: Option<u8>,
    /// 1 = ICT … 5 = business.
    pub perspective_ict_business: Option<u8>,
    /// Theme codes, the primary theme first.
    pub themes: Vec<String>,
    /// Policy driver codes.
    pub drivers: Vec<String>,
    /// MORA process area codes (`GET /api/v1/mora-areas`).
    #[schema(example = json!(["onderwijs-uitvoeren", "bedrijfsvoering-hrm"]))]
    pub mora_areas: Vec<String>,
    /// Score 1–5 per criterion code.
    pub scores: BTreeMap<String, u8>,
    /// `instelling`, `netwerk` or `openbaar`.
    pub visibility: String,
    pub shareable: bool,
    pub case_summary: String,
    pub links: Vec<String>,
    /// Send this back with PUT.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Project> for ProjectJson {
    /// The project's fields written as the exchange format writes them, with what the
    /// database gives it.
    fn from(p: &Project) -> Self {
        let ExchangeProject {
            institution,
            external_id: _,
            title,
            summary,
            description,
            intended_result,
            owner,
            project_lead,
            contact_person,
            phase,
            status,
            status_note,
            start_date,
            end_date,
            budget_eur,
            effort,
            effort_unit,
            horizon,
            character,
            perspective_strategic_operational,
            perspective_ict_business,
            themes,
            drivers,
            mora_areas,
            scores,
            visibility,
            shareable,
            case_summary,
            links,
        } = ExchangeProject::new(p.institution_brin.as_str(), None, &p.data);
        ProjectJson {
            id: p.id,
            institution,
            institution_name: p.institution_name.clone(),
            title,
            summary,
            description,
            intended_result,
            owner,
            project_lead,
            contact_person,
            phase,
            status,
            status_note,
            status_date: p.status_date.map(|x| x.to_string()),
            start_date,
            end_date,
            budget_eur,
            effort,
            effort_unit,
            horizon,
            character,
            perspective_strategic_operational,
            perspective_ict_business,
            themes,
            drivers,
            mora_areas,
            scores,
            visibility,
            shareable,
            case_summary,
            links,
            version: p.version,
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
        }
    }
}

/// A number, or a text as typed ("12.500,50").
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(untagged)]
pub enum Amount {
    Number(f64),
    Text(String),
}

impl Amount {
    fn as_input(&self) -> String {
        match self {
            Amount::Number(n) => Hundredths::from_f64(*n).to_dutch(),
            Amount::Text(t) => t.clone(),
        }
    }
}

/// A project to create or save. Fields left out are empty; PUT replaces the whole project.
/// A project as read (`ProjectJson`) may be sent back as it is: its read-only fields are
/// accepted and ignored. Any other field is refused by name.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectWrite {
    /// BRIN code; an informatiemanager's own institution when left out.
    #[schema(pattern = r"^\s*[0-9]{2}[A-Za-z0-9]{2}\s*$", example = "25LN")]
    pub institution: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    #[schema(max_length = 2000)]
    pub summary: String,
    /// Markdown.
    #[schema(max_length = 50000)]
    pub description: String,
    #[schema(max_length = 5000)]
    pub intended_result: String,
    #[schema(max_length = 200)]
    pub owner: String,
    #[schema(max_length = 200)]
    pub project_lead: String,
    #[schema(max_length = 200)]
    pub contact_person: String,
    #[schema(required = true, schema_with = phases)]
    pub phase: String,
    /// Left out or `null`: no status yet.
    #[schema(schema_with = statuses)]
    pub status: Option<String>,
    #[schema(max_length = 2000)]
    pub status_note: String,
    /// ISO date.
    #[schema(schema_with = optional_date)]
    pub start_date: Option<String>,
    /// ISO date, not before `start_date`.
    #[schema(schema_with = optional_date)]
    pub end_date: Option<String>,
    /// Euros, zero or more: a number, or a text as typed (`"12.500,50"`).
    pub budget_eur: Option<Amount>,
    /// Zero or more, in `effort_unit`: a number, or a text as typed (`"1,5"`).
    pub effort: Option<Amount>,
    #[schema(schema_with = effort_units)]
    pub effort_unit: Option<String>,
    #[schema(schema_with = horizons)]
    pub horizon: Option<String>,
    /// Karakter.
    #[schema(schema_with = characters)]
    pub character: Option<String>,
    /// 1 = strategisch … 5 = operationeel.
    #[schema(minimum = 1, maximum = 5)]
    pub perspective_strategic_operational: Option<i64>,
    /// 1 = ICT … 5 = business.
    #[schema(minimum = 1, maximum = 5)]
    pub perspective_ict_business: Option<i64>,
    /// Theme codes (`GET /api/v1/themes`), the primary theme first.
    #[schema(required = true, min_items = 1, example = json!(["leermiddelen"]))]
    pub themes: Vec<String>,
    /// Policy driver codes.
    pub drivers: Vec<String>,
    /// MORA process area codes (`GET /api/v1/mora-areas`).
    #[schema(example = json!(["onderwijs-uitvoeren"]))]
    pub mora_areas: Vec<String>,
    /// Score 1–5 per criterion code.
    pub scores: BTreeMap<String, i64>,
    #[schema(schema_with = visibilities)]
    pub visibility: Option<String>,
    pub shareable: bool,
    #[schema(max_length = 5000)]
    pub case_summary: String,
    /// Links starting with `https://`.
    pub links: Vec<String>,
    /// Required for PUT: the version this edit started from.
    pub version: Option<i64>,
    /// Read-only: ignored.
    #[schema(value_type = Option<i64>, read_only)]
    pub id: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub institution_name: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub status_date: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub created_at: Option<serde_json::Value>,
    /// Read-only: ignored.
    #[schema(value_type = Option<String>, read_only)]
    pub updated_at: Option<serde_json::Value>,
}

impl ProjectWrite {
    pub(super) fn input(&self) -> ProjectInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        ProjectInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            intended_result: self.intended_result.clone(),
            owner: self.owner.clone(),
            project_lead: self.project_lead.clone(),
            contact_person: self.contact_person.clone(),
            phase: self.phase.clone(),
            status: s(&self.status),
            status_note: self.status_note.clone(),
            start_date: s(&self.start_date),
            end_date: s(&self.end_date),
            budget: self
                .budget_eur
                .as_ref()
                .map(Amount::as_input)
                .unwrap_or_default(),
            effort: self
                .effort
                .as_ref()
                .map(Amount::as_input)
                .unwrap_or_default(),
            effort_unit: s(&self.effort_unit),
            horizon: s(&self.horizon),
            character: s(&self.character),
            perspective_strategic_operational: self
                .perspective_strategic_operational
                .map(|v| v.to_string())
                .unwrap_or_default(),
            perspective_ict_business: self
                .perspective_ict_business
                .map(|v| v.to_string())
                .unwrap_or_default(),
            primary_theme: self.themes.first().cloned().unwrap_or_default(),
            themes: self.themes.iter().skip(1).cloned().collect(),
            drivers: self.drivers.clone(),
            mora_areas: self.mora_areas.clone(),
            scores: self
                .scores
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect(),
            visibility: s(&self.visibility),
            shareable: self.shareable,
            case_summary: self.case_summary.clone(),
            links: self.links.join("\n"),
        }
    }
}
