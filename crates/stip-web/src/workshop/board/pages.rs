//! The workshop's page (each person's own view, phase by phase), the projector's view, and the
//! facilitator's phase and reveal buttons; with JavaScript it follows live (see `assets/stip.js`).

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::lists::Lists;
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::workshop::{Taking, back, facilitator, join_url, taking, to_join};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use stip_core::Invalid;
use stip_core::workshop::{DotRefusal, Note, NoteKind, Phase, ThemeResult, Workshop};
use stip_store::workshop::ParticipantSummary;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies/{id}", get(show))
        .route("/werksessies/{id}/scherm", get(projector))
        .route("/werksessies/{id}/fase", post(phase))
        .route("/werksessies/{id}/onthullen", post(reveal))
        .route("/werksessies/{id}/tussenstand", post(totals))
}

// ---- The workshop's page ----------------------------------------------------------------------

/// A note as the page shows it.
struct NoteView {
    id: i64,
    text: String,
    /// The writer (empty in an anonymous workshop).
    author: String,
    group: String,
    /// Its kind's code (its colour); empty for an answer to a question.
    kind: String,
    mine: bool,
    hidden: bool,
}

struct KindView {
    code: &'static str,
    label: String,
    icon: &'static str,
    notes: Vec<NoteView>,
}

struct ThemeView {
    code: String,
    name: String,
    dots: u32,
    /// The viewer's own dots on it.
    mine: u32,
    kinds: Vec<KindView>,
    /// Whether the viewer may place one more dot here.
    can_place: bool,
    /// Its notes of phase 2 the viewer may see.
    note_count: usize,
    /// A fresh id for the "place a dot" form: sent twice, it is still one dot.
    client_id: String,
}

impl ThemeView {
    fn note_count(&self) -> usize {
        self.kinds.iter().map(|k| k.notes.len()).sum()
    }
}

struct QuestionView {
    index: usize,
    text: String,
    notes: Vec<NoteView>,
}

/// Phase 1's output as the results show it: a group with the questions it wrote notes on.
struct PerspectiveView {
    name: String,
    questions: Vec<(String, Vec<NoteView>)>,
}

struct GroupView {
    index: usize,
    name: String,
    count: usize,
    mine: bool,
}

/// A participant in the facilitator's list.
struct ParticipantView {
    id: i64,
    /// "Deelnemer 3".
    label: String,
    /// The name they joined under; empty in an anonymous workshop.
    name: String,
    group: String,
    notes: i64,
    dots: i64,
    joined: String,
    /// Who the remove button removes, in words: "Deelnemer 3 (Anna, groep ICT)".
    who: String,
}

fn participant_view(c: &Chrome, w: &Workshop, p: ParticipantSummary) -> ParticipantView {
    let label = c.t_with("workshop.participant_n", &[("n", &p.number.to_string())]);
    let name = if w.data.anonymous {
        String::new()
    } else {
        p.participant.name.clone()
    };
    let group = w.group_name(p.participant.group).to_string();
    let who = c.t_with(
        if name.is_empty() {
            "workshop.participant_who"
        } else {
            "workshop.participant_who_named"
        },
        &[
            ("label", label.as_str()),
            ("name", name.as_str()),
            ("group", group.as_str()),
        ],
    );
    ParticipantView {
        id: p.participant.id,
        joined: crate::time::moment(c.lang, &p.joined_at),
        notes: p.notes,
        dots: p.dots,
        label,
        name,
        group,
        who,
    }
}

#[derive(Template)]
#[template(path = "workshop/show.html")]
pub(crate) struct ShowPage {
    c: Chrome,
    w: Workshop,
    phase: String,
    /// The name and group the viewer takes part under.
    me: Option<(String, String)>,
    facilitator: bool,
    /// Phase 1: the questions with the notes (the viewer's group's, or every group's).
    questions: Vec<QuestionView>,
    /// Phases 2–3 in the workshop's order; phase 4 ranked.
    themes: Vec<ThemeView>,
    /// Phase 4: what each group wrote per question in phase 1 (groups with notes only).
    perspectives: Vec<PerspectiveView>,
    dots_left: u32,
    groups: Vec<GroupView>,
    participants: usize,
    /// The facilitator's list of participants (empty for anyone else).
    people: Vec<ParticipantView>,
    /// What removing a participant just did, said at the list.
    removed: String,
    join_url: String,
    qr: String,
    /// The newest event when the page was made: the live stream goes on from there.
    after: i64,
    timer: String,
    kinds: Vec<(&'static str, String, &'static str)>,
    errors: Errors,
    /// A note as typed, shown again when it was refused.
    typed: String,
    /// The network's priorities as this workshop saved them.
    saved_on: String,
    meeting: Option<(i64, String)>,
    /// Whether the dots per theme are shown on this screen (see `Workshop::totals_visible`).
    totals: bool,
    /// How many dots everyone has placed: the voting's progress, also while totals are hidden.
    dots_placed: usize,
    /// Why the viewer's last dot was refused, said politely.
    refusal: String,
    /// The comparing step's duos and trios, and what they wrote (also in the results).
    comparing: crate::workshop::groups::Comparing,
}

impl ShowPage {
    fn is(&self, phase: &str) -> bool {
        self.w.phase.code() == phase
    }

    fn phases(&self) -> Vec<(&'static str, String, bool)> {
        Phase::ALL
            .iter()
            .map(|p| {
                (
                    p.code(),
                    self.c.t(&format!("workshop.phase.{}", p.code())),
                    *p == self.w.phase,
                )
            })
            .collect()
    }

    fn dots_left_text(&self) -> String {
        self.c.t_with(
            "workshop.dots_left",
            &[
                ("left", &self.dots_left.to_string()),
                ("total", &self.w.data.dots_per_participant.to_string()),
            ],
        )
    }

    fn dots_text(&self, n: &u32) -> String {
        if *n == 1 {
            self.c.t("workshop.one_dot")
        } else {
            self.c.t_with("workshop.n_dots", &[("n", &n.to_string())])
        }
    }

    fn hidden_until_revealed(&self) -> bool {
        self.w.data.hide_until_revealed && !self.w.revealed
    }

    fn max_dots(&self) -> u32 {
        self.themes.iter().map(|t| t.dots).max().unwrap_or(0).max(1)
    }

    fn bar(&self, dots: &u32) -> u32 {
        dots * 100 / self.max_dots()
    }
}

fn note_view(w: &Workshop, n: &Note, me: Option<i64>) -> NoteView {
    NoteView {
        id: n.id,
        text: n.text.clone(),
        author: if w.data.anonymous {
            String::new()
        } else {
            n.author.clone()
        },
        group: w.group_name(n.group).to_string(),
        kind: n.kind.map_or("", |k| k.code()).to_string(),
        mine: me == Some(n.participant_id),
        hidden: n.hidden,
    }
}

fn theme_views(
    c: &Chrome,
    lists: &Lists,
    w: &Workshop,
    ranked: Vec<ThemeResult>,
    my_dots: &[stip_core::workshop::Dot],
    me: Option<i64>,
    may_vote: bool,
) -> Vec<ThemeView> {
    ranked
        .into_iter()
        .map(|r| {
            let mine = my_dots.iter().filter(|d| d.theme == r.theme).count() as u32;
            ThemeView {
                can_place: may_vote && w.may_place(my_dots, &r.theme).is_ok(),
                client_id: crate::auth::token::random_token(),
                name: lists.theme_name(&r.theme),
                dots: r.dots,
                mine,
                note_count: r.notes.iter().map(|(_, n)| n.len()).sum(),
                kinds: r
                    .notes
                    .iter()
                    .map(|(k, notes)| KindView {
                        code: k.code(),
                        label: c.t(&format!("workshop.kind.{}", k.code())),
                        icon: k.icon(),
                        notes: notes.iter().map(|n| note_view(w, n, me)).collect(),
                    })
                    .collect(),
                code: r.theme,
            }
        })
        .collect()
}

/// The workshop's page again with `errors` at a form, 422.
pub(crate) async fn refused(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
    errors: Invalid,
    typed: String,
) -> Result<Response, Error> {
    match show_page(
        state,
        viewer,
        headers,
        id,
        Errors::new(viewer.lang, errors),
        typed,
        false,
    )
    .await?
    {
        Some(page) => Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()),
        None => Ok(to_join()),
    }
}

/// The workshop's page for whoever asks: `None` when they may not see it (they are sent to
/// join).
pub(crate) async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
    errors: Errors,
    typed: String,
    projector: bool,
) -> Result<Option<ShowPage>, Error> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, true).await?;
    if !t.follows {
        return Ok(None);
    }
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let me = t.participant.as_ref().map(|p| p.id);
    // The projector shows what everyone may see: the facilitator's hidden notes stay off it.
    let shown = if projector {
        Taking::everyone()
    } else {
        Taking {
            participant: t.participant.clone(),
            facilitator: t.facilitator,
            follows: true,
        }
    };
    let after = state.store.newest_workshop_event(id).await?;
    let notes = shown.visible(&w, state.store.workshop_notes(id).await?);
    let dots = state.store.workshop_dots(id).await?;
    let my_dots: Vec<_> = dots
        .iter()
        .filter(|d| Some(d.participant_id) == me)
        .cloned()
        .collect();
    let participants = state.store.participants(id).await?;
    let people = if t.facilitator && !projector {
        state
            .store
            .participant_list(id)
            .await?
            .into_iter()
            .map(|p| participant_view(&c, &w, p))
            .collect()
    } else {
        Vec::new()
    };
    let my_group = t.participant.as_ref().map(|p| p.group);
    let comparing = if matches!(w.phase, Phase::Comparing | Phase::Results) {
        let me = if projector {
            None
        } else {
            t.participant.as_ref()
        };
        crate::workshop::groups::comparing(state, &c, &lists, &w, me, &participants).await?
    } else {
        Default::default()
    };
    let questions = w
        .data
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionView {
            index: i,
            text: q.clone(),
            notes: notes
                .iter()
                .filter(|n| n.question == Some(i))
                .filter(|n| projector || my_group.is_none() || my_group == Some(n.group))
                .map(|n| note_view(&w, n, me))
                .collect(),
        })
        .collect();
    // While people vote, the dots per theme only where the facilitator shows them (the
    // facilitator's own page always has them).
    let totals = w.totals_visible(t.facilitator && !projector);
    let counted: &[stip_core::workshop::Dot] = if totals { &dots } else { &[] };
    let mut results = stip_core::workshop::results(&w, &notes, counted);
    if w.phase != Phase::Results {
        // Before the results, themes keep the workshop's order: a ranking would sway the vote.
        results.sort_by_key(|r| w.data.themes.iter().position(|t| *t == r.theme));
    }
    let perspectives = if w.phase == Phase::Results {
        stip_core::workshop::perspectives(&w, &notes)
            .into_iter()
            .filter(|g| g.has_notes())
            .map(|g| PerspectiveView {
                questions: g
                    .answered()
                    .map(|(_, q)| {
                        let notes = q.notes.iter().map(|n| note_view(&w, n, me)).collect();
                        (q.text.clone(), notes)
                    })
                    .collect(),
                name: g.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let may_vote = w.phase == Phase::Voting && me.is_some() && !projector;
    let themes = theme_views(&c, &lists, &w, results, &my_dots, me, may_vote);
    let groups = w
        .data
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| GroupView {
            index: i,
            name: g.clone(),
            count: participants.iter().filter(|p| p.group == i).count(),
            mine: my_group == Some(i),
        })
        .collect();
    let join_url = join_url(&viewer.origin, &w.code);
    let timer = w
        .timer_ends_at
        .as_deref()
        .filter(|_| w.phase != Phase::Results)
        .map(|t| crate::time::moment(c.lang, t))
        .map(|t| t.rsplit(", ").next().unwrap_or("").to_string())
        .unwrap_or_default();
    let meeting = match w.data.meeting {
        Some(m) => match state.store.meeting(m).await {
            Ok(m) => Some((m.id, m.data.title)),
            // The meeting was deleted since the workshop was set up for it.
            Err(stip_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let kinds = NoteKind::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                c.t(&format!("workshop.kind.{}", k.code())),
                k.icon(),
            )
        })
        .collect();
    Ok(Some(ShowPage {
        phase: c.t(&format!("workshop.phase.{}", w.phase.code())),
        me: t
            .participant
            .as_ref()
            .map(|p| (p.name.clone(), w.group_name(p.group).to_string())),
        facilitator: t.facilitator && !projector,
        questions,
        dots_left: w.dots_left(&my_dots),
        themes,
        perspectives,
        groups,
        participants: participants.len(),
        people,
        removed: String::new(),
        // Drawn only where it is shown: the facilitator's page, the projector until the result.
        qr: if (t.facilitator && !projector) || (projector && w.phase != Phase::Results) {
            crate::workshop::qr_svg(&join_url)
        } else {
            String::new()
        },
        join_url,
        after,
        timer,
        kinds,
        errors,
        typed,
        saved_on: w
            .priorities_saved_on
            .as_deref()
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
            .map(|d| c.date(&d))
            .unwrap_or_default(),
        meeting,
        totals,
        dots_placed: dots.len(),
        refusal: String::new(),
        comparing,
        c,
        w,
    }))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let page = show_page(
        &state,
        &viewer,
        &headers,
        id,
        Errors::none(viewer.lang),
        String::new(),
        false,
    );
    let Some(mut page) = page.await? else {
        return Ok(to_join());
    };
    // A refused dot: why, in words (known keys only).
    let why = param(&q, "geweigerd");
    if page.me.is_some()
        && [
            DotRefusal::NotVoting,
            DotRefusal::NoDotsLeft,
            DotRefusal::ThemeFull,
        ]
        .iter()
        .any(|r| r.key() == why)
    {
        page.refusal = format!("{}.", page.c.t(&format!("problem.{why}")));
    }
    // After a removal: which participant went, with how many notes and dots (numbers only, so
    // no one can put words on this page through its address).
    let number = |k: &str| param(&q, k).parse::<u64>().ok();
    if page.facilitator
        && let (Some(who), Some(notes), Some(dots)) =
            (number("verwijderd"), number("notities"), number("stippen"))
    {
        let c = &page.c;
        let notes = if notes == 1 {
            c.t("workshop.one_note")
        } else {
            c.t_with("workshop.n_notes", &[("n", &notes.to_string())])
        };
        let dots = if dots == 1 {
            c.t("workshop.one_dot")
        } else {
            c.t_with("workshop.n_dots", &[("n", &dots.to_string())])
        };
        let label = c.t_with("workshop.participant_n", &[("n", &who.to_string())]);
        page.removed = c.t_with(
            "workshop.participant_removed",
            &[
                ("label", label.as_str()),
                ("notes", notes.as_str()),
                ("dots", dots.as_str()),
            ],
        );
    }
    Ok(render(&page))
}

async fn projector(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response, Error> {
    let page = show_page(
        &state,
        &viewer,
        &headers,
        id,
        Errors::none(viewer.lang),
        String::new(),
        true,
    );
    Ok(page
        .await?
        .map_or_else(to_join, |p| render(&Projector { p })))
}

#[derive(Template)]
#[template(path = "workshop/projector.html")]
struct Projector {
    p: ShowPage,
}

async fn phase(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    let Some(phase) = Phase::parse(param(&form, "phase")) else {
        return Err(Error::NotFound);
    };
    state.store.set_workshop_phase(id, phase).await?;
    Ok(back(id, ""))
}

/// The facilitator shows the running totals to everyone while people vote, or hides them.
async fn totals(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    let shown = param(&form, "shown") == "1";
    state.store.show_workshop_totals(id, shown).await?;
    Ok(back(id, "#stemmen"))
}

async fn reveal(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    state.store.reveal_workshop_notes(id).await?;
    Ok(back(id, "#bord"))
}
