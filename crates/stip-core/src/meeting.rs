//! Network meetings (netwerkbijeenkomsten): a meeting tied to one theme of the agenda and one
//! case from an institution's portfolio, with its agenda items and minutes; checked once at the
//! edge, and written out as iCalendar (RFC 5545) for a calendar.

use crate::error::{optional_text, required_text};
use crate::{ErrorCode, Invalid};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

/// One point of a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AgendaItem {
    /// When it starts, as people write it ("10:30"); may be empty.
    pub time: String,
    pub title: String,
    /// Who leads it.
    pub owner: String,
}

crate::code_enum!(
    /// Where a follow-up action is.
    ActionStatus {
        Open => "open",
        Done => "gedaan",
    }
);

/// A follow-up action agreed at a meeting; open ones carry over to the next meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FollowUp {
    pub text: String,
    pub owner: String,
    pub due_on: Option<chrono::NaiveDate>,
    pub status: ActionStatus,
}

/// A follow-up action as typed.
#[derive(Debug, Clone, Default)]
pub struct FollowUpInput {
    pub text: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

/// A meeting as planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingData {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where, or how to join online.
    pub place: String,
    /// The agenda theme the meeting is about (its code).
    pub theme: Option<String>,
    /// The project presented as the meeting's case.
    pub case_project: Option<i64>,
    /// Who presents the case.
    pub presenter: String,
    pub agenda: Vec<AgendaItem>,
    /// Minutes and conclusions, in Markdown.
    pub minutes: String,
    /// The surveys whose results are appendices of the report, in order.
    pub appendices: Vec<i64>,
    /// What the meeting decided.
    pub decisions: Vec<String>,
    pub actions: Vec<FollowUp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub id: i64,
    #[serde(flatten)]
    pub data: MeetingData,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// A meeting as typed: times as RFC 3339 (`2026-12-10T13:30:00+01:00`), or as a browser's
/// date-and-time field sends them (`2026-12-10T13:30`, Dutch time).
#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: String,
    pub case_project: Option<i64>,
    pub presenter: String,
    pub agenda: Vec<AgendaItem>,
    pub minutes: String,
    /// Surveys to attach (their existence is checked by the caller).
    pub appendices: Vec<i64>,
    pub decisions: Vec<String>,
    pub actions: Vec<FollowUpInput>,
}

/// A moment as RFC 3339, or as local Dutch time without an offset.
pub fn moment(raw: &str) -> Result<DateTime<Utc>, ErrorCode> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    if let Ok(m) = DateTime::parse_from_rfc3339(t) {
        return Ok(m.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(t, format) {
            return chrono_tz::Europe::Amsterdam
                .from_local_datetime(&local)
                .earliest()
                .map(|m| m.with_timezone(&Utc))
                .ok_or(ErrorCode::NotADate);
        }
    }
    Err(ErrorCode::NotADate)
}

impl MeetingData {
    /// Checks a meeting against the agenda's theme codes; the case project is checked by the
    /// store (it must exist). Refusals name the field (`agenda[2].title`).
    pub fn parse(input: &MeetingInput, themes: &[&str]) -> Result<MeetingData, Invalid> {
        let mut e = Invalid::default();
        let title = e.take("title", required_text(&input.title, 200));
        let starts_at = e.take("starts_at", moment(&input.starts_at));
        let ends_at = e.take("ends_at", moment(&input.ends_at));
        if let (Some(s), Some(end)) = (starts_at, ends_at)
            && end <= s
        {
            e.push("ends_at", ErrorCode::EndBeforeStart);
        }
        let place = e.take("place", optional_text(&input.place, 500));
        let theme = match input.theme.trim() {
            "" => Some(None),
            code if themes.contains(&code) => Some(Some(code.to_string())),
            _ => {
                e.push("theme", ErrorCode::Unknown);
                None
            }
        };
        let presenter = e.take("presenter", optional_text(&input.presenter, 200));
        let minutes = e.take("minutes", optional_text(&input.minutes, 100_000));
        let mut agenda = Vec::new();
        for (i, item) in input.agenda.iter().enumerate() {
            let field = |f: &str| format!("agenda[{i}].{f}");
            let title = optional_text(&item.title, 300);
            let time = optional_text(&item.time, 20);
            let owner = optional_text(&item.owner, 200);
            match (time, title, owner) {
                (Ok(time), Ok(title), Ok(owner)) => {
                    if title.is_empty() {
                        if !time.is_empty() || !owner.is_empty() {
                            e.push(&field("title"), ErrorCode::Required);
                        }
                        continue;
                    }
                    agenda.push(AgendaItem { time, title, owner });
                }
                (time, title, owner) => {
                    for (name, r) in [("time", time), ("title", title), ("owner", owner)] {
                        if let Err(code) = r {
                            e.push(&field(name), code);
                        }
                    }
                }
            }
        }
        let mut decisions = Vec::new();
        for (i, d) in input.decisions.iter().enumerate() {
            match optional_text(d, 1000) {
                Ok(t) if t.is_empty() => {}
                Ok(t) => decisions.push(t),
                Err(code) => e.push(&format!("decisions[{i}]"), code),
            }
        }
        let mut actions = Vec::new();
        for (i, a) in input.actions.iter().enumerate() {
            let field = |f: &str| format!("actions[{i}].{f}");
            let text = e.take(&field("text"), optional_text(&a.text, 1000));
            let owner = e.take(&field("owner"), optional_text(&a.owner, 200));
            let due_on = e.take(&field("due_on"), crate::number::optional_date(&a.due_on));
            let status = if a.status.trim().is_empty() {
                Some(ActionStatus::Open)
            } else {
                e.take(
                    &field("status"),
                    crate::error::choice(&a.status, ActionStatus::parse),
                )
            };
            match (text, owner, due_on, status) {
                (Some(text), Some(owner), Some(due_on), Some(status)) => {
                    if text.is_empty() {
                        if !owner.is_empty() || due_on.is_some() {
                            e.push(&field("text"), ErrorCode::Required);
                        }
                        continue;
                    }
                    actions.push(FollowUp {
                        text,
                        owner,
                        due_on,
                        status,
                    });
                }
                _ => continue,
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(MeetingData {
            decisions,
            actions,
            title: title.unwrap_or_default(),
            starts_at: starts_at.unwrap_or_default(),
            ends_at: ends_at.unwrap_or_default(),
            place: place.unwrap_or_default(),
            theme: theme.flatten(),
            case_project: input.case_project,
            presenter: presenter.unwrap_or_default(),
            agenda,
            minutes: minutes.unwrap_or_default(),
            appendices: {
                let mut seen = Vec::new();
                for id in &input.appendices {
                    if !seen.contains(id) {
                        seen.push(*id);
                    }
                }
                seen
            },
        })
    }
}

/// The open follow-up actions of the meetings that started before `meeting`, with the meeting
/// each was agreed at: what its agenda carries over.
pub fn carried_over<'a>(meeting: &Meeting, all: &'a [Meeting]) -> Vec<(&'a Meeting, &'a FollowUp)> {
    all.iter()
        .filter(|m| m.id != meeting.id && m.data.starts_at < meeting.data.starts_at)
        .flat_map(|m| {
            m.data
                .actions
                .iter()
                .filter(|a| a.status == ActionStatus::Open)
                .map(move |a| (m, a))
        })
        .collect()
}

/// A meeting as a calendar event: what it is about, where, and the page to read more.
pub struct CalendarEntry<'a> {
    pub meeting: &'a Meeting,
    /// A line on the theme and the case ("Thema: Leermiddelen. Casus: …").
    pub description: String,
    /// The meeting's page, absolute.
    pub url: String,
}

/// Meetings as one iCalendar document (RFC 5545): a VEVENT each, times in UTC, a stable UID
/// per meeting, and the version as SEQUENCE so a calendar takes a change.
pub fn ics(name: &str, host: &str, entries: &[CalendarEntry<'_>]) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut cal = Calendar::new();
    cal.name(name);
    for entry in entries {
        let m = entry.meeting;
        let mut event = Event::new();
        event
            .uid(&format!("meeting-{}@{host}", m.id))
            .summary(&m.data.title)
            .starts(m.data.starts_at)
            .ends(m.data.ends_at)
            .description(&entry.description)
            .url(&entry.url)
            .sequence(u32::try_from(m.version.max(0)).unwrap_or(0));
        if !m.data.place.is_empty() {
            event.location(&m.data.place);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MeetingInput {
        MeetingInput {
            title: "Netwerkbijeenkomst data".into(),
            starts_at: "2026-12-10T13:30".into(),
            ends_at: "2026-12-10T17:00:00+01:00".into(),
            place: "Utrecht".into(),
            theme: "data-ondersteund-onderwijs".into(),
            ..Default::default()
        }
    }

    #[test]
    fn local_and_rfc3339_times_are_the_same_moment_and_the_end_comes_after_the_start() {
        let m = MeetingData::parse(&input(), &["data-ondersteund-onderwijs"]).unwrap();
        assert_eq!(m.starts_at.to_rfc3339(), "2026-12-10T12:30:00+00:00");
        assert_eq!(m.ends_at.to_rfc3339(), "2026-12-10T16:00:00+00:00");
        let mut bad = input();
        bad.ends_at = "2026-12-10T12:00".into();
        bad.theme = "onbekend".into();
        bad.agenda = vec![AgendaItem {
            time: "10:00".into(),
            title: String::new(),
            owner: String::new(),
        }];
        let e = MeetingData::parse(&bad, &["data-ondersteund-onderwijs"]).unwrap_err();
        assert_eq!(e.for_field("ends_at"), Some(&ErrorCode::EndBeforeStart));
        assert_eq!(e.for_field("theme"), Some(&ErrorCode::Unknown));
        assert_eq!(e.for_field("agenda[0].title"), Some(&ErrorCode::Required));
    }

    #[test]
    fn a_calendar_reads_back_with_its_event() {
        let m = Meeting {
            id: 7,
            data: MeetingData::parse(&input(), &["data-ondersteund-onderwijs"]).unwrap(),
            created_at: String::new(),
            updated_at: String::new(),
            version: 2,
        };
        let text = ics(
            "Stip",
            "stip.example",
            &[CalendarEntry {
                meeting: &m,
                description: "Thema: Data; casus, met komma".into(),
                url: "https://stip.example/bijeenkomsten/7".into(),
            }],
        );
        let parsed: icalendar::Calendar = text.parse().unwrap();
        let event = parsed.components.iter().find_map(|c| c.as_event()).unwrap();
        use icalendar::{Component, EventLike};
        assert_eq!(event.get_summary(), Some("Netwerkbijeenkomst data"));
        assert_eq!(event.get_uid(), Some("meeting-7@stip.example"));
        assert_eq!(event.get_location(), Some("Utrecht"));
        assert_eq!(
            event.get_description(),
            Some("Thema: Data; casus, met komma")
        );
        assert!(text.contains("DTSTART:20261210T123000Z"), "{text}");
    }
}
