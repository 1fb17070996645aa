//! The network's priorities as a workshop decides them: saving them, and the latest.

use super::{emit, lock_workshop};
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool, retrying};
use stip_core::workshop::Event;

/// The themes a workshop saved as the network's priorities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPriorities {
    /// ISO date.
    pub decided_on: String,
    /// Theme codes, most dots first.
    pub themes: Vec<String>,
    pub workshop: Option<i64>,
}

impl Store {
    /// Saves `themes` as the network's priorities, decided on `day` in workshop `id`.
    #[inline(never)]
    pub fn save_priorities<'a>(
        &'a self,
        workshop_id: i64,
        themes: &'a [String],
        day: chrono::NaiveDate,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, workshop_id, lock);
                sqlx::query(
                "INSERT INTO network_priorities (workshop_id, decided_on, themes, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(workshop_id)
            .bind(day.to_string())
            .bind(serde_json::to_string(themes).expect("codes"))
            .bind(now())
            .execute(&mut *tx)
            .await?;
                sqlx::query("UPDATE workshops SET priorities_saved_on = $1 WHERE id = $2")
                    .bind(day.to_string())
                    .bind(workshop_id)
                    .execute(&mut *tx)
                    .await?;
                emit!(
                    tx,
                    workshop_id,
                    Event::Priorities {
                        themes: themes.to_vec()
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(workshop_id);
            Ok(())
        })
    }

    /// The network's latest priorities.
    #[inline(never)]
    pub fn network_priorities<'a>(&'a self) -> Boxed<'a, Result<Option<NetworkPriorities>>> {
        boxed(async move {
            let row: Option<(String, String, Option<i64>)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT decided_on, themes, workshop_id FROM network_priorities ORDER BY decided_on DESC, id DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
            });
            row.map(|(decided_on, themes, workshop)| {
                Ok(NetworkPriorities {
                    themes: serde_json::from_str(&themes)
                        .map_err(|_| corrupt("priorities", &themes))?,
                    decided_on,
                    workshop,
                })
            })
            .transpose()
        })
    }
}
