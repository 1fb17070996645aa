//! The Enquêtes pages: the list, building a survey (from a template or blank; questions added,
//! changed, moved and removed with plain form buttons), the overview with every invitation's
//! progress, the respondent's form at `/enquete/{token}` (saved as a draft while typing, and
//! never losing what was typed, also when the session ran out), the results and the printable
//! appendix. Everything works without JavaScript.

use super::{
    answer_text, answers_from_form, check, closed_for_answers, may_read_results, may_see,
    own_invitation, own_projects, reminder, results,
};
use crate::chart::{Bar, Bars};
use crate::extract::{Form, Id};
use crate::form::{Errors, checked, param};
use crate::identity::Viewer;
use crate::layout::{Chrome, render};
use crate::lists::Lists;
use crate::{AppState, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::{get, post};
use serde_json::Value;
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::survey::{
    self, InvitationStatus, QuestionData, QuestionInput, QuestionKind, Respondent, Stage, Survey,
    SurveyData, SurveyInput,
};
use stip_core::{ErrorCode, Invalid, Version};
use stip_store::survey::Invitation;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enquetes", get(list).post(create))
        .route("/enquetes/nieuw", get(new_form))
        .route("/enquetes/{id}", get(overview))
        .route("/enquetes/{id}/bewerken", get(edit_form).post(save))
        .route("/enquetes/{id}/voorbeeld", get(preview))
        .route("/enquetes/{id}/openen", post(open))
        .route("/enquetes/{id}/verwijderen", post(delete))
        .route("/enquetes/{id}/uitnodigingen/{inv}/heropenen", post(reopen))
        .route(
            "/enquetes/{id}/uitnodigingen/{inv}/nieuwe-link",
            post(renew_link),
        )
        .route("/enquetes/{id}/resultaten", get(results_page))
        .route("/enquetes/{id}/bijlage", get(appendix))
        .route("/enquete/{token}", get(respond).post(answer))
}

/// The path of the respondent's page, where a stale form keeps its answers.
pub fn keeps_stale_forms(path: &str) -> bool {
    path.starts_with("/enquete/")
}

fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn stage_label(c: &Chrome, s: &Survey) -> String {
    c.t(&format!("survey.stage.{}", s.stage(super::today()).code()))
}

// ---- The list ---------------------------------------------------------------------------

struct Row {
    title: String,
    stage: String,
    dates: String,
    progress: String,
    /// Where the viewer goes: the overview (regiegroep), their form, or the results.
    href: String,
    /// The viewer's own response, if they have one: its status in words.
    own: String,
}

#[derive(Template)]
#[template(path = "survey/list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    manage: bool,
}

fn dates(c: &Chrome, s: &Survey) -> String {
    c.t_with(
        "survey.dates",
        &[
            ("opens", &c.date(&s.data.opens_on)),
            ("closes", &c.date(&s.data.closes_on)),
        ],
    )
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    if viewer.user.is_none() {
        return Ok(viewer
            .refusal(Action::ManageSurveys)
            .unwrap_or_else(|| PageError::Forbidden.into_response()));
    }
    let c = viewer.chrome();
    let manage = viewer.may(Action::ManageSurveys);
    let mut rows = Vec::new();
    for s in state.store.surveys().await? {
        if !may_see(&viewer, &s) {
            continue;
        }
        let own = own_invitation(&state, &viewer, &s).await?;
        let invitations = if manage {
            state.store.invitations(s.id).await?
        } else {
            Vec::new()
        };
        let submitted = invitations
            .iter()
            .filter(|i| i.status == InvitationStatus::Submitted)
            .count();
        let href = if manage {
            format!("/enquetes/{}", s.id)
        } else if let Some(i) = &own {
            format!("/enquete/{}", i.token)
        } else if may_read_results(&viewer, &s) {
            format!("/enquetes/{}/resultaten", s.id)
        } else {
            String::new()
        };
        rows.push(Row {
            title: s.data.title.clone(),
            stage: stage_label(&c, &s),
            dates: dates(&c, &s),
            progress: if manage && s.opened_at.is_some() {
                c.t_with(
                    "survey.progress",
                    &[
                        ("n", &submitted.to_string()),
                        ("of", &invitations.len().to_string()),
                    ],
                )
            } else {
                String::new()
            },
            href,
            own: own
                .map(|i| c.t(&format!("survey.status.{}", i.status.code())))
                .unwrap_or_default(),
        });
    }
    Ok(render(&ListPage { c, rows, manage }))
}

// ---- New survey -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "survey/new.html")]
struct NewPage {
    c: Chrome,
    errors: Errors,
    form: Vec<(String, String)>,
    templates: Vec<(String, String)>,
}

impl NewPage {
    fn value(&self, name: &str) -> String {
        param(&self.form, name).to_string()
    }
    fn fixed(&self) -> bool {
        false
    }
}

async fn new_form(State(_): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageSurveys) {
        return Ok(res);
    }
    let today = super::today();
    let form = vec![
        ("template".to_string(), "netwerkenquete-2020".to_string()),
        ("opens_on".to_string(), today.to_string()),
        (
            "closes_on".to_string(),
            (today + chrono::Days::new(28)).to_string(),
        ),
        ("respondent".to_string(), "institution".to_string()),
    ];
    Ok(render(&NewPage {
        c: viewer.chrome(),
        errors: Errors::none(viewer.lang),
        form,
        templates: templates(),
    }))
}

fn templates() -> Vec<(String, String)> {
    survey::templates()
        .into_iter()
        .map(|t| (t.code.to_string(), t.title.to_string()))
        .collect()
}

fn survey_input(form: &[(String, String)]) -> SurveyInput {
    SurveyInput {
        title: param(form, "title").into(),
        introduction: param(form, "introduction").into(),
        anonymous: checked(param(form, "anonymous")),
        respondent: param(form, "respondent").into(),
        opens_on: param(form, "opens_on").into(),
        closes_on: param(form, "closes_on").into(),
    }
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageSurveys) {
        return Ok(res);
    }
    let mut e = Invalid::default();
    let template = match param(&form, "template").trim() {
        "" => None,
        code => {
            let t = survey::template(code);
            if t.is_none() {
                e.push("template", ErrorCode::InvalidChoice);
            }
            t
        }
    };
    let mut input = survey_input(&form);
    if let Some(t) = &template {
        if input.title.trim().is_empty() {
            input.title = t.title.into();
        }
        if input.introduction.trim().is_empty() {
            input.introduction = t.introduction.into();
        }
    }
    let data = SurveyData::parse(&input, &mut e);
    let Some(data) = data.filter(|_| e.is_empty()) else {
        let mut page = render(&NewPage {
            c: viewer.chrome(),
            errors: Errors::new(viewer.lang, e),
            form,
            templates: templates(),
        });
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    };
    let questions = template
        .map(|t| t.questions_for(data.anonymous))
        .unwrap_or_default();
    let id = state
        .store
        .create_survey(&data, &questions, viewer.actor.user_id())
        .await?;
    Ok(Redirect::to(&format!("/enquetes/{id}/bewerken")).into_response())
}

// ---- Building -----------------------------------------------------------------------------

/// A question as the builder's form holds it.
#[derive(Clone, Default)]
struct QuestionForm {
    id: String,
    section: String,
    kind: String,
    text: String,
    help: String,
    options: String,
    required: bool,
}

#[derive(Template)]
#[template(path = "survey/edit.html")]
struct EditPage {
    c: Chrome,
    s: Survey,
    errors: Errors,
    title: String,
    introduction: String,
    anonymous: bool,
    respondent: String,
    opens_on: String,
    closes_on: String,
    version: i64,
    questions: Vec<QuestionForm>,
    /// Questions can change: the survey is not opened yet.
    open_questions: bool,
    kinds: Vec<(String, String)>,
    /// Which question to put the focus on after a move or an addition.
    focus: String,
    saved: bool,
}

impl EditPage {
    /// A setting's value, as the settings part of the form asks for it.
    fn value(&self, name: &str) -> String {
        match name {
            "respondent" => self.respondent.clone(),
            "anonymous" => {
                if self.anonymous {
                    "1".into()
                } else {
                    String::new()
                }
            }
            "opens_on" => self.opens_on.clone(),
            "closes_on" => self.closes_on.clone(),
            _ => String::new(),
        }
    }
    /// Who answers and anonymity decide the invitations: fixed once opened.
    fn fixed(&self) -> bool {
        !self.open_questions
    }
    fn field(&self, i: &usize, name: &str) -> String {
        format!("questions[{i}].{name}")
    }
    fn error(&self, i: &usize, name: &str) -> Option<String> {
        self.errors.get(&self.field(i, name))
    }
    fn number(&self, i: &usize) -> String {
        (i + 1).to_string()
    }
    fn last(&self) -> usize {
        self.questions.len().saturating_sub(1)
    }
}

fn kinds(c: &Chrome) -> Vec<(String, String)> {
    QuestionKind::ALL
        .iter()
        .map(|k| {
            (
                k.code().to_string(),
                c.t(&format!("survey.kind.{}", k.code())),
            )
        })
        .collect()
}

fn edit_page(viewer: &Viewer, s: Survey, errors: Errors) -> EditPage {
    let c = viewer.chrome();
    let questions = s
        .questions
        .iter()
        .map(|q| QuestionForm {
            id: q.id.to_string(),
            section: q.data.section.clone(),
            kind: q.data.kind.code().into(),
            text: q.data.text.clone(),
            help: q.data.help.clone(),
            options: q.data.options.join("\n"),
            required: q.data.required,
        })
        .collect();
    EditPage {
        kinds: kinds(&c),
        c,
        errors,
        title: s.data.title.clone(),
        introduction: s.data.introduction.clone(),
        anonymous: s.data.anonymous,
        respondent: s.data.respondent.code().into(),
        opens_on: s.data.opens_on.to_string(),
        closes_on: s.data.closes_on.to_string(),
        version: s.version,
        questions,
        open_questions: s.opened_at.is_none(),
        focus: String::new(),
        saved: false,
        s,
    }
}

async fn managed(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<Result<Survey, Response>, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageSurveys) {
        return Ok(Err(res));
    }
    Ok(Ok(state.store.survey(id).await?))
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let s = match managed(&state, &viewer, id).await? {
        Ok(s) => s,
        Err(res) => return Ok(res),
    };
    let mut page = edit_page(&viewer, s, Errors::none(viewer.lang));
    page.saved = param(&pairs(&raw), "opgeslagen") == "1";
    Ok(render(&page))
}

/// The questions of the builder's form, in order.
fn questions_from_form(form: &[(String, String)]) -> Vec<QuestionForm> {
    let mut out: Vec<QuestionForm> = Vec::new();
    for i in 0.. {
        let name = |n: &str| format!("questions[{i}].{n}");
        if !form.iter().any(|(k, _)| *k == name("kind")) {
            break;
        }
        out.push(QuestionForm {
            id: param(form, &name("id")).into(),
            section: param(form, &name("section")).into(),
            kind: param(form, &name("kind")).into(),
            text: param(form, &name("text")).into(),
            help: param(form, &name("help")).into(),
            options: param(form, &name("options")).into(),
            required: checked(param(form, &name("required"))),
        });
        if out.len() > survey::MAX_QUESTIONS {
            break;
        }
    }
    out
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let s = match managed(&state, &viewer, id).await? {
        Ok(s) => s,
        Err(res) => return Ok(res),
    };
    let mut questions = questions_from_form(&form);
    let action = param(&form, "action");
    let mut focus = String::new();
    let (verb, index) = action.split_once(':').unwrap_or((action, ""));
    let index: Option<usize> = index.parse().ok().filter(|i| *i < questions.len());
    let mut only_show = false;
    match (verb, index) {
        ("up", Some(i)) if i > 0 => {
            questions.swap(i, i - 1);
            focus = format!("q{}", i - 1);
        }
        ("down", Some(i)) if i + 1 < questions.len() => {
            questions.swap(i, i + 1);
            focus = format!("q{}", i + 1);
        }
        ("delete", Some(i)) => {
            questions.remove(i);
            focus = "questions".into();
        }
        ("add", _) => {
            let section = questions
                .last()
                .map(|q| q.section.clone())
                .unwrap_or_default();
            questions.push(QuestionForm {
                kind: "open".into(),
                section,
                ..Default::default()
            });
            focus = format!("q{}", questions.len() - 1);
            only_show = true;
        }
        _ => {}
    }
    let mut e = Invalid::default();
    let data = SurveyData::parse(&survey_input(&form), &mut e);
    let open_questions = s.opened_at.is_none();
    let parsed: Vec<(Option<i64>, QuestionData)> = if open_questions {
        questions
            .iter()
            .enumerate()
            .filter_map(|(i, q)| {
                let input = QuestionInput {
                    section: q.section.clone(),
                    kind: q.kind.clone(),
                    text: q.text.clone(),
                    help: q.help.clone(),
                    options: q.options.lines().map(str::to_string).collect(),
                    required: q.required,
                };
                let id =
                    q.id.parse::<i64>()
                        .ok()
                        .filter(|id| s.question(*id).is_some());
                QuestionData::parse(&input, &format!("questions[{i}]"), &mut e).map(|d| (id, d))
            })
            .collect()
    } else {
        Vec::new()
    };
    let show_again = |e: Invalid, status: StatusCode| {
        let mut page = edit_page(&viewer, s.clone(), Errors::new(viewer.lang, e));
        page.title = param(&form, "title").into();
        page.introduction = param(&form, "introduction").into();
        page.anonymous = checked(param(&form, "anonymous"));
        page.respondent = param(&form, "respondent").into();
        page.opens_on = param(&form, "opens_on").into();
        page.closes_on = param(&form, "closes_on").into();
        page.version = Version::from_form(param(&form, "version")).get();
        if open_questions {
            page.questions = questions.clone();
        }
        page.focus = focus.clone();
        let mut res = render(&page);
        *res.status_mut() = status;
        res
    };
    if only_show {
        return Ok(show_again(Invalid::default(), StatusCode::OK));
    }
    if let Some(d) = &data {
        let kinds: Vec<QuestionKind> = parsed.iter().map(|(_, q)| q.kind).collect();
        survey::check_anonymous(d.anonymous, &kinds, &mut e);
    }
    let Some(data) = data.filter(|_| e.is_empty()) else {
        return Ok(show_again(e, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let version = Version::from_form(param(&form, "version"));
    let saved = state
        .store
        .update_survey(
            id,
            version,
            &data,
            open_questions.then_some(parsed.as_slice()),
        )
        .await?;
    if !saved {
        return Ok(show_again(
            Invalid::one("version", ErrorCode::Taken),
            StatusCode::CONFLICT,
        ));
    }
    let anchor = if focus.is_empty() {
        String::new()
    } else {
        format!("#{focus}")
    };
    Ok(Redirect::to(&format!("/enquetes/{id}/bewerken?opgeslagen=1{anchor}")).into_response())
}

async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    let s = match managed(&state, &viewer, id).await? {
        Ok(s) => s,
        Err(res) => return Ok(res),
    };
    if s.questions.is_empty() {
        let page = edit_page(
            &viewer,
            s,
            Errors::new(viewer.lang, Invalid::one("questions", ErrorCode::Required)),
        );
        let mut res = render(&page);
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    state.store.open_survey(id).await?;
    Ok(Redirect::to(&format!("/enquetes/{id}")).into_response())
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    if let Err(res) = managed(&state, &viewer, id).await? {
        return Ok(res);
    }
    state.store.delete_survey(id).await?;
    Ok(Redirect::to("/enquetes").into_response())
}

// ---- Overview (regiegroep) ----------------------------------------------------------------

struct InvitationRow {
    id: i64,
    institution: String,
    person: String,
    status: String,
    status_code: String,
    link: String,
    moment: String,
    submitted: bool,
}

#[derive(Template)]
#[template(path = "survey/overview.html")]
struct OverviewPage {
    c: Chrome,
    s: Survey,
    stage: String,
    dates: String,
    rows: Vec<InvitationRow>,
    waiting: Vec<String>,
    submitted: usize,
    /// Whether the rows say who submitted (not for an anonymous survey until it closes).
    shown: bool,
    reminder: String,
    origin: String,
    is_concept: bool,
    message: String,
}

impl OverviewPage {
    fn respondent_label(&self) -> String {
        self.c.t(&format!(
            "survey.respondent.{}",
            self.s.data.respondent.code()
        ))
    }
}

async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let s = state.store.survey(id).await?;
    if !viewer.may(Action::ManageSurveys) {
        // Others go where they can do something with it.
        if !may_see(&viewer, &s) {
            return Ok(viewer
                .refusal(Action::ManageSurveys)
                .unwrap_or_else(|| PageError::NotFound.into_response()));
        }
        if let Some(i) = own_invitation(&state, &viewer, &s).await? {
            return Ok(Redirect::to(&format!("/enquete/{}", i.token)).into_response());
        }
        if may_read_results(&viewer, &s) {
            return Ok(Redirect::to(&format!("/enquetes/{id}/resultaten")).into_response());
        }
        return Ok(PageError::Forbidden.into_response());
    }
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let names = super::api::user_names(&state)
        .await
        .map_err(|e| PageError::Internal(format!("{e:?}")))?;
    let invitations = state.store.invitations(id).await?;
    // An anonymous survey says who submitted only once it is closed; until then how many.
    let shown = super::shows_who_submitted(&s);
    let submitted = invitations
        .iter()
        .filter(|i| i.status == InvitationStatus::Submitted)
        .count();
    let rows: Vec<InvitationRow> = invitations
        .iter()
        .map(|i| {
            let inst = lists.institutions.iter().find(|x| x.id == i.institution_id);
            InvitationRow {
                id: i.id,
                institution: inst.map(|x| x.data.name.clone()).unwrap_or_default(),
                person: i
                    .user_id
                    .and_then(|u| names.get(&u).cloned())
                    .unwrap_or_default(),
                status: if shown {
                    c.t(&format!("survey.status.{}", i.status.code()))
                } else {
                    c.t("survey.status.verborgen")
                },
                status_code: if shown {
                    i.status.code().into()
                } else {
                    super::api::HIDDEN_STATUS.into()
                },
                link: format!("/enquete/{}", i.token),
                moment: i
                    .submitted_at
                    .as_deref()
                    .or(i.saved_at.as_deref())
                    .filter(|_| shown)
                    .map(|t| c.moment(t))
                    .unwrap_or_default(),
                submitted: shown && i.status == InvitationStatus::Submitted,
            }
        })
        .collect();
    let mut rows = rows;
    rows.sort_by(|a, b| {
        a.institution
            .cmp(&b.institution)
            .then(a.person.cmp(&b.person))
    });
    let waiting = rows
        .iter()
        .filter(|r| shown && !r.submitted)
        .map(|r| {
            if r.person.is_empty() {
                r.institution.clone()
            } else {
                format!("{} ({})", r.person, r.institution)
            }
        })
        .collect();
    let message = match param(&pairs(&raw), "gedaan") {
        "heropend" => c.t("survey.reopened"),
        "anoniem" => c.t("problem.survey_anonymous_reopen"),
        "niet-ingediend" => c.t("problem.survey_not_submitted"),
        "link" => c.t("survey.link_renewed"),
        _ => String::new(),
    };
    Ok(render(&OverviewPage {
        stage: stage_label(&c, &s),
        dates: dates(&c, &s),
        reminder: reminder(viewer.lang, &s),
        origin: viewer.origin.clone(),
        is_concept: s.opened_at.is_none(),
        c,
        s,
        rows,
        waiting,
        submitted,
        shown,
        message,
    }))
}

async fn invitation_of(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    inv: &str,
) -> Result<Result<(Survey, Invitation), Response>, PageError> {
    if let Some(res) = viewer.refusal(Action::ManageSurveys) {
        return Ok(Err(res));
    }
    let (Ok(id), Ok(inv)) = (id.parse::<i64>(), inv.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let s = state.store.survey(id).await?;
    let i = state.store.invitation(inv).await?;
    if i.survey_id != s.id {
        return Err(PageError::NotFound);
    }
    Ok(Ok((s, i)))
}

async fn reopen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (s, i) = match invitation_of(&state, &viewer, &id, &inv).await? {
        Ok(x) => x,
        Err(res) => return Ok(res),
    };
    let done = if s.data.anonymous {
        "anoniem"
    } else if state.store.reopen_response(i.id).await? {
        "heropend"
    } else {
        "niet-ingediend"
    };
    Ok(Redirect::to(&format!("/enquetes/{}?gedaan={done}#i{}", s.id, i.id)).into_response())
}

async fn renew_link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (s, i) = match invitation_of(&state, &viewer, &id, &inv).await? {
        Ok(x) => x,
        Err(res) => return Ok(res),
    };
    state.store.renew_invitation_link(i.id).await?;
    Ok(Redirect::to(&format!("/enquetes/{}?gedaan=link#i{}", s.id, i.id)).into_response())
}

// ---- The respondent's form ----------------------------------------------------------------

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
fn shown(
    lang: crate::i18n::Lang,
    s: &Survey,
    sent: &BTreeMap<String, Value>,
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
                    .map(|code| super::answer_error(lang, code)),
                text: value.map(as_text).unwrap_or_default(),
                places: if q.data.kind == QuestionKind::Themes {
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
async fn by_token(state: &AppState, token: &str) -> Result<(Survey, Invitation), PageError> {
    if token.len() < 20 {
        return Err(PageError::NotFound);
    }
    let i = state
        .store
        .invitation_by_token(token)
        .await?
        .ok_or(PageError::NotFound)?;
    let s = state.store.survey(i.survey_id).await?;
    Ok((s, i))
}

struct Respond<'a> {
    viewer: &'a Viewer,
    lists: &'a Lists,
    s: Survey,
    i: Invitation,
    projects: Vec<(i64, String)>,
    for_whom: String,
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
                        Some(a) => answer_text(self.lists, a),
                        None => c.t("survey.not_answered"),
                    };
                    (q.data.text.clone(), text)
                })
                .collect()
        } else {
            Vec::new()
        };
        RespondPage {
            questions: shown(self.viewer.lang, &self.s, sent, &e),
            errors: Errors::new(self.viewer.lang, e),
            for_whom: self.for_whom.clone(),
            action: format!("/enquete/{}", self.i.token),
            status: c.t(&format!("survey.status.{}", self.i.status.code())),
            closed,
            message,
            preview: false,
            themes: self
                .lists
                .themes
                .iter()
                .map(|t| (t.data.code.clone(), t.data.name.clone()))
                .collect(),
            projects: self
                .projects
                .iter()
                .map(|(id, t)| (id.to_string(), t.clone()))
                .collect(),
            places: (1..=self.lists.themes.len())
                .map(|n| n.to_string())
                .collect(),
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
) -> Result<Respond<'a>, PageError> {
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
            let name = state
                .store
                .user(u)
                .await
                .map(|u| u.name)
                .unwrap_or_default();
            format!("{name}, {inst}")
        }
        None => inst,
    };
    Ok(Respond {
        viewer,
        lists,
        s,
        i,
        projects,
        for_whom,
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
fn not_invited(viewer: &Viewer) -> Response {
    if viewer.user.is_none() {
        Redirect::to(&format!(
            "/inloggen?terug={}",
            crate::identity::urlencode(&viewer.path)
        ))
        .into_response()
    } else {
        PageError::NotFound.into_response()
    }
}

async fn respond(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let lists = state.lists().await?;
    let r = respondent(&state, &viewer, &lists, &token).await?;
    if !invited(&viewer, &r.i) {
        return Ok(not_invited(&viewer));
    }
    let sent = super::answers_value(&r.s, r.i.answers.as_deref());
    Ok(render(&r.page(&sent, Invalid::default(), String::new())))
}

async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    stale: Option<axum::Extension<crate::auth::csrf::StaleForm>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lists = state.lists().await?;
    let r = respondent(&state, &viewer, &lists, &token).await?;
    let action = param(&form, "action");
    let autosave = action == "autosave";
    let (sent, form_errors) = answers_from_form(&r.s, &form);
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
        let mut r = r;
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
        return Ok(not_invited(&viewer));
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
    let (mut answers, mut e) = check(&lists, &r.s, &r.projects, &sent, submit);
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
) -> Result<Response, PageError> {
    let s = match managed(&state, &viewer, id).await? {
        Ok(s) => s,
        Err(res) => return Ok(res),
    };
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let page = RespondPage {
        questions: shown(viewer.lang, &s, &BTreeMap::new(), &Invalid::default()),
        errors: Errors::none(viewer.lang),
        for_whom: c.t("survey.preview_for"),
        action: String::new(),
        closed: String::new(),
        status: String::new(),
        message: String::new(),
        preview: true,
        themes: lists
            .themes
            .iter()
            .map(|t| (t.data.code.clone(), t.data.name.clone()))
            .collect(),
        projects: vec![("1".into(), c.t("survey.preview_project"))],
        places: (1..=lists.themes.len()).map(|n| n.to_string()).collect(),
        dates: dates(&c, &s),
        given: Vec::new(),
        login_again: false,
        s,
        c,
    };
    Ok(render(&page))
}

// ---- Results ------------------------------------------------------------------------------

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
    lists: &Lists,
    s: &Survey,
    r: &super::Results,
) -> Vec<QuestionView> {
    let c = viewer.chrome();
    // The titles of the projects pointed at, as far as the reader may see them: looked up
    // one by one in the read model (a handful per survey, not the whole portfolio).
    let scope = stip_core::access::project_scope(&viewer.actor);
    let mut titles: BTreeMap<i64, String> = BTreeMap::new();
    for (q, qr) in s.questions.iter().zip(&r.per_question) {
        if q.data.kind != QuestionKind::Projects {
            continue;
        }
        for id in qr
            .counts
            .iter()
            .filter_map(|(id, _)| id.parse::<i64>().ok())
        {
            if let Ok(p) = state.store.project(id).await
                && scope.includes(p.institution_id, p.data.visibility)
            {
                titles.insert(id, p.data.title.clone());
            }
        }
    }
    s.questions
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
                            label: lists.theme_name(&t.code),
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
                            lists.theme_name(&t.code),
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
        .collect()
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
) -> Result<Response, PageError> {
    let s = state.store.survey(id).await?;
    if !may_see(viewer, &s) {
        return Ok(viewer
            .refusal(Action::ManageSurveys)
            .unwrap_or_else(|| PageError::NotFound.into_response()));
    }
    if !may_read_results(viewer, &s) {
        return Err(PageError::Forbidden);
    }
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let region = param(&pairs(raw), "regio").trim().to_string();
    let region = (!region.is_empty() && !s.data.anonymous).then_some(region);
    let r = results(state, &lists, &s, region.as_deref()).await?;
    let questions = question_views(state, viewer, &lists, &s, &r).await;
    let export_query = match &region {
        Some(r) => format!("&region={}", crate::identity::urlencode(r)),
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
) -> Result<Response, PageError> {
    results_view(&state, &viewer, id, &raw, false).await
}

async fn appendix(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    results_view(&state, &viewer, id, &raw, true).await
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
pub async fn waiting(state: &AppState, viewer: &Viewer) -> Result<Vec<Waiting>, PageError> {
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
        if !mine || s.stage(super::today()) != Stage::Open {
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
