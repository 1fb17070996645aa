//! `/api/v1/surveys` and `/api/v1/surveys/{id}`: surveys created (also from a template), read,
//! changed, deleted and opened.

use crate::auth::Viewer;
use crate::auth::token::random_token;
use crate::http::extract::{Id, json_body};
use crate::survey::{may_see, visible};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use stip_core::access::Action;
use stip_core::survey::{self, QuestionData, QuestionInput, Survey, SurveyData, SurveyInput};
use stip_core::{ErrorCode, Invalid, Version};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_surveys, create_survey))
        .routes(routes!(read_survey, update_survey, delete_survey))
        .routes(routes!(open_survey))
}

/// A question as sent.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct QuestionWrite {
    /// Only when changing a survey: the question this replaces (its answers stay with it).
    pub id: Option<i64>,
    /// `open`, `single`, `multiple`, `scale` (1–5), `themes` (choose and rank the agenda's
    /// themes) or `projects` (pick projects from the respondent's own portfolio).
    #[schema(example = "single")]
    pub kind: String,
    pub text: String,
    /// The heading of the section the question belongs to.
    #[serde(default)]
    pub section: String,
    /// A line under the question that helps answer it.
    #[serde(default)]
    pub help: String,
    /// Single and multiple choice: the options (at least 2). Scale: none, or the labels of 1
    /// and 5, or of every point.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// A new survey: its own questions, or a template's (`netwerkenquete-2020`).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SurveyCreate {
    /// A template to start from; its title and questions are used where none are given.
    #[schema(example = "netwerkenquete-2020")]
    pub template: Option<String>,
    pub title: Option<String>,
    pub introduction: Option<String>,
    /// Answers kept without any link to who gave them.
    #[serde(default)]
    pub anonymous: bool,
    /// `institution` (default: one response per institution) or `person`.
    pub respondent: Option<String>,
    /// ISO date; today if not given.
    #[schema(example = "2026-12-01")]
    pub opens_on: Option<String>,
    /// ISO date; four weeks after opening if not given.
    #[schema(example = "2026-12-31")]
    pub closes_on: Option<String>,
    pub questions: Option<Vec<QuestionWrite>>,
}

/// A survey's settings and questions, changed from `version`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyUpdate {
    pub version: i64,
    pub title: String,
    #[serde(default)]
    pub introduction: String,
    /// Fixed once the survey is opened.
    #[serde(default)]
    pub anonymous: bool,
    /// Fixed once the survey is opened.
    pub respondent: Option<String>,
    pub opens_on: String,
    pub closes_on: String,
    /// The questions in their new order (a question with an `id` keeps it); only while the
    /// survey is a concept. Left out: the questions stay as they are.
    pub questions: Option<Vec<QuestionWrite>>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionJson {
    pub id: i64,
    pub section: String,
    pub kind: String,
    pub text: String,
    pub help: String,
    pub options: Vec<String>,
    pub required: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyJson {
    pub id: i64,
    pub title: String,
    pub introduction: String,
    pub anonymous: bool,
    /// `institution` or `person`.
    pub respondent: String,
    pub opens_on: String,
    pub closes_on: String,
    /// `concept` (being built), `gepland` (opened, not yet taking answers), `open`, `gesloten`.
    pub stage: String,
    pub opened_at: Option<String>,
    pub version: i64,
    pub questions: Vec<QuestionJson>,
}

pub fn survey_json(s: &Survey) -> SurveyJson {
    SurveyJson {
        id: s.id,
        title: s.data.title.clone(),
        introduction: s.data.introduction.clone(),
        anonymous: s.data.anonymous,
        respondent: s.data.respondent.code().into(),
        opens_on: s.data.opens_on.to_string(),
        closes_on: s.data.closes_on.to_string(),
        stage: s.stage(crate::survey::today()).code().into(),
        opened_at: s.opened_at.clone(),
        version: s.version,
        questions: s
            .questions
            .iter()
            .map(|q| QuestionJson {
                id: q.id,
                section: q.data.section.clone(),
                kind: q.data.kind.code().into(),
                text: q.data.text.clone(),
                help: q.data.help.clone(),
                options: q.data.options.clone(),
                required: q.data.required,
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct SurveysJson {
    pub items: Vec<SurveyJson>,
}

/// The surveys the caller may see: every one for the regiegroep, the opened ones for others.
#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys", operation_id = "list_surveys",
    responses((status = 200, description = "Newest first", body = SurveysJson),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn list_surveys(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<SurveysJson>, Error> {
    viewer.require_login()?;
    let items = state
        .store
        .surveys()
        .await?
        .iter()
        .filter(|s| may_see(&viewer, s))
        .map(survey_json)
        .collect();
    Ok(Json(SurveysJson { items }))
}

/// Checks questions as sent; refusals are named `questions[i].field`.
fn questions_of(sent: &[QuestionWrite], e: &mut Invalid) -> Vec<(Option<i64>, QuestionData)> {
    if sent.len() > survey::MAX_QUESTIONS {
        e.push(
            "questions",
            ErrorCode::TooLong {
                max: survey::MAX_QUESTIONS,
            },
        );
        return Vec::new();
    }
    sent.iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let input = QuestionInput {
                section: q.section.clone(),
                kind: q.kind.clone(),
                text: q.text.clone(),
                help: q.help.clone(),
                options: q.options.clone(),
                required: q.required,
            };
            QuestionData::parse(&input, &format!("questions[{i}]"), e).map(|d| (q.id, d))
        })
        .collect()
}

/// Creates a survey in concept (the regiegroep): its own questions, or a template's.
#[utoipa::path(post, path = "/api/v1/surveys", tag = "surveys", operation_id = "create_survey", request_body = SurveyCreate,
    responses((status = 201, description = "Created, with its questions and their ids", body = SurveyJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep builds surveys", body = crate::Problem),
        (status = 422, description = "A field is refused; `errors` names each (`questions[2].options`)", body = crate::Problem)))]
pub async fn create_survey(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    viewer.require(Action::ManageSurveys)?;
    let sent: SurveyCreate = json_body(&headers, &body)?;
    let mut e = Invalid::default();
    let template = match sent.template.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => {
            let t = survey::template(code);
            if t.is_none() {
                e.push("template", ErrorCode::InvalidChoice);
            }
            t
        }
    };
    let opens_on = sent
        .opens_on
        .clone()
        .unwrap_or_else(|| crate::survey::today().to_string());
    let closes_on = sent.closes_on.clone().unwrap_or_else(|| {
        stip_core::number::optional_date(&opens_on)
            .ok()
            .flatten()
            .map(|d| (d + chrono::Days::new(28)).to_string())
            .unwrap_or_default()
    });
    let input = SurveyInput {
        title: sent
            .title
            .clone()
            .or_else(|| template.as_ref().map(|t| t.title.to_string()))
            .unwrap_or_default(),
        introduction: sent
            .introduction
            .clone()
            .or_else(|| template.as_ref().map(|t| t.introduction.to_string()))
            .unwrap_or_default(),
        anonymous: sent.anonymous,
        respondent: sent.respondent.clone().unwrap_or_default(),
        opens_on,
        closes_on,
    };
    let data = SurveyData::parse(&input, &mut e);
    let questions: Vec<QuestionData> = match (&sent.questions, &template) {
        (Some(qs), _) => questions_of(qs, &mut e)
            .into_iter()
            .map(|(_, q)| q)
            .collect(),
        (None, Some(t)) => t.questions_for(sent.anonymous),
        (None, None) => Vec::new(),
    };
    if sent
        .questions
        .as_ref()
        .is_some_and(|qs| qs.iter().any(|q| q.id.is_some()))
    {
        e.push("questions", ErrorCode::UnknownField);
    }
    let kinds: Vec<_> = questions.iter().map(|q| q.kind).collect();
    survey::check_anonymous(sent.anonymous, &kinds, &mut e);
    let Some(data) = data.filter(|_| e.is_empty()) else {
        return Err(Error::Invalid(e));
    };
    let id = state
        .store
        .create_survey(&data, &questions, viewer.actor.user_id())
        .await?;
    let s = state.store.survey(id).await?;
    Ok((StatusCode::CREATED, Json(survey_json(&s))).into_response())
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys", operation_id = "read_survey",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The survey with its questions", body = SurveyJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such survey, or a concept of the regiegroep", body = crate::Problem)))]
pub async fn read_survey(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<SurveyJson>, Error> {
    let s = visible(&state, &viewer, id).await?;
    Ok(Json(survey_json(&s)))
}

/// Changes a survey's settings and, while it is a concept, its questions (add, change, reorder,
/// remove) from `version`.
#[utoipa::path(put, path = "/api/v1/surveys/{id}", tag = "surveys", operation_id = "update_survey", request_body = SurveyUpdate,
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "Saved", body = SurveyJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep changes surveys", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem),
        (status = 409, description = "Changed by someone else since `version`, or questions sent for an opened survey", body = crate::Problem),
        (status = 422, description = "A field is refused", body = crate::Problem)))]
pub async fn update_survey(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SurveyJson>, Error> {
    viewer.require(Action::ManageSurveys)?;
    let before = state.store.survey(id).await?;
    let sent: SurveyUpdate = json_body(&headers, &body)?;
    let mut e = Invalid::default();
    let data = SurveyData::parse(
        &SurveyInput {
            title: sent.title.clone(),
            introduction: sent.introduction.clone(),
            anonymous: sent.anonymous,
            respondent: sent.respondent.clone().unwrap_or_default(),
            opens_on: sent.opens_on.clone(),
            closes_on: sent.closes_on.clone(),
        },
        &mut e,
    );
    let questions = sent.questions.as_ref().map(|qs| questions_of(qs, &mut e));
    if let Some(qs) = &questions {
        for (i, (qid, _)) in qs.iter().enumerate() {
            if qid.is_some_and(|qid| before.question(qid).is_none()) {
                e.push(&format!("questions[{i}].id"), ErrorCode::Unknown);
            }
        }
    }
    if before.opened_at.is_none() {
        // Anonymity with the questions the survey will have.
        let kinds: Vec<_> = match &questions {
            Some(qs) => qs.iter().map(|(_, q)| q.kind).collect(),
            None => before.questions.iter().map(|q| q.data.kind).collect(),
        };
        survey::check_anonymous(sent.anonymous, &kinds, &mut e);
    }
    let Some(data) = data.filter(|_| e.is_empty()) else {
        return Err(Error::Invalid(e));
    };
    if questions.is_some() && before.opened_at.is_some() {
        return Err(Error::NotNow("survey_opened"));
    }
    let saved = state
        .store
        .update_survey(id, Version(sent.version), &data, questions.as_deref())
        .await?;
    let now = state.store.survey(id).await?;
    if !saved {
        return Err(Error::Conflict(crate::http::error::Conflict {
            current: serde_json::to_value(survey_json(&now)).unwrap_or_default(),
            changes: Value::Array(Vec::new()),
            fields: Vec::new(),
        }));
    }
    Ok(Json(survey_json(&now)))
}

/// Deletes a survey with its invitations and responses.
#[utoipa::path(delete, path = "/api/v1/surveys/{id}", tag = "surveys", operation_id = "delete_survey",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep deletes surveys", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem)))]
pub async fn delete_survey(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, Error> {
    viewer.require(Action::ManageSurveys)?;
    state.store.delete_survey(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct OpenedJson {
    /// How many invitations were made.
    pub invitations: usize,
    pub survey: SurveyJson,
}

/// Opens a survey: its questions are fixed and every institution (or every informatiemanager)
/// gets an invitation with its own link. Answers are taken from the opening date to the
/// closing date.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/open", tag = "surveys", operation_id = "open_survey",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "Opened", body = OpenedJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep opens surveys", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem),
        (status = 409, description = "Opened already", body = crate::Problem),
        (status = 422, description = "A survey without questions cannot be opened", body = crate::Problem)))]
pub async fn open_survey(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<OpenedJson>, Error> {
    viewer.require(Action::ManageSurveys)?;
    let s = state.store.survey(id).await?;
    if s.questions.is_empty() {
        return Err(Error::Invalid(Invalid::one(
            "questions",
            ErrorCode::Required,
        )));
    }
    let Some(n) = state.store.open_survey(id, random_token).await? else {
        return Err(Error::NotNow("survey_opened"));
    };
    let s = state.store.survey(id).await?;
    Ok(Json(OpenedJson {
        invitations: n,
        survey: survey_json(&s),
    }))
}
