//! Network meetings (issue 14): meetings with their agenda and minutes, who says they come, and
//! each person's calendar feed address. Read per page (a handful a year), so not kept in memory
//! and not in the change log.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool, retrying};
use stip_core::Version;
use stip_core::meeting::{Meeting, MeetingData};

crate::row! {
    struct MeetingRow {
        id: i64,
        title: String,
        starts_at: String,
        ends_at: String,
        place: String,
        theme_code: Option<String>,
        case_project_id: Option<i64>,
        presenter: String,
        agenda: String,
        minutes: String,
        decisions: String,
        actions: String,
        created_at: String,
        updated_at: String,
        version: i64,
    }
}

const COLUMNS: &str = "id, title, starts_at, ends_at, place, theme_code, case_project_id, presenter, agenda, minutes, decisions, actions, created_at, updated_at, version";

impl TryFrom<MeetingRow> for Meeting {
    type Error = StoreError;
    fn try_from(r: MeetingRow) -> Result<Meeting> {
        let at = |t: &str| {
            t.parse::<chrono::DateTime<chrono::Utc>>()
                .map_err(|_| corrupt("meeting time", t))
        };
        Ok(Meeting {
            id: r.id,
            data: MeetingData {
                title: r.title,
                starts_at: at(&r.starts_at)?,
                ends_at: at(&r.ends_at)?,
                place: r.place,
                theme: r.theme_code,
                case_project: r.case_project_id,
                presenter: r.presenter,
                agenda: serde_json::from_str(&r.agenda)
                    .map_err(|_| corrupt("agenda", &r.agenda))?,
                minutes: r.minutes,
                appendices: Vec::new(),
                decisions: serde_json::from_str(&r.decisions)
                    .map_err(|_| corrupt("decisions", &r.decisions))?,
                actions: serde_json::from_str(&r.actions)
                    .map_err(|_| corrupt("actions", &r.actions))?,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        })
    }
}

/// Who said whether they come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub user_id: i64,
    pub attending: bool,
}

/// Replaces a meeting's appendices with `$surveys`, in order, inside transaction `$tx`.
macro_rules! write_appendices {
    ($tx:expr, $meeting:expr, $surveys:expr) => {{
        sqlx::query("DELETE FROM meeting_appendices WHERE meeting_id = $1")
            .bind($meeting)
            .execute(&mut *$tx)
            .await?;
        for (position, survey) in $surveys.iter().enumerate() {
            sqlx::query(
                "INSERT INTO meeting_appendices (meeting_id, survey_id, position) VALUES ($1, $2, $3)",
            )
            .bind($meeting)
            .bind(survey)
            .bind(position as i64)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

impl Store {
    #[inline(never)]
    pub fn create_meeting<'a>(
        &'a self,
        d: &'a MeetingData,
        by: Option<i64>,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let at = now();
            let id: i64 = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (title, starts_at, ends_at, place, theme_code, case_project_id, presenter, agenda, minutes, decisions, actions, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $12, $13, $10, $11, $11) RETURNING id",
            )
            .bind(&d.title)
            .bind(crate::timestamp(d.starts_at))
            .bind(crate::timestamp(d.ends_at))
            .bind(&d.place)
            .bind(&d.theme)
            .bind(d.case_project)
            .bind(&d.presenter)
            .bind(serde_json::to_string(&d.agenda).expect("agenda items"))
            .bind(&d.minutes)
            .bind(by)
            .bind(&at)
            .bind(serde_json::to_string(&d.decisions).expect("texts"))
            .bind(serde_json::to_string(&d.actions).expect("actions"))
            .fetch_one(&mut *tx)
            .await?;
                write_appendices!(tx, id, d.appendices);
                tx.commit().await?;
                Ok::<_, StoreError>(id)
            }))?;
            Ok(id)
        })
    }

    /// Saves a meeting edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_meeting<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a MeetingData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let n = sqlx::query(
                "UPDATE meetings SET title = $1, starts_at = $2, ends_at = $3, place = $4, theme_code = $5, case_project_id = $6, presenter = $7, agenda = $8, minutes = $9, updated_at = $10, decisions = $13, actions = $14, version = version + 1 WHERE id = $11 AND version = $12",
            )
            .bind(&d.title)
            .bind(crate::timestamp(d.starts_at))
            .bind(crate::timestamp(d.ends_at))
            .bind(&d.place)
            .bind(&d.theme)
            .bind(d.case_project)
            .bind(&d.presenter)
            .bind(serde_json::to_string(&d.agenda).expect("agenda items"))
            .bind(&d.minutes)
            .bind(now())
            .bind(id)
            .bind(version.get())
            .bind(serde_json::to_string(&d.decisions).expect("texts"))
            .bind(serde_json::to_string(&d.actions).expect("actions"))
            .execute(&mut *tx)
            .await?
            .rows_affected();
                if n > 0 {
                    write_appendices!(tx, id, d.appendices);
                }
                tx.commit().await?;
                Ok::<_, StoreError>(n)
            }))?;
            if n > 0 {
                return Ok(true);
            }
            self.meeting(id).await.map(|_| false)
        })
    }

    #[inline(never)]
    pub fn meeting<'a>(&'a self, id: i64) -> Boxed<'a, Result<Meeting>> {
        boxed(async move {
            let row: Option<MeetingRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("SELECT {COLUMNS} FROM meetings WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
            });
            let mut m: Meeting = row.ok_or(StoreError::NotFound)?.try_into()?;
            m.data.appendices = self
                .appendices_of(&[m.id])
                .await?
                .remove(&m.id)
                .unwrap_or_default();
            Ok(m)
        })
    }

    /// The surveys attached to each of `ids`, in order.
    async fn appendices_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<i64>>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT meeting_id, survey_id FROM meeting_appendices ORDER BY meeting_id, position",
            )
            .fetch_all(pool)
            .await?
        });
        let mut out: std::collections::HashMap<i64, Vec<i64>> = Default::default();
        for (m, s) in rows.into_iter().filter(|(m, _)| ids.contains(m)) {
            out.entry(m).or_default().push(s);
        }
        Ok(out)
    }

    /// Every meeting, earliest first.
    #[inline(never)]
    pub fn meetings<'a>(&'a self) -> Boxed<'a, Result<Vec<Meeting>>> {
        boxed(async move {
            let rows: Vec<MeetingRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                    "SELECT {COLUMNS} FROM meetings ORDER BY starts_at, id"
                ))
                .fetch_all(pool)
                .await?
            });
            let mut meetings: Vec<Meeting> = rows
                .into_iter()
                .map(Meeting::try_from)
                .collect::<Result<_>>()?;
            let ids: Vec<i64> = meetings.iter().map(|m| m.id).collect();
            let mut appendices = self.appendices_of(&ids).await?;
            for m in &mut meetings {
                m.data.appendices = appendices.remove(&m.id).unwrap_or_default();
            }
            Ok(meetings)
        })
    }

    #[inline(never)]
    pub fn delete_meeting<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM meetings WHERE id = $1")
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

    /// Records whether `user_id` comes to a meeting (again: the last answer counts).
    #[inline(never)]
    pub fn set_attendance<'a>(
        &'a self,
        meeting_id: i64,
        user_id: i64,
        attending: bool,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query(
                "INSERT INTO meeting_attendance (meeting_id, user_id, attending, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (meeting_id, user_id) DO UPDATE SET attending = excluded.attending, updated_at = excluded.updated_at",
            )
            .bind(meeting_id)
            .bind(user_id)
            .bind(attending)
            .bind(now())
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(())
        })
    }

    #[inline(never)]
    pub fn attendance<'a>(&'a self, meeting_id: i64) -> Boxed<'a, Result<Vec<Attendance>>> {
        boxed(async move {
            let rows: Vec<(i64, bool)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT user_id, attending FROM meeting_attendance WHERE meeting_id = $1 ORDER BY user_id",
            )
            .bind(meeting_id)
            .fetch_all(pool)
            .await?
            });
            Ok(rows
                .into_iter()
                .map(|(user_id, attending)| Attendance { user_id, attending })
                .collect())
        })
    }

    /// A person's calendar feed address, made the first time it is asked for (or made anew with
    /// `renew`, so an address that leaked stops working).
    #[inline(never)]
    pub fn calendar_feed<'a>(
        &'a self,
        user_id: i64,
        renew: bool,
        new_token: fn() -> String,
    ) -> Boxed<'a, Result<String>> {
        boxed(async move {
            let existing: Option<String> = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT token FROM calendar_feeds WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await?
            });
            if let Some(token) = existing.filter(|_| !renew) {
                return Ok(token);
            }
            let token = new_token();
            on_pool!(self, write, |pool| {
                sqlx::query(
                "INSERT INTO calendar_feeds (user_id, token, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
            )
            .bind(user_id)
            .bind(&token)
            .bind(now())
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(token)
        })
    }

    /// Whose calendar feed an address is, if anyone's.
    #[inline(never)]
    pub fn calendar_feed_user<'a>(&'a self, token: &'a str) -> Boxed<'a, Result<Option<i64>>> {
        boxed(async move {
            Ok(on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token = $1")
                    .bind(token)
                    .fetch_optional(pool)
                    .await?
            }))
        })
    }
}
