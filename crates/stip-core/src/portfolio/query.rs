//! The portfolio list: its query as in the URL, the validated filter and sort, and the paging.

use super::perspective::{PerspectivePole, Quadrant};
use super::{Character, Horizon, Phase, Project, ProjectData, Status};
use crate::error::optional_choice;
use crate::institution::BrinCode;
use crate::number::optional_date;
use crate::{ErrorCode, Invalid, code_enum};
use chrono::NaiveDate;

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
mod tests {
    use super::*;

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
