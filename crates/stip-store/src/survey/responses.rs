//! A survey's responses: the invitations opening made (each with its link), drafts saved as
//! people type, submits in one transaction, reopening, and the submitted answers the results
//! read.

use super::*;

impl Store {
    /// A survey's invitations, by institution.
    #[inline(never)]
    pub fn invitations<'a>(&'a self, survey_id: i64) -> Boxed<'a, Result<Vec<Invitation>>> {
        boxed(async move {
            let rows: Vec<InvitationRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                "SELECT {INVITATION_COLUMNS} FROM survey_invitations WHERE survey_id = $1 ORDER BY institution_id, user_id, id"
            ))
            .bind(survey_id)
            .fetch_all(pool)
            .await?
            });
            rows.into_iter().map(Invitation::try_from).collect()
        })
    }

    /// The invitations of one institution (for itself and for its people) across surveys.
    #[inline(never)]
    pub fn invitations_of<'a>(&'a self, institution_id: i64) -> Boxed<'a, Result<Vec<Invitation>>> {
        boxed(async move {
            let rows: Vec<InvitationRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                "SELECT {INVITATION_COLUMNS} FROM survey_invitations WHERE institution_id = $1 ORDER BY survey_id DESC, id"
            ))
            .bind(institution_id)
            .fetch_all(pool)
            .await?
            });
            rows.into_iter().map(Invitation::try_from).collect()
        })
    }

    #[inline(never)]
    pub fn invitation<'a>(&'a self, id: i64) -> Boxed<'a, Result<Invitation>> {
        boxed(async move {
            let row: Option<InvitationRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                    "SELECT {INVITATION_COLUMNS} FROM survey_invitations WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(pool)
                .await?
            });
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    /// The invitation a link's token belongs to.
    #[inline(never)]
    pub fn invitation_by_token<'a>(
        &'a self,
        token: &'a str,
    ) -> Boxed<'a, Result<Option<Invitation>>> {
        boxed(async move {
            let row: Option<InvitationRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                    "SELECT {INVITATION_COLUMNS} FROM survey_invitations WHERE token = $1"
                ))
                .bind(token)
                .fetch_optional(pool)
                .await?
            });
            row.map(Invitation::try_from).transpose()
        })
    }

    /// Saves a draft of an invitation's response; `Ok(false)` when it was submitted already.
    #[inline(never)]
    pub fn save_draft<'a>(
        &'a self,
        invitation_id: i64,
        answers: &'a str,
        by: Option<i64>,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE survey_invitations SET answers = $1, status = $2, saved_at = $3, saved_by = $4, version = version + 1 WHERE id = $5 AND status <> $6",
            )
            .bind(answers)
            .bind(InvitationStatus::Concept.code())
            .bind(now())
            .bind(by)
            .bind(invitation_id)
            .bind(InvitationStatus::Submitted.code())
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(n > 0)
        })
    }

    /// Submits an invitation's response with `answers`, in one transaction; `Ok(false)` when it
    /// was submitted already (by someone else a moment before, say). For an anonymous survey
    /// the answers go where nothing links them to the invitation, and the invitation keeps
    /// only that it was submitted: no time, no person, no draft.
    #[inline(never)]
    pub fn submit_response<'a>(
        &'a self,
        invitation_id: i64,
        answers: &'a str,
        anonymous: bool,
        by: Option<i64>,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let at = now();
            let postgres = matches!(self.backend, crate::Backend::Postgres(_));
            let lock = if postgres { " FOR UPDATE" } else { "" };
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let survey_id: Option<i64> = sqlx::query_scalar(
                "UPDATE survey_invitations SET status = $1, answers = $2, saved_at = $3, saved_by = $4, submitted_at = $3, version = version + 1 WHERE id = $5 AND status <> $1 RETURNING survey_id",
            )
            .bind(InvitationStatus::Submitted.code())
            .bind((!anonymous).then_some(answers))
            .bind((!anonymous).then_some(&at))
            .bind(if anonymous { None } else { by })
            .bind(invitation_id)
            .fetch_optional(&mut *tx)
            .await?;
                let Some(survey_id) = survey_id else {
                    return Ok(false);
                };
                if anonymous {
                    // One submit at a time per survey: what is published is decided on every
                    // response before it, so no step of the results is smaller than the threshold.
                    sqlx::query(&format!("SELECT id FROM surveys WHERE id = $1{lock}"))
                        .bind(survey_id)
                        .execute(&mut *tx)
                        .await?;
                    let id: [u8; 16] = rand::random();
                    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
                    sqlx::query(
                    "INSERT INTO survey_anonymous_responses (id, survey_id, answers) VALUES ($1, $2, $3)",
                )
                .bind(&id)
                .bind(survey_id)
                .bind(answers)
                .execute(&mut *tx)
                .await?;
                    if postgres {
                        // Every row of the survey rewritten by this transaction, in random-id
                        // order: the new row's xmin and place are those of all the others.
                        let all: Vec<(String, String)> = sqlx::query_as(
                        "DELETE FROM survey_anonymous_responses WHERE survey_id = $1 RETURNING id, answers",
                    )
                    .bind(survey_id)
                    .fetch_all(&mut *tx)
                    .await?;
                        let mut all = all;
                        all.sort();
                        for (id, answers) in all {
                            sqlx::query(
                            "INSERT INTO survey_anonymous_responses (id, survey_id, answers) VALUES ($1, $2, $3)",
                        )
                        .bind(id)
                        .bind(survey_id)
                        .bind(answers)
                        .execute(&mut *tx)
                        .await?;
                        }
                    }
                    publish_anonymous!(tx, survey_id);
                }
                tx.commit().await?;
                Ok::<_, StoreError>(true)
            }))
        })
    }

    /// Opens a submitted response for changes again (not for an anonymous survey, whose
    /// answers no longer know whose they are); `Ok(false)` when it was not submitted.
    #[inline(never)]
    pub fn reopen_response<'a>(&'a self, invitation_id: i64) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE survey_invitations SET status = $1, submitted_at = NULL, version = version + 1 WHERE id = $2 AND status = $3 AND answers IS NOT NULL",
            )
            .bind(InvitationStatus::Concept.code())
            .bind(invitation_id)
            .bind(InvitationStatus::Submitted.code())
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(n > 0)
        })
    }

    /// Gives an invitation the new link `token`; the old one stops working.
    #[inline(never)]
    pub fn renew_invitation_link<'a>(
        &'a self,
        invitation_id: i64,
        token: String,
    ) -> Boxed<'a, Result<String>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                    "UPDATE survey_invitations SET token = $1, version = version + 1 WHERE id = $2",
                )
                .bind(&token)
                .bind(invitation_id)
                .execute(pool)
                .await?
                .rows_affected()
            });
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(token)
        })
    }

    /// What changes whenever a survey's responses do (a submit, a reopen, a draft): the number
    /// of its invitations' versions and of its anonymous responses. Cheap to read, so a cache
    /// of the results can check it on every request, whichever process wrote.
    #[inline(never)]
    pub fn responses_fingerprint<'a>(&'a self, survey_id: i64) -> Boxed<'a, Result<(i64, i64)>> {
        boxed(async move {
            let fingerprint: (Option<i64>, i64) = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT (SELECT CAST(SUM(version) AS BIGINT) FROM survey_invitations WHERE survey_id = $1),
                        (SELECT COUNT(*) FROM survey_anonymous_responses WHERE survey_id = $1)",
            )
            .bind(survey_id)
            .fetch_one(pool)
            .await?
            });
            Ok((fingerprint.0.unwrap_or(0), fingerprint.1))
        })
    }

    /// The published answers of an anonymous survey (a JSON list), if ever decided.
    async fn published_results(&self, survey_id: i64) -> Result<Option<String>> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT answers FROM survey_published_results WHERE survey_id = $1")
                .bind(survey_id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Publishes an anonymous survey's responses as far as the threshold allows.
    async fn publish_results(&self, survey_id: i64) -> Result<()> {
        let lock = match self.backend {
            crate::Backend::Postgres(_) => " FOR UPDATE",
            crate::Backend::Sqlite { .. } => "",
        };
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            sqlx::query(&format!("SELECT id FROM surveys WHERE id = $1{lock}"))
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            publish_anonymous!(tx, survey_id);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))
    }

    /// A survey's submitted responses: with their invitation's institution and person, or,
    /// for an anonymous survey, without. An anonymous survey shows only what was published
    /// while it is open (`closed` false): nothing below the threshold, and then only in steps
    /// of at least the threshold, so no one response is the difference between two moments;
    /// once closed, every response, still only from the threshold on.
    #[inline(never)]
    pub fn submitted_responses<'a>(
        &'a self,
        survey: &'a Survey,
        closed: bool,
    ) -> Boxed<'a, Result<Vec<Submitted>>> {
        boxed(async move {
            if survey.data.anonymous {
                let k = self
                    .positioning_settings()
                    .await?
                    .threshold
                    .max(MIN_THRESHOLD);
                let rows: Vec<String> = if closed {
                    let rows: Vec<String> = on_pool!(self, read, |pool| {
                        sqlx::query_scalar(
                        "SELECT answers FROM survey_anonymous_responses WHERE survey_id = $1 ORDER BY id",
                    )
                    .bind(survey.id)
                    .fetch_all(pool)
                    .await?
                    });
                    rows
                } else {
                    let published = match self.published_results(survey.id).await? {
                        Some(p) => p,
                        None => {
                            // Responses from before results were published: decide once.
                            self.publish_results(survey.id).await?;
                            self.published_results(survey.id)
                                .await?
                                .unwrap_or_else(|| "[]".into())
                        }
                    };
                    serde_json::from_str(&published)
                        .map_err(|_| corrupt("published results", &published))?
                };
                let rows = if (rows.len() as i64) < k {
                    Vec::new()
                } else {
                    rows
                };
                return Ok(rows
                    .into_iter()
                    .map(|answers| Submitted {
                        institution_id: None,
                        user_id: None,
                        submitted_at: None,
                        answers,
                    })
                    .collect());
            }
            type Row = (i64, Option<i64>, Option<String>, Option<String>);
            let rows: Vec<Row> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT institution_id, user_id, submitted_at, answers FROM survey_invitations WHERE survey_id = $1 AND status = $2 ORDER BY institution_id, user_id",
                )
                .bind(survey.id)
                .bind(InvitationStatus::Submitted.code())
                .fetch_all(pool)
                .await?
            });
            Ok(rows
                .into_iter()
                .map(
                    |(institution_id, user_id, submitted_at, answers)| Submitted {
                        institution_id: Some(institution_id),
                        user_id,
                        submitted_at,
                        answers: answers.unwrap_or_else(|| "{}".into()),
                    },
                )
                .collect())
        })
    }
}
