//! The project portfolio: a project's fields and their rules, the change history between two
//! versions of a project, and the filters and sorting of the portfolio list.

use crate::error::{choice, has_control_character, optional_choice, optional_text, required_text};
use crate::insight::Quadrant;
use crate::institution::BrinCode;
use crate::number::{Hundredths, optional_amount, optional_date};
use crate::{ErrorCode, Invalid, code_enum};
use chrono::NaiveDate;
use serde::Serialize;
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

code_enum!(
    /// One pole of the seed's two perspective axes; used to filter the portfolio.
    PerspectivePole {
        Strategisch => "strategisch",
        Operationeel => "operationeel",
        Ict => "ict",
        Business => "business",
    }
);

/// Perspectief on the seed's two axes, each 1–5: 1 = strategisch … 5 = operationeel, and
/// 1 = ICT … 5 = business. `None` when not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Perspective {
    pub strategic_operational: Option<u8>,
    pub ict_business: Option<u8>,
}

impl Perspective {
    pub fn leans(&self, pole: PerspectivePole) -> bool {
        match pole {
            PerspectivePole::Strategisch => self.strategic_operational.is_some_and(|v| v <= 2),
            PerspectivePole::Operationeel => self.strategic_operational.is_some_and(|v| v >= 4),
            PerspectivePole::Ict => self.ict_business.is_some_and(|v| v <= 2),
            PerspectivePole::Business => self.ict_business.is_some_and(|v| v >= 4),
        }
    }
}

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    pub themes: Vec<String>,
    pub drivers: Vec<String>,
    pub mora_areas: Vec<String>,
    /// Criterion code → score as typed.
    pub scores: BTreeMap<String, String>,
    pub visibility: String,
    pub shareable: bool,
    pub case_summary: String,
    /// One link per line.
    pub links: String,
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

    /// The names of [`ProjectData::history_fields`], in form order.
    pub const FIELDS: [&'static str; 26] = [
        "title",
        "summary",
        "description",
        "intended_result",
        "owner",
        "project_lead",
        "contact_person",
        "phase",
        "status",
        "status_note",
        "start_date",
        "end_date",
        "budget",
        "effort",
        "horizon",
        "character",
        "perspective_strategic_operational",
        "perspective_ict_business",
        "themes",
        "drivers",
        "mora_areas",
        "scores",
        "visibility",
        "shareable",
        "case_summary",
        "links",
    ];

    /// The fields shown in a project's change history, in form order, with their values.
    pub fn history_fields(&self) -> Vec<(&'static str, HistoryValue)> {
        use HistoryValue as V;
        let code = |c: Option<&'static str>| c.map_or(V::Empty, |c| V::Code(c.to_string()));
        let date = |d: Option<NaiveDate>| d.map_or(V::Empty, V::Date);
        let axis = |a: Option<u8>| a.map_or(V::Empty, V::Axis);
        vec![
            ("title", V::Text(self.title.clone())),
            ("summary", V::Text(self.summary.clone())),
            ("description", V::Text(self.description.clone())),
            ("intended_result", V::Text(self.intended_result.clone())),
            ("owner", V::Text(self.owner.clone())),
            ("project_lead", V::Text(self.project_lead.clone())),
            ("contact_person", V::Text(self.contact_person.clone())),
            ("phase", code(Some(self.phase.code()))),
            ("status", code(self.status.map(Status::code))),
            ("status_note", V::Text(self.status_note.clone())),
            ("start_date", date(self.start_date)),
            ("end_date", date(self.end_date)),
            ("budget", self.budget.map_or(V::Empty, V::Euro)),
            ("effort", self.effort.map_or(V::Empty, V::Effort)),
            ("horizon", code(self.horizon.map(Horizon::code))),
            ("character", code(self.character.map(Character::code))),
            (
                "perspective_strategic_operational",
                axis(self.perspective.strategic_operational),
            ),
            (
                "perspective_ict_business",
                axis(self.perspective.ict_business),
            ),
            ("themes", V::List(self.themes.clone())),
            ("drivers", V::List(self.drivers.clone())),
            ("mora_areas", V::List(self.mora_areas.clone())),
            ("scores", V::Scores(self.scores.clone())),
            ("visibility", code(Some(self.visibility.code()))),
            ("shareable", V::Flag(self.shareable)),
            ("case_summary", V::Text(self.case_summary.clone())),
            ("links", V::List(self.links.clone())),
        ]
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

/// A field's value as the change history keeps it: the value itself, never a rendering in one
/// language, so each reader sees it in their own language and exports keep the numbers.
///
/// In JSON (the database and the API) it is the plain value, as the project API has it: a text,
/// a code or `null` (not set); an ISO date; a budget as a number of euros; an effort as
/// `{"amount": 1.5, "unit": "fte"}`; a perspective 1–5; a list of theme, driver or MORA area
/// codes or links; scores as `{"urgentie": 3}`; `true`/`false`. The field's name tells which it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryValue {
    /// Not set (an empty date, amount or choice).
    Empty,
    Text(String),
    /// A code of a fixed list (phase, status, horizon, character, visibility).
    Code(String),
    Date(NaiveDate),
    Euro(Hundredths),
    Effort(Effort),
    /// A position 1–5 on a perspective axis.
    Axis(u8),
    /// Theme, driver or MORA area codes, or links.
    List(Vec<String>),
    /// Score 1–5 per criterion code.
    Scores(BTreeMap<String, u8>),
    Flag(bool),
    /// Not shown to this reader: the value belongs to a version they could not see
    /// (see `access::visible_history`). Never stored; `null` in JSON.
    Withheld,
}

/// What kind of value a history field holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Text,
    Code,
    Date,
    Euro,
    Effort,
    Axis,
    List,
    Scores,
    Flag,
}

impl ValueKind {
    fn of(field: &str) -> Option<ValueKind> {
        Some(match field {
            "title" | "summary" | "description" | "intended_result" | "owner" | "project_lead"
            | "contact_person" | "status_note" | "case_summary" => ValueKind::Text,
            "phase" | "status" | "horizon" | "character" | "visibility" => ValueKind::Code,
            "start_date" | "end_date" => ValueKind::Date,
            "budget" => ValueKind::Euro,
            "effort" => ValueKind::Effort,
            "perspective_strategic_operational" | "perspective_ict_business" => ValueKind::Axis,
            "themes" | "drivers" | "mora_areas" | "links" => ValueKind::List,
            "scores" => ValueKind::Scores,
            "shareable" => ValueKind::Flag,
            _ => return None,
        })
    }
}

impl HistoryValue {
    /// The value of `field` from its JSON form; `None` when it is not what the field holds.
    pub fn from_json(field: &str, v: serde_json::Value) -> Option<HistoryValue> {
        use serde_json::Value as J;
        let strings = |items: Vec<J>| -> Option<Vec<String>> {
            items
                .into_iter()
                .map(|i| match i {
                    J::String(s) => Some(s),
                    _ => None,
                })
                .collect()
        };
        let kind = ValueKind::of(field);
        Some(match (kind, v) {
            (_, J::Null) => HistoryValue::Empty,
            (Some(ValueKind::Text) | None, J::String(s)) => HistoryValue::Text(s),
            (Some(ValueKind::Code), J::String(s)) => HistoryValue::Code(s),
            (Some(ValueKind::Date), J::String(s)) => {
                HistoryValue::Date(NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()?)
            }
            (Some(ValueKind::Euro), J::Number(n)) => {
                HistoryValue::Euro(Hundredths::from_f64(n.as_f64()?))
            }
            (Some(ValueKind::Effort), J::Object(o)) => HistoryValue::Effort(Effort {
                amount: Hundredths::from_f64(o.get("amount")?.as_f64()?),
                unit: EffortUnit::parse(o.get("unit")?.as_str()?)?,
            }),
            (Some(ValueKind::Axis), J::Number(n)) => {
                HistoryValue::Axis(u8::try_from(n.as_u64()?).ok()?)
            }
            (Some(ValueKind::List) | None, J::Array(items)) => HistoryValue::List(strings(items)?),
            (Some(ValueKind::Scores), J::Object(o)) => HistoryValue::Scores(
                o.into_iter()
                    .map(|(k, v)| Some((k, u8::try_from(v.as_u64()?).ok()?)))
                    .collect::<Option<_>>()?,
            ),
            (Some(ValueKind::Flag) | None, J::Bool(b)) => HistoryValue::Flag(b),
            _ => return None,
        })
    }

    /// The value of `field` from the Dutch display text the history stored before it stored
    /// values ("12.500,50", "1,5 fte", "ja", "llo, innovatie", "urgentie: 3"); for migrating
    /// old rows. `None` when the text is not what that field would have shown.
    pub fn from_display_text(field: &str, text: &str) -> Option<HistoryValue> {
        let kind = ValueKind::of(field).unwrap_or(ValueKind::Text);
        let list = |sep: &str| -> Vec<String> {
            text.split(sep)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        if text.is_empty() && !matches!(kind, ValueKind::Text | ValueKind::List | ValueKind::Scores)
        {
            return Some(HistoryValue::Empty);
        }
        Some(match kind {
            ValueKind::Text => HistoryValue::Text(text.to_string()),
            ValueKind::Code => HistoryValue::Code(text.to_string()),
            ValueKind::Date => {
                HistoryValue::Date(NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?)
            }
            ValueKind::Euro => HistoryValue::Euro(Hundredths::parse(text).ok()?),
            ValueKind::Effort => {
                let (amount, unit) = text.rsplit_once(' ')?;
                HistoryValue::Effort(Effort {
                    amount: Hundredths::parse(amount).ok()?,
                    unit: EffortUnit::parse(unit)?,
                })
            }
            ValueKind::Axis => HistoryValue::Axis(text.parse().ok()?),
            ValueKind::List if field == "links" => HistoryValue::List(list("\n")),
            ValueKind::List => HistoryValue::List(list(", ")),
            ValueKind::Scores => HistoryValue::Scores(
                list(", ")
                    .iter()
                    .map(|pair| {
                        let (code, score) = pair.split_once(": ")?;
                        Some((code.to_string(), score.parse().ok()?))
                    })
                    .collect::<Option<_>>()?,
            ),
            ValueKind::Flag => match text {
                "ja" => HistoryValue::Flag(true),
                "nee" => HistoryValue::Flag(false),
                _ => return None,
            },
        })
    }
}

impl Serialize for HistoryValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HistoryValue::Empty | HistoryValue::Withheld => s.serialize_none(),
            HistoryValue::Text(t) | HistoryValue::Code(t) => s.serialize_str(t),
            HistoryValue::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
            HistoryValue::Euro(amount) => amount.serialize(s),
            HistoryValue::Effort(effort) => effort.serialize(s),
            HistoryValue::Axis(v) => s.serialize_u8(*v),
            HistoryValue::List(items) => items.serialize(s),
            HistoryValue::Scores(scores) => scores.serialize(s),
            HistoryValue::Flag(b) => s.serialize_bool(*b),
        }
    }
}

/// One field that changed between two versions of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: HistoryValue,
    pub new: HistoryValue,
}

impl<'de> serde::Deserialize<'de> for FieldChange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            field: String,
            old: serde_json::Value,
            new: serde_json::Value,
        }
        let raw = Raw::deserialize(d)?;
        let value = |v: serde_json::Value| {
            HistoryValue::from_json(&raw.field, v.clone()).ok_or_else(|| {
                serde::de::Error::custom(format!("'{v}' is not a value of {}", raw.field))
            })
        };
        Ok(FieldChange {
            old: value(raw.old.clone())?,
            new: value(raw.new.clone())?,
            field: raw.field,
        })
    }
}

/// The fields that differ between two versions, in form order.
pub fn diff(old: &ProjectData, new: &ProjectData) -> Vec<FieldChange> {
    old.history_fields()
        .into_iter()
        .zip(new.history_fields())
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, old), (_, new))| FieldChange {
            field: field.to_string(),
            old,
            new,
        })
        .collect()
}

/// A change-history entry: who changed which fields when, and who could see the project at
/// that version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub changed_at: String,
    /// Who saved it; `None` for an account since removed, or a save by a program.
    #[serde(skip)]
    pub user_id: Option<i64>,
    pub user_name: String,
    /// The project's visibility at this version (after this change).
    pub visibility: Visibility,
    pub changes: Vec<FieldChange>,
}

code_enum!(
    /// What the portfolio list can be sorted by; `-` in front in a URL means descending.
    SortKey {
        Title => "title",
        Institution => "institution",
        Phase => "phase",
        Status => "status",
        StartDate => "start_date",
        EndDate => "end_date",
        Budget => "budget",
        Updated => "updated",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Updated,
            descending: true,
        }
    }
}

impl Sort {
    /// Whether `p` has no value for this key; such projects come last in either direction.
    pub fn is_empty_for(self, p: &Project) -> bool {
        match self.key {
            SortKey::StartDate => p.data.start_date.is_none(),
            SortKey::EndDate => p.data.end_date.is_none(),
            SortKey::Budget => p.data.budget.is_none(),
            SortKey::Status => p.data.status.is_none(),
            _ => false,
        }
    }

    /// The list order: by the key (text ignoring case, phases and statuses in their natural
    /// order), ties by id, projects without a value last; `descending` reverses all but the last.
    pub fn compare(self, a: &Project, b: &Project) -> std::cmp::Ordering {
        let (ea, eb) = (self.is_empty_for(a), self.is_empty_for(b));
        if ea != eb {
            return ea.cmp(&eb);
        }
        let caseless = |x: &str, y: &str| {
            x.chars()
                .flat_map(char::to_lowercase)
                .cmp(y.chars().flat_map(char::to_lowercase))
        };
        let by_key = match self.key {
            SortKey::Title => caseless(&a.data.title, &b.data.title),
            SortKey::Institution => caseless(&a.institution_name, &b.institution_name),
            SortKey::Phase => a.data.phase.cmp(&b.data.phase),
            SortKey::Status => a.data.status.cmp(&b.data.status),
            SortKey::StartDate => a.data.start_date.cmp(&b.data.start_date),
            SortKey::EndDate => a.data.end_date.cmp(&b.data.end_date),
            SortKey::Budget => a.data.budget.cmp(&b.data.budget),
            SortKey::Updated => a.updated_at.cmp(&b.updated_at),
        };
        let ordering = by_key.then(a.id.cmp(&b.id));
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let t = raw.trim();
        if t.is_empty() {
            return Ok(Sort::default());
        }
        let (descending, key) = match t.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, t),
        };
        SortKey::parse(key)
            .map(|key| Sort { key, descending })
            .ok_or(ErrorCode::InvalidChoice)
    }

    pub fn to_param(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.key.code()
        )
    }
}

/// The raw list query, as in the URL: `?theme=llo&phase=uitvoering&q=dashboard&sort=-updated&page=2`.
/// The names are the same in the HTML list and the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ListQuery {
    pub institution: String,
    pub theme: String,
    pub phase: String,
    pub status: String,
    pub character: String,
    pub horizon: String,
    pub perspective: String,
    pub driver: String,
    /// A MORA process area code.
    pub mora: String,
    /// A second theme the project must also have (the cross-links' pairs).
    pub also_theme: String,
    /// An ISO date: running projects whose status was last set before it (out of date).
    pub status_before: String,
    /// `1`: only projects shareable as an example (a case).
    pub shareable: String,
    /// A perspective quadrant (`strategisch-ict`, …): leaning that way on both axes.
    pub quadrant: String,
    /// `1`: the theme filter matches the main theme only.
    pub primary_only: String,
    pub q: String,
    pub sort: String,
    pub page: String,
    pub per_page: String,
    /// Parameters given more than once (`page=1&page=2`): refused by name, never guessed at.
    #[serde(skip)]
    pub repeated: Vec<String>,
}

/// The validated portfolio filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub institution: Option<BrinCode>,
    pub theme: Option<String>,
    /// The theme must be the project's main theme, not just one of its themes.
    pub primary_only: bool,
    /// A second theme the project must have as well.
    pub also_theme: Option<String>,
    /// Running projects with a status last set before this date, or at an unknown date.
    pub status_before: Option<NaiveDate>,
    /// Only projects shareable as an example.
    pub shareable: bool,
    pub quadrant: Option<Quadrant>,
    pub phase: Option<Phase>,
    pub status: Option<Status>,
    pub character: Option<Character>,
    pub horizon: Option<Horizon>,
    pub perspective: Option<PerspectivePole>,
    pub driver: Option<String>,
    /// MORA process area codes, any of which the project maps to: the area asked for and, once
    /// the store has widened it (a list cannot know the areas), its sub-areas. Empty: no filter.
    pub mora: Vec<String>,
    /// Text the title, summary or description contains, in lower case (matching ignores case).
    pub text: Option<String>,
}

impl ProjectFilter {
    /// Whether `p` passes every filter. `text` is the project's [`searchable_text`].
    pub fn matches(&self, p: &Project, text: &str) -> bool {
        let d = &p.data;
        self.institution
            .as_ref()
            .is_none_or(|b| *b == p.institution_brin)
            && self.theme.as_ref().is_none_or(|t| {
                if self.primary_only {
                    d.primary_theme() == Some(t.as_str())
                } else {
                    d.themes.iter().any(|x| x == t)
                }
            })
            && self
                .also_theme
                .as_ref()
                .is_none_or(|t| d.themes.iter().any(|x| x == t))
            && self
                .status_before
                .is_none_or(|day| status_set_before(d.phase, d.status, p.status_date, day))
            && (!self.shareable || d.shareable)
            && self
                .quadrant
                .is_none_or(|q| Quadrant::of_perspective(&d.perspective) == Some(q))
            && self.phase.is_none_or(|x| x == d.phase)
            && self.status.is_none_or(|x| Some(x) == d.status)
            && self.character.is_none_or(|x| Some(x) == d.character)
            && self.horizon.is_none_or(|x| Some(x) == d.horizon)
            && self
                .perspective
                .is_none_or(|pole| d.perspective.leans(pole))
            && self
                .driver
                .as_ref()
                .is_none_or(|x| d.drivers.iter().any(|y| y == x))
            && (self.mora.is_empty() || d.mora_areas.iter().any(|a| self.mora.contains(a)))
            && self.text.as_ref().is_none_or(|q| text.contains(q.as_str()))
    }
}

/// Whether a running project with a status had it last set before `day` (or at a date not
/// known): the `status_before` filter, and out of date when `day` is the stale limit.
pub fn status_set_before(
    phase: Phase,
    status: Option<Status>,
    status_date: Option<NaiveDate>,
    day: NaiveDate,
) -> bool {
    phase.is_running() && status.is_some() && status_date.is_none_or(|at| at < day)
}

/// The text the portfolio's text filter searches: title, summary and description, in lower case,
/// one per line so a match never spans two fields.
pub fn searchable_text(d: &ProjectData) -> String {
    format!("{}\n{}\n{}", d.title, d.summary, d.description).to_lowercase()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    pub filter: ProjectFilter,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

pub const MAX_PER_PAGE: u32 = 200;
pub const DEFAULT_PER_PAGE: u32 = 50;

impl ListQuery {
    /// The parameter of this name, to change or clear it.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "institution" => &mut self.institution,
            "theme" => &mut self.theme,
            "phase" => &mut self.phase,
            "status" => &mut self.status,
            "character" => &mut self.character,
            "horizon" => &mut self.horizon,
            "perspective" => &mut self.perspective,
            "driver" => &mut self.driver,
            "mora" => &mut self.mora,
            "also_theme" => &mut self.also_theme,
            "status_before" => &mut self.status_before,
            "shareable" => &mut self.shareable,
            "quadrant" => &mut self.quadrant,
            "primary_only" => &mut self.primary_only,
            "q" => &mut self.q,
            "sort" => &mut self.sort,
            "page" => &mut self.page,
            "per_page" => &mut self.per_page,
            _ => return None,
        })
    }

    /// The query from its (name, value) pairs as sent. Every parameter takes one value; a
    /// repeated one is remembered and refused by [`ListQuery::parse`]. Unknown names are ignored,
    /// so a page may carry its own parameters beside the list's.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> ListQuery {
        let mut q = ListQuery::default();
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in pairs {
            let Some(field) = q.field_mut(&name) else {
                continue;
            };
            *field = value;
            if seen.contains(&name) {
                if !q.repeated.contains(&name) {
                    q.repeated.push(name);
                }
            } else {
                seen.push(name);
            }
        }
        q
    }

    pub fn parse(&self) -> Result<ListRequest, Invalid> {
        let mut e = Invalid::default();
        for name in &self.repeated {
            e.push(name, ErrorCode::Repeated);
        }
        let opt_text = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        let institution = if self.institution.trim().is_empty() {
            None
        } else {
            e.take("institution", BrinCode::parse(&self.institution))
        };
        let phase = e
            .take("phase", optional_choice(&self.phase, Phase::parse))
            .flatten();
        let status = e
            .take("status", optional_choice(&self.status, Status::parse))
            .flatten();
        let character = e
            .take(
                "character",
                optional_choice(&self.character, Character::parse),
            )
            .flatten();
        let horizon = e
            .take("horizon", optional_choice(&self.horizon, Horizon::parse))
            .flatten();
        let quadrant = e
            .take("quadrant", optional_choice(&self.quadrant, Quadrant::parse))
            .flatten();
        let perspective = e
            .take(
                "perspective",
                optional_choice(&self.perspective, PerspectivePole::parse),
            )
            .flatten();
        let sort = e.take("sort", Sort::parse(&self.sort)).unwrap_or_default();
        let page = if self.page.trim().is_empty() {
            1
        } else {
            e.take("page", crate::number::page_number(&self.page, 1, 1_000_000))
                .unwrap_or(1) as u32
        };
        let per_page = if self.per_page.trim().is_empty() {
            DEFAULT_PER_PAGE
        } else {
            e.take(
                "per_page",
                crate::number::page_number(&self.per_page, 1, MAX_PER_PAGE as i64),
            )
            .unwrap_or(DEFAULT_PER_PAGE as i64) as u32
        };
        let text = opt_text(&self.q).map(|t| t.to_lowercase());
        if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
            e.push("q", ErrorCode::TooLong { max: 200 });
        }
        let mut flag = |name: &str, value: &str| match value.trim() {
            "" | "0" | "false" => false,
            "1" | "true" | "on" => true,
            _ => {
                e.push(name, ErrorCode::InvalidChoice);
                false
            }
        };
        let primary_only = flag("primary_only", &self.primary_only);
        let shareable = flag("shareable", &self.shareable);
        let status_before = e
            .take("status_before", optional_date(&self.status_before))
            .flatten();
        let theme = opt_text(&self.theme);
        let filter = ProjectFilter {
            institution,
            primary_only: primary_only && theme.is_some(),
            theme,
            also_theme: opt_text(&self.also_theme),
            status_before,
            shareable,
            quadrant,
            phase,
            status,
            character,
            horizon,
            perspective,
            driver: opt_text(&self.driver),
            mora: opt_text(&self.mora).into_iter().collect(),
            text,
        };
        e.into_result(ListRequest {
            filter,
            sort,
            page,
            per_page,
        })
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

    #[test]
    fn diff_lists_changed_fields_old_and_new() {
        let a = ProjectData::parse(&valid(), &refs()).unwrap();
        let b = ProjectData::parse(
            &ProjectInput {
                title: "Nieuw".into(),
                status: "rood".into(),
                ..valid()
            },
            &refs(),
        )
        .unwrap();
        let changes = diff(&a, &b);
        assert_eq!(changes.len(), 2);
        assert_eq!(
            changes[0],
            FieldChange {
                field: "title".into(),
                old: HistoryValue::Text("Dashboard studiesucces".into()),
                new: HistoryValue::Text("Nieuw".into())
            }
        );
        assert_eq!(changes[1].field, "status");
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
    fn history_keeps_values_that_read_back_from_json() {
        let d = every_field_set();
        let fields: BTreeMap<_, _> = d.history_fields().into_iter().collect();
        assert_eq!(fields["budget"], HistoryValue::Euro(Hundredths(1_250_050)));
        assert_eq!(fields["shareable"], HistoryValue::Flag(true));
        assert_eq!(fields["end_date"], HistoryValue::Empty);
        let json = serde_json::to_value(diff(&ProjectData::parse(&valid(), &refs()).unwrap(), &d))
            .unwrap();
        let budget = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "budget")
            .unwrap();
        assert_eq!(budget["old"], serde_json::Value::Null);
        assert_eq!(budget["new"], serde_json::json!(12500.5));
        let effort = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "effort")
            .unwrap();
        assert_eq!(
            effort["new"],
            serde_json::json!({"amount": 1.5, "unit": "fte"})
        );
        let back: Vec<FieldChange> = serde_json::from_value(json).unwrap();
        assert_eq!(
            back,
            diff(&ProjectData::parse(&valid(), &refs()).unwrap(), &d)
        );
    }

    #[test]
    fn the_old_dutch_display_text_converts_to_values() {
        let d = every_field_set();
        let display = [
            ("title", "Dashboard studiesucces"),
            ("phase", "uitvoering"),
            ("start_date", "2025-01-01"),
            ("end_date", ""),
            ("budget", "12.500,50"),
            ("effort", "1,50 fte"),
            ("horizon", "kort"),
            ("character", ""),
            ("perspective_strategic_operational", "2"),
            ("themes", "llo, innovatie"),
            ("drivers", "krimp"),
            ("scores", "urgentie: 3"),
            ("shareable", "ja"),
            ("links", "https://example.org/a\nhttps://example.org/b"),
        ];
        let fields: BTreeMap<_, _> = d.history_fields().into_iter().collect();
        for (field, text) in display {
            assert_eq!(
                HistoryValue::from_display_text(field, text).as_ref(),
                Some(&fields[field]),
                "{field}: {text:?}"
            );
        }
        assert_eq!(
            HistoryValue::from_display_text("shareable", "nee"),
            Some(HistoryValue::Flag(false))
        );
        assert_eq!(HistoryValue::from_display_text("budget", "veel"), None);
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
    fn list_query_names_bad_parameters() {
        let q = ListQuery {
            phase: "klaar".into(),
            per_page: "5000".into(),
            ..Default::default()
        };
        let err = q.parse().unwrap_err();
        assert_eq!(err.for_field("phase"), Some(&ErrorCode::InvalidChoice));
        assert!(err.for_field("per_page").is_some());
        let ok = ListQuery {
            sort: "-budget".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(
            ok.sort,
            Sort {
                key: SortKey::Budget,
                descending: true
            }
        );
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
