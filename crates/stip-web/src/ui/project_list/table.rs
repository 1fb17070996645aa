//! The project table that the portfolio list, an institution's page and a theme's page share:
//! a page of projects as the viewer may see them, with links to sort and page that keep the filters.

use crate::auth::Viewer;
use crate::{AppState, Error};
use chrono::NaiveDate;
use std::sync::Arc;
use stip_core::Invalid;
use stip_core::access::project_scope;
use stip_core::page::Page;
use stip_core::portfolio::{ListQuery, ListRequest, Project};

/// A page of projects with the links to sort and page through it, keeping the filters.
pub struct ProjectTable {
    pub page: Page<Arc<Project>>,
    pub query: ListQuery,
    /// The query with what the page's path implies (its institution or theme), which the
    /// page's own links leave out but an export must carry.
    pub whole_query: ListQuery,
    pub request: ListRequest,
    /// The path the links point to, e.g. `/projecten` or `/themas/llo`.
    pub base: String,
    /// The viewer's institution, whose projects the table marks.
    pub own_institution: Option<i64>,
    pub today: NaiveDate,
}

impl ProjectTable {
    /// Whether `p` belongs to the viewer's own institution.
    pub fn is_own(&self, p: &Project) -> bool {
        self.own_institution == Some(p.institution_id)
    }

    /// An end date in the past of a project that is not finished or stopped.
    pub fn is_overdue(&self, p: &Project) -> bool {
        p.is_overdue(self.today)
    }

    pub fn href(&self, q: &ListQuery) -> String {
        let pairs = super::query_pairs(q);
        if pairs.is_empty() {
            self.base.clone()
        } else {
            format!(
                "{}?{}",
                self.base,
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            )
        }
    }

    /// The whole list (its filters and order, every page) as a file in `format`.
    pub fn export_href(&self, format: &str) -> String {
        let mut q = self.whole_query.clone();
        q.page.clear();
        q.per_page.clear();
        let mut pairs = vec![("format", format)];
        pairs.extend(super::query_pairs(&q));
        format!(
            "/api/v1/projects/export?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }

    /// The link of a column header: sorts by `key`, reversing when already sorted by it.
    pub fn sort_href(&self, key: &str) -> String {
        let current = self.request.sort;
        let ascending_now = current.key.code() == key && !current.descending;
        let mut q = self.query.clone();
        q.sort = if ascending_now {
            format!("-{key}")
        } else {
            key.to_string()
        };
        q.page = String::new();
        self.href(&q)
    }

    /// `aria-sort` of a column.
    pub fn aria_sort(&self, key: &str) -> &'static str {
        match self.request.sort {
            s if s.key.code() != key => "none",
            s if s.descending => "descending",
            _ => "ascending",
        }
    }

    pub fn page_href(&self, page: u32) -> String {
        let mut q = self.query.clone();
        q.page = if page <= 1 {
            String::new()
        } else {
            page.to_string()
        };
        self.href(&q)
    }

    pub fn has_prev(&self) -> bool {
        self.page.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page.page < self.page.page_count()
    }

    pub fn prev(&self) -> u32 {
        self.page.page.saturating_sub(1)
    }

    pub fn next(&self) -> u32 {
        self.page.page + 1
    }
}

/// Loads the page of projects `query` asks for, as `viewer` may see them. Parameters that do
/// not parse are dropped and reported.
pub async fn table_for(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    base: &str,
) -> Result<(ProjectTable, Invalid), Error> {
    let lists = state.lists().await?;
    let (query, request, invalid) = super::filters::parse_leniently(&lists, query);
    let page = state
        .store
        .list_projects(&request, project_scope(&viewer.actor))
        .await?;
    Ok((
        ProjectTable {
            page,
            whole_query: query.clone(),
            query,
            request,
            base: base.to_string(),
            own_institution: viewer.actor.institution_id(),
            today: crate::time::today(),
        },
        invalid,
    ))
}
