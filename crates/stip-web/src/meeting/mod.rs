//! Network meetings (issue 14): each tied to one theme of the agenda and one case from an
//! institution's portfolio, with its agenda, minutes and who comes; a calendar file per meeting
//! and a calendar feed per person. Pages under `/bijeenkomsten`, the API under
//! `/api/v1/meetings`.

pub mod api;
pub mod pages;

use crate::AppState;
use crate::lists::Lists;
use stip_core::meeting::{CalendarEntry, Meeting, MeetingData, MeetingInput};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;

/// Checks a meeting as typed against the agenda and the portfolio (the case must be a project).
pub async fn checked(
    state: &AppState,
    lists: &Lists,
    input: &MeetingInput,
) -> Result<Result<MeetingData, Invalid>, StoreError> {
    let themes: Vec<&str> = lists.themes.iter().map(|t| t.data.code.as_str()).collect();
    let parsed = MeetingData::parse(input, &themes);
    // An appendix is the results of an opened survey.
    let mut unknown_survey = false;
    for id in &input.appendices {
        match state.store.survey(*id).await {
            Ok(s) if s.opened_at.is_some() => {}
            Ok(_) | Err(StoreError::NotFound) => unknown_survey = true,
            Err(e) => return Err(e),
        }
    }
    let case_exists = match input.case_project {
        Some(id) => match state.store.project(id).await {
            Ok(_) => true,
            Err(StoreError::NotFound) => false,
            Err(e) => return Err(e),
        },
        None => true,
    };
    let mut e = match &parsed {
        Ok(_) => Invalid::default(),
        Err(e) => e.clone(),
    };
    if !case_exists {
        e.push("case_project", ErrorCode::Unknown);
    }
    if unknown_survey {
        e.push("surveys", ErrorCode::Unknown);
    }
    Ok(match parsed {
        Ok(d) if e.is_empty() => Ok(d),
        _ => Err(e),
    })
}

/// The case's title and institution, if the meeting has one that still exists.
pub async fn case_of(state: &AppState, m: &Meeting) -> Option<(i64, String, String)> {
    let id = m.data.case_project?;
    let p = state.store.project(id).await.ok()?;
    Some((p.id, p.data.title.clone(), p.institution_name.clone()))
}

/// The line a calendar shows under a meeting: its theme and its case.
pub async fn description(state: &AppState, lists: &Lists, m: &Meeting) -> String {
    let mut parts = Vec::new();
    if let Some(code) = &m.data.theme {
        parts.push(format!("Thema: {}.", lists.theme_name(code)));
    }
    if let Some((_, title, institution)) = case_of(state, m).await {
        let by = if m.data.presenter.is_empty() {
            institution
        } else {
            format!("{}, {institution}", m.data.presenter)
        };
        parts.push(format!("Casus: {title} ({by})."));
    }
    parts.join(" ")
}

/// Meetings as an iCalendar document, with links to their pages on `origin`.
pub async fn calendar(
    state: &AppState,
    lists: &Lists,
    origin: &str,
    meetings: &[Meeting],
) -> String {
    let mut descriptions = Vec::new();
    for m in meetings {
        descriptions.push(description(state, lists, m).await);
    }
    let entries: Vec<CalendarEntry<'_>> = meetings
        .iter()
        .zip(descriptions)
        .map(|(m, description)| CalendarEntry {
            meeting: m,
            description,
            url: format!("{origin}/bijeenkomsten/{}", m.id),
        })
        .collect();
    let host = origin.rsplit("://").next().unwrap_or("stip");
    stip_core::meeting::ics("Stip: netwerkbijeenkomsten", host, &entries)
}

/// A calendar file as a response.
pub fn ics_response(body: String, file: &str) -> axum::response::Response {
    crate::download::inline("text/calendar; charset=utf-8", file, body)
}
