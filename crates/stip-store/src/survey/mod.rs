//! Surveys (issue 13): surveys and their questions, the invitations opening makes (each with
//! its link), drafts, submits in one transaction, and the submitted answers for the results.
//! An anonymous survey's submitted answers live apart from every invitation (see the
//! migration). Nothing here is kept in memory, so surveys are not in the change log.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool, retrying};
use stip_core::Version;
use stip_core::positioning::MIN_THRESHOLD;
use stip_core::survey::{
    InvitationStatus, Question, QuestionData, QuestionKind, Respondent, Survey, SurveyData,
};
use stip_core::user::Role;

/// A survey's invitation: who it is for, its link's token and where the response is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub survey_id: i64,
    pub institution_id: i64,
    /// For a survey answered per person: whom.
    pub user_id: Option<i64>,
    pub token: String,
    pub status: InvitationStatus,
    /// The draft, or the submitted answers (not for an anonymous survey), as JSON.
    pub answers: Option<String>,
    pub saved_at: Option<String>,
    pub saved_by: Option<i64>,
    pub submitted_at: Option<String>,
    pub version: i64,
}

/// A submitted response as the results read it.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// Whose: `None` for an anonymous survey.
    pub institution_id: Option<i64>,
    pub user_id: Option<i64>,
    pub submitted_at: Option<String>,
    pub answers: String,
}

crate::row! {
    struct SurveyRow {
        id: i64,
        title: String,
        introduction: String,
        anonymous: bool,
        respondent: String,
        opens_on: String,
        closes_on: String,
        opened_at: Option<String>,
        agenda_id: Option<i64>,
        created_at: String,
        version: i64,
    }
}

crate::row! {
    struct QuestionRow {
        id: i64,
        survey_id: i64,
        section: String,
        kind: String,
        text: String,
        help: String,
        options: String,
        required: bool,
    }
}

crate::row! {
    struct InvitationRow {
        id: i64,
        survey_id: i64,
        institution_id: i64,
        user_id: Option<i64>,
        token: String,
        status: String,
        answers: Option<String>,
        saved_at: Option<String>,
        saved_by: Option<i64>,
        submitted_at: Option<String>,
        version: i64,
    }
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;
    fn try_from(r: InvitationRow) -> Result<Invitation> {
        Ok(Invitation {
            id: r.id,
            survey_id: r.survey_id,
            institution_id: r.institution_id,
            user_id: r.user_id,
            token: r.token,
            status: InvitationStatus::parse(&r.status)
                .ok_or_else(|| corrupt("invitation status", &r.status))?,
            answers: r.answers,
            saved_at: r.saved_at,
            saved_by: r.saved_by,
            submitted_at: r.submitted_at,
            version: r.version,
        })
    }
}

fn question(r: QuestionRow) -> Result<Question> {
    Ok(Question {
        id: r.id,
        data: QuestionData {
            section: r.section,
            kind: QuestionKind::parse(&r.kind).ok_or_else(|| corrupt("question kind", &r.kind))?,
            text: r.text,
            help: r.help,
            options: serde_json::from_str(&r.options)
                .map_err(|_| corrupt("options", &r.options))?,
            required: r.required,
        },
    })
}

fn survey(r: SurveyRow, questions: Vec<Question>) -> Result<Survey> {
    let date = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| corrupt("survey date", d))
    };
    Ok(Survey {
        id: r.id,
        data: SurveyData {
            title: r.title,
            introduction: r.introduction,
            anonymous: r.anonymous,
            respondent: Respondent::parse(&r.respondent)
                .ok_or_else(|| corrupt("respondent", &r.respondent))?,
            opens_on: date(&r.opens_on)?,
            closes_on: date(&r.closes_on)?,
        },
        questions,
        opened_at: r.opened_at,
        agenda_id: r.agenda_id,
        created_at: r.created_at,
        version: r.version,
    })
}

const SURVEY_COLUMNS: &str = "id, title, introduction, anonymous, respondent, opens_on, closes_on, opened_at, agenda_id, created_at, version";
const QUESTION_COLUMNS: &str = "id, survey_id, section, kind, text, help, options, required";
const INVITATION_COLUMNS: &str = "id, survey_id, institution_id, user_id, token, status, answers, saved_at, saved_by, submitted_at, version";

/// Writes a survey's questions in this order: those with an id are updated in place (their
/// answers stay theirs), the others added, and the survey's questions not listed deleted.
macro_rules! write_questions {
    ($tx:expr, $survey_id:expr, $questions:expr) => {{
        let keep: Vec<i64> = $questions.iter().filter_map(|(id, _)| *id).collect();
        let existing: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM survey_questions WHERE survey_id = $1")
                .bind($survey_id)
                .fetch_all(&mut *$tx)
                .await?;
        for id in existing.iter().filter(|id| !keep.contains(id)) {
            sqlx::query("DELETE FROM survey_questions WHERE id = $1")
                .bind(id)
                .execute(&mut *$tx)
                .await?;
        }
        for (position, (id, q)) in $questions.iter().enumerate() {
            let options = serde_json::to_string(&q.options).expect("texts");
            match id {
                Some(id) if existing.contains(id) => {
                    sqlx::query(
                        "UPDATE survey_questions SET position = $1, section = $2, kind = $3, text = $4, help = $5, options = $6, required = $7 WHERE id = $8",
                    )
                    .bind(position as i64)
                    .bind(&q.section)
                    .bind(q.kind.code())
                    .bind(&q.text)
                    .bind(&q.help)
                    .bind(&options)
                    .bind(q.required)
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
                }
                _ => {
                    sqlx::query(
                        "INSERT INTO survey_questions (survey_id, position, section, kind, text, help, options, required) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind($survey_id)
                    .bind(position as i64)
                    .bind(&q.section)
                    .bind(q.kind.code())
                    .bind(&q.text)
                    .bind(&q.help)
                    .bind(&options)
                    .bind(q.required)
                    .execute(&mut *$tx)
                    .await?;
                }
            }
        }
    }};
}

/// The threshold of anonymity (the positioning threshold, never below its minimum) as a
/// transaction reads it.
macro_rules! threshold_in {
    ($tx:expr) => {{
        let set: Option<i64> =
            sqlx::query_scalar("SELECT threshold FROM positioning_settings WHERE id = 1")
                .fetch_optional(&mut *$tx)
                .await?;
        set.unwrap_or(stip_core::positioning::DEFAULT_THRESHOLD)
            .max(stip_core::positioning::MIN_THRESHOLD)
    }};
}

/// Renews an anonymous survey's published results when at least `k` responses came in since
/// they were last published (the first time: once there are `k`), and otherwise leaves them;
/// writes the empty "nothing yet" row when there is none. The caller holds the survey's lock.
macro_rules! publish_anonymous {
    ($tx:expr, $survey_id:expr) => {{
        let k = threshold_in!($tx);
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM survey_anonymous_responses WHERE survey_id = $1",
        )
        .bind($survey_id)
        .fetch_one(&mut *$tx)
        .await?;
        let published: Option<i64> = sqlx::query_scalar(
            "SELECT responses FROM survey_published_results WHERE survey_id = $1",
        )
        .bind($survey_id)
        .fetch_optional(&mut *$tx)
        .await?;
        let (answers, responses) = if total - published.unwrap_or(0) >= k {
            let all: Vec<String> = sqlx::query_scalar(
                "SELECT answers FROM survey_anonymous_responses WHERE survey_id = $1 ORDER BY id",
            )
            .bind($survey_id)
            .fetch_all(&mut *$tx)
            .await?;
            (Some(serde_json::to_string(&all).expect("texts")), total)
        } else if published.is_none() {
            (Some("[]".to_string()), 0)
        } else {
            (None, 0)
        };
        if let Some(answers) = answers {
            sqlx::query(
                "INSERT INTO survey_published_results (survey_id, answers, responses, published_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (survey_id) DO UPDATE SET answers = excluded.answers, responses = excluded.responses, published_at = excluded.published_at",
            )
            .bind($survey_id)
            .bind(answers)
            .bind(responses)
            .bind(now())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

impl Store {
    /// Creates a survey in concept with its questions; returns its id.
    #[inline(never)]
    pub fn create_survey<'a>(
        &'a self,
        d: &'a SurveyData,
        questions: &'a [QuestionData],
        by: Option<i64>,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let at = now();
            let questions: Vec<(Option<i64>, &QuestionData)> =
                questions.iter().map(|q| (None, q)).collect();
            let id = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                "INSERT INTO surveys (title, introduction, anonymous, respondent, opens_on, closes_on, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.introduction)
            .bind(d.anonymous)
            .bind(d.respondent.code())
            .bind(d.opens_on.to_string())
            .bind(d.closes_on.to_string())
            .bind(by)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
                write_questions!(tx, id, questions);
                tx.commit().await?;
                Ok::<_, StoreError>(id)
            }))?;
            Ok(id)
        })
    }

    /// Saves a survey's settings, and its questions when given (`(id, question)`: an id keeps
    /// a question, none adds one), edited from `version`. `Ok(false)` when someone saved it in
    /// between. Questions cannot change once the survey is opened: `Invalid` on `questions`.
    #[inline(never)]
    pub fn update_survey<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a SurveyData,
        questions: Option<&'a [(Option<i64>, QuestionData)]>,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let at = now();
            let n = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let opened: Option<Option<String>> =
                    sqlx::query_scalar("SELECT opened_at FROM surveys WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(opened) = opened else {
                    return Err(StoreError::NotFound);
                };
                // The kind of respondent and anonymity decide the invitations: fixed once opened.
                let n = sqlx::query(
                "UPDATE surveys SET title = $1, introduction = $2, anonymous = CASE WHEN opened_at IS NULL THEN $3 ELSE anonymous END, respondent = CASE WHEN opened_at IS NULL THEN $4 ELSE respondent END, opens_on = $5, closes_on = $6, updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9",
            )
            .bind(&d.title)
            .bind(&d.introduction)
            .bind(d.anonymous)
            .bind(d.respondent.code())
            .bind(d.opens_on.to_string())
            .bind(d.closes_on.to_string())
            .bind(&at)
            .bind(id)
            .bind(version.get())
            .execute(&mut *tx)
            .await?
            .rows_affected();
                if n > 0
                    && let Some(questions) = questions
                {
                    if opened.is_some() {
                        return Err(StoreError::Invalid(stip_core::Invalid::one(
                            "questions",
                            stip_core::ErrorCode::InvalidChoice,
                        )));
                    }
                    write_questions!(tx, id, questions);
                }
                tx.commit().await?;
                Ok::<_, StoreError>(n)
            }))?;
            Ok(n > 0)
        })
    }

    #[inline(never)]
    pub fn survey<'a>(&'a self, id: i64) -> Boxed<'a, Result<Survey>> {
        boxed(async move {
            let (row, questions): (Option<SurveyRow>, Vec<QuestionRow>) = on_pool!(
                self,
                read,
                |pool| {
                    let row = sqlx::query_as(&format!(
                        "SELECT {SURVEY_COLUMNS} FROM surveys WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                    let questions = sqlx::query_as(&format!(
                    "SELECT {QUESTION_COLUMNS} FROM survey_questions WHERE survey_id = $1 ORDER BY position, id"
                ))
                .bind(id)
                .fetch_all(pool)
                .await?;
                    (row, questions)
                }
            );
            let row = row.ok_or(StoreError::NotFound)?;
            survey(
                row,
                questions.into_iter().map(question).collect::<Result<_>>()?,
            )
        })
    }

    /// Every survey with its questions, newest first.
    #[inline(never)]
    pub fn surveys<'a>(&'a self) -> Boxed<'a, Result<Vec<Survey>>> {
        boxed(async move {
            let (rows, questions): (Vec<SurveyRow>, Vec<QuestionRow>) =
                on_pool!(self, read, |pool| {
                    let rows = sqlx::query_as(&format!(
                        "SELECT {SURVEY_COLUMNS} FROM surveys ORDER BY opens_on DESC, id DESC"
                    ))
                    .fetch_all(pool)
                    .await?;
                    let questions = sqlx::query_as(&format!(
                "SELECT {QUESTION_COLUMNS} FROM survey_questions ORDER BY survey_id, position, id"
            ))
            .fetch_all(pool)
            .await?;
                    (rows, questions)
                });
            let mut by_survey: std::collections::HashMap<i64, Vec<Question>> = Default::default();
            for q in questions {
                by_survey.entry(q.survey_id).or_default().push(question(q)?);
            }
            rows.into_iter()
                .map(|r| {
                    let qs = by_survey.remove(&r.id).unwrap_or_default();
                    survey(r, qs)
                })
                .collect()
        })
    }

    #[inline(never)]
    pub fn delete_survey<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM surveys WHERE id = $1")
                    .bind(id)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
    }

    /// Opens a survey: fixes its questions and makes its invitations, one per institution or
    /// one per active informatiemanager, in one transaction. `Ok(None)` when it was opened
    /// already; otherwise the number of invitations.
    /// Opens survey `id`: one invitation per institution (or informatiemanager) invited, each
    /// with a link from `new_token`.
    #[inline(never)]
    pub fn open_survey<'a>(
        &'a self,
        id: i64,
        new_token: fn() -> String,
    ) -> Boxed<'a, Result<Option<usize>>> {
        boxed(async move {
            let at = now();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let respondent: Option<String> =
                    sqlx::query_scalar("SELECT respondent FROM surveys WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let respondent = respondent.ok_or(StoreError::NotFound)?;
                let n = sqlx::query(
                "UPDATE surveys SET opened_at = $1, agenda_id = (SELECT id FROM agendas WHERE status = 'actief'), updated_at = $1, version = version + 1 WHERE id = $2 AND opened_at IS NULL",
            )
            .bind(&at)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
                if n == 0 {
                    return Ok(None);
                }
                let invited: Vec<(i64, Option<i64>)> = if respondent == Respondent::Person.code() {
                    sqlx::query_as(
                    "SELECT institution_id, id FROM users WHERE role = $1 AND institution_id IS NOT NULL AND active ORDER BY id",
                )
                .bind(Role::Informatiemanager.code())
                .fetch_all(&mut *tx)
                .await?
                } else {
                    sqlx::query_as("SELECT id, NULL FROM institutions ORDER BY id")
                        .fetch_all(&mut *tx)
                        .await?
                };
                for (institution_id, user_id) in &invited {
                    sqlx::query(
                    "INSERT INTO survey_invitations (survey_id, institution_id, user_id, token) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(institution_id)
                .bind(user_id)
                .bind(new_token())
                .execute(&mut *tx)
                .await?;
                }
                tx.commit().await?;
                Ok::<_, StoreError>(Some(invited.len()))
            }))
        })
    }
}

// After the macros above, which it uses.
mod responses;
