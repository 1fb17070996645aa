//! The Enquêtes list and the builder: a new survey (from a template or blank), its settings and
//! questions (added, changed, moved and removed with plain form buttons), opening and deleting it.

use crate::auth::Viewer;
use crate::auth::token::random_token;
use crate::http::extract::{Form, Id};
use crate::survey::{
    dates, managed, may_read_results, may_see, own_invitation, pairs, stage_label,
};
use crate::ui::form::{Errors, checked, param};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stip_core::access::Action;
use stip_core::survey::{
    self, InvitationStatus, QuestionData, QuestionInput, QuestionKind, Survey, SurveyData,
    SurveyInput,
};
use stip_core::{ErrorCode, Invalid, Version};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enquetes", get(list).post(create))
        .route("/enquetes/nieuw", get(new_form))
        .route("/enquetes/{id}/bewerken", get(edit_form).post(save))
        .route("/enquetes/{id}/openen", post(open))
        .route("/enquetes/{id}/verwijderen", post(delete))
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

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require_login()?;
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

async fn new_form(State(_): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageSurveys)?;
    let today = crate::survey::today();
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
) -> Result<Response, Error> {
    viewer.require(Action::ManageSurveys)?;
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

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let s = managed(&state, &viewer, id).await?;
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
) -> Result<Response, Error> {
    let s = managed(&state, &viewer, id).await?;
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
) -> Result<Response, Error> {
    let s = managed(&state, &viewer, id).await?;
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
    state.store.open_survey(id, random_token).await?;
    Ok(Redirect::to(&format!("/enquetes/{id}")).into_response())
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    managed(&state, &viewer, id).await?;
    state.store.delete_survey(id).await?;
    Ok(Redirect::to("/enquetes").into_response())
}
