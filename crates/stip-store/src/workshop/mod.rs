//! Live workshops (issue 15): the workshop, its participants, notes and dots, and its events.
//!
//! Every change writes an event (`workshop_events`) in the same transaction, and a workshop's
//! writes run one at a time (each locks the workshop's row first), so a workshop's events commit
//! in the order of their ids: a screen that resumes after id N misses nothing. The event's
//! insert adds a change-log entry (kind `workshop`), which is how every other Stip process learns
//! of it; the writing process wakes its own screens at once ([`Store::wake_workshop`]).
//!
//! The workshop itself is here; its participants, notes, dots, priorities and live events each
//! have a file of their own.

mod dots;
mod live;
mod notes;
mod participants;
mod priorities;
mod together;

pub use dots::Placed;
pub(crate) use live::Live;
pub use live::LiveEvent;
pub use participants::{ParticipantSummary, Removed};
pub use priorities::NetworkPriorities;

use crate::{Backend, Result, Store, StoreError, corrupt, now, on_pool, retrying};
use crate::{Boxed, boxed};
use stip_core::workshop::{Event, Phase, Workshop, WorkshopData};

crate::row! {
    struct WorkshopRow {
        id: i64,
        code: String,
        title: String,
        meeting_id: Option<i64>,
        dots_per_participant: i64,
        max_dots_per_theme: Option<i64>,
        themes: String,
        group_names: String,
        questions: String,
        anonymous: bool,
        hide_until_revealed: bool,
        revealed: bool,
        totals_shown: bool,
        timer_minutes: Option<i64>,
        timer_ends_at: Option<String>,
        phase: String,
        priorities_saved_on: Option<String>,
        compare_groups: Option<String>,
        created_at: String,
    }
}

const COLUMNS: &str = "id, code, title, meeting_id, dots_per_participant, max_dots_per_theme, themes, group_names, questions, anonymous, hide_until_revealed, revealed, totals_shown, timer_minutes, timer_ends_at, phase, priorities_saved_on, compare_groups, created_at";

impl TryFrom<WorkshopRow> for Workshop {
    type Error = StoreError;
    fn try_from(r: WorkshopRow) -> Result<Workshop> {
        let list = |what: &str, raw: &str| {
            serde_json::from_str::<Vec<String>>(raw).map_err(|_| corrupt(what, raw))
        };
        Ok(Workshop {
            id: r.id,
            data: WorkshopData {
                title: r.title,
                meeting: r.meeting_id,
                dots_per_participant: r.dots_per_participant as u32,
                max_dots_per_theme: r.max_dots_per_theme.map(|m| m as u32),
                themes: list("workshop themes", &r.themes)?,
                groups: list("workshop groups", &r.group_names)?,
                questions: list("workshop questions", &r.questions)?,
                anonymous: r.anonymous,
                hide_until_revealed: r.hide_until_revealed,
                timer_minutes: r.timer_minutes.map(|m| m as u32),
            },
            code: r.code,
            phase: Phase::parse(&r.phase).ok_or_else(|| corrupt("workshop phase", &r.phase))?,
            revealed: r.revealed,
            totals_shown: r.totals_shown,
            timer_ends_at: r.timer_ends_at,
            priorities_saved_on: r.priorities_saved_on,
            compare_groups: r
                .compare_groups
                .map(|raw| {
                    serde_json::from_str::<Vec<Vec<i64>>>(&raw)
                        .map_err(|_| corrupt("workshop compare groups", &raw))
                })
                .transpose()?,
            created_at: r.created_at,
        })
    }
}

/// Writes event `$event` of workshop `$id` inside transaction `$tx`.
macro_rules! emit {
    ($tx:expr, $id:expr, $event:expr) => {
        sqlx::query("INSERT INTO workshop_events (workshop_id, data, at) VALUES ($1, $2, $3)")
            .bind($id)
            .bind(serde_json::to_string(&$event).expect("events serialise"))
            .bind($crate::now())
            .execute(&mut *$tx)
            .await?
    };
}
use emit;

/// Locks workshop `$id`'s row inside transaction `$tx` (`$lock` is [`Store::for_update`]), so
/// the workshop's writes run one at a time; a workshop that is not there is `NotFound`.
macro_rules! lock_workshop {
    ($tx:expr, $id:expr, $lock:expr) => {
        sqlx::query(&format!("SELECT id FROM workshops WHERE id = $1{}", $lock))
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?
    };
}
use lock_workshop;

/// Inside transaction `$tx`, after the workshop's row is locked: participant `$id` is still
/// there (the facilitator may have removed them since their request began); otherwise `NotFound`.
macro_rules! still_taking_part {
    ($tx:expr, $id:expr) => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM workshop_participants WHERE id = $1")
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?
    };
}
use still_taking_part;

impl Store {
    /// ` FOR UPDATE` on PostgreSQL: a workshop's writes lock its row first. SQLite has one writer.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Postgres(_) => " FOR UPDATE",
            Backend::Sqlite { .. } => "",
        }
    }

    /// Sets up a workshop with a fresh join code.
    #[inline(never)]
    pub fn create_workshop<'a>(
        &'a self,
        d: &'a WorkshopData,
        by: Option<i64>,
    ) -> Boxed<'a, Result<Workshop>> {
        boxed(async move {
            for _ in 0..20 {
                let code = stip_core::workshop::new_code();
                let taken: Option<i64> = on_pool!(self, read, |pool| {
                    sqlx::query_scalar("SELECT id FROM workshops WHERE code = $1")
                        .bind(&code)
                        .fetch_optional(pool)
                        .await?
                });
                if taken.is_some() {
                    continue;
                }
                let json = |l: &Vec<String>| serde_json::to_string(l).expect("texts");
                let id: i64 = on_pool!(self, write, |pool| {
                    sqlx::query_scalar(
                    "INSERT INTO workshops (code, title, meeting_id, dots_per_participant, max_dots_per_theme, themes, group_names, questions, anonymous, hide_until_revealed, timer_minutes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(&code)
                .bind(&d.title)
                .bind(d.meeting)
                .bind(d.dots_per_participant as i64)
                .bind(d.max_dots_per_theme.map(|m| m as i64))
                .bind(json(&d.themes))
                .bind(json(&d.groups))
                .bind(json(&d.questions))
                .bind(d.anonymous)
                .bind(d.hide_until_revealed)
                .bind(d.timer_minutes.map(|m| m as i64))
                .bind(by)
                .bind(now())
                .fetch_one(pool)
                .await?
                });
                return self.workshop(id).await;
            }
            Err(StoreError::Corrupt("no free workshop code".into()))
        })
    }

    #[inline(never)]
    pub fn workshop<'a>(&'a self, id: i64) -> Boxed<'a, Result<Workshop>> {
        boxed(async move {
            let row: Option<WorkshopRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("SELECT {COLUMNS} FROM workshops WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
            });
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    /// The workshop a join code opens, as typed (see `normalise_code`).
    #[inline(never)]
    pub fn workshop_by_code<'a>(&'a self, code: &'a str) -> Boxed<'a, Result<Option<Workshop>>> {
        boxed(async move {
            let code = stip_core::workshop::normalise_code(code);
            let row: Option<WorkshopRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("SELECT {COLUMNS} FROM workshops WHERE code = $1"))
                    .bind(&code)
                    .fetch_optional(pool)
                    .await?
            });
            row.map(Workshop::try_from).transpose()
        })
    }

    /// Every workshop, newest first.
    #[inline(never)]
    pub fn workshops<'a>(&'a self) -> Boxed<'a, Result<Vec<Workshop>>> {
        boxed(async move {
            let rows: Vec<WorkshopRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("SELECT {COLUMNS} FROM workshops ORDER BY id DESC"))
                    .fetch_all(pool)
                    .await?
            });
            rows.into_iter().map(Workshop::try_from).collect()
        })
    }

    #[inline(never)]
    pub fn delete_workshop<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM workshops WHERE id = $1")
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

    /// Moves a workshop to `phase`; the timer (if any) starts again from now.
    #[inline(never)]
    pub fn set_workshop_phase<'a>(&'a self, id: i64, phase: Phase) -> Boxed<'a, Result<Workshop>> {
        boxed(async move {
            let w = self.workshop(id).await?;
            let ends = stip_core::workshop::timer_end(w.data.timer_minutes, chrono::Utc::now())
                .filter(|_| phase != Phase::Results)
                .map(crate::timestamp);
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, id, lock);
                sqlx::query("UPDATE workshops SET phase = $1, timer_ends_at = $2 WHERE id = $3")
                    .bind(phase.code())
                    .bind(&ends)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                // The duos and trios form when the comparing step starts the first time.
                if phase == Phase::Comparing && w.compare_groups.is_none() {
                    together::form_groups!(tx, id);
                }
                emit!(
                    tx,
                    id,
                    Event::Phase {
                        phase: phase.code().to_string(),
                        timer_ends_at: ends.clone()
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(id);
            self.workshop(id).await
        })
    }

    /// Shows the running totals of the voting to everyone, or hides them again.
    #[inline(never)]
    pub fn show_workshop_totals<'a>(&'a self, id: i64, shown: bool) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, id, lock);
                sqlx::query("UPDATE workshops SET totals_shown = $1 WHERE id = $2")
                    .bind(shown)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                emit!(tx, id, Event::Totals { shown });
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(id);
            Ok(())
        })
    }

    /// Shows every note of phase 2 to everyone.
    #[inline(never)]
    pub fn reveal_workshop_notes<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, id, lock);
                sqlx::query("UPDATE workshops SET revealed = TRUE WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                emit!(tx, id, Event::Revealed);
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(id);
            Ok(())
        })
    }
}
