//! The respondent's form at `/enquete/{token}` (a draft saved while typing; nothing typed is lost,
//! even when the session ran out), its preview, and the surveys waiting for the viewer's answers.

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::lists::Lists;
use crate::survey::{
    SurveyThemes, answer_text, answers_from_form, check, closed_for_answers, dates, managed,
    own_projects,
};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::get;
use serde_json::Value;
use std::collections::BTreeMap;
use stip_core::Invalid;
use stip_core::access::Action;
use stip_core::survey::{self, InvitationStatus, QuestionKind, Respondent, Stage, Survey};
use stip_store::survey::Invitation;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enquetes/{id}/voorbeeld", get(preview))
        .route("/enquete/{token}", get(respond).post(answer))
}

/// The path of the respondent's page, where a form whose CSRF token went stale (the session
/// ran out while typing) reaches [`answer`] marked `auth::csrf::StaleForm`: the handler shows
/// the answers again, with a fresh token, and saves nothing. The router gives this to the
/// CSRF layer.
pub fn keeps_stale_forms(path: &str) -> bool {
    path.starts_with("/enquete/")
}

/// A question as the form shows it, with what is filled in.
struct Shown {
    q: survey::Question,
    number: usize,
    /// The section heading this question opens, if it opens one.
    opens_section: Option<String>,
    error: Option<String>,
    /// Open: the text. Single, scale: the chosen value.
    text: String,
    /// Multiple: the chosen options; projects: the chosen ids.
    chosen: Vec<String>,
    /// Themes: code → place.
    places: BTreeMap<String, String>,
}

impl Shown {
    fn is_chosen(&self, value: &str) -> bool {
        self.chosen.iter().any(|c| c == value) || self.text == value
    }
    fn place(&self, code: &str) -> String {
        self.places.get(code).cloned().unwrap_or_default()
    }
    fn scale_label(&self, n: &u8) -> String {
        self.q.data.scale_label(*n).unwrap_or("").to_string()
    }
    fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.q.data.help.is_empty() {
            ids.push(format!("h-a{}", self.q.id));
        }
        if self.error.is_some() {
            ids.push(format!("e-a{}", self.q.id));
        }
        ids.join(" ")
    }
}

/// Fills each question with `sent` (question id → value, as the API takes them).
/// The questions with what was sent for them; the themes' places as typed where a refused form
/// comes back (`typed`), so nothing the respondent entered is renumbered.
fn shown(
    lang: crate::i18n::Lang,
    s: &Survey,
    sent: &BTreeMap<String, Value>,
    typed: &BTreeMap<i64, BTreeMap<String, String>>,
    e: &Invalid,
) -> Vec<Shown> {
    let mut section = String::new();
    s.questions
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let value = sent.get(&q.id.to_string());
            let as_text = |v: &Value| match v {
                Value::String(t) => t.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            let list: Vec<String> = match value {
                Some(Value::Array(items)) => items.iter().map(as_text).collect(),
                _ => Vec::new(),
            };
            let opens_section = (q.data.section != section)
                .then(|| {
                    section = q.data.section.clone();
                    section.clone()
                })
                .filter(|s| !s.is_empty());
            Shown {
                number: n + 1,
                opens_section,
                error: e
                    .for_field(&survey::answer_field(q.id))
                    .map(|code| crate::survey::answer_error(lang, code)),
                text: value.map(as_text).unwrap_or_default(),
                places: if let Some(typed) = typed.get(&q.id) {
                    typed.clone()
                } else if q.data.kind == QuestionKind::Themes {
                    list.iter()
                        .enumerate()
                        .map(|(i, c)| (c.clone(), (i + 1).to_string()))
                        .collect()
                } else {
                    BTreeMap::new()
                },
                chosen: list,
                q: q.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "survey/respond.html")]
struct RespondPage {
    c: Chrome,
    s: Survey,
    questions: Vec<Shown>,
    errors: Errors,
    /// For whom: the institution (and person).
    for_whom: String,
    action: String,
    /// Why answers cannot be given now, if they cannot: `not_open`, `closed`, `submitted`.
    closed: String,
    status: String,
    /// A line above the form: saved, stale session, ….
    message: String,
    preview: bool,
    themes: Vec<(String, String)>,
    projects: Vec<(String, String)>,
    places: Vec<String>,
    dates: String,
    /// The submitted answers, read-only.
    given: Vec<(String, String)>,
    /// The session ran out: offer to log in again (in another tab, so the form stays).
    login_again: bool,
}

impl RespondPage {
    fn numbers(&self) -> [u8; 5] {
        [1, 2, 3, 4, 5]
    }
}

/// The invitation behind a link, or the 404 a wrong or withdrawn link gets (saying no more).
async fn by_token(state: &AppState, token: &str) -> Result<(Survey, Invitation), Error> {
    if token.len() < 20 {
        return Err(Error::NotFound);
    }
    let i = state
        .store
        .invitation_by_token(token)
        .await?
        .ok_or(Error::NotFound)?;
    let s = state.store.survey(i.survey_id).await?;
    Ok((s, i))
}

struct Respond<'a> {
    viewer: &'a Viewer,
    s: Survey,
    i: Invitation,
    projects: Vec<(i64, String)>,
    for_whom: String,
    themes: SurveyThemes,
    /// The themes' places as the respondent typed them (see [`FromForm`]).
    typed_places: BTreeMap<i64, BTreeMap<String, String>>,
}

impl Respond<'_> {
    fn page(&self, sent: &BTreeMap<String, Value>, e: Invalid, message: String) -> RespondPage {
        let c = self.viewer.chrome();
        let closed = closed_for_answers(&self.s, &self.i)
            .unwrap_or("")
            .to_string();
        let given = if self.i.status == InvitationStatus::Submitted {
            let answers = self
                .i
                .answers
                .as_deref()
                .and_then(|j| survey::answers_from_json(&self.s, j))
                .unwrap_or_default();
            self.s
                .questions
                .iter()
                .map(|q| {
                    let text = match answers.get(&q.id) {
                        Some(survey::Answer::Projects(ids)) => ids
                            .iter()
                            .map(|id| {
                                self.projects
                                    .iter()
                                    .find(|(p, _)| p == id)
                                    .map(|(_, t)| t.clone())
                                    .unwrap_or_else(|| format!("#{id}"))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        Some(a) => answer_text(&self.themes, a),
                        None => c.t("survey.not_answered"),
                    };
                    (q.data.text.clone(), text)
                })
                .collect()
        } else {
            Vec::new()
        };
        RespondPage {
            questions: shown(self.viewer.lang, &self.s, sent, &self.typed_places, &e),
            errors: Errors::new(self.viewer.lang, e),
            for_whom: self.for_whom.clone(),
            action: format!("/enquete/{}", self.i.token),
            status: c.t(&format!("survey.status.{}", self.i.status.code())),
            closed,
            message,
            preview: false,
            themes: self.themes.0.clone(),
            projects: self
                .projects
                .iter()
                .map(|(id, t)| (id.to_string(), t.clone()))
                .collect(),
            places: (1..=self.themes.len()).map(|n| n.to_string()).collect(),
            dates: dates(&c, &self.s),
            given,
            login_again: false,
            s: self.s.clone(),
            c,
        }
    }
}

async fn respondent<'a>(
    state: &AppState,
    viewer: &'a Viewer,
    lists: &'a Lists,
    token: &str,
) -> Result<Respond<'a>, Error> {
    let (s, i) = by_token(state, token).await?;
    let projects = own_projects(state, lists, i.institution_id).await?;
    let inst = lists
        .institutions
        .iter()
        .find(|x| x.id == i.institution_id)
        .map(|x| x.data.name.clone())
        .unwrap_or_default();
    let for_whom = match i.user_id {
        Some(u) => {
            let name = match state.store.user(u).await {
                Ok(u) => u.name,
                // An account removed since it was invited: the institution still answers.
                Err(stip_store::StoreError::NotFound) => String::new(),
                Err(e) => return Err(e.into()),
            };
            format!("{name}, {inst}")
        }
        None => inst,
    };
    let themes = SurveyThemes::of(state, lists, &s).await?;
    Ok(Respond {
        viewer,
        s,
        i,
        projects,
        for_whom,
        themes,
        typed_places: BTreeMap::new(),
    })
}

/// Whether `viewer` is whom the invitation is for: an informatiemanager of its institution
/// (and, for a survey per person, that person). The link is only an address: it opens the form
/// for them, and for nobody else.
fn invited(viewer: &Viewer, i: &Invitation) -> bool {
    viewer.may(Action::RespondToSurvey {
        institution_id: i.institution_id,
    }) && viewer.actor.institution_id() == Some(i.institution_id)
        && i.user_id.is_none_or(|u| viewer.actor.user_id() == Some(u))
}

/// The answer to someone the invitation is not for: log in first, or (logged in as someone
/// else) a page that says no more than a wrong link would.
fn not_invited(viewer: &Viewer) -> Error {
    match viewer.require_login() {
        Err(login) => login,
        Ok(()) => Error::NotFound,
    }
}

async fn respond(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let r = respondent(&state, &viewer, &lists, &token).await?;
    if !invited(&viewer, &r.i) {
        return Err(not_invited(&viewer));
    }
    let sent = crate::survey::answers_value(&r.s, r.i.answers.as_deref());
    Ok(render(&r.page(&sent, Invalid::default(), String::new())))
}

async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    stale: Option<axum::Extension<crate::auth::csrf::StaleForm>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let r = respondent(&state, &viewer, &lists, &token).await?;
    let action = param(&form, "action");
    let autosave = action == "autosave";
    let read = answers_from_form(&r.s, &form);
    let (sent, form_errors) = (read.sent, read.errors);
    let mut r = r;
    r.typed_places = read.places;
    let c = viewer.chrome();
    if stale.is_some() {
        if autosave {
            return Ok((
                StatusCode::FORBIDDEN,
                Json(serde_json::json!({"saved": false, "reason": "stale"})),
            )
                .into_response());
        }
        // What was typed comes back, and nothing else: someone no longer logged in sees
        // neither the saved draft nor the institution's projects.
        let message = if closed_for_answers(&r.s, &r.i) == Some("submitted") {
            c.t("survey.closed_because.submitted")
        } else if invited(&viewer, &r.i) {
            c.t("survey.stale_form")
        } else {
            r.projects.clear();
            r.i.answers = None;
            c.t("survey.stale_form_login")
        };
        let mut page = r.page(&sent, Invalid::default(), message);
        page.login_again = viewer.user.is_none();
        let mut res = render(&page);
        *res.status_mut() = StatusCode::CONFLICT;
        return Ok(res);
    }
    if !invited(&viewer, &r.i) {
        if autosave {
            return Ok((
                StatusCode::FORBIDDEN,
                Json(serde_json::json!({"saved": false, "reason": "login"})),
            )
                .into_response());
        }
        return Err(not_invited(&viewer));
    }
    if let Some(why) = closed_for_answers(&r.s, &r.i) {
        if autosave {
            return Ok((
                StatusCode::CONFLICT,
                Json(serde_json::json!({"saved": false, "reason": why})),
            )
                .into_response());
        }
        let mut res = render(&r.page(
            &sent,
            Invalid::default(),
            c.t(&format!("survey.closed_because.{why}")),
        ));
        *res.status_mut() = StatusCode::CONFLICT;
        return Ok(res);
    }
    let submit = action == "indienen";
    let (mut answers, mut e) = check(&r.themes, &r.s, &r.projects, &sent, submit);
    // A question the form got wrong is left out of the draft, and named.
    for fe in form_errors.0 {
        if let Some(id) = fe
            .field
            .strip_prefix("answers.")
            .and_then(|id| id.parse().ok())
        {
            answers.remove(&id);
        }
        e.0.retain(|x| x.field != fe.field);
        e.0.push(fe);
    }
    let by = viewer.actor.user_id();
    if submit {
        if !e.is_empty() {
            let mut res = render(&r.page(&sent, e, String::new()));
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        if !state
            .store
            .submit_response(
                r.i.id,
                &survey::answers_json(&answers),
                r.s.data.anonymous,
                by,
            )
            .await?
        {
            let i = state.store.invitation(r.i.id).await?;
            let r = Respond { i, ..r };
            let mut res = render(&r.page(
                &sent,
                Invalid::default(),
                c.t("survey.closed_because.submitted"),
            ));
            *res.status_mut() = StatusCode::CONFLICT;
            return Ok(res);
        }
        return Ok(Redirect::to(&format!("/enquete/{token}?ingediend=1")).into_response());
    }
    // A draft keeps every answer that fits; what does not is shown with its reason.
    let saved = state
        .store
        .save_draft(r.i.id, &survey::answers_json(&answers), by)
        .await?;
    if autosave {
        let body = serde_json::json!({
            "saved": saved,
            "at": crate::time::moment(viewer.lang, &stip_store::now()),
            "problems": e.0.len(),
        });
        return Ok(Json(body).into_response());
    }
    let message = if e.is_empty() {
        c.t("survey.draft_saved")
    } else {
        c.t("survey.draft_saved_partly")
    };
    let i = state.store.invitation(r.i.id).await?;
    let r = Respond { i, ..r };
    let status = if e.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&r.page(&sent, e, message));
    *res.status_mut() = status;
    Ok(res)
}

async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    let s = managed(&state, &viewer, id).await?;
    let lists = state.lists().await?;
    let themes = SurveyThemes::of(&state, &lists, &s).await?;
    let c = viewer.chrome();
    let page = RespondPage {
        questions: shown(
            viewer.lang,
            &s,
            &BTreeMap::new(),
            &BTreeMap::new(),
            &Invalid::default(),
        ),
        errors: Errors::none(viewer.lang),
        for_whom: c.t("survey.preview_for"),
        action: String::new(),
        closed: String::new(),
        status: String::new(),
        message: String::new(),
        preview: true,
        projects: vec![("1".into(), c.t("survey.preview_project"))],
        places: (1..=themes.len()).map(|n| n.to_string()).collect(),
        themes: themes.0,
        dates: dates(&c, &s),
        given: Vec::new(),
        login_again: false,
        s,
        c,
    };
    Ok(render(&page))
}

// ---- Home ---------------------------------------------------------------------------------

/// A survey waiting for the viewer's answers, for the home page.
pub struct Waiting {
    pub title: String,
    pub href: String,
    pub status: String,
    pub closes: String,
}

/// The opened surveys the viewer's institution (or the viewer) is invited to and has not
/// submitted, for the home page.
pub async fn waiting(state: &AppState, viewer: &Viewer) -> Result<Vec<Waiting>, Error> {
    let Some(institution_id) = viewer.actor.institution_id() else {
        return Ok(Vec::new());
    };
    if !viewer.may(Action::RespondToSurvey { institution_id }) {
        return Ok(Vec::new());
    }
    let c = viewer.chrome();
    let mut out = Vec::new();
    for i in state.store.invitations_of(institution_id).await? {
        if i.status == InvitationStatus::Submitted {
            continue;
        }
        let s = state.store.survey(i.survey_id).await?;
        let mine = match s.data.respondent {
            Respondent::Institution => i.user_id.is_none(),
            Respondent::Person => i.user_id == viewer.actor.user_id(),
        };
        if !mine || s.stage(crate::survey::today()) != Stage::Open {
            continue;
        }
        out.push(Waiting {
            title: s.data.title.clone(),
            href: format!("/enquete/{}", i.token),
            status: c.t(&format!("survey.status.{}", i.status.code())),
            closes: c.date(&s.data.closes_on),
        });
    }
    Ok(out)
}
