//! Network meetings (issue 14): each tied to one theme of the agenda and one case from an
//! institution's portfolio, with its agenda, minutes and who comes; a calendar file per meeting
//! and a calendar feed per person. Pages under `/bijeenkomsten`, the API under
//! `/api/v1/meetings`.

mod api;
mod pages;
mod report;

use crate::auth::Viewer;
use crate::linked::{Linked, linked};
use crate::lists::Lists;
use crate::ui::layout::Chrome;
use crate::{AppState, Error};
use serde::Serialize;
use stip_core::access::Actor;
use stip_core::meeting::{CalendarEntry, Meeting, MeetingData, MeetingInput};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages and API operations.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}

/// Checks a meeting as typed against the agenda and the portfolio: the case must be a project
/// `actor` may see (or the case the meeting already had, `kept`, which they may leave as it is).
pub async fn checked(
    state: &AppState,
    lists: &Lists,
    actor: &Actor,
    kept: Option<i64>,
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
    let case_allowed = match input.case_project {
        Some(id) if Some(id) != kept => linked(state, actor, id).await?.may_link(),
        _ => true,
    };
    let mut e = match &parsed {
        Ok(_) => Invalid::default(),
        Err(e) => e.clone(),
    };
    if !case_allowed {
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

/// A meeting's case as one reader may see it.
pub enum Case {
    Shown {
        project: i64,
        title: String,
        institution: String,
    },
    /// Another institution's project the reader may not see: named without its title.
    Hidden,
}

/// A case as pages show it: a project's link, title and institution, or for a project the
/// reader may not see only the words "een project van een andere instelling".
pub struct CaseView {
    pub project: Option<i64>,
    pub title: String,
    pub institution: String,
}

impl Case {
    pub fn view(self, c: &crate::ui::layout::Chrome) -> CaseView {
        match self {
            Case::Shown {
                project,
                title,
                institution,
            } => CaseView {
                project: Some(project),
                title,
                institution,
            },
            Case::Hidden => CaseView {
                project: None,
                title: c.t("meeting.case_hidden"),
                institution: String::new(),
            },
        }
    }
}

/// The case of `m` as `actor` may see it; none when it has none or its project is gone.
pub async fn case_of(
    state: &AppState,
    actor: &Actor,
    m: &Meeting,
) -> Result<Option<Case>, StoreError> {
    let Some(id) = m.data.case_project else {
        return Ok(None);
    };
    Ok(match linked(state, actor, id).await? {
        Linked::Shown(p) => Some(Case::Shown {
            project: p.id,
            title: p.data.title.clone(),
            institution: p.institution_name.clone(),
        }),
        Linked::Hidden => Some(Case::Hidden),
        Linked::Gone => None,
    })
}

/// The line a calendar shows under a meeting: its theme and its case, as `actor` may see it.
async fn description(
    state: &AppState,
    lists: &Lists,
    actor: &Actor,
    m: &Meeting,
) -> Result<String, StoreError> {
    let mut parts = Vec::new();
    if let Some(code) = &m.data.theme {
        parts.push(format!("Thema: {}.", lists.theme_name(code)));
    }
    match case_of(state, actor, m).await? {
        Some(Case::Shown {
            title, institution, ..
        }) => {
            let by = if m.data.presenter.is_empty() {
                institution
            } else {
                format!("{}, {institution}", m.data.presenter)
            };
            parts.push(format!("Casus: {title} ({by})."));
        }
        Some(Case::Hidden) => parts.push("Casus: een project van een andere instelling.".into()),
        None => {}
    }
    Ok(parts.join(" "))
}

/// Meetings as an iCalendar document for `actor`, with links to their pages on `origin`.
pub async fn calendar(
    state: &AppState,
    lists: &Lists,
    actor: &Actor,
    origin: &str,
    meetings: &[Meeting],
) -> Result<String, StoreError> {
    let mut descriptions = Vec::new();
    for m in meetings {
        descriptions.push(description(state, lists, actor, m).await?);
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
    Ok(stip_core::meeting::ics(
        "Stip: netwerkbijeenkomsten",
        host,
        &entries,
    ))
}

/// A calendar file as a response.
pub fn ics_response(body: String, file: &str) -> axum::response::Response {
    crate::http::download::inline("text/calendar; charset=utf-8", file, body)
}

// ---- Shared by the pages and the report ---------------------------------------------------

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
) -> Result<Shown, Error> {
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

// ---- Who comes (the meeting's page and the API) ----------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct AttendeeJson {
    pub name: String,
    /// The person's institution's name, if they have one.
    pub institution: Option<String>,
    pub attending: bool,
}

pub async fn attendees(
    state: &AppState,
    lists: &Lists,
    meeting_id: i64,
) -> Result<Vec<AttendeeJson>, Error> {
    let users = state.store.users().await?;
    let mut out: Vec<AttendeeJson> = state
        .store
        .attendance(meeting_id)
        .await?
        .into_iter()
        .filter_map(|a| {
            let u = users.iter().find(|u| u.id == a.user_id)?;
            Some(AttendeeJson {
                name: u.name.clone(),
                institution: u.institution_id.and_then(|i| {
                    lists
                        .institutions
                        .iter()
                        .find(|x| x.id == i)
                        .map(|x| x.data.name.clone())
                }),
                attending: a.attending,
            })
        })
        .collect();
    out.sort_by(|a, b| a.institution.cmp(&b.institution).then(a.name.cmp(&b.name)));
    Ok(out)
}
