//! The agenda's working groups (issue 16): a theme's working group and the log of exchanges with
//! it. Read per page (a handful per theme), so not kept in memory and not in the change log.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool};
use stip_core::workgroup::{Direction, Exchange, Member, WorkgroupData};

/// An exchange as stored: with its id and who logged it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedExchange {
    pub id: i64,
    pub exchange: Exchange,
    pub created_at: String,
}

crate::row! {
    struct ExchangeRow {
        id: i64,
        direction: String,
        happened_on: String,
        text: String,
        links: String,
        projects: String,
        meeting_id: Option<i64>,
        created_at: String,
    }
}

impl TryFrom<ExchangeRow> for LoggedExchange {
    type Error = StoreError;
    fn try_from(r: ExchangeRow) -> Result<LoggedExchange> {
        Ok(LoggedExchange {
            id: r.id,
            exchange: Exchange {
                direction: Direction::parse(&r.direction)
                    .ok_or_else(|| corrupt("exchange direction", &r.direction))?,
                date: r
                    .happened_on
                    .parse()
                    .map_err(|_| corrupt("exchange date", &r.happened_on))?,
                links: serde_json::from_str(&r.links).map_err(|_| corrupt("links", &r.links))?,
                projects: serde_json::from_str(&r.projects)
                    .map_err(|_| corrupt("projects", &r.projects))?,
                text: r.text,
                meeting: r.meeting_id,
            },
            created_at: r.created_at,
        })
    }
}

impl Store {
    /// Theme `code`'s working group, if it has been described.
    #[inline(never)]
    pub fn workgroup<'a>(&'a self, code: &'a str) -> Boxed<'a, Result<Option<WorkgroupData>>> {
        boxed(async move {
            let row: Option<(String, String, String, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT name, chair, contact, members FROM workgroups WHERE theme_code = $1",
                )
                .bind(code)
                .fetch_optional(pool)
                .await?
            });
            row.map(|(name, chair, contact, members)| {
                let members: Vec<Member> =
                    serde_json::from_str(&members).map_err(|_| corrupt("members", &members))?;
                Ok(WorkgroupData {
                    name,
                    chair,
                    contact,
                    members,
                })
            })
            .transpose()
        })
    }

    /// Describes (or describes again) theme `code`'s working group.
    #[inline(never)]
    pub fn save_workgroup<'a>(
        &'a self,
        code: &'a str,
        d: &'a WorkgroupData,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query(
                "INSERT INTO workgroups (theme_code, name, chair, contact, members, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (theme_code) DO UPDATE SET name = excluded.name, chair = excluded.chair, contact = excluded.contact, members = excluded.members, updated_at = excluded.updated_at, version = workgroups.version + 1",
            )
            .bind(code)
            .bind(&d.name)
            .bind(&d.chair)
            .bind(&d.contact)
            .bind(serde_json::to_string(&d.members).expect("members"))
            .bind(now())
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(())
        })
    }

    /// Logs an exchange with theme `code`'s working group; its id.
    #[inline(never)]
    pub fn log_exchange<'a>(
        &'a self,
        code: &'a str,
        x: &'a Exchange,
        by: Option<i64>,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            Ok(on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO workgroup_log (theme_code, direction, happened_on, text, links, projects, meeting_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(code)
            .bind(x.direction.code())
            .bind(x.date.to_string())
            .bind(&x.text)
            .bind(serde_json::to_string(&x.links).expect("links"))
            .bind(serde_json::to_string(&x.projects).expect("ids"))
            .bind(x.meeting)
            .bind(by)
            .bind(now())
            .fetch_one(pool)
            .await?
            }))
        })
    }

    /// Theme `code`'s exchanges, newest first (at most `limit`).
    #[inline(never)]
    pub fn exchanges<'a>(
        &'a self,
        code: &'a str,
        limit: i64,
    ) -> Boxed<'a, Result<Vec<LoggedExchange>>> {
        boxed(async move {
            let rows: Vec<ExchangeRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT id, direction, happened_on, text, links, projects, meeting_id, created_at FROM workgroup_log
                 WHERE theme_code = $1 ORDER BY happened_on DESC, id DESC LIMIT $2",
            )
            .bind(code)
            .bind(limit)
            .fetch_all(pool)
            .await?
            });
            rows.into_iter().map(LoggedExchange::try_from).collect()
        })
    }

    /// Removes an exchange logged by mistake.
    #[inline(never)]
    pub fn delete_exchange<'a>(&'a self, code: &'a str, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM workgroup_log WHERE id = $1 AND theme_code = $2")
                    .bind(id)
                    .bind(code)
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
}
