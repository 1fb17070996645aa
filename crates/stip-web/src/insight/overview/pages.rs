//! The Netwerkoverzicht page: the heatmap of institutions × themes, the phases and statuses, and
//! on the home page the viewer's own projects that need attention and the surveys waiting.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::i18n::Lang;
use crate::insight::counting::{PageParams, RowPages, based_on, counted};
use crate::insight::{Names, count, euros, institutions_by_name};
use crate::lists::Lists;
use crate::ui::chart::{Bar, Bars, shade};
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::filters::{Filters, and_param};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::insight::{Cell, Tally};
use stip_core::portfolio::{ListQuery, Phase, Project, Sort, SortKey, Status};

pub fn routes() -> Router<AppState> {
    Router::new().route("/inzicht", get(overview))
}

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
) -> Result<Response, Error> {
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
) -> Result<Response, Error> {
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
    let latest_href = crate::ui::project_list::filters::with_query(
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
) -> Result<Own, Error> {
    let institution = lists
        .institutions
        .iter()
        .find(|i| i.id == id)
        .ok_or(Error::NotFound)?;
    let query = ListQuery {
        institution: institution.data.brin.to_string(),
        per_page: stip_core::portfolio::MAX_PER_PAGE.to_string(),
        sort: "end_date".into(),
        ..Default::default()
    };
    let request = query.parse().map_err(Error::Invalid)?;
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
