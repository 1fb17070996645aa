//! The Balans page: per dimension a chart and a table of every institution's mix beside the
//! network's, and one institution compared with the network.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::insight::counting::{PageParams, RowPages, based_on, counted};
use crate::insight::{Dimension, Names, count, institutions_by_name, mix_parts, value_label};
use crate::ui::chart::{Stack, Stacks, percent};
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::filters::{Filters, and_param};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use stip_core::insight::Mix;

pub fn routes() -> Router<AppState> {
    Router::new().route("/inzicht/balans", get(balance))
}

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

async fn balance(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
    Query(params): Query<PageParams>,
) -> Result<Response, Error> {
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
