//! The Bijeenkomsten pages: upcoming and past meetings with each person's calendar feed, planning
//! and changing a meeting (agenda rows, minutes), a meeting's page with "ik kom" and, for the
//! regiegroep, who comes from which institution; the printable report.

use super::{CaseView, calendar, case_of, checked, ics_response};
use crate::extract::{Form, Id};
use crate::form::{Errors, param};
use crate::identity::Viewer;
use crate::layout::{Chrome, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stip_core::access::{Action, Actor};
use stip_core::meeting::{AgendaItem, FollowUpInput, Meeting, MeetingInput};
use stip_core::{ErrorCode, Invalid, Version};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bijeenkomsten", get(list).post(create))
        .route("/bijeenkomsten/nieuw", get(new_form))
        .route("/bijeenkomsten/agenda-link", post(feed_link))
        .route("/bijeenkomsten/{id}", get(show))
        .route("/bijeenkomsten/{id}/bewerken", get(edit_form).post(save))
        .route("/bijeenkomsten/{id}/aanwezig", post(attend))
        .route("/bijeenkomsten/{id}/verslag", get(report))
        .route("/bijeenkomsten/{id}/verslag.pdf", get(report_pdf))
        .route("/agenda/{file}", get(feed))
}

/// A meeting as lists and pages show it.
struct Shown {
    id: i64,
    title: String,
    when: String,
    place: String,
    theme: String,
    theme_code: String,
    case: Option<CaseView>,
    presenter: String,
}

async fn shown(
    state: &AppState,
    lists: &crate::lists::Lists,
    viewer: &Viewer,
    c: &Chrome,
    m: &Meeting,
) -> Result<Shown, PageError> {
    let start = crate::time::moment(c.lang, &stip_store::timestamp(m.data.starts_at));
    let end = crate::time::moment(c.lang, &stip_store::timestamp(m.data.ends_at));
    let end_time = end.rsplit(", ").next().unwrap_or("").to_string();
    Ok(Shown {
        id: m.id,
        title: m.data.title.clone(),
        when: format!("{start}–{end_time}"),
        place: m.data.place.clone(),
        theme: m
            .data
            .theme
            .as_deref()
            .map(|t| lists.theme_name(t))
            .unwrap_or_default(),
        theme_code: m.data.theme.clone().unwrap_or_default(),
        case: case_of(state, &viewer.actor, m)
            .await?
            .map(|case| case.view(c)),
        presenter: m.data.presenter.clone(),
    })
}

// ---- List and calendar feed -----------------------------------------------------------------

#[derive(Template)]
#[template(path = "meeting/list.html")]
struct ListPage {
    c: Chrome,
    upcoming: Vec<Shown>,
    past: Vec<Shown>,
    manage: bool,
    feed: String,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ViewMeetings) {
        return Ok(res);
    }
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let now = chrono::Utc::now();
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for m in state.store.meetings().await? {
        let s = shown(&state, &lists, &viewer, &c, &m).await?;
        if m.data.ends_at >= now {
            upcoming.push(s);
        } else {
            past.push(s);
        }
    }
    past.reverse();
    let feed = match viewer.actor.user_id() {
        Some(u) => {
            let token = state.store.calendar_feed(u, false).await?;
            format!("{}/agenda/{token}.ics", viewer.origin)
        }
        None => String::new(),
    };
    Ok(render(&ListPage {
        c,
        upcoming,
        past,
        manage: viewer.may(Action::ManageMeetings),
        feed,
    }))
}

/// A new calendar feed address for the viewer; the old one stops working.
async fn feed_link(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ViewMeetings) {
        return Ok(res);
    }
    if let Some(u) = viewer.actor.user_id() {
        state.store.calendar_feed(u, true).await?;
    }
    Ok(Redirect::to("/bijeenkomsten#agenda-link").into_response())
}

/// Every meeting as a calendar to subscribe to, at a person's secret address.
async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let token = file.strip_suffix(".ics").ok_or(PageError::NotFound)?;
    if token.len() < 20 {
        return Err(PageError::NotFound);
    }
    let Some(user_id) = state.store.calendar_feed_user(token).await? else {
        return Err(PageError::NotFound);
    };
    // The feed shows what its owner may see, as their pages do; a switched-off account's feed
    // shows nothing.
    let owner = state.store.user(user_id).await?;
    let actor = Actor::of(&owner);
    if !owner.active || !stip_core::access::may(&actor, Action::ViewMeetings) {
        return Err(PageError::NotFound);
    }
    let lists = state.lists().await?;
    let meetings = state.store.meetings().await?;
    Ok(ics_response(
        calendar(&state, &lists, &actor, &viewer.origin, &meetings).await?,
        "bijeenkomsten.ics",
    ))
}

// ---- Planning -----------------------------------------------------------------------------

/// A meeting's form, as typed.
#[derive(Default, Clone)]
struct MeetingForm {
    title: String,
    starts_at: String,
    ends_at: String,
    place: String,
    theme: String,
    case_project: String,
    presenter: String,
    minutes: String,
    agenda: Vec<AgendaItem>,
    /// The surveys attached as appendices.
    surveys: Vec<i64>,
    decisions: Vec<String>,
    actions: Vec<FollowUpInput>,
    version: i64,
}

/// Empty agenda rows a form offers beyond those filled in.
const SPARE_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "meeting/edit.html")]
struct EditPage {
    c: Chrome,
    /// `None`: a new meeting.
    id: Option<i64>,
    f: MeetingForm,
    errors: Errors,
    themes: Vec<(String, String)>,
    /// Opened surveys that can be attached: (id, title).
    surveys: Vec<(i64, String)>,
}

impl EditPage {
    fn attached(&self, id: &i64) -> bool {
        self.f.surveys.contains(id)
    }
    fn field(&self, i: &usize, name: &str) -> String {
        format!("agenda[{i}].{name}")
    }
    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/bijeenkomsten/{id}/bewerken"),
            None => "/bijeenkomsten".into(),
        }
    }
}

fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn form_of(m: &Meeting) -> MeetingForm {
    MeetingForm {
        title: m.data.title.clone(),
        starts_at: local(m.data.starts_at),
        ends_at: local(m.data.ends_at),
        place: m.data.place.clone(),
        theme: m.data.theme.clone().unwrap_or_default(),
        case_project: m
            .data
            .case_project
            .map(|p| p.to_string())
            .unwrap_or_default(),
        presenter: m.data.presenter.clone(),
        minutes: m.data.minutes.clone(),
        agenda: m.data.agenda.clone(),
        surveys: m.data.appendices.clone(),
        decisions: m.data.decisions.clone(),
        actions: m
            .data
            .actions
            .iter()
            .map(|a| FollowUpInput {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due_on: a.due_on.map(|d| d.to_string()).unwrap_or_default(),
                status: a.status.code().into(),
            })
            .collect(),
        version: m.version,
    }
}

fn from_form(form: &[(String, String)]) -> MeetingForm {
    let mut agenda = Vec::new();
    for i in 0..100 {
        let name = |n: &str| format!("agenda[{i}].{n}");
        if !form.iter().any(|(k, _)| *k == name("title")) {
            break;
        }
        agenda.push(AgendaItem {
            time: param(form, &name("time")).into(),
            title: param(form, &name("title")).into(),
            owner: param(form, &name("owner")).into(),
        });
    }
    MeetingForm {
        title: param(form, "title").into(),
        starts_at: param(form, "starts_at").into(),
        ends_at: param(form, "ends_at").into(),
        place: param(form, "place").into(),
        theme: param(form, "theme").into(),
        case_project: param(form, "case_project").into(),
        presenter: param(form, "presenter").into(),
        minutes: param(form, "minutes").into(),
        agenda,
        surveys: form
            .iter()
            .filter(|(k, _)| k == "surveys")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        decisions: (0..100)
            .map(|i| format!("decisions[{i}]"))
            .take_while(|name| form.iter().any(|(k, _)| k == name))
            .map(|name| param(form, &name).to_string())
            .collect(),
        actions: (0..100)
            .take_while(|i| form.iter().any(|(k, _)| *k == format!("actions[{i}].text")))
            .map(|i| {
                let name = |n: &str| format!("actions[{i}].{n}");
                FollowUpInput {
                    text: param(form, &name("text")).into(),
                    owner: param(form, &name("owner")).into(),
                    due_on: param(form, &name("due_on")).into(),
                    status: param(form, &name("status")).into(),
                }
            })
            .collect(),
        version: Version::from_form(param(form, "version")).get(),
    }
}

fn edit_page(
    viewer: &Viewer,
    lists: &crate::lists::Lists,
    surveys: Vec<(i64, String)>,
    id: Option<i64>,
    mut f: MeetingForm,
    errors: Errors,
) -> EditPage {
    let filled = f.agenda.iter().filter(|a| !a.title.is_empty()).count();
    f.agenda
        .retain(|a| !a.title.is_empty() || !a.time.is_empty() || !a.owner.is_empty());
    let spare = (filled + SPARE_ROWS).saturating_sub(f.agenda.len()).max(1);
    f.agenda.extend((0..spare).map(|_| AgendaItem {
        time: String::new(),
        title: String::new(),
        owner: String::new(),
    }));
    f.decisions.retain(|d| !d.trim().is_empty());
    f.decisions.extend((0..2).map(|_| String::new()));
    f.actions
        .retain(|a| !a.text.trim().is_empty() || !a.owner.is_empty() || !a.due_on.is_empty());
    f.actions.extend((0..2).map(|_| FollowUpInput::default()));
    EditPage {
        c: viewer.chrome(),
        id,
        f,
        errors,
        themes: lists
            .themes
            .iter()
            .map(|t| (t.data.code.clone(), t.data.name.clone()))
            .collect(),
        surveys,
    }
}

/// The opened surveys, newest first, to attach to a meeting.
async fn attachable(state: &AppState) -> Result<Vec<(i64, String)>, PageError> {
    Ok(state
        .store
        .surveys()
        .await?
        .into_iter()
        .filter(|s| s.opened_at.is_some())
        .map(|s| (s.id, s.data.title))
        .collect())
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageMeetings) {
        return Ok(res);
    }
    let lists = state.lists().await?;
    Ok(render(&edit_page(
        &viewer,
        &lists,
        attachable(&state).await?,
        None,
        MeetingForm::default(),
        Errors::none(viewer.lang),
    )))
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageMeetings) {
        return Ok(res);
    }
    let m = state.store.meeting(id).await?;
    let lists = state.lists().await?;
    Ok(render(&edit_page(
        &viewer,
        &lists,
        attachable(&state).await?,
        Some(id),
        form_of(&m),
        Errors::none(viewer.lang),
    )))
}

fn input_of(f: &MeetingForm, e: &mut Invalid) -> MeetingInput {
    let case_project = match f.case_project.trim() {
        "" => None,
        raw => match raw.trim_start_matches('#').parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                e.push("case_project", ErrorCode::NotANumber);
                None
            }
        },
    };
    MeetingInput {
        title: f.title.clone(),
        starts_at: f.starts_at.clone(),
        ends_at: f.ends_at.clone(),
        place: f.place.clone(),
        theme: f.theme.clone(),
        case_project,
        presenter: f.presenter.clone(),
        agenda: f.agenda.clone(),
        minutes: f.minutes.clone(),
        appendices: f.surveys.clone(),
        decisions: f.decisions.clone(),
        actions: f.actions.clone(),
    }
}

async fn store_form(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    form: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let lists = state.lists().await?;
    let f = from_form(&form);
    let mut e = Invalid::default();
    let input = input_of(&f, &mut e);
    let kept = match id {
        Some(id) => state.store.meeting(id).await?.data.case_project,
        None => None,
    };
    let checked = checked(state, &lists, &viewer.actor, kept, &input).await?;
    let surveys = attachable(state).await?;
    let again = |e: Invalid, status: StatusCode| {
        let mut res = render(&edit_page(
            viewer,
            &lists,
            surveys.clone(),
            id,
            f.clone(),
            Errors::new(viewer.lang, e),
        ));
        *res.status_mut() = status;
        res
    };
    let data = match checked {
        Ok(d) if e.is_empty() => d,
        Ok(_) => return Ok(again(e, StatusCode::UNPROCESSABLE_ENTITY)),
        Err(more) => {
            e.0.extend(more.0);
            return Ok(again(e, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let id = match id {
        None => {
            state
                .store
                .create_meeting(&data, viewer.actor.user_id())
                .await?
        }
        Some(id) => {
            if !state
                .store
                .update_meeting(id, Version(f.version), &data)
                .await?
            {
                return Ok(again(
                    Invalid::one("version", ErrorCode::Taken),
                    StatusCode::CONFLICT,
                ));
            }
            id
        }
    };
    Ok(Redirect::to(&format!("/bijeenkomsten/{id}")).into_response())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageMeetings) {
        return Ok(res);
    }
    store_form(&state, &viewer, None, form).await
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageMeetings) {
        return Ok(res);
    }
    state.store.meeting(id).await?;
    store_form(&state, &viewer, Some(id), form).await
}

// ---- A meeting ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "meeting/show.html")]
struct ShowPage {
    c: Chrome,
    m: Meeting,
    s: Shown,
    minutes: String,
    manage: bool,
    /// The viewer's own answer: `Some(true)` comes, `Some(false)` does not.
    mine: Option<bool>,
    attendees: Vec<super::api::AttendeeJson>,
    report: bool,
    coming: usize,
    appendices: Vec<Appendix>,
    /// Open actions of earlier meetings: (meeting id, meeting title, text, owner, due date).
    carried: Vec<(i64, String, String, String, String)>,
    /// The regiegroep's members, who organise the meetings.
    regiegroep: String,
    /// The meeting's workshops; those that show their results are appendices of the report.
    workshops: Vec<crate::workshop::pages::MeetingWorkshop>,
    run_workshops: bool,
}

impl ShowPage {
    /// The workshops whose results are appendices, numbered after the surveys.
    fn workshop_appendices(&self) -> Vec<(usize, &crate::workshop::pages::MeetingWorkshop)> {
        self.workshops
            .iter()
            .filter(|w| !w.themes.is_empty())
            .enumerate()
            .map(|(i, w)| (self.appendices.len() + i + 1, w))
            .collect()
    }
}

/// The open actions of the meetings before `m`, as its page and report show them.
fn carried(c: &Chrome, m: &Meeting, all: &[Meeting]) -> Vec<(i64, String, String, String, String)> {
    stip_core::meeting::carried_over(m, all)
        .into_iter()
        .map(|(from, a)| {
            (
                from.id,
                from.data.title.clone(),
                a.text.clone(),
                a.owner.clone(),
                a.due_on.map(|d| c.date(&d)).unwrap_or_default(),
            )
        })
        .collect()
}

/// A survey's results as an appendix of the report.
struct Appendix {
    id: i64,
    title: String,
    /// What the lead line says: how many responses; or why the results are not shown yet.
    lead: String,
    anonymous: bool,
    questions: Vec<crate::survey::pages::QuestionView>,
}

async fn appendices(
    state: &AppState,
    viewer: &Viewer,
    lists: &crate::lists::Lists,
    m: &Meeting,
) -> Result<Vec<Appendix>, PageError> {
    let c = viewer.chrome();
    let mut out = Vec::new();
    for id in &m.data.appendices {
        let Ok(s) = state.store.survey(*id).await else {
            continue;
        };
        let readable = crate::survey::may_read_results(viewer, &s);
        let (lead, questions) = if readable {
            let r = crate::survey::results(state, lists, &s, None).await?;
            let lead = c.t_with("survey.responses", &[("n", &r.responses.len().to_string())]);
            (
                lead,
                crate::survey::pages::question_views(state, viewer, lists, &s, &r).await,
            )
        } else {
            (c.t("meeting.appendix_later"), Vec::new())
        };
        out.push(Appendix {
            id: s.id,
            title: s.data.title.clone(),
            lead,
            anonymous: s.data.anonymous,
            questions,
        });
    }
    Ok(out)
}

async fn meeting_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    report: bool,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ViewMeetings) {
        return Ok(res);
    }
    let m = state.store.meeting(id).await?;
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let s = shown(state, &lists, viewer, &c, &m).await?;
    let attendance = state.store.attendance(id).await?;
    let mine = viewer.actor.user_id().and_then(|u| {
        attendance
            .iter()
            .find(|a| a.user_id == u)
            .map(|a| a.attending)
    });
    let manage = viewer.may(Action::ManageMeetings);
    let attendees = if manage {
        super::api::attendees(state, &lists, id)
            .await
            .map_err(|e| PageError::Internal(format!("{e:?}")))?
    } else {
        Vec::new()
    };
    let appendices = if report {
        appendices(state, viewer, &lists, &m).await?
    } else {
        // The meeting's page names them; the report shows them.
        let mut named = Vec::new();
        for id in &m.data.appendices {
            // A survey deleted since is no appendix any more.
            let s = match state.store.survey(*id).await {
                Ok(s) => s,
                Err(stip_store::StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            {
                named.push(Appendix {
                    id: s.id,
                    title: s.data.title,
                    lead: String::new(),
                    anonymous: false,
                    questions: Vec::new(),
                });
            }
        }
        named
    };
    let all = state.store.meetings().await?;
    let carried = carried(&c, &m, &all);
    let regiegroep = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active && u.role == stip_core::user::Role::Regiegroep)
        .map(|u| u.name)
        .collect::<Vec<_>>()
        .join(", ");
    let workshops = crate::workshop::pages::meeting_workshops(state, &c, id).await?;
    Ok(render(&ShowPage {
        workshops,
        run_workshops: viewer.may(Action::RunWorkshops),
        regiegroep,
        carried,
        appendices,
        minutes: crate::markdown::markdown(&m.data.minutes, 3),
        coming: attendees.iter().filter(|a| a.attending).count(),
        c,
        m,
        s,
        manage,
        mine,
        attendees,
        report,
    }))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    meeting_page(&state, &viewer, id, false).await
}

async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    meeting_page(&state, &viewer, id, true).await
}

async fn attend(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ViewMeetings) {
        return Ok(res);
    }
    state.store.meeting(id).await?;
    if let Some(u) = viewer.actor.user_id() {
        let attending = param(&form, "attending") == "ja";
        state.store.set_attendance(id, u, attending).await?;
    }
    Ok(Redirect::to(&format!("/bijeenkomsten/{id}#aanwezig")).into_response())
}

// ---- The report as PDF ------------------------------------------------------------------------

/// The report of meeting `m` as PDF: what the report page shows, appendices included, as far as
/// `viewer` may read them.
pub(crate) async fn report_bytes(
    state: &AppState,
    viewer: &Viewer,
    m: &Meeting,
) -> Result<Vec<u8>, PageError> {
    use stip_core::pdf::{Block, markdown, render};
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let s = shown(state, &lists, viewer, &c, m).await?;
    let mut blocks = vec![Block::Title(format!(
        "{}: {}",
        c.t("meeting.report"),
        m.data.title
    ))];
    let mut facts = vec![format!("{}: {}", c.t("meeting.when"), s.when)];
    if !s.place.is_empty() {
        facts.push(format!("{}: {}", c.t("meeting.field.place"), s.place));
    }
    if !s.theme.is_empty() {
        facts.push(format!("{}: {}", c.t("meeting.field.theme"), s.theme));
    }
    if let Some(case) = &s.case {
        let by = if s.presenter.is_empty() {
            String::new()
        } else {
            format!(", {} {}", c.t("meeting.presented_by"), s.presenter)
        };
        let institution = if case.institution.is_empty() {
            String::new()
        } else {
            format!(" ({})", case.institution)
        };
        facts.push(format!(
            "{}: {}{institution}{by}",
            c.t("meeting.case"),
            case.title
        ));
    }
    blocks.extend(facts.into_iter().map(Block::Paragraph));
    blocks.push(Block::Heading(1, c.t("meeting.agenda")));
    if m.data.agenda.is_empty() {
        blocks.push(Block::Paragraph(c.t("meeting.no_agenda")));
    }
    for a in &m.data.agenda {
        let mut line = a.title.clone();
        if !a.time.is_empty() {
            line = format!("{}  {line}", a.time);
        }
        if !a.owner.is_empty() {
            line = format!("{line} ({})", a.owner);
        }
        blocks.push(Block::Bullet(line));
    }
    let all = state.store.meetings().await?;
    let carried_over = carried(&c, m, &all);
    if !carried_over.is_empty() {
        blocks.push(Block::Heading(2, c.t("meeting.carried")));
        for (_, from, text, owner, due) in &carried_over {
            blocks.push(Block::Bullet(action_line(&c, text, owner, due, Some(from))));
        }
    }
    blocks.push(Block::Heading(1, c.t("meeting.minutes")));
    if m.data.minutes.is_empty() {
        blocks.push(Block::Paragraph(c.t("meeting.no_minutes")));
    }
    blocks.extend(markdown(&m.data.minutes, 2));
    if !m.data.decisions.is_empty() {
        blocks.push(Block::Heading(1, c.t("meeting.decisions")));
        blocks.extend(m.data.decisions.iter().cloned().map(Block::Bullet));
    }
    if !m.data.actions.is_empty() {
        blocks.push(Block::Heading(1, c.t("meeting.actions")));
        for a in &m.data.actions {
            let due = a.due_on.map(|d| c.date(&d)).unwrap_or_default();
            let line = action_line(&c, &a.text, &a.owner, &due, None);
            blocks.push(Block::Bullet(format!(
                "{line} [{}]",
                c.t(&format!("meeting.status.{}", a.status.code()))
            )));
        }
    }
    for (n, a) in appendices(state, viewer, &lists, m)
        .await?
        .iter()
        .enumerate()
    {
        blocks.push(Block::Heading(
            1,
            format!(
                "{}: {} {}",
                c.t_with("meeting.appendix_n", &[("n", &(n + 1).to_string())]),
                c.t("meeting.results_of"),
                a.title
            ),
        ));
        blocks.push(Block::Paragraph(a.lead.clone()));
        for q in &a.questions {
            blocks.push(Block::Heading(2, format!("{}. {}", q.number, q.text)));
            blocks.push(Block::Paragraph(q.answered.clone()));
            if let Some(chart) = &q.chart {
                let max = chart.rows.iter().map(|r| r.bar.value).fold(0.0, f64::max);
                for r in &chart.rows {
                    blocks.push(Block::Bar {
                        label: r.bar.label.clone(),
                        value: r.bar.value,
                        max,
                        shown: r.bar.shown.clone(),
                    });
                }
            }
            for (who, text) in &q.texts {
                blocks.push(Block::Bullet(if who.is_empty() {
                    text.clone()
                } else {
                    format!("{text} — {who}")
                }));
            }
            for (_, title, n) in &q.projects {
                blocks.push(Block::Bullet(format!("{title} ({n}×)")));
            }
        }
    }
    let workshops = crate::workshop::pages::meeting_workshops(state, &c, m.id).await?;
    let surveys = m.data.appendices.len();
    for (n, w) in workshops
        .iter()
        .filter(|w| !w.themes.is_empty())
        .enumerate()
    {
        blocks.push(Block::Heading(
            1,
            format!(
                "{}: {} {}",
                c.t_with(
                    "meeting.appendix_n",
                    &[("n", &(surveys + n + 1).to_string())]
                ),
                c.t("workshop.appendix"),
                w.title
            ),
        ));
        let max = w.themes.iter().map(|t| t.dots).max().unwrap_or(0) as f64;
        for t in &w.themes {
            blocks.push(Block::Bar {
                label: t.name.clone(),
                value: t.dots as f64,
                max,
                shown: t.dots.to_string(),
            });
        }
        for t in w.themes.iter().filter(|t| !t.kinds.is_empty()) {
            blocks.push(Block::Heading(2, t.name.clone()));
            for (label, _, notes) in &t.kinds {
                for text in notes {
                    blocks.push(Block::Bullet(format!("{label}: {text}")));
                }
            }
        }
    }
    Ok(render(&m.data.title, &blocks))
}

/// An action in one line: what, who, by when, and (carried over) from which meeting.
fn action_line(c: &Chrome, text: &str, owner: &str, due: &str, from: Option<&String>) -> String {
    let mut line = text.to_string();
    if !owner.is_empty() {
        line = format!("{line} — {owner}");
    }
    if !due.is_empty() {
        line = format!("{line}, {} {due}", c.t("meeting.due"));
    }
    if let Some(from) = from {
        line = format!("{line} ({} {from})", c.t("meeting.from"));
    }
    line
}

/// A PDF as a response.
pub(crate) fn pdf_response(bytes: Vec<u8>, file: &str) -> Response {
    crate::download::inline("application/pdf", file, bytes)
}

async fn report_pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ViewMeetings) {
        return Ok(res);
    }
    let m = state.store.meeting(id).await?;
    let bytes = report_bytes(&state, &viewer, &m).await?;
    Ok(pdf_response(bytes, &format!("verslag-{id}.pdf")))
}
