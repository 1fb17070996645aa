//! Surveys (enquêtes): a survey and its questions of six kinds, each answer checked against its
//! question, what a submit needs, the seed's survey as a template, and the results counted per
//! question.

use crate::error::{optional_text, required_text};
pub use crate::table::{Cell, Table};
use crate::{ErrorCode, Invalid, code_enum};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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

// ---- Results ---------------------------------------------------------------------------

/// One response as the results count it.
pub struct Counted<'a> {
    /// Who gave it (an institution's name), unless the survey is anonymous.
    pub who: Option<&'a str>,
    pub answers: &'a Answers,
}

/// A theme's place in a ranking across respondents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRank {
    pub code: String,
    /// Points: a theme in place p (1 = first) of a list scores (number of themes + 1 − p).
    pub points: u32,
    /// How many respondents chose it at all.
    pub chosen: u32,
    /// How many put it first.
    pub first: u32,
}

/// What one question's answers add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub question_id: i64,
    /// Responses that answer it.
    pub answered: u32,
    /// Per option (choices), per point 1–5 (scale), per theme or project: how many chose it.
    pub counts: Vec<(String, u32)>,
    /// Scale: the mean of the points given.
    pub mean: Option<f64>,
    /// Themes: ranked, best first.
    pub ranking: Vec<ThemeRank>,
    /// Open questions: every answer, with who gave it unless anonymous.
    pub texts: Vec<(Option<String>, String)>,
}

/// Counts every question's answers over `responses`. `theme_count` is the number of themes on
/// the agenda, for the points of a ranking.
pub fn results(
    questions: &[Question],
    responses: &[Counted<'_>],
    theme_count: usize,
) -> Vec<QuestionResult> {
    questions
        .iter()
        .map(|q| {
            let mut r = QuestionResult {
                question_id: q.id,
                answered: 0,
                counts: Vec::new(),
                mean: None,
                ranking: Vec::new(),
                texts: Vec::new(),
            };
            let mut tally: BTreeMap<String, u32> = BTreeMap::new();
            let mut ranks: BTreeMap<String, ThemeRank> = BTreeMap::new();
            let mut sum = 0u32;
            for resp in responses {
                let Some(a) = resp.answers.get(&q.id) else {
                    continue;
                };
                r.answered += 1;
                match a {
                    Answer::Text(t) => r.texts.push((resp.who.map(str::to_string), t.clone())),
                    Answer::Choice(c) => *tally.entry(c.clone()).or_default() += 1,
                    Answer::Choices(cs) => {
                        for c in cs {
                            *tally.entry(c.clone()).or_default() += 1;
                        }
                    }
                    Answer::Scale(n) => {
                        sum += u32::from(*n);
                        *tally.entry(n.to_string()).or_default() += 1;
                    }
                    Answer::Themes(codes) => {
                        let places = theme_count.max(codes.len()) as u32 + 1;
                        for (i, code) in codes.iter().enumerate() {
                            let rank = ranks.entry(code.clone()).or_insert_with(|| ThemeRank {
                                code: code.clone(),
                                points: 0,
                                chosen: 0,
                                first: 0,
                            });
                            rank.points += places - (i as u32 + 1);
                            rank.chosen += 1;
                            rank.first += u32::from(i == 0);
                        }
                    }
                    Answer::Projects(ids) => {
                        for id in ids {
                            *tally.entry(id.to_string()).or_default() += 1;
                        }
                    }
                }
            }
            r.counts = match q.data.kind {
                QuestionKind::Single | QuestionKind::Multiple => q
                    .data
                    .options
                    .iter()
                    .map(|o| (o.clone(), tally.get(o).copied().unwrap_or(0)))
                    .collect(),
                QuestionKind::Scale => (1..=5)
                    .map(|n| {
                        (
                            n.to_string(),
                            tally.get(&n.to_string()).copied().unwrap_or(0),
                        )
                    })
                    .collect(),
                QuestionKind::Projects => {
                    let mut c: Vec<(String, u32)> = tally.into_iter().collect();
                    c.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    c
                }
                QuestionKind::Themes => Vec::new(),
                QuestionKind::Open => Vec::new(),
            };
            if q.data.kind == QuestionKind::Scale && r.answered > 0 {
                r.mean = Some(f64::from(sum) / f64::from(r.answered));
            }
            if q.data.kind == QuestionKind::Themes {
                let mut ranking: Vec<ThemeRank> = ranks.into_values().collect();
                ranking.sort_by(|a, b| {
                    b.points
                        .cmp(&a.points)
                        .then(b.first.cmp(&a.first))
                        .then_with(|| a.code.cmp(&b.code))
                });
                r.counts = ranking.iter().map(|t| (t.code.clone(), t.chosen)).collect();
                r.ranking = ranking;
            }
            r
        })
        .collect()
}

// ---- Templates -------------------------------------------------------------------------

/// A survey Stip ships, to start a new one from.
pub struct Template {
    pub code: &'static str,
    pub title: &'static str,
    pub introduction: &'static str,
    pub questions: Vec<QuestionData>,
}

/// The templates Stip ships: the seed's network survey.
pub fn templates() -> Vec<Template> {
    vec![netwerkenquete_2020()]
}

impl Template {
    /// The template's questions; for an anonymous survey without the one that picks projects
    /// (see [`check_anonymous`]).
    pub fn questions_for(&self, anonymous: bool) -> Vec<QuestionData> {
        self.questions
            .iter()
            .filter(|q| !anonymous || q.kind != QuestionKind::Projects)
            .cloned()
            .collect()
    }
}

pub fn template(code: &str) -> Option<Template> {
    templates().into_iter().find(|t| t.code == code)
}

fn q(
    section: &str,
    kind: QuestionKind,
    text: &str,
    help: &str,
    options: &[&str],
    required: bool,
) -> QuestionData {
    QuestionData {
        section: section.into(),
        kind,
        text: text.into(),
        help: help.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        required,
    }
}

/// The survey the regiegroep sent before the network meeting of March 2020 (the seed).
fn netwerkenquete_2020() -> Template {
    use QuestionKind::*;
    let speelt = "Wat speelt er in jouw instelling";
    let voorbeeld = "Een mooi voorbeeld";
    let rol = "De rol van informatiemanagement";
    Template {
        code: "netwerkenquete-2020",
        title: "Netwerkenquête strategische agenda digitalisering",
        introduction: "Om zoveel mogelijk kennis uit de instellingen op te halen, vragen we je naar wat er \
            bij jullie speelt rond de thema's van de strategische agenda digitalisering mbo, naar een mooi \
            voorbeeld dat we met elkaar kunnen delen, en naar de rol van informatiemanagement. De \
            resultaten komen als bijlage bij het verslag van de netwerkbijeenkomst.",
        questions: vec![
            q(
                speelt,
                Themes,
                "Welke thema's van de strategische agenda spelen nu het meest in jouw instelling?",
                "",
                &[],
                true,
            ),
            q(
                speelt,
                Open,
                "Wat speelt er binnen jouw instelling met betrekking tot de thema's van de strategische agenda digitalisering?",
                "",
                &[],
                true,
            ),
            q(
                voorbeeld,
                Open,
                "Kun je een mooi voorbeeld noemen vanuit jouw instelling, een voorbeeld dat we ook met elkaar kunnen delen op de netwerkbijeenkomsten?",
                "Wat is het, en wat maakt het de moeite waard om te delen?",
                &[],
                false,
            ),
            q(
                voorbeeld,
                Projects,
                "Staat dat voorbeeld in jullie portfolio? Kies het project of de projecten.",
                "",
                &[],
                false,
            ),
            q(
                voorbeeld,
                Single,
                "Wil je dit voorbeeld zelf presenteren als casus op een netwerkbijeenkomst?",
                "",
                &["Ja", "Misschien", "Nee"],
                false,
            ),
            q(
                rol,
                Open,
                "Welke rol speelt informatiemanagement in het proces rond de strategische agenda, de verbinding van de thema's en de implementatie van onderdelen daarvan in jouw instelling?",
                "",
                &[],
                true,
            ),
            q(
                rol,
                Scale,
                "Hoeveel invloed heeft informatiemanagement op de keuzes rond de strategische agenda in jouw instelling?",
                "",
                &["Geen invloed", "Beslissende invloed"],
                false,
            ),
            q(
                rol,
                Multiple,
                "Waar is informatiemanagement in jouw instelling bij betrokken?",
                "Kies alles wat klopt.",
                &[
                    "Beleid en strategie",
                    "Architectuur",
                    "Projectportfolio",
                    "Informatiebeveiliging en privacy",
                    "Data en informatievoorziening",
                ],
                false,
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey(questions: Vec<QuestionData>) -> Survey {
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
            created_at: String::new(),
            version: 1,
        }
    }

    fn ctx_check(s: &Survey, sent: serde_json::Value, complete: bool) -> Result<Answers, Invalid> {
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

    #[test]
    fn results_count_choices_scale_and_rank_themes() {
        let s = survey(template("netwerkenquete-2020").unwrap().questions);
        let a = ctx_check(
            &s,
            json!({"10": ["innovatie", "llo"], "14": "Ja", "16": 4, "11": "Veel"}),
            false,
        )
        .unwrap();
        let b = ctx_check(&s, json!({"10": ["llo"], "14": "Ja", "16": 2}), false).unwrap();
        let r = results(
            &s.questions,
            &[
                Counted {
                    who: Some("A"),
                    answers: &a,
                },
                Counted {
                    who: None,
                    answers: &b,
                },
            ],
            2,
        );
        let themes = &r[0];
        // innovatie: 2 points (first of 2); llo: 1 + 2.
        assert_eq!(themes.ranking[0].code, "llo");
        assert_eq!(themes.ranking[0].points, 3);
        assert_eq!(themes.ranking[1].points, 2);
        assert_eq!(
            r[1].texts,
            vec![(Some("A".to_string()), "Veel".to_string())]
        );
        assert_eq!(r[4].counts[0], ("Ja".to_string(), 2));
        assert_eq!(r[6].mean, Some(3.0));
        assert_eq!(r[6].counts[3], ("4".to_string(), 1));
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
