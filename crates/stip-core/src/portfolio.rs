//! The project portfolio: a project's fields and their rules, the change history between two
//! versions of a project, and the filters and sorting of the portfolio list.

use crate::error::{choice, optional_choice, optional_text, required_text};
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
    pub status: Status,
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
    #[serde(flatten)]
    pub data: ProjectData,
    /// The date the status or its note last changed.
    pub status_date: Option<NaiveDate>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
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
    pub criteria: &'a [&'a str],
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
        let status = e.take("status", choice(&input.status, Status::parse));
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
        let mut drivers: Vec<String> = Vec::new();
        for d in input
            .drivers
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
        {
            if !refs.drivers.contains(&d) {
                e.push("drivers", ErrorCode::Unknown);
                break;
            }
            if !drivers.iter().any(|x| x == d) {
                drivers.push(d.to_string());
            }
        }
        drivers.sort();
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
            status: status.unwrap_or(Status::Groen),
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
            drivers,
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

    /// The fields shown in a project's change history, as (field, display value).
    pub fn history_fields(&self) -> Vec<(&'static str, String)> {
        let opt = |v: Option<String>| v.unwrap_or_default();
        vec![
            ("title", self.title.clone()),
            ("summary", self.summary.clone()),
            ("description", self.description.clone()),
            ("intended_result", self.intended_result.clone()),
            ("owner", self.owner.clone()),
            ("project_lead", self.project_lead.clone()),
            ("contact_person", self.contact_person.clone()),
            ("phase", self.phase.code().to_string()),
            ("status", self.status.code().to_string()),
            ("status_note", self.status_note.clone()),
            ("start_date", opt(self.start_date.map(|d| d.to_string()))),
            ("end_date", opt(self.end_date.map(|d| d.to_string()))),
            ("budget", opt(self.budget.map(|b| b.to_dutch()))),
            (
                "effort",
                opt(self
                    .effort
                    .map(|e| format!("{} {}", e.amount.to_dutch(), e.unit))),
            ),
            ("horizon", opt(self.horizon.map(|h| h.code().to_string()))),
            (
                "character",
                opt(self.character.map(|c| c.code().to_string())),
            ),
            (
                "perspective_strategic_operational",
                opt(self
                    .perspective
                    .strategic_operational
                    .map(|v| v.to_string())),
            ),
            (
                "perspective_ict_business",
                opt(self.perspective.ict_business.map(|v| v.to_string())),
            ),
            ("themes", self.themes.join(", ")),
            ("drivers", self.drivers.join(", ")),
            (
                "scores",
                self.scores
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("visibility", self.visibility.code().to_string()),
            (
                "shareable",
                if self.shareable { "ja" } else { "nee" }.to_string(),
            ),
            ("case_summary", self.case_summary.clone()),
            ("links", self.links.join("\n")),
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
            status: d.status.code().into(),
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

/// One field that changed between two versions of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
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

/// A change-history entry: who changed which fields when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub changed_at: String,
    pub user_name: String,
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
    pub phase: Option<Phase>,
    pub status: Option<Status>,
    pub character: Option<Character>,
    pub horizon: Option<Horizon>,
    pub perspective: Option<PerspectivePole>,
    pub driver: Option<String>,
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
            && self
                .theme
                .as_ref()
                .is_none_or(|t| d.themes.iter().any(|x| x == t))
            && self.phase.is_none_or(|x| x == d.phase)
            && self.status.is_none_or(|x| x == d.status)
            && self.character.is_none_or(|x| Some(x) == d.character)
            && self.horizon.is_none_or(|x| Some(x) == d.horizon)
            && self
                .perspective
                .is_none_or(|pole| d.perspective.leans(pole))
            && self
                .driver
                .as_ref()
                .is_none_or(|x| d.drivers.iter().any(|y| y == x))
            && self.text.as_ref().is_none_or(|q| text.contains(q.as_str()))
    }
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
        let filter = ProjectFilter {
            institution,
            theme: opt_text(&self.theme),
            phase,
            status,
            character,
            horizon,
            perspective,
            driver: opt_text(&self.driver),
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
mod tests {
    use super::*;

    fn refs() -> References<'static> {
        References {
            themes: &["llo", "innovatie"],
            drivers: &["krimp"],
            criteria: &["urgentie"],
        }
    }

    fn valid() -> ProjectInput {
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
                old: "Dashboard studiesucces".into(),
                new: "Nieuw".into()
            }
        );
        assert_eq!(changes[1].field, "status");
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
}
