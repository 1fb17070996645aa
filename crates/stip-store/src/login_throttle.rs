//! Counters of failed logins, kept in the database so that every instance on it sees the same
//! counts. The keys are hashes made by the caller; the policy (how long to wait after how many
//! failures) is the caller's too.

use crate::{Boxed, boxed};
use crate::{Result, Store, on_pool, timestamp};
use chrono::{DateTime, Utc};

impl Store {
    /// The latest moment until which any of `keys` is blocked, if that is after `now`.
    #[inline(never)]
    pub fn login_blocked_until<'a>(
        &'a self,
        keys: &'a [&'a str],
        now: DateTime<Utc>,
    ) -> Boxed<'a, Result<Option<DateTime<Utc>>>> {
        boxed(async move {
            if keys.is_empty() {
                return Ok(None);
            }
            let placeholders = (2..keys.len() + 2)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT MAX(blocked_until) FROM login_throttle
             WHERE blocked_until > $1 AND key IN ({placeholders})"
            );
            let until: Option<String> = on_pool!(self, read, |pool| {
                let mut q = sqlx::query_scalar(&sql).bind(timestamp(now));
                for k in keys {
                    q = q.bind(*k);
                }
                q.fetch_one(pool).await?
            });
            Ok(until.and_then(|u| DateTime::parse_from_rfc3339(&u).ok().map(|t| t.to_utc())))
        })
    }

    /// Counts one more failure on `key` and returns the count in the current run: a key whose
    /// last failure is older than `forget_after` starts again at one. Deletes forgotten rows.
    #[inline(never)]
    pub fn record_login_failure<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        forget_after: chrono::Duration,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let (now_s, expires) = (timestamp(now), timestamp(now + forget_after));
            on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                sqlx::query("DELETE FROM login_throttle WHERE expires_at < $1")
                    .bind(&now_s)
                    .execute(&mut *tx)
                    .await?;
                let failures: i64 = sqlx::query_scalar(
                    "INSERT INTO login_throttle (key, failures, blocked_until, expires_at)
                 VALUES ($1, 1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1,
                     expires_at = excluded.expires_at
                 RETURNING failures",
                )
                .bind(key)
                .bind(&now_s)
                .bind(&expires)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(failures)
            })
        })
    }

    /// Answers no attempt on `key` before `until`.
    #[inline(never)]
    pub fn block_login<'a>(&'a self, key: &'a str, until: DateTime<Utc>) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE login_throttle SET blocked_until = $1 WHERE key = $2 AND blocked_until < $1",
            )
            .bind(timestamp(until))
            .bind(key)
            .execute(pool)
            .await?;
            });
            Ok(())
        })
    }

    /// Forgets the failures of `key` (after a successful login).
    #[inline(never)]
    pub fn forget_login_failures<'a>(&'a self, key: &'a str) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                    .bind(key)
                    .execute(pool)
                    .await?;
            });
            Ok(())
        })
    }

    /// Every stored key (for tests that check what is kept).
    #[inline(never)]
    pub fn login_throttle_keys<'a>(&'a self) -> Boxed<'a, Result<Vec<String>>> {
        boxed(async move {
            Ok(on_pool!(self, read, |pool| sqlx::query_scalar(
                "SELECT key FROM login_throttle ORDER BY key"
            )
            .fetch_all(pool)
            .await?))
        })
    }
}
