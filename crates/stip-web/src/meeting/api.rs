//! `/api/v1/meetings/...`: network meetings (plan, read, change, delete), a meeting as a
//! calendar file, and who comes.

use super::{AttendeeJson, Case, attendees, calendar, case_of, checked, ics_response};
use crate::auth::Viewer;
use crate::http::extract::{Id, json_body};
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::Version;
use stip_core::access::Action;
use stip_core::meeting::{AgendaItem, Meeting, MeetingInput};
use stip_store::StoreError;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, create_meeting))
        .routes(routes!(read_meeting, update_meeting, delete_meeting))
        .routes(routes!(meeting_ics))
        .routes(routes!(meeting_report_pdf))
        .routes(routes!(read_attendance, set_attendance))
}

/// An agenda item as sent and shown.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemJson {
    /// When it starts ("10:30").
    #[serde(default)]
    pub time: String,
    pub title: String,
    /// Who leads it.
    #[serde(default)]
    pub owner: String,
}

/// A meeting as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingWrite {
    pub title: String,
    /// RFC 3339, e.g. `2026-12-10T13:30:00+01:00`.
    #[schema(example = "2026-12-10T13:30:00+01:00")]
    pub starts_at: String,
    #[schema(example = "2026-12-10T17:00:00+01:00")]
    pub ends_at: String,
    /// Where, or the link to join online.
    #[serde(default)]
    pub place: String,
    /// The theme's code.
    pub theme: Option<String>,
    /// The id of the project presented as the case.
    pub case_project: Option<i64>,
    /// Who presents the case.
    #[serde(default)]
    pub presenter: String,
    #[serde(default)]
    pub agenda: Vec<AgendaItemJson>,
    /// Minutes and conclusions, in Markdown.
    #[serde(default)]
    pub minutes: String,
    /// Surveys (ids, opened) whose results are appendices of the report, in order.
    #[serde(default)]
    pub surveys: Vec<i64>,
    /// What the meeting decided.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// Follow-up actions; open ones carry over to the next meeting's agenda.
    #[serde(default)]
    pub actions: Vec<ActionJson>,
    /// Only when changing: the version the change starts from.
    pub version: Option<i64>,
}

/// A follow-up action.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ActionJson {
    pub text: String,
    #[serde(default)]
    pub owner: String,
    /// ISO date.
    pub due_on: Option<String>,
    /// `open` (default) or `gedaan`.
    pub status: Option<String>,
}

/// An open action from an earlier meeting, on this meeting's agenda.
#[derive(Serialize, ToSchema)]
pub struct CarriedJson {
    /// The meeting it was agreed at.
    pub meeting: i64,
    pub text: String,
    pub owner: String,
    pub due_on: Option<String>,
}

/// The case presented.
#[derive(Serialize, ToSchema)]
pub struct CaseJson {
    pub project: i64,
    pub title: String,
    pub institution: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingJson {
    pub id: i64,
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: Option<String>,
    pub case_project: Option<i64>,
    /// The case, while its project exists and the caller may see it.
    pub case: Option<CaseJson>,
    pub presenter: String,
    pub agenda: Vec<AgendaItemJson>,
    pub minutes: String,
    /// The report's appendices: surveys' results, in order.
    pub appendices: Vec<AppendixJson>,
    pub decisions: Vec<String>,
    pub actions: Vec<ActionJson>,
    /// The open actions of earlier meetings, carried over to this one's agenda.
    pub carried_over: Vec<CarriedJson>,
    pub version: i64,
}

/// An appendix: a survey whose results the report shows.
#[derive(Serialize, ToSchema)]
pub struct AppendixJson {
    pub survey: i64,
    pub title: String,
}

pub async fn meeting_json(
    state: &AppState,
    viewer: &Viewer,
    m: &Meeting,
) -> Result<MeetingJson, StoreError> {
    let case = match case_of(state, &viewer.actor, m).await? {
        Some(Case::Shown {
            project,
            title,
            institution,
        }) => Some(CaseJson {
            project,
            title,
            institution,
        }),
        Some(Case::Hidden) | None => None,
    };
    // A survey deleted since is no appendix any more.
    let mut appendices = Vec::new();
    for id in &m.data.appendices {
        match state.store.survey(*id).await {
            Ok(s) => appendices.push(AppendixJson {
                survey: s.id,
                title: s.data.title,
            }),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let all = state.store.meetings().await?;
    Ok(MeetingJson {
        id: m.id,
        title: m.data.title.clone(),
        starts_at: m.data.starts_at.to_rfc3339(),
        ends_at: m.data.ends_at.to_rfc3339(),
        place: m.data.place.clone(),
        theme: m.data.theme.clone(),
        case_project: m.data.case_project,
        case,
        presenter: m.data.presenter.clone(),
        agenda: m
            .data
            .agenda
            .iter()
            .map(|a| AgendaItemJson {
                time: a.time.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
            })
            .collect(),
        minutes: m.data.minutes.clone(),
        appendices,
        decisions: m.data.decisions.clone(),
        actions: m.data.actions.iter().map(action_json).collect(),
        carried_over: stip_core::meeting::carried_over(m, &all)
            .into_iter()
            .map(|(from, a)| CarriedJson {
                meeting: from.id,
                text: a.text.clone(),
                owner: a.owner.clone(),
                due_on: a.due_on.map(|d| d.to_string()),
            })
            .collect(),
        version: m.version,
    })
}

fn action_json(a: &stip_core::meeting::FollowUp) -> ActionJson {
    ActionJson {
        text: a.text.clone(),
        owner: a.owner.clone(),
        due_on: a.due_on.map(|d| d.to_string()),
        status: Some(a.status.code().to_string()),
    }
}

fn input_of(w: &MeetingWrite) -> MeetingInput {
    MeetingInput {
        title: w.title.clone(),
        starts_at: w.starts_at.clone(),
        ends_at: w.ends_at.clone(),
        place: w.place.clone(),
        theme: w.theme.clone().unwrap_or_default(),
        case_project: w.case_project,
        presenter: w.presenter.clone(),
        agenda: w
            .agenda
            .iter()
            .map(|a| AgendaItem {
                time: a.time.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
            })
            .collect(),
        minutes: w.minutes.clone(),
        appendices: w.surveys.clone(),
        decisions: w.decisions.clone(),
        actions: w
            .actions
            .iter()
            .map(|a| stip_core::meeting::FollowUpInput {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due_on: a.due_on.clone().unwrap_or_default(),
                status: a.status.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingsJson {
    /// Earliest first.
    pub items: Vec<MeetingJson>,
}

/// Every network meeting, earliest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", operation_id = "list_meetings",
    responses((status = 200, description = "The meetings", body = MeetingsJson),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<MeetingsJson>, Error> {
    viewer.require(Action::ViewMeetings)?;
    let mut items = Vec::new();
    for m in state.store.meetings().await? {
        items.push(meeting_json(&state, &viewer, &m).await?);
    }
    Ok(Json(MeetingsJson { items }))
}

/// Plans a meeting (the regiegroep): its theme, its case and presenter, its agenda.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", operation_id = "create_meeting", request_body = MeetingWrite,
    responses((status = 201, description = "Planned", body = MeetingJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep plans meetings", body = crate::Problem),
        (status = 422, description = "A field is refused: `errors` names it (`ends_at`, `theme`, `case_project`, `surveys`, `agenda[1].title`)", body = crate::Problem)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    viewer.require(Action::ManageMeetings)?;
    let sent: MeetingWrite = json_body(&headers, &body)?;
    let lists = state.lists().await?;
    let data = checked(&state, &lists, &viewer.actor, None, &input_of(&sent))
        .await?
        .map_err(Error::Invalid)?;
    let id = state
        .store
        .create_meeting(&data, viewer.actor.user_id())
        .await?;
    let m = state.store.meeting(id).await?;
    Ok((
        StatusCode::CREATED,
        Json(meeting_json(&state, &viewer, &m).await?),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", operation_id = "read_meeting",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting", body = MeetingJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem)))]
pub async fn read_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<MeetingJson>, Error> {
    viewer.require(Action::ViewMeetings)?;
    let m = state.store.meeting(id).await?;
    Ok(Json(meeting_json(&state, &viewer, &m).await?))
}

/// Changes a meeting from `version`, minutes included.
#[utoipa::path(put, path = "/api/v1/meetings/{id}", tag = "meetings", operation_id = "update_meeting", request_body = MeetingWrite,
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "Saved", body = MeetingJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep changes meetings", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem),
        (status = 409, description = "Changed by someone else since `version`", body = crate::Problem),
        (status = 422, description = "A field is refused, or `version` is missing", body = crate::Problem)))]
pub async fn update_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<MeetingJson>, Error> {
    viewer.require(Action::ManageMeetings)?;
    let before = state.store.meeting(id).await?;
    let sent: MeetingWrite = json_body(&headers, &body)?;
    let Some(version) = sent.version else {
        return Err(Error::Invalid(stip_core::Invalid::one(
            "version",
            stip_core::ErrorCode::Required,
        )));
    };
    let lists = state.lists().await?;
    let data = checked(
        &state,
        &lists,
        &viewer.actor,
        before.data.case_project,
        &input_of(&sent),
    )
    .await?
    .map_err(Error::Invalid)?;
    let saved = state
        .store
        .update_meeting(id, Version(version), &data)
        .await?;
    let m = state.store.meeting(id).await?;
    let json = meeting_json(&state, &viewer, &m).await?;
    if !saved {
        return Err(Error::Conflict(crate::http::error::Conflict {
            current: serde_json::to_value(&json).unwrap_or_default(),
            changes: serde_json::Value::Array(Vec::new()),
            fields: Vec::new(),
        }));
    }
    Ok(Json(json))
}

#[utoipa::path(delete, path = "/api/v1/meetings/{id}", tag = "meetings", operation_id = "delete_meeting",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep deletes meetings", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem)))]
pub async fn delete_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, Error> {
    viewer.require(Action::ManageMeetings)?;
    state.store.delete_meeting(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The meeting as an iCalendar file (RFC 5545), to add to a calendar.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/ics", tag = "meetings", operation_id = "meeting_ics",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "The calendar file", content(("text/calendar"))),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem)))]
pub async fn meeting_ics(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    let m = state.store.meeting(id).await?;
    let lists = state.lists().await?;
    let origin = &viewer.origin;
    let body = calendar(
        &state,
        &lists,
        &viewer.actor,
        origin,
        std::slice::from_ref(&m),
    )
    .await?;
    Ok(ics_response(body, &format!("bijeenkomst-{id}.ics")))
}

/// The meeting's report as PDF (rendered by Stip itself): agenda, case, minutes and appendices
/// as far as the caller may read them.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/report.pdf", tag = "meetings", operation_id = "meeting_report_pdf",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "The report", content(("application/pdf"))),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem)))]
pub async fn meeting_report_pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    let m = state.store.meeting(id).await?;
    let bytes = super::report::report_bytes(&state, &viewer, &m).await?;
    Ok(super::report::pdf_response(
        bytes,
        &format!("verslag-{id}.pdf"),
    ))
}

/// Whether one comes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceWrite {
    pub attending: bool,
}

/// Who said whether they come, by institution (the regiegroep).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", operation_id = "read_attendance",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "By institution", body = Vec<AttendeeJson>),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep sees who comes", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem)))]
pub async fn read_attendance(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<Vec<AttendeeJson>>, Error> {
    viewer.require(Action::ManageMeetings)?;
    state.store.meeting(id).await?;
    let lists = state.lists().await?;
    Ok(Json(attendees(&state, &lists, id).await?))
}

/// Says whether the caller comes (again: the last answer counts).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", operation_id = "set_attendance", request_body = AttendanceWrite,
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 204, description = "Noted"),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 404, description = "No such meeting", body = crate::Problem),
        (status = 422, description = "`attending` is missing or not true/false", body = crate::Problem)))]
pub async fn set_attendance(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, Error> {
    viewer.require(Action::ViewMeetings)?;
    state.store.meeting(id).await?;
    let sent: AttendanceWrite = json_body(&headers, &body)?;
    let user = viewer.actor.user_id().ok_or(Error::LoginRequired)?;
    state.store.set_attendance(id, user, sent.attending).await?;
    Ok(StatusCode::NO_CONTENT)
}
