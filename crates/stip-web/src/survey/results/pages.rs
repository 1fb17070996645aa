//! The results page and the printable appendix: per question the counts as a chart and a table,
//! the ranking of themes and the open answers.

use crate::auth::Viewer;
use crate::http::extract::Id;
use crate::survey::{may_read_results, may_see, pairs, results, stage_label};
use crate::ui::chart::{Bar, Bars};
use crate::ui::form::param;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use stip_core::access::Action;
use stip_core::survey::{QuestionKind, Survey};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enquetes/{id}/resultaten", get(results_page))
        .route("/enquetes/{id}/bijlage", get(appendix))
}

pub(crate) struct QuestionView {
    pub(crate) number: usize,
    pub(crate) text: String,
    pub(crate) kind: String,
    pub(crate) answered: String,
    pub(crate) chart: Option<Bars>,
    pub(crate) mean: String,
    pub(crate) ranking: Vec<(String, String, u32, u32, u32)>,
    pub(crate) texts: Vec<(String, String)>,
    pub(crate) projects: Vec<(String, String, u32)>,
}

/// A survey's results per question, as the results page, the appendix and a meeting's report
/// show them.
pub(crate) async fn question_views(
    state: &AppState,
    viewer: &Viewer,
    s: &Survey,
    r: &crate::survey::Results,
) -> Result<Vec<QuestionView>, Error> {
    let c = viewer.chrome();
    let titles = crate::survey::project_titles(state, viewer, s, r).await?;
    Ok(s.questions
        .iter()
        .zip(&r.per_question)
        .enumerate()
        .map(|(n, (q, qr))| {
            let count = |v: u32| c.number(&i64::from(v));
            let chart = match q.data.kind {
                QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Scale => {
                    Some(Bars::new(
                        &format!("q{}", q.id),
                        q.data.text.clone(),
                        c.t_with("survey.chart_desc", &[("n", &qr.answered.to_string())]),
                        qr.counts
                            .iter()
                            .map(|(label, v)| Bar {
                                label: match q.data.kind {
                                    QuestionKind::Scale => {
                                        let n: u8 = label.parse().unwrap_or(0);
                                        match q.data.scale_label(n) {
                                            Some(l) => format!("{label} – {l}"),
                                            None => label.clone(),
                                        }
                                    }
                                    _ => label.clone(),
                                },
                                value: f64::from(*v),
                                shown: count(*v),
                                href: String::new(),
                                class: String::new(),
                            })
                            .collect(),
                    ))
                }
                QuestionKind::Themes => Some(Bars::new(
                    &format!("q{}", q.id),
                    q.data.text.clone(),
                    c.t("survey.ranking_desc"),
                    qr.ranking
                        .iter()
                        .map(|t| Bar {
                            label: r.themes.name(&t.code),
                            value: f64::from(t.points),
                            shown: count(t.points),
                            href: String::new(),
                            class: format!("theme-{}", t.code),
                        })
                        .collect(),
                )),
                _ => None,
            };
            QuestionView {
                number: n + 1,
                text: q.data.text.clone(),
                kind: q.data.kind.code().into(),
                answered: c.t_with(
                    "survey.answered",
                    &[
                        ("n", &qr.answered.to_string()),
                        ("of", &r.responses.len().to_string()),
                    ],
                ),
                chart,
                mean: qr
                    .mean
                    .map(|m| {
                        format!("{m:.1}").replace(
                            '.',
                            if viewer.lang == crate::i18n::Lang::Nl {
                                ","
                            } else {
                                "."
                            },
                        )
                    })
                    .unwrap_or_default(),
                ranking: qr
                    .ranking
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        (
                            (i + 1).to_string(),
                            r.themes.name(&t.code),
                            t.points,
                            t.chosen,
                            t.first,
                        )
                    })
                    .collect(),
                texts: qr
                    .texts
                    .iter()
                    .map(|(who, t)| (who.clone().unwrap_or_default(), t.clone()))
                    .collect(),
                projects: if q.data.kind == QuestionKind::Projects {
                    qr.counts
                        .iter()
                        .map(|(id, n)| {
                            let title = id
                                .parse::<i64>()
                                .ok()
                                .and_then(|id| titles.get(&id).cloned())
                                .unwrap_or_else(|| c.t("survey.project_hidden"));
                            (id.clone(), title, *n)
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "survey/results.html")]
struct ResultsPage {
    c: Chrome,
    s: Survey,
    questions: Vec<QuestionView>,
    responses: String,
    regions: Vec<(String, String)>,
    region: String,
    stage: String,
    appendix: bool,
    manage: bool,
    export_query: String,
    /// An anonymous survey: when its results appear and change.
    anonymous_rule: String,
}

async fn results_view(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    raw: &Option<String>,
    appendix: bool,
) -> Result<Response, Error> {
    let s = state.store.survey(id).await?;
    if !may_see(viewer, &s) {
        viewer.require(Action::ManageSurveys)?;
        return Err(Error::NotFound);
    }
    if !may_read_results(viewer, &s) {
        return Err(Error::Forbidden);
    }
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let region = param(&pairs(raw), "regio").trim().to_string();
    let region = (!region.is_empty() && !s.data.anonymous).then_some(region);
    let r = results(state, &lists, &s, region.as_deref()).await?;
    let questions = question_views(state, viewer, &s, &r).await?;
    let export_query = match &region {
        Some(r) => format!("&region={}", crate::http::redirect::urlencode(r)),
        None => String::new(),
    };
    let k = state.store.positioning_settings().await?.threshold;
    Ok(render(&ResultsPage {
        anonymous_rule: c.t_with(
            "survey.anonymous_results_rule",
            &[(
                "k",
                &k.max(stip_core::positioning::MIN_THRESHOLD).to_string(),
            )],
        ),
        responses: c.t_with("survey.responses", &[("n", &r.responses.len().to_string())]),
        regions: r.regions.iter().map(|r| (r.clone(), r.clone())).collect(),
        region: region.unwrap_or_default(),
        stage: stage_label(&c, &s),
        manage: viewer.may(Action::ManageSurveys),
        appendix,
        export_query,
        questions,
        c,
        s,
    }))
}

async fn results_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    results_view(&state, &viewer, id, &raw, false).await
}

async fn appendix(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    results_view(&state, &viewer, id, &raw, true).await
}
