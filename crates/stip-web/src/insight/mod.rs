//! Network insight (issue 11): the network overview (the home page of people who log in), the
//! balance, the cross-links between themes, the roadmap, search and similar projects, as pages
//! and under `/api/v1/insight`, `/api/v1/search` and `/api/v1/projects/{id}/similar`. The
//! counts come from the store's tallies; every page counts only what the viewer may see.

mod balance;
mod compare;
mod counting;
mod crosslinks;
mod overview;
mod roadmap;
mod search;

// The home page of someone logged in is the network overview; a project's page shows as many
// similar projects as `SIMILAR`.
pub(crate) use counting::PageParams;
pub(crate) use overview::overview_page;
pub(crate) use search::SIMILAR;

use crate::auth::Viewer;
use crate::i18n::Lang;
use crate::lists::Lists;
use crate::ui::chart::Part;
use crate::{AppState, Error};
use serde::Serialize;
use std::collections::HashMap;
use stip_core::access::project_scope;
use stip_core::insight::{Mix, Tally};
use stip_core::number::Hundredths;
use stip_core::portfolio::{Character, Horizon, ListQuery, ListRequest, Quadrant};
use stip_store::insight::Snippet;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages and API operations, each in its sub-feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(overview::routes())
        .merge(balance::routes())
        .merge(compare::routes())
        .merge(crosslinks::routes())
        .merge(roadmap::routes())
        .merge(search::routes())
}

/// Whole euros, as the reader writes them: "€ 12.500" / "€12,500".
pub fn euros(lang: Lang, cents: i64) -> String {
    let whole = Hundredths(cents / 100 * 100);
    match lang {
        Lang::Nl => format!("€ {}", whole.to_dutch()),
        Lang::En => format!("€{}", whole.to_english()),
    }
}

/// A whole number as the reader writes it: 11.500 / 11,500.
pub fn count(lang: Lang, n: u64) -> String {
    let dutch = Hundredths((n as i64).saturating_mul(100)).to_dutch();
    match lang {
        Lang::Nl => dutch,
        Lang::En => dutch.replace('.', ","),
    }
}

/// The institutions by id, for the tallies (which count by id).
pub struct Names<'a> {
    by_id: HashMap<i64, (&'a str, &'a str)>,
}

impl<'a> Names<'a> {
    pub fn new(lists: &'a Lists) -> Names<'a> {
        Names {
            by_id: lists
                .institutions
                .iter()
                .map(|i| (i.id, (i.data.brin.as_str(), i.data.name.as_str())))
                .collect(),
        }
    }

    /// (BRIN code, name) of an institution.
    pub fn of(&self, id: i64) -> (String, String) {
        self.by_id
            .get(&id)
            .map(|(b, n)| (b.to_string(), n.to_string()))
            .unwrap_or_else(|| (String::new(), id.to_string()))
    }
}

/// The institutions with counted projects, by name: (id, BRIN code, name).
pub fn institutions_by_name(
    tally: &stip_core::insight::Tally,
    names: &Names,
) -> Vec<(i64, String, String)> {
    let mut out: Vec<(i64, String, String)> = tally
        .per_institution
        .keys()
        .map(|id| {
            let (brin, name) = names.of(*id);
            (*id, brin, name)
        })
        .collect();
    out.sort_by_cached_key(|(_, brin, name)| (name.to_lowercase(), brin.clone()));
    out
}

/// One of the three dimensions of the balance.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Character,
    Horizon,
    Quadrant,
}

impl Dimension {
    pub const ALL: [Dimension; 3] = [
        Dimension::Character,
        Dimension::Horizon,
        Dimension::Quadrant,
    ];

    /// The list filter and label kind of the dimension.
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Character => "character",
            Dimension::Horizon => "horizon",
            Dimension::Quadrant => "quadrant",
        }
    }

    /// Each value's code (`None`: not assessed) and how many projects of `mix` have it.
    pub fn counts(self, mix: &Mix) -> Vec<(Option<&'static str>, u64)> {
        fn of<T: Copy + Ord>(
            all: &[T],
            code: fn(T) -> &'static str,
            counts: &std::collections::BTreeMap<Option<T>, u64>,
        ) -> Vec<(Option<&'static str>, u64)> {
            all.iter()
                .map(|v| (Some(code(*v)), counts.get(&Some(*v)).copied().unwrap_or(0)))
                .chain([(None, counts.get(&None).copied().unwrap_or(0))])
                .collect()
        }
        match self {
            Dimension::Character => of(Character::ALL, Character::code, &mix.character),
            Dimension::Horizon => of(Horizon::ALL, Horizon::code, &mix.horizon),
            Dimension::Quadrant => of(Quadrant::ALL, Quadrant::code, &mix.quadrant),
        }
    }
}

/// A mix's values as the parts of a chart's bar.
pub(crate) fn mix_parts(lang: Lang, dim: Dimension, mix: &Mix) -> Vec<Part> {
    dim.counts(mix)
        .into_iter()
        .enumerate()
        .map(|(i, (code, n))| Part {
            label: value_label(lang, dim, code),
            count: n,
            class: match code {
                Some(_) => format!("mix-{}", i + 1),
                None => "mix-none".into(),
            },
        })
        .collect()
}

/// A value of a dimension as the reader calls it; `None`: not assessed.
pub(crate) fn value_label(lang: Lang, dim: Dimension, code: Option<&str>) -> String {
    match code {
        Some(code) => lang.label(dim.code(), code),
        None => lang.t("insight.not_assessed"),
    }
}

/// A snippet as HTML: its text escaped, the words found in `<mark>`.
pub fn snippet_html(s: &Snippet) -> String {
    let mut out = String::with_capacity(s.text.len() + 32);
    let mut at = 0;
    for r in &s.marked {
        if r.start < at || r.end > s.text.len() {
            continue;
        }
        escape_into(&mut out, &s.text[at..r.start]);
        out.push_str("<mark>");
        escape_into(&mut out, &s.text[r.clone()]);
        out.push_str("</mark>");
        at = r.end;
    }
    escape_into(&mut out, &s.text[at..]);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

// ---- Shared by the API -------------------------------------------------------------------------

/// A number of projects with a value (`null`: not given).
#[derive(Serialize, ToSchema)]
pub struct CountJson {
    pub value: Option<String>,
    pub projects: u64,
}

#[derive(Serialize, ToSchema)]
pub struct MixJson {
    /// Karakter: `basis-op-orde`, `verbeteren`, `innoveren`, null (not given).
    pub character: Vec<CountJson>,
    pub horizon: Vec<CountJson>,
    /// Perspective quadrant: `strategisch-ict`, `strategisch-business`, `operationeel-ict`,
    /// `operationeel-business`, null (in the middle of an axis, or not assessed).
    pub quadrant: Vec<CountJson>,
}

pub(crate) fn mix_json(mix: &Mix) -> MixJson {
    let of = |dim: Dimension| {
        dim.counts(mix)
            .into_iter()
            .map(|(value, projects)| CountJson {
                value: value.map(str::to_string),
                projects,
            })
            .collect()
    };
    MixJson {
        character: of(Dimension::Character),
        horizon: of(Dimension::Horizon),
        quadrant: of(Dimension::Quadrant),
    }
}

async fn tally(
    state: &AppState,
    viewer: &Viewer,
    query: &ListQuery,
) -> Result<(ListRequest, std::sync::Arc<Tally>), Error> {
    let request = query.parse().map_err(Error::Invalid)?;
    let tally = state
        .store
        .insight(&request.filter, project_scope(&viewer.actor))
        .await?;
    Ok((request, tally))
}

/// The institutions with counted projects on the request's page, by name: (id, BRIN, name).
fn institutions_page(
    tally: &Tally,
    names: &Names,
    request: &ListRequest,
) -> Vec<(i64, String, String)> {
    let all = institutions_by_name(tally, names);
    let per_page = request.per_page as usize;
    let skip = (request.page as usize - 1).saturating_mul(per_page);
    all.into_iter().skip(skip).take(per_page).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_escaped_and_marks_its_words() {
        let s = Snippet {
            text: "<b>Digitale</b> leermiddelen & meer".into(),
            marked: std::iter::once(16..28).collect(),
        };
        assert_eq!(
            snippet_html(&s),
            "&lt;b&gt;Digitale&lt;/b&gt; <mark>leermiddelen</mark> &amp; meer"
        );
    }
}
