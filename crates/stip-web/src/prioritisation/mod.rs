//! Prioritising (issue 12): the ranking by weighted score, value versus effort, the best
//! selection under a budget with its frontier, the criteria's weights per view (also from
//! pairwise comparison) and saved scenarios compared side by side; as pages under
//! `/prioriteren` and under `/api/v1/prioritisation`.
//!
//! A **view** is whose portfolio is weighed: one institution's (the filters name it: its
//! projects the viewer sees) or the network's (the projects the whole network sees, so the
//! network chooses from the same set whoever looks). Each view may weigh the criteria its own
//! way; a scenario may weigh them its own way again.

mod scenarios;
mod scores;
mod selection;
mod weighting;

use crate::AppState;
use crate::auth::Viewer;
use crate::i18n::Lang;
use crate::lists::Lists;
use crate::ui::project_list::filters::Filters;
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::access::{ProjectScope, project_scope};
use stip_core::number::Hundredths;
use stip_core::portfolio::{EffortUnit, ListQuery, Phase, Project, ProjectFilter};
use stip_core::prioritisation::scenario::check_weights;
use stip_core::prioritisation::selection::{Candidate, Infeasible, Note, Problem, Reason};
use stip_core::prioritisation::{Scored, Weight, score, weights};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;
use stip_store::prioritisation::Weighting;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages and API operations, each in its sub-feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(scores::routes())
        .merge(selection::routes())
        .merge(weighting::routes())
        .merge(scenarios::routes())
}

/// Hours in a year's full-time job in the mbo (CAO mbo: 1.659), to count effort given in
/// hours as FTE.
pub const HOURS_PER_FTE: i64 = 1659;

/// The most candidates a selection takes: a few hundred is what the network has; beyond this
/// the filters should narrow it down.
pub const MAX_CANDIDATES: usize = 1000;

/// Whose portfolio is weighed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Network,
    Institution { id: i64, brin: String, name: String },
}

impl View {
    pub fn institution_id(&self) -> Option<i64> {
        match self {
            View::Network => None,
            View::Institution { id, .. } => Some(*id),
        }
    }

    /// `network` or the institution's BRIN code, as the API names a view.
    pub fn code(&self) -> String {
        match self {
            View::Network => "network".into(),
            View::Institution { brin, .. } => brin.clone(),
        }
    }

    pub fn name(&self, lang: Lang) -> String {
        match self {
            View::Network => lang.t("prioritise.view_network"),
            View::Institution { name, .. } => name.clone(),
        }
    }

    /// The view of an institution by BRIN code, or the network's when `brin` is empty.
    pub fn of(lists: &Lists, brin: &str) -> Option<View> {
        let brin = brin.trim();
        if brin.is_empty() || brin.eq_ignore_ascii_case("network") {
            return Some(View::Network);
        }
        lists
            .institutions
            .iter()
            .find(|i| i.data.brin.as_str().eq_ignore_ascii_case(brin))
            .map(View::institution)
    }

    fn institution(i: &stip_core::institution::Institution) -> View {
        View::Institution {
            id: i.id,
            brin: i.data.brin.to_string(),
            name: i.data.name.clone(),
        }
    }

    /// The view of a filter: the institution it names, else the network.
    pub fn of_filter(lists: &Lists, filter: &ProjectFilter) -> View {
        filter
            .institution
            .as_ref()
            .and_then(|b| View::of(lists, b.as_str()))
            .unwrap_or(View::Network)
    }

    pub fn of_id(lists: &Lists, id: Option<i64>) -> View {
        id.and_then(|id| lists.institutions.iter().find(|i| i.id == id))
            .map(View::institution)
            .unwrap_or(View::Network)
    }
}

/// The weights a view scores with: its own weighting over the criteria's, and `extra` (a
/// scenario's) over both.
pub struct Weighing {
    pub view: View,
    pub weighting: Option<Weighting>,
    pub weights: Vec<Weight>,
}

impl Weighing {
    pub async fn of(
        state: &AppState,
        lists: &Lists,
        view: View,
        extra: Option<&BTreeMap<String, Hundredths>>,
    ) -> Result<Weighing, StoreError> {
        let weighting = state.store.weighting(view.institution_id()).await?;
        Ok(Weighing::with(lists, view, weighting, extra))
    }

    /// The weights of `view` with its `weighting` (read already), and `extra` over both.
    pub fn with(
        lists: &Lists,
        view: View,
        weighting: Option<Weighting>,
        extra: Option<&BTreeMap<String, Hundredths>>,
    ) -> Weighing {
        let mut own = weighting
            .as_ref()
            .map(|w| w.weights.clone())
            .unwrap_or_default();
        if let Some(extra) = extra {
            own.extend(extra.iter().map(|(k, v)| (k.clone(), *v)));
        }
        Weighing {
            weights: weights(&lists.criteria, &own),
            view,
            weighting,
        }
    }

    pub fn score(&self, p: &Project) -> Scored {
        score(&p.data.scores, &self.weights)
    }
}

/// A project's score as `/prioriteren` ranks it in one view, said in one line with a link to
/// that ranking: the one score Stip shows (0–100; none while a criterion that counts is not
/// scored).
pub struct ScoreLine {
    pub text: String,
    pub href: String,
}

/// The score lines of project `p`: as the network ranks it and, where its institution weighs
/// the criteria its own way, as its institution does.
pub async fn score_lines(
    state: &AppState,
    lists: &Lists,
    lang: Lang,
    p: &Project,
) -> Result<Vec<ScoreLine>, StoreError> {
    // From the weightings the store keeps: this is on every project page.
    let network = state.store.weighting(None).await?;
    let own = state.store.weighting(Some(p.institution_id)).await?;
    let mut views = vec![(View::Network, network)];
    if own.is_some() {
        views.push((View::of_id(lists, Some(p.institution_id)), own));
    }
    let mut lines = Vec::new();
    for (view, weighting) in views {
        let name = match &view {
            View::Network => lang.t("project.score_network"),
            View::Institution { name, .. } => name.clone(),
        };
        let href = match &view {
            View::Network => "/prioriteren".to_string(),
            View::Institution { brin, .. } => format!("/prioriteren?institution={brin}"),
        };
        let scored = Weighing::with(lists, view, weighting, None).score(p);
        let text = match scored.score {
            Some(s) => lang.t_with(
                "project.score_line",
                &[("view", &name), ("score", &score_text(lang, Some(s)))],
            ),
            None => lang.t_with(
                "project.score_missing",
                &[
                    ("view", &name),
                    (
                        "missing",
                        &lang.and_list(scored.missing().map(|c| lists.criterion_name(c))),
                    ),
                ],
            ),
        };
        lines.push(ScoreLine { text, href });
    }
    Ok(lines)
}

/// Whether some criterion counts: refused otherwise, as every score would be missing.
pub fn check_some_weight(weights: &[Weight]) -> Result<(), Invalid> {
    if weights.iter().any(|w| w.share > 0.0) {
        Ok(())
    } else {
        Err(Invalid::one("weights", ErrorCode::Required))
    }
}

/// A project's effort in hundredths of an FTE.
pub fn fte(p: &Project) -> Option<i64> {
    p.data.effort.map(|e| match e.unit {
        EffortUnit::Fte => e.amount.0,
        EffortUnit::Uren => e.amount.0 / HOURS_PER_FTE,
    })
}

/// A project as a candidate: its score as value, budget as cost, effort as FTE.
pub fn candidate(p: &Project, weighing: &Weighing) -> Candidate {
    Candidate {
        id: p.id,
        value: weighing.score(p).score.map(|s| s.0),
        cost: p.data.budget.map(|b| b.0),
        fte: fte(p),
    }
}

/// The projects not yet under way: what a selection chooses from unless the filters name a phase.
pub fn is_candidate_phase(phase: Phase) -> bool {
    matches!(
        phase,
        Phase::Idee | Phase::Verkenning | Phase::Voorbereiding
    )
}

/// The projects of a view that pass `filter`: for the network, those the whole network sees
/// (`netwerk` and `openbaar`), so what it chooses from is the same for everyone; for an
/// institution, its projects the viewer sees.
pub async fn visible(
    state: &AppState,
    viewer: &Viewer,
    view: &View,
    filter: &ProjectFilter,
) -> Result<Vec<Arc<Project>>, StoreError> {
    state
        .store
        .all_projects(filter, view_scope(viewer, view))
        .await
}

/// The scope of a view: for the network, what the whole network sees; for an institution,
/// what the viewer sees.
fn view_scope(viewer: &Viewer, view: &View) -> ProjectScope {
    match view {
        View::Network => ProjectScope::Network {
            own_institution: None,
        },
        View::Institution { .. } => project_scope(&viewer.actor),
    }
}

/// The projects of a view that pass `filter`, scored with the view's weights, best first (kept
/// by the store until the next write).
pub async fn ranking(
    state: &AppState,
    viewer: &Viewer,
    weighing: &Weighing,
    filter: &ProjectFilter,
) -> Result<Arc<stip_store::prioritisation::Ranked>, StoreError> {
    state
        .store
        .ranked(
            filter,
            view_scope(viewer, &weighing.view),
            &weighing.weights,
        )
        .await
}

/// The candidates of a list query and the view they are weighed in: the projects that pass
/// its filters and, unless it names a phase, are not yet under way.
pub async fn candidates_of(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    query: &ListQuery,
) -> Result<(View, Vec<Arc<Project>>), crate::Error> {
    let request = query.parse().map_err(crate::Error::Invalid)?;
    let view = View::of_filter(lists, &request.filter);
    let mut projects: Vec<Arc<Project>> = visible(state, viewer, &view, &request.filter)
        .await?
        .into_iter()
        .filter(|p| request.filter.phase.is_some() || is_candidate_phase(p.data.phase))
        .collect();
    // By number, so a selection lists its projects in the same order whatever the list's.
    projects.sort_by_key(|p| p.id);
    Ok((view, projects))
}

/// The scenarios the viewer may read, newest first.
pub async fn readable_scenarios(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<stip_core::prioritisation::scenario::Scenario>, StoreError> {
    Ok(state
        .store
        .scenarios()
        .await?
        .into_iter()
        .filter(|s| {
            viewer.may(stip_core::access::Action::ViewScenarios {
                institution_id: s.data.institution_id,
            })
        })
        .collect())
}

/// The problem of choosing from `projects` under the conditions of `c`.
pub fn problem(projects: &[Arc<Project>], weighing: &Weighing, c: &Conditions) -> Problem {
    Problem {
        candidates: projects.iter().map(|p| candidate(p, weighing)).collect(),
        budget_cap: c.budget_cap,
        fte_cap: c.fte_cap,
        forced_in: c.forced_in.clone(),
        forced_out: c.forced_out.clone(),
        requires: c.requires.clone(),
    }
}

/// The conditions of a selection, as a request or a scenario gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// In cents.
    pub budget_cap: i64,
    /// In hundredths of an FTE.
    pub fte_cap: Option<i64>,
    pub forced_in: Vec<i64>,
    pub forced_out: Vec<i64>,
    pub requires: Vec<(i64, i64)>,
}

/// Why no selection meets the conditions, as a refusal naming the field at fault.
pub fn infeasible(e: &Infeasible) -> Invalid {
    match *e {
        Infeasible::NotACandidate { field, id } => {
            Invalid::one(field, ErrorCode::NotACandidate { id })
        }
        Infeasible::InAndOut { id } => Invalid::one("forced_out", ErrorCode::ForcedInAndOut { id }),
        Infeasible::ForcedNeedsExcluded { id, required, .. } => {
            Invalid::one("requires", ErrorCode::RequiresExcluded { id, required })
        }
        Infeasible::ForcedOverBudget { cost, cap } => {
            Invalid::one("budget_cap", ErrorCode::ForcedOverCap { needed: cost, cap })
        }
        Infeasible::ForcedOverFte { fte, cap } => {
            Invalid::one("fte_cap", ErrorCode::ForcedOverCap { needed: fte, cap })
        }
    }
}

/// Whole euros or FTE with two decimals, as the reader writes them.
pub fn amount(lang: Lang, hundredths: i64) -> String {
    match lang {
        Lang::Nl => Hundredths(hundredths).to_dutch(),
        Lang::En => Hundredths(hundredths).to_english(),
    }
}

/// Why a project was left out, in the reader's words.
pub fn reason_text(lang: Lang, r: &Reason) -> String {
    let euros = |c: i64| crate::insight::euros(lang, c);
    match *r {
        Reason::Requires { id } => lang.t_with(
            "prioritise.reason.requires_unavailable",
            &[("id", &id.to_string())],
        ),
        Reason::OverBudget {
            needed,
            remaining,
            with_required,
        } => lang.t_with(
            if with_required {
                "prioritise.reason.over_budget_with_required"
            } else {
                "prioritise.reason.over_budget"
            },
            &[
                ("needed", &euros(needed)),
                ("remaining", &euros(remaining.max(0))),
            ],
        ),
        Reason::OverFte {
            needed,
            remaining,
            with_required,
        } => lang.t_with(
            if with_required {
                "prioritise.reason.over_fte_with_required"
            } else {
                "prioritise.reason.over_fte"
            },
            &[
                ("needed", &amount(lang, needed)),
                ("remaining", &amount(lang, remaining.max(0))),
            ],
        ),
        other => lang.t(&format!("prioritise.reason.{}", other.code())),
    }
}

/// Why a chosen project is in, in the reader's words.
pub fn note_text(lang: Lang, n: &Note) -> String {
    match *n {
        Note::RequiredBy { id } => lang.t_with(
            "prioritise.note.required_by_forced",
            &[("id", &id.to_string())],
        ),
        other => lang.t(&format!("prioritise.note.{}", other.code())),
    }
}

/// A score as the reader writes it, with one decimal where it has one: "62,5" / "62.5"; "–"
/// when missing.
pub fn score_text(lang: Lang, s: Option<Hundredths>) -> String {
    let Some(s) = s else {
        return "–".into();
    };
    let tenths = (s.0 + 5).div_euclid(10);
    let (whole, decimal) = (tenths / 10, tenths % 10);
    let mark = match lang {
        Lang::Nl => ',',
        Lang::En => '.',
    };
    if decimal == 0 {
        whole.to_string()
    } else {
        format!("{whole}{mark}{decimal}")
    }
}

// ---- Shared by the pages and the API ----------------------------------------------------------

/// The raw query's pairs.
fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// What the nav and the view switch of every page need.
pub struct Frame {
    pub view_name: String,
    /// (label, href, current) for the network and the viewer's own institution.
    pub views: Vec<(String, String, bool)>,
}

fn frame(viewer: &Viewer, lists: &Lists, f: &Filters, view: &View, base: &str) -> Frame {
    let mut without = f.query.clone();
    without.institution.clear();
    without.page.clear();
    let network = crate::ui::project_list::filters::with_query(base, &without);
    let mut views = vec![(
        viewer.lang.t("prioritise.view_network"),
        network,
        *view == View::Network,
    )];
    if let Some(own) = View::of_id(lists, viewer.actor.institution_id()).institution_id()
        && let View::Institution { brin, name, .. } = View::of_id(lists, Some(own))
    {
        let mut with = without.clone();
        with.institution = brin.clone();
        views.push((
            name,
            crate::ui::project_list::filters::with_query(base, &with),
            view.institution_id() == Some(own),
        ));
    }
    // Another institution's view, reached through the filters, is shown as the current one.
    if !views.iter().any(|(_, _, current)| *current) {
        views.push((view.name(viewer.lang), String::new(), true));
    }
    Frame {
        view_name: view.name(viewer.lang),
        views,
    }
}

/// The first value of `name` in a query string; empty when it is not there.
fn query_value(raw: &Option<String>, name: &str) -> String {
    url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Weights given in a request as hundredths, every code a criterion's.
fn weights_of(
    lists: &Lists,
    given: &BTreeMap<String, f64>,
    invalid: &mut Invalid,
) -> BTreeMap<String, Hundredths> {
    let mut out = BTreeMap::new();
    for (code, w) in given {
        if !lists.criteria.iter().any(|c| &c.data.code == code) {
            invalid.push(&format!("weights.{code}"), ErrorCode::Unknown);
            continue;
        }
        let h = Hundredths::from_f64(*w);
        if !w.is_finite() || check_weights(&[(code.clone(), h)].into()).is_err() {
            invalid.push(
                &format!("weights.{code}"),
                ErrorCode::OutOfRange { min: 0, max: 100 },
            );
            continue;
        }
        out.insert(code.clone(), h);
    }
    out
}
