//! The insight pages: Netwerkoverzicht, Balans, Dwarsverbanden, Roadmap and Zoeken. Each takes
//! the portfolio list's filters, says on how many visible projects its numbers rest, and links
//! every number to the list of the projects it counts.

use super::{Dimension, Names, count, euros, institutions_by_name, snippet_html};
use crate::chart::{Bar, Bars, Part, Stack, Stacks, Timeline, percent, shade};
use crate::extract::Listing;
use crate::filters::{Filters, and_param};
use crate::i18n::Lang;
use crate::identity::Viewer;
use crate::layout::{Chrome, render};
use crate::lists::Lists;
use crate::{AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::insight::{Cell, Mix, Tally};
use stip_core::portfolio::{ListQuery, ListRequest, Phase, Project, Sort, SortKey, Status};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inzicht", get(overview))
        .route("/inzicht/balans", get(balance))
        .route("/inzicht/dwarsverbanden", get(crosslinks))
        .route("/inzicht/roadmap", get(roadmap))
        .route("/zoeken", get(search))
}

/// Institutions per page of the heatmap and the balance table.
const ROWS: usize = 100;

/// The page's own parameters beside the list's filters.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageParams {
    /// `budget`: the heatmap counts euros instead of projects.
    maat: String,
    /// Which hundred institutions the heatmap or balance table shows (1, 2, …).
    rijen: String,
    /// The institution the balance compares with the network (BRIN code or name).
    vergelijk: String,
    /// The cross-links pair whose projects are listed: `code,code`.
    paar: String,
    /// Roadmap rows grouped by `thema` or `instelling`.
    groep: String,
}

impl PageParams {
    fn rows_page(&self) -> usize {
        self.rijen.trim().parse().unwrap_or(1).max(1)
    }
}

/// The links to the other pages of rows, keeping the rest of the page as it is.
struct RowPages {
    page: usize,
    count: usize,
    base: String,
}

impl RowPages {
    fn new(total: usize, page: usize, href: String) -> RowPages {
        let count = total.div_ceil(ROWS).max(1);
        RowPages {
            page: page.min(count),
            count,
            base: href,
        }
    }

    fn range(&self) -> std::ops::Range<usize> {
        (self.page - 1) * ROWS..self.page * ROWS
    }

    fn href(&self, page: usize) -> String {
        and_param(&self.base, "rijen", &page.to_string())
    }
}

/// What a counting page starts from: the reference lists, the page's filters, and the counts
/// of what the viewer sees that passes them.
async fn counted(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    base: &str,
) -> Result<(Arc<Lists>, Filters, Arc<Tally>), PageError> {
    let lists = state.lists().await?;
    let f = Filters::new(viewer.lang, &lists, query, base);
    let tally = state
        .store
        .insight(&f.request.filter, project_scope(&viewer.actor))
        .await?;
    Ok((lists, f, tally))
}

fn based_on(lang: Lang, tally: &Tally) -> String {
    if tally.projects == 1 {
        lang.t("insight.based_on_one")
    } else {
        lang.t_with("insight.based_on", &[("n", &count(lang, tally.projects))])
    }
}

// ---- Netwerkoverzicht ----------------------------------------------------------------------

pub struct HeatCell {
    pub shown: String,
    pub shade: u8,
    pub href: String,
    pub label: String,
}

pub struct HeatRow {
    pub name: String,
    pub cells: Vec<HeatCell>,
    pub total: HeatCell,
}

pub struct HeatColumn {
    pub code: String,
    pub name: String,
    pub total: HeatCell,
}

/// An informatiemanager's own portfolio at a glance (on the home page).
pub struct Own {
    pub name: String,
    pub brin: String,
    pub total: u64,
    /// Running projects with an out-of-date status or a passed end date, the first few.
    pub attention: Vec<Arc<Project>>,
    /// How many need attention in all.
    pub attention_total: usize,
}

/// How many projects that need attention the home page names.
const ATTENTION: usize = 6;

#[derive(Template)]
#[template(path = "insight/overview.html")]
struct OverviewPage {
    c: Chrome,
    f: Filters,
    home: bool,
    based_on: String,
    empty: bool,
    budget: bool,
    projects_href: String,
    budget_href: String,
    columns: Vec<HeatColumn>,
    rows: Vec<HeatRow>,
    row_pages: RowPages,
    phases: Bars,
    statuses: Bars,
    stale: u64,
    stale_href: String,
    latest: Vec<Arc<Project>>,
    latest_href: String,
    own: Option<Own>,
    /// Home: the surveys waiting for the viewer's answers.
    surveys: Vec<crate::survey::Waiting>,
    today: NaiveDate,
    stale_limit: NaiveDate,
    stale_days: String,
}

impl OverviewPage {
    fn stale_text(&self, p: &Project) -> String {
        match p.status_date {
            Some(d) => self
                .c
                .t_with("home.stale_since", &[("date", &self.c.date(&d))]),
            None => self.c.t("home.stale_never"),
        }
    }
    fn is_stale(&self, p: &Project) -> bool {
        p.status_is_stale(self.stale_limit)
    }
    fn is_overdue(&self, p: &Project) -> bool {
        p.is_overdue(self.today)
    }
}

fn heat_cell(
    lang: Lang,
    cell: Cell,
    budget: bool,
    max: u64,
    href: String,
    label: String,
) -> HeatCell {
    let (value, shown) = if budget {
        let euros_ = cell.budget_cents.max(0) as u64 / 100;
        (
            euros_,
            if cell.budget_cents == 0 {
                "–".into()
            } else {
                euros(lang, cell.budget_cents)
            },
        )
    } else {
        (
            cell.projects,
            if cell.projects == 0 {
                "–".into()
            } else {
                count(lang, cell.projects)
            },
        )
    };
    HeatCell {
        shade: shade(value, max),
        label: format!("{label}: {shown}"),
        shown,
        href,
    }
}

fn phase_chart(lang: Lang, f: &Filters, tally: &Tally) -> Bars {
    Bars::new(
        "phases",
        lang.t("insight.phases"),
        lang.t("insight.phases_desc"),
        Phase::ALL
            .iter()
            .map(|p| {
                let n = tally.per_phase.get(p).copied().unwrap_or(0);
                Bar {
                    label: lang.label("phase", p.code()),
                    value: n as f64,
                    shown: count(lang, n),
                    href: f.list_href(&[("phase", p.code())]),
                    class: String::new(),
                }
            })
            .collect(),
    )
}

fn status_chart(lang: Lang, f: &Filters, tally: &Tally) -> Bars {
    let mut bars: Vec<Bar> = Status::ALL
        .iter()
        .map(|s| {
            let n = tally.per_status.get(&Some(*s)).copied().unwrap_or(0);
            Bar {
                label: lang.label("status", s.code()),
                value: n as f64,
                shown: count(lang, n),
                href: f.list_href(&[("status", s.code())]),
                class: format!("status-{}", s.code()),
            }
        })
        .collect();
    let none = tally.per_status.get(&None).copied().unwrap_or(0);
    bars.push(Bar {
        label: lang.t("status.none"),
        value: none as f64,
        shown: count(lang, none),
        href: String::new(),
        class: "status-none".into(),
    });
    Bars::new(
        "statuses",
        lang.t("insight.statuses"),
        lang.t("insight.statuses_desc"),
        bars,
    )
}

async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    Query(params): Query<PageParams>,
) -> Result<Response, PageError> {
    overview_page(&state, &viewer, query, params, false).await
}

/// The network overview; `home` for the home page of someone logged in, which also shows their
/// own institution's projects that need attention.
pub async fn overview_page(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    params: PageParams,
    home: bool,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let scope = project_scope(&viewer.actor);
    let base = if home { "/" } else { "/inzicht" };
    let (lists, f, tally) = counted(state, viewer, query, base).await?;
    let names = Names::new(&lists);
    let budget = params.maat == "budget";
    let today = crate::time::today();

    let measure = |c: &Cell| {
        if budget {
            c.budget_cents.max(0) as u64 / 100
        } else {
            c.projects
        }
    };
    let max = tally.heatmap.values().map(measure).max().unwrap_or(0);
    let budget_filter: &[(&str, &str)] = if budget {
        &[("primary_only", "1")]
    } else {
        &[]
    };
    let institutions = institutions_by_name(&tally, &names);
    let mut page_href = f.href(&f.query);
    if budget {
        page_href = and_param(&page_href, "maat", "budget");
    }
    let row_pages = RowPages::new(institutions.len(), params.rows_page(), page_href);
    let rows = institutions
        .get(
            row_pages.range().start.min(institutions.len())
                ..row_pages.range().end.min(institutions.len()),
        )
        .unwrap_or_default()
        .iter()
        .map(|(id, brin, name)| {
            let cells = lists
                .themes
                .iter()
                .map(|t| {
                    let code = t.data.code.as_str();
                    let cell = tally
                        .heatmap
                        .get(&(*id, code.to_string()))
                        .copied()
                        .unwrap_or_default();
                    let mut more = vec![("institution", brin.as_str()), ("theme", code)];
                    more.extend_from_slice(budget_filter);
                    heat_cell(
                        lang,
                        cell,
                        budget,
                        max,
                        f.list_href(&more),
                        format!("{name}, {}", t.data.name),
                    )
                })
                .collect();
            let total = tally.per_institution.get(id).copied().unwrap_or_default();
            HeatRow {
                name: name.clone(),
                cells,
                total: heat_cell(
                    lang,
                    total,
                    budget,
                    0,
                    f.list_href(&[("institution", brin.as_str())]),
                    name.clone(),
                ),
            }
        })
        .collect();
    let columns = lists
        .themes
        .iter()
        .map(|t| {
            let code = t.data.code.as_str();
            let total = tally.per_theme.get(code).copied().unwrap_or_default();
            let mut more = vec![("theme", code)];
            more.extend_from_slice(budget_filter);
            HeatColumn {
                code: code.to_string(),
                name: t.data.name.clone(),
                total: heat_cell(
                    lang,
                    total,
                    budget,
                    0,
                    f.list_href(&more),
                    t.data.name.clone(),
                ),
            }
        })
        .collect();

    let limit = state.stale_limit();
    let limit_text = limit.to_string();
    let stale = tally.status_set_before(limit);
    let stale_href = f.list_href(&[("status_before", limit_text.as_str()), ("sort", "status")]);

    let latest_query = ListQuery {
        sort: "-updated".into(),
        per_page: "8".into(),
        ..f.query.clone()
    };
    let mut latest_request = f.request.clone();
    latest_request.sort = Sort {
        key: SortKey::Updated,
        descending: true,
    };
    latest_request.page = 1;
    latest_request.per_page = 8;
    let latest = state
        .store
        .list_projects(&latest_request, scope)
        .await?
        .items;
    let latest_href = crate::filters::with_query(
        "/projecten",
        &ListQuery {
            per_page: String::new(),
            ..latest_query
        },
    );

    let own = match (home, viewer.user.is_some(), viewer.actor.institution_id()) {
        (true, true, Some(id)) => {
            Some(own_projects(state, viewer, &lists, id, limit, today).await?)
        }
        _ => None,
    };
    let with_measure = |m: &str| {
        let href = f.href(&f.query);
        if m.is_empty() {
            href
        } else {
            and_param(&href, "maat", m)
        }
    };
    Ok(render(&OverviewPage {
        c: viewer.chrome(),
        home,
        based_on: based_on(lang, &tally),
        empty: tally.projects == 0,
        budget,
        projects_href: with_measure(""),
        budget_href: with_measure("budget"),
        columns,
        rows,
        row_pages,
        phases: phase_chart(lang, &f, &tally),
        statuses: status_chart(lang, &f, &tally),
        stale,
        stale_href,
        latest,
        latest_href,
        own,
        surveys: if home {
            crate::survey::waiting(state, viewer).await?
        } else {
            Vec::new()
        },
        today,
        stale_limit: limit,
        stale_days: state.stale_after_days.to_string(),
        f,
    }))
}

async fn own_projects(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    id: i64,
    stale_limit: NaiveDate,
    today: NaiveDate,
) -> Result<Own, PageError> {
    let institution = lists
        .institutions
        .iter()
        .find(|i| i.id == id)
        .ok_or(PageError::NotFound)?;
    let query = ListQuery {
        institution: institution.data.brin.to_string(),
        per_page: stip_core::portfolio::MAX_PER_PAGE.to_string(),
        sort: "end_date".into(),
        ..Default::default()
    };
    let request = query.parse().map_err(PageError::Invalid)?;
    let page = state
        .store
        .list_projects(&request, project_scope(&viewer.actor))
        .await?;
    let mut attention: Vec<Arc<Project>> = page
        .items
        .into_iter()
        .filter(|p| p.status_is_stale(stale_limit) || p.is_overdue(today))
        .collect();
    let attention_total = attention.len();
    attention.truncate(ATTENTION);
    Ok(Own {
        name: institution.data.name.clone(),
        brin: institution.data.brin.to_string(),
        total: page.total,
        attention,
        attention_total,
    })
}

// ---- Balans ---------------------------------------------------------------------------------

/// One dimension of the balance: its chart and its table of every institution.
pub struct MixSection {
    pub code: &'static str,
    pub title: String,
    pub chart: Stacks,
    /// (code or empty, label) of each value.
    pub values: Vec<(String, String)>,
    /// The network's row first, then each institution on the page: name, total, cells.
    pub rows: Vec<MixRow>,
}

pub struct MixRow {
    pub name: String,
    pub total: String,
    pub network: bool,
    /// (count shown, percent, link or empty)
    pub cells: Vec<(String, u64, String)>,
}

#[derive(Template)]
#[template(path = "insight/balance.html")]
struct BalancePage {
    c: Chrome,
    f: Filters,
    based_on: String,
    empty: bool,
    compare: String,
    compare_name: String,
    compare_options: Vec<(String, String)>,
    sections: Vec<MixSection>,
    row_pages: RowPages,
}

fn mix_parts(lang: Lang, dim: Dimension, mix: &Mix) -> Vec<Part> {
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

fn value_label(lang: Lang, dim: Dimension, code: Option<&str>) -> String {
    match code {
        Some(code) => lang.label(dim.code(), code),
        None => lang.t("insight.not_assessed"),
    }
}

async fn balance(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    Query(params): Query<PageParams>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let (lists, f, tally) = counted(&state, &viewer, query, "/inzicht/balans").await?;
    let names = Names::new(&lists);
    let network = tally.network_mix();

    // The institution to hold against the network: as asked, else the viewer's own.
    let mut typed = params.vergelijk.trim().to_string();
    if typed.is_empty()
        && let Some(own) = viewer.actor.institution_id()
    {
        typed = names.of(own).0;
    }
    let compare = lists
        .institutions
        .iter()
        .find(|i| {
            i.data.brin.as_str().eq_ignore_ascii_case(&typed)
                || (!typed.is_empty() && i.data.name.to_lowercase().contains(&typed.to_lowercase()))
        })
        .filter(|_| !typed.is_empty());
    let compared = compare.map(|i| (i.id, i.data.brin.to_string(), i.data.name.clone()));

    let institutions = institutions_by_name(&tally, &names);
    let mut base = f.href(&f.query);
    if let Some((_, brin, _)) = &compared {
        base = and_param(&base, "vergelijk", brin);
    }
    let row_pages = RowPages::new(institutions.len(), params.rows_page(), base);
    let shown = &institutions[row_pages.range().start.min(institutions.len())
        ..row_pages.range().end.min(institutions.len())];

    let sections = Dimension::ALL
        .iter()
        .map(|dim| {
            let title = lang.t(&format!("insight.balance_{}", dim.code()));
            let mut stacks = vec![Stack {
                label: lang.t("insight.network"),
                parts: mix_parts(lang, *dim, &network),
                href: f.list_href(&[]),
            }];
            if let Some((id, brin, name)) = &compared {
                let empty = Mix::default();
                let mix = tally.mix.get(id).unwrap_or(&empty);
                stacks.push(Stack {
                    label: name.clone(),
                    parts: mix_parts(lang, *dim, mix),
                    href: f.list_href(&[("institution", brin.as_str())]),
                });
            }
            let chart = Stacks::new(
                &format!("mix-{}", dim.code()),
                title.clone(),
                lang.t(&format!("insight.balance_{}_desc", dim.code())),
                stacks,
            );
            let values = dim
                .counts(&network)
                .into_iter()
                .map(|(code, _)| {
                    (
                        code.unwrap_or("").to_string(),
                        value_label(lang, *dim, code),
                    )
                })
                .collect();
            let row = |name: String, mix: &Mix, brin: Option<&str>, is_network: bool| {
                let counts = dim.counts(mix);
                let total: u64 = counts.iter().map(|(_, n)| n).sum();
                MixRow {
                    name,
                    total: count(lang, total),
                    network: is_network,
                    cells: counts
                        .into_iter()
                        .map(|(code, n)| {
                            let href = match code {
                                Some(code) if n > 0 => {
                                    let mut more = vec![(dim.code(), code)];
                                    if let Some(b) = brin {
                                        more.push(("institution", b));
                                    }
                                    f.list_href(&more)
                                }
                                _ => String::new(),
                            };
                            (count(lang, n), percent(n, total), href)
                        })
                        .collect(),
                }
            };
            let mut rows = vec![row(lang.t("insight.network"), &network, None, true)];
            let empty = Mix::default();
            for (id, brin, name) in shown {
                rows.push(row(
                    name.clone(),
                    tally.mix.get(id).unwrap_or(&empty),
                    Some(brin),
                    false,
                ));
            }
            MixSection {
                code: dim.code(),
                title,
                chart,
                values,
                rows,
            }
        })
        .collect();
    Ok(render(&BalancePage {
        c: viewer.chrome(),
        based_on: based_on(lang, &tally),
        empty: tally.projects == 0,
        compare: compared.as_ref().map(|c| c.1.clone()).unwrap_or(typed),
        compare_name: compared.map(|c| c.2).unwrap_or_default(),
        compare_options: f.institution_options.clone(),
        sections,
        row_pages,
        f,
    }))
}

// ---- Dwarsverbanden -------------------------------------------------------------------------

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
) -> Result<Response, PageError> {
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

// ---- Roadmap --------------------------------------------------------------------------------

/// How many projects the roadmap draws at once.
pub const ROADMAP_PAGE: u32 = 100;

#[derive(Template)]
#[template(path = "insight/roadmap.html")]
struct RoadmapPage {
    c: Chrome,
    f: Filters,
    by_institution: bool,
    total: u64,
    shown: usize,
    timeline: Timeline,
    undated: Vec<Arc<Project>>,
    theme_href: String,
    institution_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_of: String,
}

/// The roadmap's request: the filters, ordered by start date, a page of [`ROADMAP_PAGE`].
pub fn roadmap_request(mut request: ListRequest, page: u32) -> ListRequest {
    request.sort = Sort {
        key: SortKey::StartDate,
        descending: false,
    };
    request.per_page = ROADMAP_PAGE;
    request.page = page.max(1);
    request
}

async fn roadmap(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    Query(params): Query<PageParams>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let f = Filters::new(lang, &lists, query, "/inzicht/roadmap");
    let scope = project_scope(&viewer.actor);
    let request = roadmap_request(f.request.clone(), f.request.page);
    let page = state.store.list_projects(&request, scope).await?;
    let by_institution = params.groep == "instelling";
    let today = crate::time::today();
    let (dated, undated): (Vec<_>, Vec<_>) = page
        .items
        .iter()
        .cloned()
        .partition(|p| p.data.start_date.is_some() || p.data.end_date.is_some());
    let mut groups: Vec<(String, Vec<Arc<Project>>)> = Vec::new();
    let mut keyed: Vec<(String, Arc<Project>)> = dated
        .into_iter()
        .map(|p| {
            let key = if by_institution {
                p.institution_name.clone()
            } else {
                p.data
                    .primary_theme()
                    .map(|t| lists.theme_name(t))
                    .unwrap_or_default()
            };
            (key, p)
        })
        .collect();
    // Groups in the order of the agenda's themes, or of the institutions' names; projects keep
    // their order (by start date) within a group.
    let theme_rank = |name: &str| {
        lists
            .themes
            .iter()
            .position(|t| t.data.name == name)
            .unwrap_or(usize::MAX)
    };
    keyed.sort_by(|a, b| {
        if by_institution {
            a.0.to_lowercase().cmp(&b.0.to_lowercase())
        } else {
            theme_rank(&a.0).cmp(&theme_rank(&b.0))
        }
    });
    for (key, p) in keyed {
        match groups.last_mut() {
            Some((k, ps)) if *k == key => ps.push(p),
            _ => groups.push((key, vec![p])),
        }
    }
    let timeline = Timeline::new(
        "roadmap",
        lang.t("insight.roadmap_title"),
        lang.t("insight.roadmap_desc"),
        lang,
        groups,
        today,
    );
    let group_href = |g: &str| {
        let href = f.href(&ListQuery {
            page: String::new(),
            ..f.query.clone()
        });
        and_param(&href, "groep", g)
    };
    let page_href = |n: u32| {
        let href = f.with("page", &n.to_string());
        if by_institution {
            and_param(&href, "groep", "instelling")
        } else {
            href
        }
    };
    let count_pages = page.page_count();
    Ok(render(&RoadmapPage {
        c: viewer.chrome(),
        by_institution,
        total: page.total,
        shown: page.items.len(),
        timeline,
        undated,
        theme_href: group_href("thema"),
        institution_href: group_href("instelling"),
        prev_href: (page.page > 1).then(|| page_href(page.page - 1)),
        next_href: (page.page < count_pages).then(|| page_href(page.page + 1)),
        page_of: lang.t_with(
            "list.page_of",
            &[
                ("page", &page.page.to_string()),
                ("count", &count_pages.to_string()),
            ],
        ),
        f,
    }))
}

// ---- Zoeken ---------------------------------------------------------------------------------

pub struct Hit {
    pub project: Arc<Project>,
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "insight/search.html")]
struct SearchPage {
    c: Chrome,
    f: Filters,
    text: String,
    hits: Vec<Hit>,
    total: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_of: String,
}

async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let f = Filters::for_search(lang, &lists, query, "/zoeken");
    let text = f.query.q.trim().to_string();
    let (hits, total, page, pages) = if text.is_empty() {
        (Vec::new(), 0, 1, 1)
    } else {
        let mut request = f.request.clone();
        request.per_page = request.per_page.min(50);
        let found = state
            .store
            .search(&text, &request, project_scope(&viewer.actor))
            .await?;
        let pages = found.page_count();
        (
            found
                .items
                .into_iter()
                .map(|h| Hit {
                    snippet: snippet_html(&h.snippet),
                    project: h.project,
                })
                .collect(),
            found.total,
            found.page,
            pages,
        )
    };
    Ok(render(&SearchPage {
        c: viewer.chrome(),
        text,
        hits,
        total,
        prev_href: (page > 1).then(|| f.with("page", &(page - 1).to_string())),
        next_href: (page < pages).then(|| f.with("page", &(page + 1).to_string())),
        page_of: lang.t_with(
            "list.page_of",
            &[("page", &page.to_string()), ("count", &pages.to_string())],
        ),
        f,
    }))
}
