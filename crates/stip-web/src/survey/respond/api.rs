//! `/api/v1/surveys/{id}/response`: the caller's own response, read, saved as a draft and
//! submitted.

use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::survey::{
    answers_value, check, closed_for_answers, own_invitation, own_projects, visible,
};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::survey::{self, Survey};
use stip_store::survey::Invitation;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_response, save_response))
        .routes(routes!(submit_response))
}

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
async fn own(state: &AppState, viewer: &Viewer, id: i64) -> Result<(Survey, Invitation), Error> {
    let s = visible(state, viewer, id).await?;
    if viewer.actor.institution_id().is_none_or(|inst| {
        !viewer.may(Action::RespondToSurvey {
            institution_id: inst,
        })
    }) {
        return Err(Error::Forbidden);
    }
    let i = own_invitation(state, viewer, &s)
        .await?
        .ok_or(Error::NotFound)?;
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
) -> Result<Json<ResponseJson>, Error> {
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
) -> Result<Json<ResponseJson>, Error> {
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
        return Err(Error::NotNow("survey_submitted"));
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
) -> Result<survey::Answers, Error> {
    if let Some(why) = closed_for_answers(s, i) {
        return Err(Error::NotNow(not_now_key(why)));
    }
    let lists = state.lists().await?;
    let projects = own_projects(state, &lists, i.institution_id).await?;
    let themes = crate::survey::SurveyThemes::of(state, &lists, s).await?;
    let (answers, e) = check(&themes, s, &projects, sent, complete);
    if e.is_empty() {
        Ok(answers)
    } else {
        Err(Error::Invalid(e))
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
) -> Result<Json<ResponseJson>, Error> {
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
        return Err(Error::NotNow("survey_submitted"));
    }
    let i = state.store.invitation(i.id).await?;
    Ok(Json(response_json(&s, &i)))
}
