//! What the counting insight pages share: their own parameters beside the list's filters, the
//! pages of rows of institutions, and the counts of what the viewer sees that they start from.

use crate::auth::Viewer;
use crate::i18n::Lang;
use crate::insight::count;
use crate::lists::Lists;
use crate::ui::project_list::filters::{Filters, and_param};
use crate::{AppState, Error};
use serde::Deserialize;
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::insight::Tally;
use stip_core::portfolio::ListQuery;

/// Institutions per page of the heatmap and the balance table.
const ROWS: usize = 100;

/// The page's own parameters beside the list's filters.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageParams {
    /// `budget`: the heatmap counts euros instead of projects.
    pub(super) maat: String,
    /// Which hundred institutions the heatmap or balance table shows (1, 2, …).
    pub(super) rijen: String,
    /// The institution the balance compares with the network (BRIN code or name).
    pub(super) vergelijk: String,
    /// The cross-links pair whose projects are listed: `code,code`.
    pub(super) paar: String,
    /// Roadmap rows grouped by `thema` or `instelling`.
    pub(super) groep: String,
}

impl PageParams {
    pub(super) fn rows_page(&self) -> usize {
        self.rijen.trim().parse().unwrap_or(1).max(1)
    }
}

/// The links to the other pages of rows, keeping the rest of the page as it is.
pub(super) struct RowPages {
    pub(super) page: usize,
    pub(super) count: usize,
    base: String,
}

impl RowPages {
    pub(super) fn new(total: usize, page: usize, href: String) -> RowPages {
        let count = total.div_ceil(ROWS).max(1);
        RowPages {
            page: page.min(count),
            count,
            base: href,
        }
    }

    pub(super) fn range(&self) -> std::ops::Range<usize> {
        (self.page - 1) * ROWS..self.page * ROWS
    }

    pub(super) fn href(&self, page: usize) -> String {
        and_param(&self.base, "rijen", &page.to_string())
    }
}

/// What a counting page starts from: the reference lists, the page's filters, and the counts
/// of what the viewer sees that passes them.
pub(super) async fn counted(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    base: &str,
) -> Result<(Arc<Lists>, Filters, Arc<Tally>), Error> {
    let lists = state.lists().await?;
    let f = Filters::new(viewer.lang, &lists, query, base);
    let tally = state
        .store
        .insight(&f.request.filter, project_scope(&viewer.actor))
        .await?;
    Ok((lists, f, tally))
}

/// On how many visible projects the numbers rest, in words.
pub(super) fn based_on(lang: Lang, tally: &Tally) -> String {
    if tally.projects == 1 {
        lang.t("insight.based_on_one")
    } else {
        lang.t_with("insight.based_on", &[("n", &count(lang, tally.projects))])
    }
}
