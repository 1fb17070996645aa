//! `/api/v1/surveys/...`: surveys (create, also from a template; read, change, delete, open),
//! their invitations (status, new link, reopen), the caller's own response (draft, submit),
//! and the results (counted, exported).

use super::{
    answers_value, check, closed_for_answers, may_read_results, may_see, own_invitation,
    own_projects, results,
};
use crate::extract::{Id, json_body};
use crate::identity::Viewer;
use crate::lists::Lists;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::survey::{self, QuestionData, QuestionInput, Survey, SurveyData, SurveyInput};
use stip_core::{ErrorCode, Invalid, Version};
use stip_store::survey::Invitation;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_surveys, create_survey))
        .routes(routes!(read_survey, update_survey, delete_survey))
        .routes(routes!(open_survey))
        .routes(routes!(invitations))
        .routes(routes!(reopen_response))
        .routes(routes!(renew_link))
        .routes(routes!(read_response, save_response))
        .routes(routes!(submit_response))
        .routes(routes!(survey_results))
        .routes(routes!(export))
}

/// The survey, if the caller may see it; a concept is the regiegroep's alone (404 to others).
async fn visible(state: &AppState, viewer: &Viewer, id: i64) -> Result<Survey, ApiError> {
    viewer.logged_in()?;
    let s = state.store.survey(id).await?;
    if !may_see(viewer, &s) {
        return Err(ApiError::NotFound);
    }
    Ok(s)
}

// ---- Surveys ----------------------------------------------------------------------------

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
        stage: s.stage(super::today()).code().into(),
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
) -> Result<Json<SurveysJson>, ApiError> {
    viewer.logged_in()?;
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
) -> Result<Response, ApiError> {
    viewer.allowed(Action::ManageSurveys)?;
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
        .unwrap_or_else(|| super::today().to_string());
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
        return Err(ApiError::Invalid(e));
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
) -> Result<Json<SurveyJson>, ApiError> {
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
) -> Result<Json<SurveyJson>, ApiError> {
    viewer.allowed(Action::ManageSurveys)?;
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
        return Err(ApiError::Invalid(e));
    };
    if questions.is_some() && before.opened_at.is_some() {
        return Err(ApiError::NotNow("survey_opened"));
    }
    let saved = state
        .store
        .update_survey(id, Version(sent.version), &data, questions.as_deref())
        .await?;
    let now = state.store.survey(id).await?;
    if !saved {
        return Err(ApiError::Conflict(crate::error::Conflict {
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
) -> Result<StatusCode, ApiError> {
    viewer.allowed(Action::ManageSurveys)?;
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
) -> Result<Json<OpenedJson>, ApiError> {
    viewer.allowed(Action::ManageSurveys)?;
    let s = state.store.survey(id).await?;
    if s.questions.is_empty() {
        return Err(ApiError::Invalid(Invalid::one(
            "questions",
            ErrorCode::Required,
        )));
    }
    let Some(n) = state.store.open_survey(id).await? else {
        return Err(ApiError::NotNow("survey_opened"));
    };
    let s = state.store.survey(id).await?;
    Ok(Json(OpenedJson {
        invitations: n,
        survey: survey_json(&s),
    }))
}

// ---- Invitations ------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct InvitationJson {
    pub id: i64,
    /// BRIN code of the institution.
    pub institution: String,
    pub institution_name: String,
    /// A survey per person: whom the invitation is for.
    pub person: Option<String>,
    /// `open` (nothing saved yet), `concept` (a draft) or `ingediend`; for an anonymous survey
    /// that is not closed yet `verborgen`: who submitted shows only once it closes (until then
    /// only how many, in `X-Submitted` of the list).
    pub status: String,
    /// The invitation link (a path on this server).
    #[schema(example = "/enquete/3kX9…")]
    pub link: String,
    /// Not shown for an anonymous survey that is not closed yet.
    pub saved_at: Option<String>,
    /// Not kept for an anonymous survey.
    pub submitted_at: Option<String>,
}

/// The status an anonymous survey's invitations show until it closes.
pub const HIDDEN_STATUS: &str = "verborgen";

pub fn invitation_json(
    lists: &Lists,
    names: &BTreeMap<i64, String>,
    s: &Survey,
    i: &Invitation,
) -> InvitationJson {
    let inst = lists.institutions.iter().find(|x| x.id == i.institution_id);
    let shown = super::shows_who_submitted(s);
    InvitationJson {
        id: i.id,
        institution: inst.map(|x| x.data.brin.to_string()).unwrap_or_default(),
        institution_name: inst.map(|x| x.data.name.clone()).unwrap_or_default(),
        person: i.user_id.and_then(|u| names.get(&u).cloned()),
        status: if shown {
            i.status.code().into()
        } else {
            HIDDEN_STATUS.into()
        },
        link: format!("/enquete/{}", i.token),
        saved_at: i.saved_at.clone().filter(|_| shown),
        submitted_at: i.submitted_at.clone().filter(|_| shown),
    }
}

pub async fn user_names(state: &AppState) -> Result<BTreeMap<i64, String>, ApiError> {
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Per institution (or person) the status of its response and its link (the regiegroep).
///
/// An anonymous survey shows per institution who submitted only once it is closed; until then
/// the header `X-Submitted` says how many did.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/invitations", tag = "surveys", operation_id = "survey_invitations",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "By institution", body = Vec<InvitationJson>,
            headers(("X-Submitted" = i64, description = "How many invitations are submitted"))),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep sees the invitations", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem)))]
pub async fn invitations(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, ApiError> {
    viewer.allowed(Action::ManageSurveys)?;
    let s = state.store.survey(id).await?;
    let lists = state.lists().await?;
    let names = user_names(&state).await?;
    let all = state.store.invitations(id).await?;
    let submitted = all
        .iter()
        .filter(|i| i.status == survey::InvitationStatus::Submitted)
        .count();
    Ok((
        [("x-submitted", submitted.to_string())],
        Json(
            all.iter()
                .map(|i| invitation_json(&lists, &names, &s, i))
                .collect::<Vec<_>>(),
        ),
    )
        .into_response())
}

/// The invitation `inv` of survey `id`, for the regiegroep.
async fn managed_invitation(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    inv: &str,
) -> Result<(Survey, Invitation), ApiError> {
    viewer.allowed(Action::ManageSurveys)?;
    let (Ok(id), Ok(inv)) = (id.parse::<i64>(), inv.parse::<i64>()) else {
        return Err(ApiError::NotFound);
    };
    let s = state.store.survey(id).await?;
    let i = state.store.invitation(inv).await?;
    if i.survey_id != s.id {
        return Err(ApiError::NotFound);
    }
    Ok((s, i))
}

/// Opens a submitted response for changes again, on the respondent's request. Not for an
/// anonymous survey: its answers no longer know whose they are.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations/{invitation}/reopen", tag = "surveys", operation_id = "reopen_response",
    params(("id" = i64, Path, description = "Survey id"), ("invitation" = i64, Path, description = "Invitation id")),
    responses((status = 200, description = "Reopened: the response is a draft again", body = InvitationJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep reopens responses", body = crate::Problem),
        (status = 404, description = "No such survey or invitation", body = crate::Problem),
        (status = 409, description = "Not submitted, or the survey is anonymous", body = crate::Problem)))]
pub async fn reopen_response(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Json<InvitationJson>, ApiError> {
    let (s, i) = managed_invitation(&state, &viewer, &id, &inv).await?;
    if s.data.anonymous {
        return Err(ApiError::NotNow("survey_anonymous_reopen"));
    }
    if !state.store.reopen_response(i.id).await? {
        return Err(ApiError::NotNow("survey_not_submitted"));
    }
    let lists = state.lists().await?;
    let names = user_names(&state).await?;
    let i = state.store.invitation(i.id).await?;
    Ok(Json(invitation_json(&lists, &names, &s, &i)))
}

/// Gives an invitation a new link; the old link stops working at once.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations/{invitation}/link", tag = "surveys", operation_id = "renew_invitation_link",
    params(("id" = i64, Path, description = "Survey id"), ("invitation" = i64, Path, description = "Invitation id")),
    responses((status = 200, description = "The invitation with its new link", body = InvitationJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep renews links", body = crate::Problem),
        (status = 404, description = "No such survey or invitation", body = crate::Problem)))]
pub async fn renew_link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Json<InvitationJson>, ApiError> {
    let (s, i) = managed_invitation(&state, &viewer, &id, &inv).await?;
    state.store.renew_invitation_link(i.id).await?;
    let lists = state.lists().await?;
    let names = user_names(&state).await?;
    let i = state.store.invitation(i.id).await?;
    Ok(Json(invitation_json(&lists, &names, &s, &i)))
}

// ---- The caller's response --------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ResponseJson {
    /// `open`, `concept` or `ingediend`.
    pub status: String,
    /// Question id → answer: open: text; single: the option; multiple: options; scale: 1–5;
    /// themes: codes, most important first; projects: ids. Empty once an anonymous survey's
    /// response is submitted (it is kept apart from who gave it).
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Value>,
    pub saved_at: Option<String>,
    pub submitted_at: Option<String>,
}

fn response_json(s: &Survey, i: &Invitation) -> ResponseJson {
    ResponseJson {
        status: i.status.code().into(),
        answers: answers_value(s, i.answers.as_deref()),
        saved_at: i.saved_at.clone(),
        submitted_at: i.submitted_at.clone(),
    }
}

/// The caller's response to fill in: their institution's, or their own for a survey per person.
async fn own(state: &AppState, viewer: &Viewer, id: i64) -> Result<(Survey, Invitation), ApiError> {
    let s = visible(state, viewer, id).await?;
    if viewer.actor.institution_id().is_none_or(|inst| {
        !viewer.may(Action::RespondToSurvey {
            institution_id: inst,
        })
    }) {
        return Err(ApiError::Forbidden);
    }
    let i = own_invitation(state, viewer, &s)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((s, i))
}

/// The caller's response: their institution's (or, per person, their own), with its draft.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/response", tag = "surveys", operation_id = "read_response",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The response", body = ResponseJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only an informatiemanager responds for their institution", body = crate::Problem),
        (status = 404, description = "No such survey, or no invitation for the caller", body = crate::Problem)))]
pub async fn read_response(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<ResponseJson>, ApiError> {
    let (s, i) = own(&state, &viewer, id).await?;
    Ok(Json(response_json(&s, &i)))
}

/// Answers as sent.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AnswersWrite {
    /// Question id → answer (see the response's `answers`); `null` or empty: not answered.
    #[schema(value_type = Object, example = json!({"12": "Ja", "13": ["llo", "innovatie"]}))]
    pub answers: BTreeMap<String, Value>,
}

/// Saves the draft of the caller's response: every answer must fit its question (422 names
/// each that does not); required questions may still be open.
#[utoipa::path(put, path = "/api/v1/surveys/{id}/response", tag = "surveys", operation_id = "save_response", request_body = AnswersWrite,
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The draft is saved", body = ResponseJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only an informatiemanager responds for their institution", body = crate::Problem),
        (status = 404, description = "No such survey, or no invitation for the caller", body = crate::Problem),
        (status = 409, description = "Submitted already, not open yet, or closed", body = crate::Problem),
        (status = 422, description = "An answer does not fit its question: `errors` names `answers.{id}`", body = crate::Problem)))]
pub async fn save_response(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ResponseJson>, ApiError> {
    let (s, i) = own(&state, &viewer, id).await?;
    let sent: AnswersWrite = json_body(&headers, &body)?;
    let answers = answers_now(&state, &s, &i, &sent.answers, false).await?;
    if !state
        .store
        .save_draft(
            i.id,
            &survey::answers_json(&answers),
            viewer.actor.user_id(),
        )
        .await?
    {
        return Err(ApiError::NotNow("survey_submitted"));
    }
    let i = state.store.invitation(i.id).await?;
    Ok(Json(response_json(&s, &i)))
}

/// The answers to save or submit now, checked (with `complete`, every required one there):
/// 409 when the response cannot change now, 422 naming each answer that does not fit.
async fn answers_now(
    state: &AppState,
    s: &Survey,
    i: &Invitation,
    sent: &BTreeMap<String, Value>,
    complete: bool,
) -> Result<survey::Answers, ApiError> {
    if let Some(why) = closed_for_answers(s, i) {
        return Err(ApiError::NotNow(not_now_key(why)));
    }
    let lists = state.lists().await?;
    let projects = own_projects(state, &lists, i.institution_id).await?;
    let (answers, e) = check(&lists, s, &projects, sent, complete);
    if e.is_empty() {
        Ok(answers)
    } else {
        Err(ApiError::Invalid(e))
    }
}

fn not_now_key(why: &str) -> &'static str {
    match why {
        "closed" => "survey_closed",
        "submitted" => "survey_submitted",
        _ => "survey_not_open",
    }
}

/// Submits the caller's response: the draft, or the answers sent with it. Every required
/// question must be answered and every answer fit (422 names each). One transaction: of
/// two submits at once, one wins and the other gets 409.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/response/submit", tag = "surveys", operation_id = "submit_response",
    params(("id" = i64, Path, description = "Survey id")),
    request_body(content = Option<AnswersWrite>, description = "Optional: answers to submit instead of the saved draft"),
    responses((status = 200, description = "Submitted", body = ResponseJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only an informatiemanager responds for their institution", body = crate::Problem),
        (status = 404, description = "No such survey, or no invitation for the caller", body = crate::Problem),
        (status = 409, description = "Submitted already, not open yet, or closed", body = crate::Problem),
        (status = 422, description = "A required question is not answered, or an answer does not fit: `errors` names each `answers.{id}`", body = crate::Problem)))]
pub async fn submit_response(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ResponseJson>, ApiError> {
    let (s, i) = own(&state, &viewer, id).await?;
    let sent: Option<AnswersWrite> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(json_body(&headers, &body)?)
    };
    let answers = match sent {
        Some(a) => a.answers,
        None => answers_value(&s, i.answers.as_deref()),
    };
    let answers = answers_now(&state, &s, &i, &answers, true).await?;
    if !state
        .store
        .submit_response(
            i.id,
            &survey::answers_json(&answers),
            s.data.anonymous,
            viewer.actor.user_id(),
        )
        .await?
    {
        return Err(ApiError::NotNow("survey_submitted"));
    }
    let i = state.store.invitation(i.id).await?;
    Ok(Json(response_json(&s, &i)))
}

// ---- Results ----------------------------------------------------------------------------

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ResultParams {
    /// Only the responses of institutions in this region (not for an anonymous survey).
    region: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeRankJson {
    pub theme: String,
    /// A theme in place p of a list of a survey with n themes scores n + 1 − p points.
    pub points: u32,
    pub chosen: u32,
    pub first: u32,
}

#[derive(Serialize, ToSchema)]
pub struct OpenAnswerJson {
    /// The institution's name; `null` for an anonymous survey.
    pub institution: Option<String>,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResultJson {
    pub id: i64,
    pub kind: String,
    pub text: String,
    /// Responses that answer it.
    pub answered: u32,
    /// Per option (choices), per point "1"–"5" (scale), per theme code or project id: how
    /// many chose it.
    #[schema(value_type = Object, example = json!({"Ja": 12, "Nee": 3}))]
    pub counts: serde_json::Map<String, Value>,
    /// Scale: the mean.
    pub mean: Option<f64>,
    /// Themes: ranked across respondents, best first.
    pub ranking: Vec<ThemeRankJson>,
    /// Open questions: every answer.
    pub answers: Vec<OpenAnswerJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    pub responses: usize,
    pub anonymous: bool,
    pub region: Option<String>,
    pub questions: Vec<QuestionResultJson>,
}

fn region_param(raw: &Option<String>) -> Result<Option<String>, ApiError> {
    let values: Vec<String> = url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "region")
        .map(|(_, v)| v.trim().to_string())
        .collect();
    match values.as_slice() {
        [] => Ok(None),
        [v] if v.is_empty() => Ok(None),
        [v] => Ok(Some(v.clone())),
        _ => Err(ApiError::Invalid(Invalid::one(
            "region",
            ErrorCode::Repeated,
        ))),
    }
}

async fn readable_results(state: &AppState, viewer: &Viewer, id: i64) -> Result<Survey, ApiError> {
    let s = visible(state, viewer, id).await?;
    if !may_read_results(viewer, &s) {
        return Err(ApiError::Forbidden);
    }
    Ok(s)
}

/// Per question the counts, the mean of a scale, the ranking of themes and every open answer
/// (with its institution unless the survey is anonymous). The regiegroep reads them at any
/// time, everyone logged in once the survey is closed.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys", operation_id = "survey_results",
    params(("id" = i64, Path, description = "Survey id"), ResultParams),
    responses((status = 200, description = "The results", body = ResultsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The results are the regiegroep's until the survey closes", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem),
        (status = 422, description = "`region` given twice", body = crate::Problem)))]
pub async fn survey_results(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Json<ResultsJson>, ApiError> {
    let s = readable_results(&state, &viewer, id).await?;
    let region = region_param(&raw)?.filter(|_| !s.data.anonymous);
    let lists = state.lists().await?;
    let r = results(&state, &lists, &s, region.as_deref()).await?;
    let questions = s
        .questions
        .iter()
        .zip(&r.per_question)
        .map(|(q, qr)| QuestionResultJson {
            id: q.id,
            kind: q.data.kind.code().into(),
            text: q.data.text.clone(),
            answered: qr.answered,
            counts: qr
                .counts
                .iter()
                .map(|(k, n)| (k.clone(), Value::from(*n)))
                .collect(),
            mean: qr.mean.map(|m| (m * 100.0).round() / 100.0),
            ranking: qr
                .ranking
                .iter()
                .map(|t| ThemeRankJson {
                    theme: t.code.clone(),
                    points: t.points,
                    chosen: t.chosen,
                    first: t.first,
                })
                .collect(),
            answers: qr
                .texts
                .iter()
                .map(|(who, text)| OpenAnswerJson {
                    institution: who.clone(),
                    text: text.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(Json(ResultsJson {
        responses: r.responses.len(),
        anonymous: s.data.anonymous,
        region,
        questions,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportParams {
    /// `xlsx` or `csv` (`;`, UTF-8 with BOM, as Dutch Excel opens it).
    #[param(pattern = "^(xlsx|csv)$")]
    format: String,
    /// Only the responses of institutions in this region.
    region: Option<String>,
}

/// Every submitted response as a row: institution, region and time (unless anonymous), then
/// an answer per question.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/export", tag = "surveys", operation_id = "export_survey",
    params(("id" = i64, Path, description = "Survey id"), ExportParams),
    responses((status = 200, description = "The file", content(
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("text/csv"))),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The results are the regiegroep's until the survey closes", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem),
        (status = 422, description = "An unknown format: `errors` names it", body = crate::Problem)))]
pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let s = readable_results(&state, &viewer, id).await?;
    let formats: Vec<String> = url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "format")
        .map(|(_, v)| v.trim().to_string())
        .collect();
    let format = match formats.as_slice() {
        [] => {
            return Err(ApiError::Invalid(Invalid::one(
                "format",
                ErrorCode::Required,
            )));
        }
        [f] if f == "xlsx" || f == "csv" => f.clone(),
        [_] => {
            return Err(ApiError::Invalid(Invalid::one(
                "format",
                ErrorCode::InvalidChoice,
            )));
        }
        _ => {
            return Err(ApiError::Invalid(Invalid::one(
                "format",
                ErrorCode::Repeated,
            )));
        }
    };
    let region = region_param(&raw)?.filter(|_| !s.data.anonymous);
    let lists = state.lists().await?;
    let r = results(&state, &lists, &s, region.as_deref()).await?;
    let table = super::table(viewer.lang, &lists, &s, &r.responses);
    let (bytes, media_type) = if format == "csv" {
        (table.csv(), "text/csv; charset=utf-8")
    } else {
        (
            table
                .xlsx(&viewer.lang.t("survey.export.sheet"))
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    let file = format!("enquete-{}.{format}", s.id);
    Ok(crate::download::attachment(media_type, &file, bytes))
}
