//! The Zoeken page: a page of the visible projects that match, each with its words marked.

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::insight::snippet_html;
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::filters::Filters;
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;
use stip_core::access::project_scope;
use stip_core::portfolio::Project;

pub fn routes() -> Router<AppState> {
    Router::new().route("/zoeken", get(search))
}

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
) -> Result<Response, Error> {
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
