//! The portfolio's filters as every page that shows a part of the portfolio reads them: the
//! list, an institution's or theme's page and the insight pages. A filter that does not parse
//! is named in the form and left out, the rest still apply; an institution may be typed by
//! (part of) its name, as no one picks from a thousand names.

use super::Choices;
use crate::i18n::Lang;
use crate::lists::Lists;
use crate::ui::form::Errors;
use stip_core::institution::BrinCode;
use stip_core::portfolio::{ListQuery, ListRequest};
use stip_core::{ErrorCode, Invalid};

/// Up to this many institutions are offered to pick from as the name is typed, without
/// JavaScript (more are looked up as the name is typed, with it).
pub const OFFERED: usize = 100;

/// The query with what does not parse taken out, the request it makes, and what was wrong.
pub fn parse_leniently(lists: &Lists, mut query: ListQuery) -> (ListQuery, ListRequest, Invalid) {
    let mut wrong = Invalid::default();
    if let Some(code) = resolve_institution(lists, &mut query.institution) {
        wrong.push("institution", code);
        query.institution.clear();
    }
    match query.parse() {
        Ok(request) => (query, request, wrong),
        Err(invalid) => {
            for e in &invalid.0 {
                if let Some(field) = query.field_mut(&e.field) {
                    field.clear();
                }
            }
            query.repeated.clear();
            wrong.0.extend(invalid.0);
            let request = query.parse().unwrap_or_else(|_| {
                ListQuery::default()
                    .parse()
                    .expect("the empty query parses")
            });
            (query, request, wrong)
        }
    }
}

/// Turns an institution typed by name into its BRIN code; what is wrong when no institution,
/// or more than one, has that name.
fn resolve_institution(lists: &Lists, typed: &mut String) -> Option<ErrorCode> {
    let text = typed.trim();
    if text.is_empty() || BrinCode::parse(text).is_ok() {
        return None;
    }
    let wanted = text.to_lowercase();
    let named: Vec<_> = lists
        .institutions
        .iter()
        .filter(|i| {
            let d = &i.data;
            d.name.to_lowercase().contains(&wanted) || d.short_name.to_lowercase() == wanted
        })
        .collect();
    let exact = named.iter().find(|i| i.data.name.to_lowercase() == wanted);
    match (exact, named.as_slice()) {
        (Some(i), _) | (None, [i]) => {
            *typed = i.data.brin.to_string();
            None
        }
        (None, []) => Some(ErrorCode::Unknown),
        (None, _) => Some(ErrorCode::InvalidChoice),
    }
}

/// The filters of a page: its form, and the filters in use.
pub struct Filters {
    pub query: ListQuery,
    pub request: ListRequest,
    /// The page's path, which the form sends to and the links point to.
    pub base: String,
    pub choices: Choices,
    pub errors: Errors,
    /// (label, link without this filter)
    pub active: Vec<(String, String)>,
    /// The institution filter's name, as the form shows it.
    pub institution_name: String,
    /// Institutions whose names contain what was typed, when it was more than one.
    pub institution_matches: Vec<(String, String)>,
    /// Institutions offered as the name is typed (all of them, in a small network).
    pub institution_options: Vec<(String, String)>,
    /// The portfolio list's form also searches its text and sorts.
    pub text_and_sort: bool,
    /// The text is what the page searches (its own box), not a filter.
    pub searching: bool,
}

impl Filters {
    pub fn new(lang: Lang, lists: &Lists, query: ListQuery, base: &str) -> Filters {
        let typed = query.institution.trim().to_lowercase();
        let (query, request, invalid) = parse_leniently(lists, query);
        let institution_matches = if invalid.0.iter().any(|e| e.field == "institution") {
            lists
                .institutions
                .iter()
                .filter(|i| i.data.name.to_lowercase().contains(&typed))
                .map(|i| (i.data.brin.to_string(), i.data.name.clone()))
                .take(20)
                .collect()
        } else {
            Vec::new()
        };
        let institution_options = if lists.institutions.len() <= OFFERED {
            lists
                .institutions
                .iter()
                .map(|i| (i.data.brin.to_string(), i.data.name.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let mut filters = Filters {
            institution_name: institution_name(lists, &query.institution),
            active: Vec::new(),
            choices: Choices::new(lang, lists),
            errors: Errors::new(lang, invalid),
            base: base.to_string(),
            query,
            request,
            institution_matches,
            institution_options,
            text_and_sort: false,
            searching: false,
        };
        filters.active = active_filters(&filters, lists, lang);
        filters
    }

    /// With the text filter and the order in the form (the portfolio list).
    pub fn with_text_and_sort(mut self) -> Filters {
        self.text_and_sort = true;
        self
    }

    /// The filters of the search page, whose own box searches the text: the text is not one
    /// of its filters.
    pub fn for_search(lang: Lang, lists: &Lists, query: ListQuery, base: &str) -> Filters {
        let mut f = Filters::new(lang, lists, query, base);
        f.searching = true;
        f.active = active_filters(&f, lists, lang);
        f
    }

    /// This page with the query `q`.
    pub fn href(&self, q: &ListQuery) -> String {
        with_query(&self.base, q)
    }

    /// This page with the filter `name` set to `value` (or cleared).
    pub fn with(&self, name: &str, value: &str) -> String {
        let mut q = self.query.clone();
        // Another choice starts at the first page; a page asked for is kept.
        q.page.clear();
        if let Some(field) = q.field_mut(name) {
            *field = value.to_string();
        }
        self.href(&q)
    }

    /// The portfolio list of what a number on this page counts: these filters and `more`.
    pub fn list_href(&self, more: &[(&str, &str)]) -> String {
        let mut q = self.query.clone();
        q.page.clear();
        q.per_page.clear();
        for (name, value) in more {
            if let Some(field) = q.field_mut(name) {
                *field = value.to_string();
            }
        }
        with_query("/projecten", &q)
    }

    /// The filters as a query string (`?theme=llo`) for the other insight pages, which count
    /// the same projects; the page, the order and the searched text stay behind.
    pub fn carried(&self) -> String {
        with_query("", &self.carried_query())
    }

    fn carried_query(&self) -> ListQuery {
        ListQuery {
            page: String::new(),
            per_page: String::new(),
            sort: String::new(),
            q: String::new(),
            ..self.query.clone()
        }
    }

    /// The carried filters as (name, value) pairs, for a form's hidden fields.
    pub fn carried_pairs(&self) -> Vec<(&'static str, String)> {
        super::query_pairs(&self.carried_query())
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect()
    }

    /// The filters the form has no field for, kept as hidden fields: set by following a link
    /// (a pair of themes, out-of-date statuses, cases, a quadrant) and by the search box.
    pub fn hidden(&self) -> Vec<(&'static str, &str)> {
        let q = &self.query;
        let text = if self.text_and_sort { "" } else { q.q.as_str() };
        [
            ("q", text),
            ("also_theme", q.also_theme.as_str()),
            ("status_before", q.status_before.as_str()),
            ("shareable", q.shareable.as_str()),
            ("quadrant", q.quadrant.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    /// Whether any filter is in use.
    pub fn any(&self) -> bool {
        !self.active.is_empty()
    }
}

pub fn with_query(base: &str, q: &ListQuery) -> String {
    let pairs = super::query_pairs(q);
    if pairs.is_empty() {
        base.to_string()
    } else {
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

/// `href` with one more parameter of the page's own (beside the list's filters).
pub fn and_param(href: &str, name: &str, value: &str) -> String {
    let sep = if href.contains('?') { '&' } else { '?' };
    let pair = serde_urlencoded::to_string([(name, value)]).unwrap_or_default();
    format!("{href}{sep}{pair}")
}

/// The name of the institution with this BRIN code, or the code.
pub fn institution_name(lists: &Lists, brin: &str) -> String {
    lists
        .institutions
        .iter()
        .find(|i| i.data.brin.as_str() == brin)
        .map(|i| i.data.name.clone())
        .unwrap_or_else(|| brin.to_string())
}

/// The filters in use, each as its label and the link that removes it.
fn active_filters(f: &Filters, lists: &Lists, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in [
        "institution",
        "theme",
        "also_theme",
        "phase",
        "status",
        "status_before",
        "character",
        "horizon",
        "perspective",
        "quadrant",
        "driver",
        "mora",
        "shareable",
        "q",
    ] {
        if name == "q" && f.searching {
            continue;
        }
        let mut without = f.query.clone();
        let value = match without.field_mut(name) {
            Some(v) if !v.is_empty() => std::mem::take(v),
            _ => continue,
        };
        without.page.clear();
        // "Hoofdthema: LLO" is one filter: removing it removes both parameters.
        let primary = name == "theme" && f.request.filter.primary_only;
        if name == "theme" {
            without.primary_only.clear();
        }
        let label = if primary { "primary_theme" } else { name };
        let shown = match name {
            "institution" => institution_name(lists, &value),
            "theme" | "also_theme" => lists.theme_name(&value),
            "driver" => lists.driver_name(&value),
            "mora" => lists.mora_name(&value),
            "q" => format!("“{value}”"),
            "status_before" => f
                .request
                .filter
                .status_before
                .map(|d| crate::time::date(lang, d))
                .unwrap_or(value),
            "shareable" => lang.t("common.answer_yes"),
            kind => lang.label(kind, &value),
        };
        out.push((
            format!("{}: {shown}", lang.t(&format!("filter.{label}"))),
            f.href(&without),
        ));
    }
    out
}
