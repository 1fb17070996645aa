//! The Roadmap page: a page of projects, ordered by start date, as a timeline grouped by theme or
//! institution, with the undated ones listed apart.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::insight::counting::PageParams;
use crate::ui::chart::Timeline;
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
use stip_core::portfolio::{ListQuery, ListRequest, Project, Sort, SortKey};

pub fn routes() -> Router<AppState> {
    Router::new().route("/inzicht/roadmap", get(roadmap))
}

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
) -> Result<Response, Error> {
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
