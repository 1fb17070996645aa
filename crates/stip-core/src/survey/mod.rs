//! Surveys (enquêtes): a survey and its questions of six kinds, each answer checked against its
//! question, what a submit needs, the seed's survey as a template, and the results counted per
//! question.
//!
//! Answers, results and templates each have a file of their own here.

mod answers;
mod results;
mod templates;

pub use answers::{
    Answer, AnswerContext, Answers, answer_field, answers_from_json, answers_json, check_answers,
};
pub use results::{Counted, QuestionResult, ThemeRank, results};
pub use templates::{Template, template, templates};

use crate::error::{optional_text, required_text};
pub use crate::table::{Cell, Table};
use crate::{ErrorCode, Invalid, code_enum};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

code_enum!(
    /// What kind of answer a question takes.
    QuestionKind {
        Open => "open",
        Single => "single",
        Multiple => "multiple",
        Scale => "scale",
        Themes => "themes",
        Projects => "projects",
    }
);

code_enum!(
    /// Who answers: one response per institution, or one per person.
    Respondent {
        Institution => "institution",
        Person => "person",
    }
);

code_enum!(
    /// Where an invitation's response is: nothing saved yet, a draft, or submitted.
    InvitationStatus {
        Open => "open",
        Concept => "concept",
        Submitted => "ingediend",
    }
);

/// The longest open answer, in characters.
pub const MAX_OPEN_ANSWER: usize = 10_000;
/// The most questions a survey has.
pub const MAX_QUESTIONS: usize = 100;
/// The most options a choice question offers.
pub const MAX_OPTIONS: usize = 30;

/// A question as the survey's builder wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionData {
    /// The heading of the section the question opens or belongs to; empty: no heading.
    pub section: String,
    pub kind: QuestionKind,
    pub text: String,
    /// A line under the question that helps answer it.
    pub help: String,
    /// Single and multiple choice: the options. Scale: none, or the labels of 1 and 5, or of
    /// every point.
    pub options: Vec<String>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: i64,
    #[serde(flatten)]
    pub data: QuestionData,
}

/// A question as typed: in a form or a JSON body.
#[derive(Debug, Clone, Default)]
pub struct QuestionInput {
    pub section: String,
    pub kind: String,
    pub text: String,
    pub help: String,
    pub options: Vec<String>,
    pub required: bool,
}

impl QuestionData {
    /// Checks a question; errors are named `{prefix}.text`, `{prefix}.options`, ….
    pub fn parse(input: &QuestionInput, prefix: &str, e: &mut Invalid) -> Option<QuestionData> {
        let field = |name: &str| format!("{prefix}.{name}");
        let kind = e.take(
            &field("kind"),
            crate::error::choice(&input.kind, QuestionKind::parse),
        );
        let text = e.take(&field("text"), required_text(&input.text, 1000));
        let section = e.take(&field("section"), optional_text(&input.section, 200));
        let help = e.take(&field("help"), optional_text(&input.help, 1000));
        let mut options = Vec::new();
        let mut seen = BTreeSet::new();
        for raw in &input.options {
            match optional_text(raw, 200) {
                Ok(o) if o.is_empty() => {}
                Ok(o) => {
                    if !seen.insert(o.to_lowercase()) {
                        e.push(&field("options"), ErrorCode::Duplicate);
                        break;
                    }
                    options.push(o);
                }
                Err(code) => {
                    e.push(&field("options"), code);
                    break;
                }
            }
        }
        let kind = kind?;
        match kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                if options.len() < 2 {
                    e.push(&field("options"), ErrorCode::TooShort { min: 2 });
                } else if options.len() > MAX_OPTIONS {
                    e.push(&field("options"), ErrorCode::TooLong { max: MAX_OPTIONS });
                }
            }
            QuestionKind::Scale => {
                if ![0, 2, 5].contains(&options.len()) {
                    e.push(&field("options"), ErrorCode::InvalidChoice);
                }
            }
            // These take their choices from the agenda or the portfolio.
            QuestionKind::Open | QuestionKind::Themes | QuestionKind::Projects => options.clear(),
        }
        Some(QuestionData {
            section: section?,
            kind,
            text: text?,
            help: help?,
            options,
            required: input.required,
        })
    }

    /// The label of scale point `n` (1–5), if the question names it.
    pub fn scale_label(&self, n: u8) -> Option<&str> {
        match self.options.len() {
            2 if n == 1 => Some(&self.options[0]),
            2 if n == 5 => Some(&self.options[1]),
            5 => self.options.get(usize::from(n) - 1).map(String::as_str),
            _ => None,
        }
    }
}

/// A survey's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveyData {
    pub title: String,
    pub introduction: String,
    /// Answers are kept with no link to who gave them.
    pub anonymous: bool,
    pub respondent: Respondent,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

#[derive(Debug, Clone, Default)]
pub struct SurveyInput {
    pub title: String,
    pub introduction: String,
    pub anonymous: bool,
    pub respondent: String,
    pub opens_on: String,
    pub closes_on: String,
}

impl SurveyData {
    pub fn parse(input: &SurveyInput, e: &mut Invalid) -> Option<SurveyData> {
        let title = e.take("title", required_text(&input.title, 200));
        let introduction = e.take("introduction", optional_text(&input.introduction, 5000));
        let respondent = if input.respondent.trim().is_empty() {
            Some(Respondent::Institution)
        } else {
            e.take(
                "respondent",
                crate::error::choice(&input.respondent, Respondent::parse),
            )
        };
        let date = |raw: &str| {
            crate::number::optional_date(raw).and_then(|d| d.ok_or(ErrorCode::Required))
        };
        let opens_on = e.take("opens_on", date(&input.opens_on));
        let closes_on = e.take("closes_on", date(&input.closes_on));
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            e.push("closes_on", ErrorCode::EndBeforeStart);
        }
        Some(SurveyData {
            title: title?,
            introduction: introduction?,
            anonymous: input.anonymous,
            respondent: respondent?,
            opens_on: opens_on?,
            closes_on: closes_on?,
        })
    }
}

/// An anonymous survey asks nothing that names the institution: picking projects from the own
/// portfolio would (every project belongs to one). Refusals name `questions[i].kind`.
pub fn check_anonymous(anonymous: bool, kinds: &[QuestionKind], e: &mut Invalid) {
    if !anonymous {
        return;
    }
    for (i, kind) in kinds.iter().enumerate() {
        if *kind == QuestionKind::Projects {
            e.push(&format!("questions[{i}].kind"), ErrorCode::InvalidChoice);
        }
    }
}

/// Where a survey is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Being built: questions can change, nobody is invited yet.
    Concept,
    /// Opened, but its opening date is still to come.
    Planned,
    /// Taking responses.
    Open,
    /// Past its closing date.
    Closed,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Concept => "concept",
            Stage::Planned => "gepland",
            Stage::Open => "open",
            Stage::Closed => "gesloten",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Survey {
    pub id: i64,
    #[serde(flatten)]
    pub data: SurveyData,
    pub questions: Vec<Question>,
    /// When it was opened: invitations made, questions fixed.
    pub opened_at: Option<String>,
    /// The agenda version it was opened with: its theme questions offer that version's themes
    /// while it runs (`None`: not opened, or opened before Stip kept it).
    pub agenda_id: Option<i64>,
    pub created_at: String,
    pub version: i64,
}

impl Survey {
    pub fn stage(&self, today: NaiveDate) -> Stage {
        if self.opened_at.is_none() {
            Stage::Concept
        } else if today < self.data.opens_on {
            Stage::Planned
        } else if today > self.data.closes_on {
            Stage::Closed
        } else {
            Stage::Open
        }
    }

    pub fn question(&self, id: i64) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeMap;

    pub(crate) fn survey(questions: Vec<QuestionData>) -> Survey {
        Survey {
            id: 1,
            data: SurveyData {
                title: "T".into(),
                introduction: String::new(),
                anonymous: false,
                respondent: Respondent::Institution,
                opens_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                closes_on: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            },
            questions: questions
                .into_iter()
                .enumerate()
                .map(|(i, data)| Question {
                    id: i as i64 + 10,
                    data,
                })
                .collect(),
            opened_at: Some("x".into()),
            agenda_id: None,
            created_at: String::new(),
            version: 1,
        }
    }

    pub(crate) fn ctx_check(
        s: &Survey,
        sent: serde_json::Value,
        complete: bool,
    ) -> Result<Answers, Invalid> {
        let projects: BTreeSet<i64> = [7, 8].into();
        let ctx = AnswerContext {
            themes: &["llo", "innovatie"],
            projects: &projects,
        };
        let sent: BTreeMap<String, Value> = serde_json::from_value(sent).unwrap();
        let (answers, e) = check_answers(s, &sent, &ctx, complete);
        if e.is_empty() { Ok(answers) } else { Err(e) }
    }

    #[test]
    fn a_question_needs_text_and_choices_need_two_options() {
        let mut e = Invalid::default();
        let q = QuestionData::parse(
            &QuestionInput {
                kind: "single".into(),
                options: vec!["Ja".into()],
                ..Default::default()
            },
            "questions[0]",
            &mut e,
        );
        assert!(q.is_none());
        assert_eq!(e.for_field("questions[0].text"), Some(&ErrorCode::Required));
        assert_eq!(
            e.for_field("questions[0].options"),
            Some(&ErrorCode::TooShort { min: 2 })
        );
        let mut e = Invalid::default();
        QuestionData::parse(
            &QuestionInput {
                kind: "poll".into(),
                text: "x".into(),
                ..Default::default()
            },
            "q",
            &mut e,
        );
        assert_eq!(e.for_field("q.kind"), Some(&ErrorCode::InvalidChoice));
    }
}
