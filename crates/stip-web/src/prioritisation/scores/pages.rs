//! The Ranglijst page (the projects by weighted score, with each criterion's part) and the
//! Waarde en inspanning page (value against effort as a bubble chart, with the same data as a table).

use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::http::redirect::urlencode;
use crate::i18n::Lang;
use crate::insight::euros;
use crate::lists::Lists;
use crate::prioritisation::{
    Frame, MAX_CANDIDATES, View, Weighing, amount, frame, fte, score_text,
};
use crate::ui::chart::{Bubbles, Plotted};
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::filters::Filters;
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::number::Hundredths;
use stip_core::portfolio::Project;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/prioriteren", get(ranking))
        .route("/prioriteren/waarde-inspanning", get(value_effort))
}

/// Ranked projects per page.
const PER_PAGE: usize = 50;

// ---- Ranglijst ------------------------------------------------------------------------------

pub struct RankRow {
    pub rank: String,
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub score: String,
    /// The criteria it lacks a score on, by name.
    pub missing: String,
    /// Per criterion: its score and the points it adds ("4 · 22,5"), or "–".
    pub parts: Vec<String>,
}

pub struct WeightRow {
    pub name: String,
    pub weight: String,
    pub share: String,
    pub negative: bool,
}

fn weight_rows(lang: Lang, lists: &Lists, w: &Weighing) -> Vec<WeightRow> {
    w.weights
        .iter()
        .map(|weight| WeightRow {
            name: lists.criterion_name(&weight.code),
            weight: amount(lang, weight.weight.0),
            share: format!("{} %", (weight.share * 100.0).round()),
            negative: weight.direction == stip_core::agenda::Direction::Negative,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "prioritisation/ranking.html")]
struct RankingPage {
    c: Chrome,
    f: Filters,
    frame: Frame,
    weights: Vec<WeightRow>,
    weights_href: String,
    own_weights: bool,
    criteria: Vec<String>,
    rows: Vec<RankRow>,
    count_text: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_of: String,
}

async fn ranking(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let f = Filters::new(lang, &lists, query, "/prioriteren");
    let view = View::of_filter(&lists, &f.request.filter);
    let weighing = Weighing::of(&state, &lists, view.clone(), None).await?;
    let scored =
        crate::prioritisation::ranking(&state, &viewer, &weighing, &f.request.filter).await?;
    let total = scored.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = (f.request.page as usize).clamp(1, pages);
    let rows = scored
        .iter()
        .enumerate()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|(i, (p, s))| {
            let scored = weighing.score(p);
            RankRow {
                rank: if s.is_some() {
                    (i + 1).to_string()
                } else {
                    String::new()
                },
                id: p.id,
                title: p.data.title.clone(),
                institution: p.institution_name.clone(),
                score: score_text(lang, *s),
                missing: scored
                    .missing()
                    .map(|c| lists.criterion_name(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                parts: scored
                    .parts
                    .iter()
                    .map(|part| match (part.score, part.points) {
                        (Some(s), Some(points)) => format!(
                            "{s} · {}",
                            score_text(lang, Some(Hundredths((points * 100.0).round() as i64)))
                        ),
                        _ => "–".into(),
                    })
                    .collect(),
            }
        })
        .collect();
    let without_score = scored.iter().filter(|(_, s)| s.is_none()).count();
    let count_text = lang.t_with(
        "prioritise.ranking_count",
        &[
            ("n", &total.to_string()),
            ("missing", &without_score.to_string()),
        ],
    );
    let page_href = |n: usize| f.with("page", &n.to_string());
    let weights_href = format!("/prioriteren/weging?view={}", urlencode(&view.code()));
    Ok(render(&RankingPage {
        frame: frame(&viewer, &lists, &f, &view, "/prioriteren"),
        weights: weight_rows(lang, &lists, &weighing),
        own_weights: weighing.weighting.is_some(),
        weights_href,
        criteria: weighing
            .weights
            .iter()
            .map(|w| lists.criterion_name(&w.code))
            .collect(),
        rows,
        count_text,
        prev_href: (page > 1).then(|| page_href(page - 1)),
        next_href: (page < pages).then(|| page_href(page + 1)),
        page_of: lang.t_with(
            "list.page_of",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        c: viewer.chrome(),
        f,
    }))
}

// ---- Waarde en inspanning -------------------------------------------------------------------

pub struct LegendItem {
    pub label: String,
    pub name: String,
    pub colour: String,
}

pub struct BubbleRow {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub score: String,
    pub effort: String,
    pub budget: String,
}

#[derive(Template)]
#[template(path = "prioritisation/value_effort.html")]
struct ValueEffortPage {
    c: Chrome,
    f: Filters,
    frame: Frame,
    chart: String,
    legend: Vec<LegendItem>,
    rows: Vec<BubbleRow>,
    /// Projects that cannot be placed: (id, title, why).
    left_out: Vec<(i64, String, String)>,
    /// Said when there are more projects than the chart takes.
    truncated: Option<String>,
}

async fn value_effort(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Response, Error> {
    viewer.require(Action::Prioritise)?;
    let lang = viewer.lang;
    let lists = state.lists().await?;
    let f = Filters::new(lang, &lists, query, "/prioriteren/waarde-inspanning");
    let view = View::of_filter(&lists, &f.request.filter);
    let weighing = Weighing::of(&state, &lists, view.clone(), None).await?;
    // Best first, so a chart that cannot take them all shows the highest scores.
    let ranked =
        crate::prioritisation::ranking(&state, &viewer, &weighing, &f.request.filter).await?;
    let projects: Vec<&Arc<Project>> = ranked.iter().map(|(p, _)| p).collect();
    let mut plotted = Vec::new();
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    let mut legend: Vec<LegendItem> = Vec::new();
    let truncated = (projects.len() > MAX_CANDIDATES).then(|| {
        lang.t_with(
            "prioritise.plot_first",
            &[
                ("n", &projects.len().to_string()),
                ("max", &MAX_CANDIDATES.to_string()),
            ],
        )
    });
    for (p, score) in ranked.iter().take(MAX_CANDIDATES) {
        let score = *score;
        let effort = fte(p);
        let (Some(score), Some(effort)) = (score, effort) else {
            let why = if score.is_none() {
                lang.t("prioritise.no_score")
            } else {
                lang.t("prioritise.no_effort")
            };
            left_out.push((p.id, p.data.title.clone(), why));
            continue;
        };
        let theme = p.data.themes.first().cloned().unwrap_or_default();
        let label = match legend
            .iter()
            .position(|l| l.name == lists.theme_name(&theme))
        {
            Some(i) => legend[i].label.clone(),
            None => {
                let label = (legend.len() + 1).to_string();
                legend.push(LegendItem {
                    label: label.clone(),
                    name: lists.theme_name(&theme),
                    colour: lists
                        .theme(&theme)
                        .map(|t| t.data.colour.clone())
                        .unwrap_or_else(|| "#888888".into()),
                });
                label
            }
        };
        let colour = legend
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.colour.clone())
            .unwrap_or_default();
        let budget = p.data.budget.map_or(0, |b| b.0);
        let row = BubbleRow {
            id: p.id,
            title: p.data.title.clone(),
            theme: lists.theme_name(&theme),
            score: score_text(lang, Some(score)),
            effort: format!("{} {}", amount(lang, effort), lang.t("prioritise.fte")),
            budget: p
                .data
                .budget
                .map(|b| euros(lang, b.0))
                .unwrap_or_else(|| "–".into()),
        };
        plotted.push(Plotted {
            href: format!("/projecten/{}", p.id),
            title: format!(
                "{} — {}: {}, {} {}, {} {}, {}",
                row.title,
                lang.t("field.theme"),
                row.theme,
                lang.t("prioritise.score"),
                row.score,
                lang.t("prioritise.effort"),
                row.effort,
                row.budget
            ),
            label,
            colour,
            effort: Hundredths(effort).as_f64(),
            value: score.as_f64(),
            budget: Hundredths(budget).as_f64(),
        });
        rows.push(row);
    }
    let chart = Bubbles::new(
        "value-effort",
        lang.t("prioritise.value_effort"),
        lang.t_with(
            "prioritise.value_effort_desc",
            &[("n", &plotted.len().to_string())],
        ),
        (
            lang.t("prioritise.axis_effort"),
            lang.t("prioritise.axis_value"),
        ),
        |v| amount(lang, (v * 100.0).round() as i64),
        plotted,
    )
    .svg();
    Ok(render(&ValueEffortPage {
        frame: frame(&viewer, &lists, &f, &view, "/prioriteren/waarde-inspanning"),
        c: viewer.chrome(),
        f,
        chart,
        legend,
        rows,
        left_out,
        truncated,
    }))
}
