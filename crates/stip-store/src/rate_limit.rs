//! Attempts counted per key in fixed windows, kept in the database so that every instance on it
//! sees the same counts (joining a workshop, issue 29). The keys are hashes made by the caller;
//! the policy (how many attempts in how long a window) is the caller's too.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, on_pool, retrying, timestamp};
use chrono::{DateTime, Utc};

/// A key's attempts in its current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Attempts counted in this window, the one just counted included.
    pub attempts: i64,
    /// When the window ends and the count starts again.
    pub ends: DateTime<Utc>,
}

fn parse(ends: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(ends)
        .map(|t| t.to_utc())
        .map_err(|_| corrupt("rate limit window", ends))
}

impl Store {
    /// Counts one more attempt on `key`, atomically (concurrent attempts on any instance are
    /// each counted once): in the key's current window, or in a new one of `window` from `now`
    /// when there is none.
    #[inline(never)]
    pub fn count_attempt<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        window: chrono::Duration,
    ) -> Boxed<'a, Result<Window>> {
        boxed(async move {
            let (now_s, ends) = (timestamp(now), timestamp(now + window));
            // Ended windows are deleted now and then, not on every attempt: this runs at every join.
            if fastrand::u8(..32) == 0 {
                on_pool!(self, write, |pool| retrying!(async {
                    sqlx::query("DELETE FROM rate_limits WHERE window_ends < $1")
                        .bind(&now_s)
                        .execute(pool)
                        .await?;
                    Ok::<_, StoreError>(())
                }))?;
            }
            let (attempts, ends): (i64, String) = on_pool!(self, write, |pool| retrying!(async {
                Ok::<_, StoreError>(
                sqlx::query_as(
                    "INSERT INTO rate_limits (key, attempts, window_ends) VALUES ($1, 1, $3)
                     ON CONFLICT (key) DO UPDATE SET
                         attempts = CASE WHEN rate_limits.window_ends <= $2 THEN 1
                                         ELSE rate_limits.attempts + 1 END,
                         window_ends = CASE WHEN rate_limits.window_ends <= $2 THEN excluded.window_ends
                                            ELSE rate_limits.window_ends END
                     RETURNING attempts, window_ends",
                )
                .bind(key)
                .bind(&now_s)
                .bind(&ends)
                .fetch_one(pool)
                .await?,
            )
            }))?;
            Ok(Window {
                attempts,
                ends: parse(&ends)?,
            })
        })
    }

    /// `key`'s current window at `now`, if one runs (without counting an attempt).
    #[inline(never)]
    pub fn attempts<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> Boxed<'a, Result<Option<Window>>> {
        boxed(async move {
            let row: Option<(i64, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT attempts, window_ends FROM rate_limits WHERE key = $1 AND window_ends > $2",
            )
            .bind(key)
            .bind(timestamp(now))
            .fetch_optional(pool)
            .await?
            });
            row.map(|(attempts, ends)| {
                Ok(Window {
                    attempts,
                    ends: parse(&ends)?,
                })
            })
            .transpose()
        })
    }
}
