//! The results as files (Markdown, CSV, Excel), saving the top three as the network's priorities,
//! and the workshops of a meeting as its page and report show them.

use crate::auth::Viewer;
use crate::http::extract::Id;
use crate::lists::Lists;
use crate::ui::layout::Chrome;
use crate::workshop::{Outcome, Taking, back, facilitator, outcome, taking, to_join};
use crate::{AppState, Error};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use stip_core::workshop::{Phase, Workshop};
use stip_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies/{id}/prioriteiten", post(priorities))
        .route("/werksessies/{id}/resultaat.md", get(results_md))
        .route("/werksessies/{id}/resultaat.csv", get(results_csv))
        .route("/werksessies/{id}/resultaat.xlsx", get(results_xlsx))
}

/// Saves the top three themes of workshop `id` as the network's priorities, dated today.
pub(crate) async fn save_top_three(
    state: &AppState,
    id: i64,
) -> Result<(chrono::NaiveDate, Vec<String>), Error> {
    let w = state.store.workshop(id).await?;
    if w.phase != Phase::Results {
        return Err(Error::NotNow("workshop_no_results_yet"));
    }
    let dots = state.store.workshop_dots(id).await?;
    let top: Vec<String> = stip_core::workshop::results(&w, &[], &dots)
        .into_iter()
        .filter(|r| r.dots > 0)
        .take(3)
        .map(|r| r.theme)
        .collect();
    let today = crate::time::today();
    state.store.save_priorities(id, &top, today).await?;
    Ok((today, top))
}

async fn priorities(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    match save_top_three(&state, id).await {
        Ok(_) | Err(Error::NotNow(_)) => Ok(back(id, "#prioriteiten")),
        Err(Error::NotFound) => Err(Error::NotFound),
        Err(e) => Err(Error::Internal(format!("{e:?}"))),
    }
}

// ---- Results as files --------------------------------------------------------------------------

/// The workshop, its results as everyone may see them, and the theme names; `None` for someone
/// who does not follow it (a page sends them to join).
async fn results_of(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
) -> Result<Option<(Workshop, Outcome, std::sync::Arc<Lists>)>, Error> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, true).await?;
    if !t.follows {
        return Ok(None);
    }
    // Files go around: they hold what everyone may see, as the projector shows it.
    let everyone = Taking::everyone();
    let outcome = outcome(state, &w, &everyone).await?;
    // While the running totals are hidden, a file would count every theme as none.
    if !outcome.totals {
        return Err(Error::NotNow("workshop_totals_hidden"));
    }
    Ok(Some((w, outcome, state.lists().await?)))
}

async fn results_md(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response, Error> {
    let Some((w, o, lists)) = results_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let mut md =
        stip_core::workshop::results_markdown(&w, &o.themes, &o.groups, |c| lists.theme_name(c));
    md.push_str(&stip_core::workshop::together_markdown(&together_texts(
        &viewer.chrome(),
        &lists,
        &o,
    )));
    Ok(crate::http::download::attachment(
        "text/markdown; charset=utf-8",
        &format!("werksessie-{id}.md"),
        md,
    ))
}

async fn results_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response, Error> {
    let Some((w, o, lists)) = results_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let mut table =
        stip_core::workshop::results_table(&w, &o.themes, &o.groups, |c| lists.theme_name(c));
    stip_core::workshop::together_rows(&mut table, &together_texts(&viewer.chrome(), &lists, &o));
    Ok(crate::http::download::attachment(
        "text/csv; charset=utf-8",
        &format!("werksessie-{id}.csv"),
        table.csv(),
    ))
}

async fn results_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response, Error> {
    let Some((w, o, lists)) = results_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let mut table =
        stip_core::workshop::results_table(&w, &o.themes, &o.groups, |c| lists.theme_name(c));
    stip_core::workshop::together_rows(&mut table, &together_texts(&viewer.chrome(), &lists, &o));
    let bytes = table
        .xlsx("Resultaat")
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(crate::http::download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("werksessie-{id}.xlsx"),
        bytes,
    ))
}

/// A workshop of a meeting, as the meeting's page and report show it: the ranking (with the notes
/// everyone may see) once it shows its results.
pub(crate) struct MeetingWorkshop {
    pub id: i64,
    pub title: String,
    pub themes: Vec<RankedTheme>,
    /// Phase 1: per group with notes, its name and the questions it answered.
    pub groups: Vec<(String, Vec<Answered>)>,
    /// The comparing step: per duo or trio ("A en B"), what it could do together.
    pub together: Vec<(String, Vec<String>)>,
}

/// A question of phase 1 and a group's notes on it (their texts).
pub(crate) type Answered = (String, Vec<String>);

pub(crate) struct RankedTheme {
    pub name: String,
    pub dots: u32,
    /// Per kind with notes: its label, its sign and the notes' texts.
    pub kinds: Vec<(String, &'static str, Vec<String>)>,
}

/// What the duos and trios wrote: per group its institutions' names ("A en B") and the texts.
fn together_texts(
    c: &Chrome,
    lists: &crate::lists::Lists,
    o: &crate::workshop::Outcome,
) -> Vec<(String, Vec<String>)> {
    o.together
        .iter()
        .map(|g| {
            let names = crate::workshop::groups::names(lists, &g.institutions);
            (
                c.lang.and_list(names),
                g.notes.iter().map(|n| n.text.clone()).collect(),
            )
        })
        .collect()
}

/// The workshops of `meeting`, oldest first.
pub(crate) async fn meeting_workshops(
    state: &AppState,
    c: &Chrome,
    meeting: i64,
) -> Result<Vec<MeetingWorkshop>, StoreError> {
    let everyone = Taking::everyone();
    let lists = state.lists().await?;
    let mut out = Vec::new();
    for w in state.store.workshops().await?.into_iter().rev() {
        if w.data.meeting != Some(meeting) {
            continue;
        }
        if w.phase != Phase::Results {
            out.push(MeetingWorkshop {
                id: w.id,
                title: w.data.title,
                themes: Vec::new(),
                groups: Vec::new(),
                together: Vec::new(),
            });
            continue;
        }
        let o = outcome(state, &w, &everyone).await?;
        let together = together_texts(c, &lists, &o);
        let themes = o
            .themes
            .into_iter()
            .map(|r| RankedTheme {
                name: lists.theme_name(&r.theme),
                dots: r.dots,
                kinds: r
                    .notes
                    .iter()
                    .filter(|(_, n)| !n.is_empty())
                    .map(|(k, n)| {
                        (
                            c.t(&format!("workshop.kind.{}", k.code())),
                            k.icon(),
                            n.iter().map(|n| n.text.clone()).collect(),
                        )
                    })
                    .collect(),
            })
            .collect();
        let groups = o
            .groups
            .into_iter()
            .filter(|g| g.has_notes())
            .map(|g| {
                let questions = g
                    .answered()
                    .map(|(_, q)| {
                        (
                            q.text.clone(),
                            q.notes.iter().map(|n| n.text.clone()).collect(),
                        )
                    })
                    .collect();
                (g.name, questions)
            })
            .collect();
        out.push(MeetingWorkshop {
            id: w.id,
            title: w.data.title,
            themes,
            groups,
            together,
        });
    }
    Ok(out)
}
