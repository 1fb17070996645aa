//! The Dwarsverbanden page: the themes against each other, the pairs most shared, and the
//! projects of one pair.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::insight::count;
use crate::insight::counting::{PageParams, based_on, counted};
use crate::ui::chart::{Bar, Bars, shade};
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::filters::{Filters, and_param};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::insight::Tally;
use stip_core::portfolio::{ListRequest, Project};

pub fn routes() -> Router<AppState> {
    Router::new().route("/inzicht/dwarsverbanden", get(crosslinks))
}

pub struct PairCell {
    pub shown: String,
    pub shade: u8,
    pub href: String,
    pub label: String,
    pub same: bool,
}

pub struct PairRow {
    pub name: String,
    pub cells: Vec<PairCell>,
}

pub struct Pair {
    pub names: (String, String),
    pub projects: Vec<Arc<Project>>,
    pub total: u64,
    pub list_href: String,
}

#[derive(Template)]
#[template(path = "insight/crosslinks.html")]
struct CrosslinksPage {
    c: Chrome,
    f: Filters,
    based_on: String,
    empty: bool,
    columns: Vec<(String, String)>,
    rows: Vec<PairRow>,
    top: Bars,
    pair: Option<Pair>,
}

/// The cross-links count of two themes.
pub fn pair_count(tally: &Tally, a: &str, b: &str) -> u64 {
    let key = if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    };
    tally.crosslinks.get(&key).copied().unwrap_or(0)
}

async fn crosslinks(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    Query(params): Query<PageParams>,
) -> Result<Response, Error> {
    let lang = viewer.lang;
    let scope = project_scope(&viewer.actor);
    let (lists, f, tally) = counted(&state, &viewer, query, "/inzicht/dwarsverbanden").await?;
    let max = tally.crosslinks.values().copied().max().unwrap_or(0);
    let pair_href = |a: &str, b: &str| {
        format!(
            "{}#paar",
            and_param(&f.href(&f.query), "paar", &format!("{a},{b}"))
        )
    };
    let rows = lists
        .themes
        .iter()
        .map(|a| PairRow {
            name: a.data.name.clone(),
            cells: lists
                .themes
                .iter()
                .map(|b| {
                    let same = a.data.code == b.data.code;
                    let n = if same {
                        0
                    } else {
                        pair_count(&tally, &a.data.code, &b.data.code)
                    };
                    PairCell {
                        shown: if same || n == 0 {
                            "–".into()
                        } else {
                            count(lang, n)
                        },
                        shade: shade(n, max),
                        href: if same || n == 0 {
                            String::new()
                        } else {
                            pair_href(&a.data.code, &b.data.code)
                        },
                        label: format!("{} + {}: {}", a.data.name, b.data.name, count(lang, n)),
                        same,
                    }
                })
                .collect(),
        })
        .collect();
    let mut pairs: Vec<(&(String, String), &u64)> = tally.crosslinks.iter().collect();
    pairs.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let top = Bars::new(
        "pairs",
        lang.t("insight.top_pairs"),
        lang.t("insight.top_pairs_desc"),
        pairs
            .iter()
            .take(10)
            .map(|((a, b), n)| Bar {
                label: format!("{} + {}", lists.theme_name(a), lists.theme_name(b)),
                value: **n as f64,
                shown: count(lang, **n),
                href: pair_href(a, b),
                class: String::new(),
            })
            .collect(),
    );
    let pair = match params.paar.split_once(',') {
        Some((a, b)) if lists.theme(a).is_some() && lists.theme(b).is_some() && a != b => {
            let mut request: ListRequest = f.request.clone();
            request.filter.theme = Some(a.to_string());
            request.filter.primary_only = false;
            request.filter.also_theme = Some(b.to_string());
            request.page = 1;
            request.per_page = 50;
            let page = state.store.list_projects(&request, scope).await?;
            Some(Pair {
                names: (lists.theme_name(a), lists.theme_name(b)),
                total: page.total,
                projects: page.items,
                list_href: f.list_href(&[("theme", a), ("primary_only", ""), ("also_theme", b)]),
            })
        }
        _ => None,
    };
    Ok(render(&CrosslinksPage {
        c: viewer.chrome(),
        based_on: based_on(lang, &tally),
        empty: tally.crosslinks.is_empty(),
        columns: lists
            .themes
            .iter()
            .map(|t| (t.data.code.clone(), t.data.name.clone()))
            .collect(),
        rows,
        top,
        pair,
        f,
    }))
}
