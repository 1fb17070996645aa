//! The Werksessies pages: setting up a workshop, joining by code (or QR code), the one page a
//! participant, the facilitator and a follower each see in their own way (phase by phase), the
//! projector's full-screen view, and the results as files. Every form works without
//! JavaScript; with it, the page follows the workshop live (see `assets/stip.js`).

use super::throttle::{self, Throttled};
use super::{Taking, ranked, taking};
use crate::extract::{Form, Id};
use crate::form::{Errors, param};
use crate::identity::Viewer;
use crate::layout::{Chrome, render};
use crate::lists::Lists;
use crate::{ApiError, AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use stip_core::access::Action;
use stip_core::workshop::{
    DotRefusal, Note, NoteInput, NoteKind, Phase, ThemeResult, Workshop, WorkshopData,
    WorkshopInput,
};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;
use stip_store::workshop::{ParticipantSummary, Placed};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies", get(list).post(create))
        .route("/werksessies/nieuw", get(new_form))
        .route("/meedoen", get(join_form).post(join))
        .route("/werksessies/{id}", get(show))
        .route("/werksessies/{id}/scherm", get(projector))
        .route("/werksessies/{id}/fase", post(phase))
        .route("/werksessies/{id}/onthullen", post(reveal))
        .route("/werksessies/{id}/groep", post(change_group))
        .route("/werksessies/{id}/notities", post(add_note))
        .route("/werksessies/{id}/notities/{note}", post(edit_note))
        .route(
            "/werksessies/{id}/notities/{note}/verwijderen",
            post(remove_note),
        )
        .route(
            "/werksessies/{id}/notities/{note}/verbergen",
            post(hide_note),
        )
        .route("/werksessies/{id}/stippen", post(place_dot))
        .route("/werksessies/{id}/stippen/terug", post(take_back_dot))
        .route(
            "/werksessies/{id}/deelnemers/{participant}/verwijderen",
            post(remove_participant),
        )
        .route("/werksessies/{id}/prioriteiten", post(priorities))
        .route("/werksessies/{id}/verwijderen", post(delete))
        .route("/werksessies/{id}/resultaat.md", get(results_md))
        .route("/werksessies/{id}/resultaat.csv", get(results_csv))
        .route("/werksessies/{id}/resultaat.xlsx", get(results_xlsx))
}

// ---- Shared with the API ----------------------------------------------------------------------

/// Checks a workshop as set up against the agenda's themes and the meetings.
pub(crate) async fn checked(
    state: &AppState,
    input: &WorkshopInput,
) -> Result<Result<WorkshopData, Invalid>, StoreError> {
    let lists = state.lists().await?;
    let themes: Vec<String> = lists.themes.iter().map(|t| t.data.code.clone()).collect();
    let meetings: Vec<i64> = state
        .store
        .meetings()
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    Ok(input.check(&themes, |m| meetings.contains(&m)))
}

/// The address a participant opens to join with `code` (the QR code's content).
pub(crate) fn join_url(origin: &str, code: &str) -> String {
    format!("{origin}/meedoen?code={code}")
}

/// Why a join is refused.
pub(crate) enum Refused {
    /// By field; with the workshop when the code opened one.
    Invalid(Invalid, Option<Box<Workshop>>),
    /// Too many attempts for now.
    Throttled(Throttled),
}

impl From<Refused> for ApiError {
    fn from(r: Refused) -> ApiError {
        match r {
            Refused::Invalid(e, _) => ApiError::Invalid(e),
            Refused::Throttled(t) => ApiError::TooManyRequests(t.wait),
        }
    }
}

/// The workshop a join code opens and the name to join under (a logged-in person's own name
/// when they give none), counted against the limits on joining (see `throttle`); refused by
/// field, or for now.
pub(crate) async fn joining(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    name: &str,
) -> Result<Result<(Workshop, String), Refused>, StoreError> {
    let mut e = Invalid::default();
    let w = if stip_core::workshop::normalise_code(code).is_empty() {
        e.push("code", ErrorCode::Required);
        None
    } else {
        match throttle::open(&state.store, &viewer.address, code).await? {
            Ok(w) => {
                if w.is_none() {
                    e.push("code", ErrorCode::Unknown);
                }
                w
            }
            Err(t) => return Ok(Err(Refused::Throttled(t))),
        }
    };
    let name = match (name.trim().is_empty(), &viewer.user) {
        (true, Some(u)) => Some(u.name.clone()),
        _ => e.take(
            "name",
            stip_core::error::required_text(name, stip_core::workshop::MAX_NAME),
        ),
    };
    match (w, name) {
        (Some(w), Some(name)) if e.is_empty() => {
            if let Err(t) = throttle::join(&state.store, &viewer.address, &w).await? {
                return Ok(Err(Refused::Throttled(t)));
            }
            Ok(Ok((w, name)))
        }
        (w, _) => Ok(Err(Refused::Invalid(e, w.map(Box::new)))),
    }
}

/// The participant cookie: for the browser session, like the login.
pub(crate) fn participant_cookie(headers: &HeaderMap, token: String) -> Cookie<'static> {
    crate::identity::private_cookie(
        super::PARTICIPANT_COOKIE,
        token,
        None,
        crate::identity::is_https(headers),
    )
}

/// Saves the top three themes of workshop `id` as the network's priorities, dated today.
pub(crate) async fn save_top_three(
    state: &AppState,
    id: i64,
) -> Result<(chrono::NaiveDate, Vec<String>), ApiError> {
    let w = state.store.workshop(id).await?;
    if w.phase != Phase::Results {
        return Err(ApiError::NotNow("workshop_no_results_yet"));
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

// ---- List, new ----------------------------------------------------------------------------------

struct Listed {
    id: i64,
    title: String,
    code: String,
    phase: String,
    meeting: String,
}

#[derive(Template)]
#[template(path = "workshop/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Listed>,
    run: bool,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ViewWorkshops) {
        return Ok(res);
    }
    let c = viewer.chrome();
    let meetings = state.store.meetings().await?;
    let items = state
        .store
        .workshops()
        .await?
        .into_iter()
        .map(|w| Listed {
            id: w.id,
            phase: c.t(&format!("workshop.phase.{}", w.phase.code())),
            meeting: w
                .data
                .meeting
                .and_then(|m| meetings.iter().find(|x| x.id == m))
                .map(|m| m.data.title.clone())
                .unwrap_or_default(),
            title: w.data.title,
            code: w.code,
        })
        .collect();
    Ok(render(&ListPage {
        c,
        items,
        run: viewer.may(Action::RunWorkshops),
    }))
}

/// The set-up form as typed.
#[derive(Default)]
struct Typed {
    title: String,
    meeting: String,
    dots: String,
    max_per_theme: String,
    themes: Vec<String>,
    groups: String,
    questions: String,
    anonymous: bool,
    hide_until_revealed: bool,
    timer: String,
}

#[derive(Template)]
#[template(path = "workshop/new.html")]
struct NewPage {
    c: Chrome,
    f: Typed,
    errors: Errors,
    meetings: Vec<(String, String)>,
    themes: Vec<(String, String)>,
}

impl NewPage {
    fn theme_checked(&self, code: &str) -> bool {
        self.f.themes.iter().any(|t| t == code)
    }
}

async fn new_page(
    state: &AppState,
    viewer: &Viewer,
    f: Typed,
    errors: Errors,
) -> Result<NewPage, PageError> {
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let meetings = state
        .store
        .meetings()
        .await?
        .into_iter()
        .rev()
        .map(|m| (m.id.to_string(), m.data.title))
        .collect();
    let themes = lists
        .themes
        .iter()
        .map(|t| (t.data.code.clone(), t.data.name.clone()))
        .collect();
    Ok(NewPage {
        c,
        f,
        errors,
        meetings,
        themes,
    })
}

async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::RunWorkshops) {
        return Ok(res);
    }
    let lists = state.lists().await?;
    let f = Typed {
        meeting: param(&q, "bijeenkomst").to_string(),
        dots: stip_core::workshop::DEFAULT_DOTS.to_string(),
        themes: lists.themes.iter().map(|t| t.data.code.clone()).collect(),
        groups: stip_core::workshop::DEFAULT_GROUPS.join("\n"),
        questions: stip_core::workshop::default_questions().join("\n"),
        ..Typed::default()
    };
    let page = new_page(&state, &viewer, f, Errors::none(viewer.lang)).await?;
    Ok(render(&page))
}

/// Lines of a text area, empty ones dropped.
fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A number as typed: `None` when empty, `Some(-1)` (refused as out of range) when not a number.
fn number(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.parse().unwrap_or(-1))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::RunWorkshops) {
        return Ok(res);
    }
    let f = Typed {
        title: param(&form, "title").to_string(),
        meeting: param(&form, "meeting").to_string(),
        dots: param(&form, "dots_per_participant").to_string(),
        max_per_theme: param(&form, "max_dots_per_theme").to_string(),
        themes: form
            .iter()
            .filter(|(k, _)| k == "themes")
            .map(|(_, v)| v.clone())
            .collect(),
        groups: param(&form, "groups").to_string(),
        questions: param(&form, "questions").to_string(),
        anonymous: crate::form::checked(param(&form, "anonymous")),
        hide_until_revealed: crate::form::checked(param(&form, "hide_until_revealed")),
        timer: param(&form, "timer_minutes").to_string(),
    };
    let mut errors = Invalid::default();
    if f.themes.is_empty() {
        errors.push("themes", ErrorCode::Required);
    }
    let input = WorkshopInput {
        title: f.title.clone(),
        meeting: match f.meeting.trim() {
            "" => None,
            m => Some(m.parse().unwrap_or(0)),
        },
        dots_per_participant: Some(number(&f.dots).unwrap_or(0)),
        max_dots_per_theme: number(&f.max_per_theme),
        themes: Some(f.themes.clone()),
        groups: Some(lines(&f.groups)),
        questions: Some(lines(&f.questions)),
        anonymous: f.anonymous,
        hide_until_revealed: f.hide_until_revealed,
        timer_minutes: number(&f.timer),
    };
    let checked = checked(&state, &input).await?;
    match checked {
        Ok(data) if errors.is_empty() => {
            let w = state
                .store
                .create_workshop(&data, viewer.actor.user_id())
                .await?;
            Ok(Redirect::to(&format!("/werksessies/{}", w.id)).into_response())
        }
        outcome => {
            if let Err(e) = outcome {
                errors.0.extend(e.0);
            }
            let page = new_page(&state, &viewer, f, Errors::new(viewer.lang, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

// ---- Joining ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "workshop/join.html")]
struct JoinPage {
    c: Chrome,
    code: String,
    display_name: String,
    /// The groups to choose from, once the code is known.
    groups: Vec<(String, String)>,
    group: String,
    title: String,
    errors: Errors,
    /// Too many attempts: why, and when to try again.
    throttled: String,
}

/// The join form for workshop `w` (the one `code` opened, if any).
fn join_page(
    viewer: &Viewer,
    w: Option<&Workshop>,
    code: &str,
    name: &str,
    group: &str,
    errors: Errors,
) -> JoinPage {
    let groups = w
        .map(|w| {
            w.data
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (i.to_string(), g.clone()))
                .collect()
        })
        .unwrap_or_default();
    JoinPage {
        code: stip_core::workshop::normalise_code(code),
        display_name: if name.is_empty() {
            viewer
                .user
                .as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_default()
        } else {
            name.to_string()
        },
        groups,
        group: group.to_string(),
        title: w.map(|w| w.data.title.clone()).unwrap_or_default(),
        c: viewer.chrome(),
        errors,
        throttled: String::new(),
    }
}

/// The join form saying that there were too many attempts: 429 with `Retry-After`.
fn throttled_page(viewer: &Viewer, code: &str, name: &str, t: Throttled) -> Response {
    let mut page = join_page(viewer, None, code, name, "", Errors::none(viewer.lang));
    page.throttled = format!("{} {}", page.c.t(t.key()), viewer.lang.try_again_in(t.wait));
    let mut res = render(&page);
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut()
        .insert(axum::http::header::RETRY_AFTER, t.wait.into());
    res
}

async fn join_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let code = param(&q, "code");
    let w = if code.trim().is_empty() {
        None
    } else {
        match throttle::open(&state.store, &viewer.address, code).await? {
            Ok(w) => w,
            Err(t) => return Ok(throttled_page(&viewer, code, "", t)),
        }
    };
    let page = join_page(&viewer, w.as_ref(), code, "", "", Errors::none(viewer.lang));
    Ok(render(&page))
}

async fn join(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let code = param(&form, "code");
    let name = param(&form, "name");
    let group = param(&form, "group");
    let (w, name) = match joining(&state, &viewer, code, name).await? {
        Ok(ok) => ok,
        Err(Refused::Invalid(e, w)) => {
            let errors = Errors::new(viewer.lang, e);
            let page = join_page(&viewer, w.as_deref(), code, name, group, errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
        }
        Err(Refused::Throttled(t)) => return Ok(throttled_page(&viewer, code, name, t)),
    };
    let group = group
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|g| *g < w.data.groups.len());
    let (token, hash) = crate::auth::token::new_workshop_token();
    state
        .store
        .join_workshop(w.id, &name, group, viewer.actor.user_id(), &hash)
        .await?;
    Ok((
        CookieJar::new().add(participant_cookie(&headers, token)),
        Redirect::to(&format!("/werksessies/{}", w.id)),
    )
        .into_response())
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
struct ShowPage {
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
                client_id: crate::identity::random_token(),
                name: lists.theme_name(&r.theme),
                dots: r.dots,
                mine,
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

/// The workshop's page for whoever asks: `None` when they may not see it (they are sent to
/// join).
async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
    errors: Errors,
    typed: String,
    projector: bool,
) -> Result<Option<ShowPage>, PageError> {
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
    let mut results = stip_core::workshop::results(&w, &notes, &dots);
    if w.phase != Phase::Results {
        // Before the results, themes keep the workshop's order: a ranking would sway the vote.
        results.sort_by_key(|r| w.data.themes.iter().position(|t| *t == r.theme));
    }
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
        Some(m) => state
            .store
            .meeting(m)
            .await
            .ok()
            .map(|m| (m.id, m.data.title)),
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
        groups,
        participants: participants.len(),
        people,
        removed: String::new(),
        // Drawn only where it is shown: the facilitator's page, the projector while joining.
        qr: if (t.facilitator && !projector) || (projector && w.phase == Phase::Notes) {
            super::qr_svg(&join_url)
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
        c,
        w,
    }))
}

/// Sends someone who may not see a workshop to the join page.
fn to_join() -> Response {
    Redirect::to("/meedoen").into_response()
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
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
) -> Result<Response, PageError> {
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

/// Back to the workshop's page, at `anchor`.
fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/werksessies/{id}{anchor}")).into_response()
}

/// The facilitator's refusal, if the viewer is not one.
fn not_facilitator(viewer: &Viewer) -> Option<Response> {
    viewer.refusal(Action::RunWorkshops)
}

async fn phase(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = not_facilitator(&viewer) {
        return Ok(res);
    }
    let Some(phase) = Phase::parse(param(&form, "phase")) else {
        return Err(PageError::NotFound);
    };
    state.store.set_workshop_phase(id, phase).await?;
    Ok(back(id, ""))
}

async fn reveal(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Some(res) = not_facilitator(&viewer) {
        return Ok(res);
    }
    state.store.reveal_workshop_notes(id).await?;
    Ok(back(id, "#bord"))
}

/// The workshop and the viewer's participant, or the answer for someone who is not one.
async fn participant_of(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
) -> Result<Result<(Workshop, stip_core::workshop::Participant), Response>, PageError> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, true).await?;
    Ok(match t.participant {
        Some(p) => Ok((w, p)),
        None if t.follows => Err(PageError::Forbidden.into_response()),
        None => Err(to_join()),
    })
}

async fn change_group(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (w, p) = match participant_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    if let Some(g) = param(&form, "group")
        .parse::<usize>()
        .ok()
        .filter(|g| *g < w.data.groups.len())
    {
        state.store.move_participant(&p, g).await?;
    }
    Ok(back(id, ""))
}

async fn add_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (w, p) = match participant_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    if w.phase == Phase::Results {
        return Ok(back(id, ""));
    }
    let question = param(&form, "question");
    let input = NoteInput {
        question: (!question.is_empty()).then(|| question.parse().unwrap_or(-1)),
        kind: Some(param(&form, "kind").to_string()),
        theme: Some(param(&form, "theme").to_string()),
        text: param(&form, "text").to_string(),
    };
    match input.check(&w) {
        Ok((target, text)) => {
            let note = state.store.add_note(&w, &p, &target, &text).await?;
            Ok(back(id, &format!("#notitie-{}", note.id)))
        }
        Err(e) => {
            // The form's fields carry the question's index, so the error lands at its form.
            let e = Invalid(
                e.0.into_iter()
                    .map(|mut f| {
                        if !question.is_empty() {
                            f.field = format!("{}-{question}", f.field);
                        }
                        f
                    })
                    .collect(),
            );
            let typed = param(&form, "text").to_string();
            match show_page(
                &state,
                &viewer,
                &headers,
                id,
                Errors::new(viewer.lang, e),
                typed,
                false,
            )
            .await?
            {
                Some(page) => Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()),
                None => Ok(to_join()),
            }
        }
    }
}

/// The note of a path, the participant's own, or the answer for someone else's.
async fn own_note(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    note: &str,
) -> Result<Result<(Workshop, Note), Response>, PageError> {
    let (Ok(id), Ok(note)) = (id.parse::<i64>(), note.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let (w, p) = match participant_of(state, viewer, headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(Err(res)),
    };
    let n = state.store.workshop_note(id, note).await?;
    if n.participant_id != p.id {
        return Ok(Err(PageError::Forbidden.into_response()));
    }
    Ok(Ok((w, n)))
}

async fn edit_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, note)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (w, n) = match own_note(&state, &viewer, &headers, &id, &note).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    if w.phase != Phase::Results
        && let Ok(text) =
            stip_core::error::required_text(param(&form, "text"), stip_core::workshop::MAX_NOTE)
    {
        state.store.change_note(&w, n.id, Some(&text), None).await?;
    }
    Ok(back(w.id, &format!("#notitie-{}", n.id)))
}

async fn remove_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, note)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (w, n) = match own_note(&state, &viewer, &headers, &id, &note).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    if w.phase != Phase::Results {
        state.store.delete_note(w.id, n.id).await?;
    }
    Ok(back(w.id, ""))
}

async fn hide_note(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, note)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = not_facilitator(&viewer) {
        return Ok(res);
    }
    let (Ok(id), Ok(note)) = (id.parse::<i64>(), note.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let w = state.store.workshop(id).await?;
    let hidden = param(&form, "hidden") == "ja";
    state
        .store
        .change_note(&w, note, None, Some(hidden))
        .await?;
    Ok(back(id, &format!("#notitie-{note}")))
}

async fn place_dot(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (w, p) = match participant_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    let client_id = param(&form, "client_id");
    let Some(theme) = stip_core::workshop::theme_code(&w.data.themes, param(&form, "theme"))
        .filter(|_| stip_core::workshop::check_client_id(client_id))
    else {
        return Err(PageError::NotFound);
    };
    // A refused dot (none left, or voting closed meanwhile) shows the page as it is now.
    let _: Result<Placed, DotRefusal> = state.store.place_dot(&p, client_id, theme).await?;
    Ok(back(id, &format!("#stem-{theme}")))
}

async fn take_back_dot(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (_, p) = match participant_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    let theme = param(&form, "theme");
    let mine = state
        .store
        .workshop_dots(id)
        .await?
        .into_iter()
        .rev()
        .find(|d| d.participant_id == p.id && d.theme == theme);
    if let Some(d) = mine {
        let _ = state.store.take_back_dot(&p, &d.client_id).await?;
    }
    Ok(back(id, &format!("#stem-{theme}")))
}

/// Removes a participant with their notes and dots (the facilitator), and says so at the list.
async fn remove_participant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, participant)): Path<(String, String)>,
) -> Result<Response, PageError> {
    if let Some(res) = not_facilitator(&viewer) {
        return Ok(res);
    }
    let (Ok(id), Ok(participant)) = (id.parse::<i64>(), participant.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let removed = match state.store.remove_participant(id, participant).await {
        Ok(removed) => removed,
        // Removed already (the button pressed twice): the list as it is now.
        Err(StoreError::NotFound) => {
            state.store.workshop(id).await?;
            return Ok(back(id, "#deelnemers"));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!(
        "/werksessies/{id}?verwijderd={}&notities={}&stippen={}#deelnemers",
        removed.number, removed.notes, removed.dots
    ))
    .into_response())
}

async fn priorities(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Some(res) = not_facilitator(&viewer) {
        return Ok(res);
    }
    match save_top_three(&state, id).await {
        Ok(_) | Err(ApiError::NotNow(_)) => Ok(back(id, "#prioriteiten")),
        Err(ApiError::NotFound) => Err(PageError::NotFound),
        Err(e) => Err(PageError::Internal(format!("{e:?}"))),
    }
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Some(res) = not_facilitator(&viewer) {
        return Ok(res);
    }
    state.store.delete_workshop(id).await?;
    Ok(Redirect::to("/werksessies").into_response())
}

// ---- Results as files --------------------------------------------------------------------------

/// The workshop, its ranking as the viewer may see it, and the theme names; `Err` is the
/// answer for someone who may not.
async fn results_of(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i64,
) -> Result<Result<(Workshop, Vec<ThemeResult>, std::sync::Arc<Lists>), Response>, PageError> {
    let w = state.store.workshop(id).await?;
    let t = taking(state, viewer, headers, &w, true).await?;
    if !t.follows {
        return Ok(Err(to_join()));
    }
    // Files go around: they hold what everyone may see, as the projector shows it.
    let everyone = Taking::everyone();
    let ranked = ranked(state, &w, &everyone).await?;
    Ok(Ok((w, ranked, state.lists().await?)))
}

async fn results_md(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response, PageError> {
    let (w, ranked, lists) = match results_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    let md = stip_core::workshop::results_markdown(&w, &ranked, |c| lists.theme_name(c));
    Ok(crate::download::attachment(
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
) -> Result<Response, PageError> {
    let (w, ranked, lists) = match results_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    let table = stip_core::workshop::results_table(&w, &ranked, |c| lists.theme_name(c));
    Ok(crate::download::attachment(
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
) -> Result<Response, PageError> {
    let (w, ranked, lists) = match results_of(&state, &viewer, &headers, id).await? {
        Ok(ok) => ok,
        Err(res) => return Ok(res),
    };
    let table = stip_core::workshop::results_table(&w, &ranked, |c| lists.theme_name(c));
    let bytes = table
        .xlsx("Resultaat")
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(crate::download::attachment(
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
}

pub(crate) struct RankedTheme {
    pub name: String,
    pub dots: u32,
    /// Per kind with notes: its label, its sign and the notes' texts.
    pub kinds: Vec<(String, &'static str, Vec<String>)>,
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
        let themes = if w.phase == Phase::Results {
            ranked(state, &w, &everyone)
                .await?
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
                .collect()
        } else {
            Vec::new()
        };
        out.push(MeetingWorkshop {
            id: w.id,
            title: w.data.title,
            themes,
        });
    }
    Ok(out)
}
