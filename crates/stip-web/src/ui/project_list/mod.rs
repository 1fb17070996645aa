//! The project list that the portfolio, an institution's page, a theme's page, insight and
//! prioritising share: its filters, its table and the choices of its forms.

pub mod choices;
pub mod filters;
pub mod table;

pub use choices::Choices;
pub use filters::Filters;
pub use table::{ProjectTable, table_for};

use stip_core::portfolio::ListQuery;

/// The query's parameters that are set, in a fixed order.
pub fn query_pairs(q: &ListQuery) -> Vec<(&'static str, &str)> {
    [
        ("institution", &q.institution),
        ("theme", &q.theme),
        ("primary_only", &q.primary_only),
        ("also_theme", &q.also_theme),
        ("status_before", &q.status_before),
        ("shareable", &q.shareable),
        ("quadrant", &q.quadrant),
        ("phase", &q.phase),
        ("status", &q.status),
        ("character", &q.character),
        ("horizon", &q.horizon),
        ("perspective", &q.perspective),
        ("driver", &q.driver),
        ("mora", &q.mora),
        ("q", &q.q),
        ("sort", &q.sort),
        ("page", &q.page),
        ("per_page", &q.per_page),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k, v.as_str()))
    .collect()
}
