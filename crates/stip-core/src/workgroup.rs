//! The agenda's working groups (werkgroepen): each theme has its SAD working group, and the
//! network keeps a dated log of the exchanges with it: *input* (what the network gave the working
//! group) and *output* (what came back), so nothing said at a meeting gets lost.

use crate::error::{optional_text, required_text};
use crate::{ErrorCode, Invalid};
use serde::{Deserialize, Serialize};

crate::code_enum!(
    /// Which way an exchange went.
    Direction {
        Input => "input",
        Output => "output",
    }
);

pub const MAX_MEMBERS: usize = 50;
pub const MAX_LINKS: usize = 10;

/// A member of a working group: a name, and the institution they come from (its id), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub institution: Option<i64>,
}

/// A theme's working group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct WorkgroupData {
    pub name: String,
    pub chair: String,
    /// How to reach it: an e-mail address, a page.
    pub contact: String,
    pub members: Vec<Member>,
}

/// A working group as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct WorkgroupInput {
    pub name: String,
    pub chair: String,
    pub contact: String,
    /// (name, institution id) per member; empty names are left out.
    pub members: Vec<(String, Option<i64>)>,
}

impl WorkgroupInput {
    /// Checks every field; `institution_exists` tells whether an institution id is known.
    pub fn check(
        &self,
        institution_exists: impl Fn(i64) -> bool,
    ) -> Result<WorkgroupData, Invalid> {
        let mut e = Invalid::default();
        let name = e.take("name", required_text(&self.name, 200));
        let chair = e.take("chair", optional_text(&self.chair, 200));
        let contact = e.take("contact", optional_text(&self.contact, 300));
        let mut members = Vec::new();
        if self.members.len() > MAX_MEMBERS {
            e.push(
                "members",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: MAX_MEMBERS as i64,
                },
            );
        }
        for (i, (raw, institution)) in self.members.iter().enumerate() {
            if raw.trim().is_empty() && institution.is_none() {
                continue;
            }
            let name = e.take(&format!("members[{i}].name"), required_text(raw, 200));
            if let Some(inst) = institution
                && !institution_exists(*inst)
            {
                e.push(&format!("members[{i}].institution"), ErrorCode::Unknown);
            }
            if let Some(name) = name {
                members.push(Member {
                    name,
                    institution: *institution,
                });
            }
        }
        match (name, chair, contact) {
            (Some(name), Some(chair), Some(contact)) if e.is_empty() => Ok(WorkgroupData {
                name,
                chair,
                contact,
                members,
            }),
            _ => Err(e),
        }
    }
}

/// An exchange with a working group, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub direction: Direction,
    pub date: chrono::NaiveDate,
    pub text: String,
    pub links: Vec<String>,
    /// Related projects (ids).
    pub projects: Vec<i64>,
    /// The meeting it was said at, if any.
    pub meeting: Option<i64>,
}

/// An exchange as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct ExchangeInput {
    pub direction: String,
    pub date: String,
    pub text: String,
    pub links: Vec<String>,
    pub projects: Vec<i64>,
    pub meeting: Option<i64>,
}

impl ExchangeInput {
    /// Checks every field; the closures tell whether a project or meeting id exists.
    pub fn check(
        &self,
        project_exists: impl Fn(i64) -> bool,
        meeting_exists: impl Fn(i64) -> bool,
    ) -> Result<Exchange, Invalid> {
        let mut e = Invalid::default();
        let direction = match self.direction.trim() {
            "" => {
                e.push("direction", ErrorCode::Required);
                None
            }
            d => {
                let parsed = Direction::parse(d);
                if parsed.is_none() {
                    e.push("direction", ErrorCode::InvalidChoice);
                }
                parsed
            }
        };
        let date = match self.date.trim() {
            "" => {
                e.push("date", ErrorCode::Required);
                None
            }
            d => {
                let parsed = crate::number::parse_date(d);
                if parsed.is_err() {
                    e.push("date", ErrorCode::NotADate);
                }
                parsed.ok()
            }
        };
        let text = e.take("text", required_text(&self.text, 4000));
        let mut links = Vec::new();
        if self.links.len() > MAX_LINKS {
            e.push(
                "links",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: MAX_LINKS as i64,
                },
            );
        }
        for (i, raw) in self.links.iter().enumerate() {
            let link = raw.trim();
            if link.is_empty() {
                continue;
            }
            // As a project's links: a web address without spaces.
            let ok = (link.starts_with("https://") || link.starts_with("http://"))
                && link.len() > 10
                && link.len() <= 2000
                && !link.chars().any(|c| c.is_whitespace() || c.is_control());
            if ok {
                links.push(link.to_string());
            } else {
                e.push(&format!("links[{i}]"), ErrorCode::InvalidLink);
            }
        }
        for (i, p) in self.projects.iter().enumerate() {
            if !project_exists(*p) {
                e.push(&format!("projects[{i}]"), ErrorCode::Unknown);
            }
        }
        if let Some(m) = self.meeting
            && !meeting_exists(m)
        {
            e.push("meeting", ErrorCode::Unknown);
        }
        match (direction, date, text) {
            (Some(direction), Some(date), Some(text)) if e.is_empty() => Ok(Exchange {
                direction,
                date,
                text,
                links,
                projects: self.projects.clone(),
                meeting: self.meeting,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exchange_is_refused_by_field() {
        let e = ExchangeInput {
            direction: "sideways".into(),
            date: "31-02-2026".into(),
            text: " ".into(),
            links: vec!["javascript:alert(1)".into()],
            projects: vec![7],
            meeting: Some(3),
        }
        .check(|_| false, |_| false)
        .unwrap_err();
        assert_eq!(e.for_field("direction"), Some(&ErrorCode::InvalidChoice));
        assert_eq!(e.for_field("date"), Some(&ErrorCode::NotADate));
        assert_eq!(e.for_field("text"), Some(&ErrorCode::Required));
        assert_eq!(e.for_field("links[0]"), Some(&ErrorCode::InvalidLink));
        assert_eq!(e.for_field("projects[0]"), Some(&ErrorCode::Unknown));
        assert_eq!(e.for_field("meeting"), Some(&ErrorCode::Unknown));
    }

    #[test]
    fn an_exchange_takes_a_dutch_or_iso_date() {
        for date in ["2026-11-12", "12-11-2026"] {
            let x = ExchangeInput {
                direction: "output".into(),
                date: date.into(),
                text: "Advies over studievoortgang".into(),
                links: vec![String::new(), "https://example.org/advies".into()],
                ..Default::default()
            }
            .check(|_| true, |_| true)
            .unwrap();
            assert_eq!(
                x.date,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 12).unwrap()
            );
            assert_eq!(x.links, ["https://example.org/advies"]);
        }
    }

    #[test]
    fn a_working_group_needs_a_name_and_known_institutions() {
        let e = WorkgroupInput {
            name: String::new(),
            members: vec![("Anna".into(), Some(9)), (String::new(), None)],
            ..Default::default()
        }
        .check(|_| false)
        .unwrap_err();
        assert_eq!(e.for_field("name"), Some(&ErrorCode::Required));
        assert_eq!(
            e.for_field("members[0].institution"),
            Some(&ErrorCode::Unknown)
        );
    }
}
