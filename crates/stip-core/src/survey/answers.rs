//! A respondent's answers: each checked against its question, what a submit needs, and the
//! answers as stored.

use super::{MAX_OPEN_ANSWER, QuestionData, QuestionKind, Survey};
use crate::error::optional_text;
use crate::{ErrorCode, Invalid};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every question's field in a refusal: `answers.{id}`.
pub fn answer_field(question_id: i64) -> String {
    format!("answers.{question_id}")
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Text(String),
    Choice(String),
    Choices(Vec<String>),
    Scale(u8),
    /// Theme codes, most important first.
    Themes(Vec<String>),
    /// Ids of projects of the respondent's institution.
    Projects(Vec<i64>),
}

/// What answers are checked against besides their question.
pub struct AnswerContext<'a> {
    /// The agenda's theme codes.
    pub themes: &'a [&'a str],
    /// The projects the respondent may point at (their institution's).
    pub projects: &'a BTreeSet<i64>,
}

impl Answer {
    /// The answer as JSON, as the API takes and gives it.
    pub fn to_json(&self) -> Value {
        match self {
            Answer::Text(t) | Answer::Choice(t) => Value::from(t.as_str()),
            Answer::Choices(l) | Answer::Themes(l) => Value::from(l.clone()),
            Answer::Scale(n) => Value::from(*n),
            Answer::Projects(ids) => Value::from(ids.clone()),
        }
    }

    /// Reads `value` as an answer to `q`: `Ok(None)` when it is empty (null, "", []).
    pub fn check(
        q: &QuestionData,
        value: &Value,
        ctx: &AnswerContext<'_>,
    ) -> Result<Option<Answer>, ErrorCode> {
        if value.is_null() {
            return Ok(None);
        }
        let texts = |value: &Value| -> Result<Vec<String>, ErrorCode> {
            let list = value.as_array().ok_or(ErrorCode::ExpectedList)?;
            let mut out: Vec<String> = Vec::new();
            for v in list {
                let t = v
                    .as_str()
                    .ok_or(ErrorCode::ExpectedText)?
                    .trim()
                    .to_string();
                if out.contains(&t) {
                    return Err(ErrorCode::Duplicate);
                }
                out.push(t);
            }
            Ok(out)
        };
        let option = |t: &str| -> Result<String, ErrorCode> {
            q.options
                .iter()
                .find(|o| o.as_str() == t.trim())
                .cloned()
                .ok_or(ErrorCode::InvalidChoice)
        };
        let answer = match q.kind {
            QuestionKind::Open => {
                let t = value.as_str().ok_or(ErrorCode::ExpectedText)?;
                let t = optional_text(t, MAX_OPEN_ANSWER)?;
                (!t.is_empty()).then_some(Answer::Text(t))
            }
            QuestionKind::Single => {
                let t = value.as_str().ok_or(ErrorCode::ExpectedText)?;
                if t.trim().is_empty() {
                    None
                } else {
                    Some(Answer::Choice(option(t)?))
                }
            }
            QuestionKind::Multiple => {
                let chosen = texts(value)?
                    .iter()
                    .map(|t| option(t))
                    .collect::<Result<Vec<_>, _>>()?;
                // In the question's order, whatever order they came in.
                let chosen: Vec<String> = q
                    .options
                    .iter()
                    .filter(|o| chosen.contains(o))
                    .cloned()
                    .collect();
                (!chosen.is_empty()).then_some(Answer::Choices(chosen))
            }
            QuestionKind::Scale => {
                let n = match value {
                    Value::Number(n) => {
                        n.as_i64().ok_or(ErrorCode::OutOfRange { min: 1, max: 5 })?
                    }
                    Value::String(s) if s.trim().is_empty() => return Ok(None),
                    Value::String(s) => s
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| ErrorCode::ExpectedNumber)?,
                    _ => return Err(ErrorCode::ExpectedNumber),
                };
                if !(1..=5).contains(&n) {
                    return Err(ErrorCode::OutOfRange { min: 1, max: 5 });
                }
                Some(Answer::Scale(n as u8))
            }
            QuestionKind::Themes => {
                let codes = texts(value)?;
                if codes.iter().any(|c| !ctx.themes.contains(&c.as_str())) {
                    return Err(ErrorCode::InvalidChoice);
                }
                (!codes.is_empty()).then_some(Answer::Themes(codes))
            }
            QuestionKind::Projects => {
                let list = value.as_array().ok_or(ErrorCode::ExpectedList)?;
                let mut ids: Vec<i64> = Vec::new();
                for v in list {
                    let id = v.as_i64().ok_or(ErrorCode::ExpectedNumber)?;
                    if !ctx.projects.contains(&id) {
                        return Err(ErrorCode::OtherInstitution);
                    }
                    if ids.contains(&id) {
                        return Err(ErrorCode::Duplicate);
                    }
                    ids.push(id);
                }
                (!ids.is_empty()).then_some(Answer::Projects(ids))
            }
        };
        Ok(answer)
    }

    /// Reads an answer as stored (written by [`Answer::to_json`] after checking): `None` when it
    /// no longer fits its question.
    pub fn stored(kind: QuestionKind, value: &Value) -> Option<Answer> {
        let strings = |v: &Value| -> Option<Vec<String>> {
            v.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect()
        };
        Some(match kind {
            QuestionKind::Open => Answer::Text(value.as_str()?.to_string()),
            QuestionKind::Single => Answer::Choice(value.as_str()?.to_string()),
            QuestionKind::Multiple => Answer::Choices(strings(value)?),
            QuestionKind::Scale => Answer::Scale(u8::try_from(value.as_u64()?).ok()?),
            QuestionKind::Themes => Answer::Themes(strings(value)?),
            QuestionKind::Projects => Answer::Projects(
                value
                    .as_array()?
                    .iter()
                    .map(Value::as_i64)
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

/// Answers by question id.
pub type Answers = BTreeMap<i64, Answer>;

/// Checks the answers a respondent sent (question id → JSON value): every answer that is
/// there must fit its question; with `complete`, every required question must be answered.
/// Refusals name `answers.{id}`; an id that is not a question of the survey is refused too.
/// Gives the answers that fit with the refusals of the rest, so a draft keeps what it can.
pub fn check_answers(
    survey: &Survey,
    sent: &BTreeMap<String, Value>,
    ctx: &AnswerContext<'_>,
    complete: bool,
) -> (Answers, Invalid) {
    let mut e = Invalid::default();
    let mut answers = Answers::new();
    for (key, value) in sent {
        let question = key
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| survey.question(id));
        let Some(q) = question else {
            e.push(&format!("answers.{key}"), ErrorCode::UnknownField);
            continue;
        };
        match Answer::check(&q.data, value, ctx) {
            Ok(Some(a)) => {
                answers.insert(q.id, a);
            }
            Ok(None) => {}
            Err(code) => e.push(&answer_field(q.id), code),
        }
    }
    if complete {
        for q in &survey.questions {
            if q.data.required
                && !answers.contains_key(&q.id)
                && e.for_field(&answer_field(q.id)).is_none()
            {
                e.push(&answer_field(q.id), ErrorCode::Required);
            }
        }
    }
    (answers, e)
}

/// Answers as stored: `{"question id": value}`.
pub fn answers_json(answers: &Answers) -> String {
    let map: BTreeMap<String, Value> = answers
        .iter()
        .map(|(id, a)| (id.to_string(), a.to_json()))
        .collect();
    serde_json::to_string(&map).expect("answers serialise")
}

/// Answers as stored, read back against the survey's questions; answers to questions that are
/// gone are dropped.
pub fn answers_from_json(survey: &Survey, json: &str) -> Option<Answers> {
    let map: BTreeMap<String, Value> = serde_json::from_str(json).ok()?;
    Some(
        map.iter()
            .filter_map(|(k, v)| {
                let q = survey.question(k.parse().ok()?)?;
                Some((q.id, Answer::stored(q.data.kind, v)?))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::template;
    use crate::survey::tests::{ctx_check, survey};
    use serde_json::json;

    #[test]
    fn every_kind_refuses_what_does_not_fit_and_names_the_question() {
        let t = template("netwerkenquete-2020").unwrap();
        let s = survey(t.questions);
        // 10 themes, 11 open, 12 open, 13 projects, 14 single, 15 open, 16 scale, 17 multiple
        let e = ctx_check(
            &s,
            json!({
                "10": ["llo", "onbekend"], "11": 5, "13": [9], "14": "Wellicht", "16": 6,
                "17": ["Architectuur", "Architectuur"], "99": "x"
            }),
            true,
        )
        .unwrap_err();
        let code = |f: &str| e.for_field(f).cloned();
        assert_eq!(code("answers.10"), Some(ErrorCode::InvalidChoice));
        assert_eq!(code("answers.11"), Some(ErrorCode::ExpectedText));
        assert_eq!(code("answers.13"), Some(ErrorCode::OtherInstitution));
        assert_eq!(code("answers.14"), Some(ErrorCode::InvalidChoice));
        assert_eq!(
            code("answers.16"),
            Some(ErrorCode::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(code("answers.17"), Some(ErrorCode::Duplicate));
        assert_eq!(code("answers.99"), Some(ErrorCode::UnknownField));
        assert_eq!(code("answers.15"), Some(ErrorCode::Required));
        assert_eq!(code("answers.12"), None, "optional");
    }

    #[test]
    fn a_draft_may_leave_required_questions_open_and_answers_read_back() {
        let s = survey(template("netwerkenquete-2020").unwrap().questions);
        let a = ctx_check(&s, json!({"10": ["innovatie", "llo"], "16": 4, "17": ["Architectuur", "Beleid en strategie"], "13": [8]}), false).unwrap();
        assert_eq!(
            a[&17],
            Answer::Choices(vec!["Beleid en strategie".into(), "Architectuur".into()])
        );
        let back = answers_from_json(&s, &answers_json(&a)).unwrap();
        assert_eq!(back, a);
        assert!(ctx_check(&s, json!({"10": ["llo"]}), true).is_err());
    }
}
