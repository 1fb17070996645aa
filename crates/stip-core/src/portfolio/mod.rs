//! The project portfolio: a project's fields and their rules. Its perspective, its change
//! history and the portfolio list's filters and sorting each have a file of their own here.

mod history;
mod perspective;
mod query;

pub use history::{FieldChange, HistoryEntry, HistoryValue, diff};
pub use perspective::{Perspective, PerspectivePole, Quadrant};
pub use query::{
    DEFAULT_PER_PAGE, ListQuery, ListRequest, MAX_PER_PAGE, ProjectFilter, Sort, SortKey,
    searchable_text, status_set_before,
};

use crate::error::{choice, has_control_character, optional_choice, optional_text, required_text};
use crate::institution::BrinCode;
use crate::number::{Hundredths, optional_amount, optional_date};
use crate::{ErrorCode, Invalid, code_enum};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

code_enum!(
    /// Fase: where a project is in its life.
    Phase {
        Idee => "idee",
        Verkenning => "verkenning",
        Voorbereiding => "voorbereiding",
        Uitvoering => "uitvoering",
        Afgerond => "afgerond",
        Gestopt => "gestopt",
        OnHold => "on-hold",
    }
);

impl Phase {
    /// Whether a project in this phase still runs: not finished and not stopped.
    pub fn is_running(self) -> bool {
        !matches!(self, Phase::Afgerond | Phase::Gestopt)
    }
}

code_enum!(
    /// Status: how a project is doing, always shown with its word, never by colour alone.
    Status {
        Groen => "groen",
        Oranje => "oranje",
        Rood => "rood",
    }
);

code_enum!(
    /// Horizon: kort < 1 jaar, middellang 1–3 jaar, lang > 3 jaar.
    Horizon {
        Kort => "kort",
        Middellang => "middellang",
        Lang => "lang",
    }
);

code_enum!(
    /// Karakter: the seed's tension between "de basis op orde" and innovation.
    Character {
        BasisOpOrde => "basis-op-orde",
        Verbeteren => "verbeteren",
        Innoveren => "innoveren",
    }
);

code_enum!(
    /// Zichtbaarheid: instelling (own institution), netwerk (every logged-in user), openbaar (public).
    Visibility {
        Instelling => "instelling",
        Netwerk => "netwerk",
        Openbaar => "openbaar",
    }
);

code_enum!(
    EffortUnit {
        Fte => "fte",
        Uren => "uren",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Effort {
    pub amount: Hundredths,
    pub unit: EffortUnit,
}

/// Everything about a project that its institution edits, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectData {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub intended_result: String,
    /// Opdrachtgever.
    pub owner: String,
    pub project_lead: String,
    pub contact_person: String,
    pub phase: Phase,
    /// `None` until someone gives one ("nog geen status").
    pub status: Option<Status>,
    pub status_note: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub budget: Option<Hundredths>,
    pub effort: Option<Effort>,
    pub horizon: Option<Horizon>,
    pub character: Option<Character>,
    pub perspective: Perspective,
    /// Theme codes, the primary theme first.
    pub themes: Vec<String>,
    /// Policy driver codes, sorted: they are a set.
    pub drivers: Vec<String>,
    /// MORA process area codes (see [`crate::mora`]), sorted: they are a set.
    pub mora_areas: Vec<String>,
    /// Score 1–5 per criterion code.
    pub scores: BTreeMap<String, u8>,
    pub visibility: Visibility,
    /// Deelbaar als voorbeeld.
    pub shareable: bool,
    pub case_summary: String,
    pub links: Vec<String>,
}

/// A stored project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: i64,
    pub institution_id: i64,
    pub institution_brin: BrinCode,
    pub institution_name: String,
    /// The institution's own project number, set by an import; a later import of the same
    /// overview finds the project by it.
    pub external_id: Option<String>,
    #[serde(flatten)]
    pub data: ProjectData,
    /// The date the status or its note last changed.
    pub status_date: Option<NaiveDate>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// After this many days without a new status or status note, a running project's status is
/// called out of date ("verouderd") on the overviews, unless the server is told otherwise.
pub const STATUS_STALE_AFTER_DAYS: u32 = 90;

/// The day before which a running project's status is out of date: `days` before `today`.
pub fn stale_limit(today: NaiveDate, days: u32) -> NaiveDate {
    today - chrono::Days::new(days.into())
}

impl Project {
    /// Whether the project still runs: not finished and not stopped.
    pub fn is_running(&self) -> bool {
        self.data.phase.is_running()
    }

    /// A running project whose end date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_running() && self.data.end_date.is_some_and(|end| end < today)
    }

    /// A running project whose status was last set before `limit` (see [`stale_limit`]).
    /// A project without a status yet says so itself ("nog geen status").
    pub fn status_is_stale(&self, limit: NaiveDate) -> bool {
        let d = &self.data;
        status_set_before(d.phase, d.status, self.status_date, limit)
    }
}

/// The project form as typed; the one path every input (form, API, import) goes through.
/// The web form deserialises straight into it: checkboxes (`themes`, `drivers`, `mora_areas`)
/// repeat their name, once or more, and an unchecked `shareable` is not sent at all. Scores
/// come as `score_<criterion>` fields, which the form reads itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub intended_result: String,
    pub owner: String,
    pub project_lead: String,
    pub contact_person: String,
    pub phase: String,
    pub status: String,
    pub status_note: String,
    pub start_date: String,
    pub end_date: String,
    pub budget: String,
    pub effort: String,
    pub effort_unit: String,
    pub horizon: String,
    pub character: String,
    pub perspective_strategic_operational: String,
    pub perspective_ict_business: String,
    pub primary_theme: String,
    /// Other themes, besides the primary one.
    #[serde(deserialize_with = "one_or_more")]
    pub themes: Vec<String>,
    #[serde(deserialize_with = "one_or_more")]
    pub drivers: Vec<String>,
    #[serde(deserialize_with = "one_or_more")]
    pub mora_areas: Vec<String>,
    /// Criterion code → score as typed.
    #[serde(skip)]
    pub scores: BTreeMap<String, String>,
    pub visibility: String,
    #[serde(deserialize_with = "checkbox")]
    pub shareable: bool,
    pub case_summary: String,
    /// One link per line.
    pub links: String,
}

/// A list a form sends as its name repeated: once gives a single value, more give a sequence.
fn one_or_more<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMore {
        One(String),
        More(Vec<String>),
    }
    Ok(match OneOrMore::deserialize(d)? {
        OneOrMore::One(v) => vec![v],
        OneOrMore::More(v) => v,
    })
}

/// A checkbox: checked when sent with any value but `false`.
fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let value = String::deserialize(d)?;
    Ok(!value.is_empty() && value != "false")
}

/// The reference lists a project's codes must come from.
pub struct References<'a> {
    pub themes: &'a [&'a str],
    pub drivers: &'a [&'a str],
    pub mora_areas: &'a [&'a str],
    pub criteria: &'a [&'a str],
}

/// Codes chosen from a reference list that form a set (policy drivers, MORA areas): blanks
/// left out, each once, sorted; any code not in `known` refuses the whole field.
fn code_set(raw: &[String], known: &[&str]) -> Result<Vec<String>, ErrorCode> {
    let mut set: Vec<String> = Vec::new();
    for c in raw.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if !known.contains(&c) {
            return Err(ErrorCode::Unknown);
        }
        if !set.iter().any(|x| x == c) {
            set.push(c.to_string());
        }
    }
    set.sort();
    Ok(set)
}

impl ProjectData {
    pub fn parse(input: &ProjectInput, refs: &References<'_>) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let title = e.take("title", required_text(&input.title, 200));
        let summary = e.take("summary", optional_text(&input.summary, 2000));
        let description = e.take("description", optional_text(&input.description, 50_000));
        let intended_result = e.take(
            "intended_result",
            optional_text(&input.intended_result, 5000),
        );
        let owner = e.take("owner", optional_text(&input.owner, 200));
        let project_lead = e.take("project_lead", optional_text(&input.project_lead, 200));
        let contact_person = e.take("contact_person", optional_text(&input.contact_person, 200));
        let phase = e.take("phase", choice(&input.phase, Phase::parse));
        let status = e.take("status", optional_choice(&input.status, Status::parse));
        let status_note = e.take("status_note", optional_text(&input.status_note, 2000));
        let start_date = e.take("start_date", optional_date(&input.start_date));
        let end_date = e.take("end_date", optional_date(&input.end_date));
        if let (Some(Some(s)), Some(Some(end))) = (start_date, end_date)
            && end < s
        {
            e.push("end_date", ErrorCode::EndBeforeStart);
        }
        let budget = e.take(
            "budget",
            optional_amount(&input.budget).and_then(|b| match b {
                Some(v) if v.0 < 0 => Err(ErrorCode::OutOfRange {
                    min: 0,
                    max: 100_000_000_000,
                }),
                other => Ok(other),
            }),
        );
        let effort_amount = e.take(
            "effort",
            optional_amount(&input.effort).and_then(|a| match a {
                // Like a budget: an effort below zero means nothing.
                Some(v) if v.0 < 0 => Err(ErrorCode::OutOfRange {
                    min: 0,
                    max: 100_000_000_000,
                }),
                other => Ok(other),
            }),
        );
        let effort_unit = e.take(
            "effort_unit",
            optional_choice(&input.effort_unit, EffortUnit::parse),
        );
        let effort = match (effort_amount, effort_unit) {
            (Some(Some(amount)), Some(unit)) => Some(Some(Effort {
                amount,
                unit: unit.unwrap_or(EffortUnit::Fte),
            })),
            (Some(None), _) => Some(None),
            _ => None,
        };
        let horizon = e.take("horizon", optional_choice(&input.horizon, Horizon::parse));
        let character = e.take(
            "character",
            optional_choice(&input.character, Character::parse),
        );
        let axis = |raw: &str| -> Result<Option<u8>, ErrorCode> {
            if raw.trim().is_empty() {
                return Ok(None);
            }
            match raw.trim().parse::<u8>() {
                Ok(v @ 1..=5) => Ok(Some(v)),
                _ => Err(ErrorCode::OutOfRange { min: 1, max: 5 }),
            }
        };
        let so = e.take(
            "perspective_strategic_operational",
            axis(&input.perspective_strategic_operational),
        );
        let ib = e.take(
            "perspective_ict_business",
            axis(&input.perspective_ict_business),
        );

        let mut themes = Vec::new();
        let primary = input.primary_theme.trim();
        if primary.is_empty() {
            e.push("primary_theme", ErrorCode::Required);
        } else if !refs.themes.contains(&primary) {
            e.push("primary_theme", ErrorCode::Unknown);
        } else {
            themes.push(primary.to_string());
        }
        for t in input
            .themes
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        {
            if !refs.themes.contains(&t) {
                e.push("themes", ErrorCode::Unknown);
                break;
            }
            if !themes.iter().any(|x| x == t) {
                themes.push(t.to_string());
            }
        }
        let drivers = e.take("drivers", code_set(&input.drivers, refs.drivers));
        let mora_areas = e.take("mora_areas", code_set(&input.mora_areas, refs.mora_areas));
        let mut scores = BTreeMap::new();
        for (code, raw) in &input.scores {
            let field = format!("score_{code}");
            if !refs.criteria.contains(&code.as_str()) {
                e.push(&field, ErrorCode::Unknown);
                continue;
            }
            if raw.trim().is_empty() {
                continue;
            }
            match raw.trim().parse::<u8>() {
                Ok(v @ 1..=5) => {
                    scores.insert(code.clone(), v);
                }
                _ => e.push(&field, ErrorCode::OutOfRange { min: 1, max: 5 }),
            }
        }
        let visibility = if input.visibility.trim().is_empty() {
            Some(Visibility::Netwerk)
        } else {
            e.take("visibility", choice(&input.visibility, Visibility::parse))
        };
        let case_summary = e.take("case_summary", optional_text(&input.case_summary, 5000));
        if input.shareable && case_summary.as_ref().is_some_and(|c| c.is_empty()) {
            e.push("case_summary", ErrorCode::Required);
        }
        let mut links = Vec::new();
        for line in input.links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if has_control_character(line) {
                e.push("links", ErrorCode::ControlCharacter);
                break;
            }
            let ok = (line.starts_with("https://") || line.starts_with("http://"))
                && line.len() > 10
                && line.len() <= 2000
                && !line.chars().any(char::is_whitespace);
            if ok {
                links.push(line.to_string());
            } else {
                e.push("links", ErrorCode::InvalidLink);
                break;
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        // Every `take` above succeeded, so each value is present.
        Ok(ProjectData {
            title: title.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            description: description.unwrap_or_default(),
            intended_result: intended_result.unwrap_or_default(),
            owner: owner.unwrap_or_default(),
            project_lead: project_lead.unwrap_or_default(),
            contact_person: contact_person.unwrap_or_default(),
            phase: phase.unwrap_or(Phase::Idee),
            status: status.flatten(),
            status_note: status_note.unwrap_or_default(),
            start_date: start_date.flatten(),
            end_date: end_date.flatten(),
            budget: budget.flatten(),
            effort: effort.flatten(),
            horizon: horizon.flatten(),
            character: character.flatten(),
            perspective: Perspective {
                strategic_operational: so.flatten(),
                ict_business: ib.flatten(),
            },
            themes,
            drivers: drivers.unwrap_or_default(),
            mora_areas: mora_areas.unwrap_or_default(),
            scores,
            visibility: visibility.unwrap_or(Visibility::Netwerk),
            shareable: input.shareable,
            case_summary: case_summary.unwrap_or_default(),
            links,
        })
    }

    pub fn primary_theme(&self) -> Option<&str> {
        self.themes.first().map(String::as_str)
    }
}

impl From<&ProjectData> for ProjectInput {
    fn from(d: &ProjectData) -> Self {
        let opt = |v: Option<String>| v.unwrap_or_default();
        ProjectInput {
            title: d.title.clone(),
            summary: d.summary.clone(),
            description: d.description.clone(),
            intended_result: d.intended_result.clone(),
            owner: d.owner.clone(),
            project_lead: d.project_lead.clone(),
            contact_person: d.contact_person.clone(),
            phase: d.phase.code().into(),
            status: opt(d.status.map(|x| x.code().to_string())),
            status_note: d.status_note.clone(),
            start_date: opt(d.start_date.map(|x| x.to_string())),
            end_date: opt(d.end_date.map(|x| x.to_string())),
            budget: opt(d.budget.map(|b| b.to_dutch())),
            effort: opt(d.effort.map(|e| e.amount.to_dutch())),
            effort_unit: opt(d.effort.map(|e| e.unit.code().to_string())),
            horizon: opt(d.horizon.map(|x| x.code().to_string())),
            character: opt(d.character.map(|x| x.code().to_string())),
            perspective_strategic_operational: opt(d
                .perspective
                .strategic_operational
                .map(|v| v.to_string())),
            perspective_ict_business: opt(d.perspective.ict_business.map(|v| v.to_string())),
            primary_theme: d.themes.first().cloned().unwrap_or_default(),
            themes: d.themes.iter().skip(1).cloned().collect(),
            drivers: d.drivers.clone(),
            mora_areas: d.mora_areas.clone(),
            scores: d
                .scores
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect(),
            visibility: d.visibility.code().into(),
            shareable: d.shareable,
            case_summary: d.case_summary.clone(),
            links: d.links.join("\n"),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn refs() -> References<'static> {
        References {
            themes: &["llo", "innovatie"],
            drivers: &["krimp"],
            mora_areas: &["onderwijs-uitvoeren", "bedrijfsvoering-hrm"],
            criteria: &["urgentie"],
        }
    }

    pub(crate) fn valid() -> ProjectInput {
        ProjectInput {
            title: "Dashboard studiesucces".into(),
            phase: "uitvoering".into(),
            status: "groen".into(),
            primary_theme: "llo".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_project_is_valid_and_visible_to_the_network() {
        let p = ProjectData::parse(&valid(), &refs()).unwrap();
        assert_eq!(p.visibility, Visibility::Netwerk);
        assert_eq!(p.themes, vec!["llo"]);
    }

    #[test]
    fn the_issue_examples_of_bad_input_name_their_fields() {
        let input = ProjectInput {
            title: "  ".into(),
            start_date: "2025-06-01".into(),
            end_date: "2025-01-01".into(),
            primary_theme: "ruimtevaart".into(),
            budget: "twaalf".into(),
            ..valid()
        };
        let err = ProjectData::parse(&input, &refs()).unwrap_err();
        assert_eq!(err.for_field("title"), Some(&ErrorCode::Required));
        assert_eq!(err.for_field("end_date"), Some(&ErrorCode::EndBeforeStart));
        assert_eq!(err.for_field("primary_theme"), Some(&ErrorCode::Unknown));
        assert_eq!(err.for_field("budget"), Some(&ErrorCode::NotANumber));
    }

    #[test]
    fn primary_theme_comes_first_and_duplicates_are_dropped() {
        let input = ProjectInput {
            themes: vec!["innovatie".into(), "llo".into()],
            ..valid()
        };
        assert_eq!(
            ProjectData::parse(&input, &refs()).unwrap().themes,
            vec!["llo", "innovatie"]
        );
    }

    #[test]
    fn a_shareable_case_needs_a_summary_and_scores_are_1_to_5() {
        let mut input = ProjectInput {
            shareable: true,
            ..valid()
        };
        input.scores.insert("urgentie".into(), "7".into());
        let err = ProjectData::parse(&input, &refs()).unwrap_err();
        assert_eq!(err.for_field("case_summary"), Some(&ErrorCode::Required));
        assert_eq!(
            err.for_field("score_urgentie"),
            Some(&ErrorCode::OutOfRange { min: 1, max: 5 })
        );
    }

    pub(crate) fn every_field_set() -> ProjectData {
        let mut input = ProjectInput {
            start_date: "2025-01-01".into(),
            budget: "12.500,50".into(),
            effort: "1,5".into(),
            effort_unit: "fte".into(),
            horizon: "kort".into(),
            perspective_strategic_operational: "2".into(),
            themes: vec!["innovatie".into()],
            drivers: vec!["krimp".into()],
            mora_areas: vec!["bedrijfsvoering-hrm".into(), "onderwijs-uitvoeren".into()],
            shareable: true,
            case_summary: "Goed voorbeeld".into(),
            links: "https://example.org/a\nhttps://example.org/b".into(),
            ..valid()
        };
        input.scores.insert("urgentie".into(), "3".into());
        ProjectData::parse(&input, &refs()).unwrap()
    }

    #[test]
    fn a_text_pasted_from_windows_is_the_same_text() {
        let typed = ProjectData::parse(
            &ProjectInput {
                description: "Eerste regel\nTweede regel".into(),
                ..valid()
            },
            &refs(),
        )
        .unwrap();
        let pasted = ProjectData::parse(
            &ProjectInput {
                description: "Eerste regel  \r\nTweede regel\r\n".into(),
                ..valid()
            },
            &refs(),
        )
        .unwrap();
        assert_eq!(diff(&typed, &pasted), vec![]);
    }

    #[test]
    fn a_control_character_in_any_text_names_its_field() {
        let input = ProjectInput {
            title: "a\u{0}b".into(),
            summary: "a\u{0}b".into(),
            case_summary: "\u{1b}".into(),
            links: "https://example.org/a\u{0}b".into(),
            ..valid()
        };
        let err = ProjectData::parse(&input, &refs()).unwrap_err();
        for field in ["title", "summary", "case_summary", "links"] {
            assert_eq!(
                err.for_field(field),
                Some(&ErrorCode::ControlCharacter),
                "{field}"
            );
        }
    }

    #[test]
    fn a_running_project_is_late_or_stale_a_finished_one_never() {
        let data = ProjectData::parse(
            &ProjectInput {
                end_date: "2026-01-31".into(),
                ..valid()
            },
            &refs(),
        )
        .unwrap();
        let mut p = Project {
            id: 1,
            institution_id: 1,
            institution_brin: BrinCode::parse("25LN").unwrap(),
            institution_name: "Horizon College".into(),
            external_id: None,
            data,
            status_date: NaiveDate::from_ymd_opt(2026, 1, 1),
            version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let stale_on = |p: &Project, today| p.status_is_stale(stale_limit(today, 90));
        assert!(!p.is_overdue(day(1, 31)) && p.is_overdue(day(2, 1)));
        assert!(!stale_on(&p, day(4, 1)), "90 days is not yet stale");
        assert!(stale_on(&p, day(4, 2)));
        assert!(
            p.status_is_stale(stale_limit(day(1, 12), 10)),
            "the limit is the server's"
        );
        p.data.status = None;
        assert!(
            !stale_on(&p, day(4, 2)),
            "no status yet is not an old status"
        );
        p.data.phase = Phase::Afgerond;
        assert!(!p.is_overdue(day(6, 1)) && !stale_on(&p, day(6, 1)));
    }
}
