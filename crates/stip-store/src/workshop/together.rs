//! The comparing step of a workshop (issue 33): which institution each participant is from,
//! the duos and trios of institutions, and what each group writes down it could do together.

use super::{emit, lock_workshop, still_taking_part};
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool, retrying};
use stip_core::workshop::{Event, Phase, TogetherNote};

/// Inside transaction `$tx` with workshop `$id`'s row locked: forms the duos and trios from the
/// participants' institutions, in the order they joined, and tells every screen.
macro_rules! form_groups {
    ($tx:expr, $id:expr) => {{
        let of: Vec<Option<i64>> = sqlx::query_scalar(
            "SELECT institution_id FROM workshop_participants WHERE workshop_id = $1 ORDER BY id",
        )
        .bind($id)
        .fetch_all(&mut *$tx)
        .await?;
        let institutions: Vec<i64> = of.into_iter().flatten().collect();
        let groups = stip_core::workshop::pair_up(&institutions);
        sqlx::query("UPDATE workshops SET compare_groups = $1 WHERE id = $2")
            .bind(serde_json::to_string(&groups).expect("ids"))
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        emit!($tx, $id, stip_core::workshop::Event::Grouped { groups });
    }};
}
pub(super) use form_groups;

crate::row! {
    struct TogetherRow {
        id: i64,
        participant_id: i64,
        author: String,
        institutions: String,
        text: String,
    }
}

impl Store {
    /// Forms the duos and trios of workshop `id` again, from whom is there now (the
    /// facilitator's "opnieuw indelen"); what groups wrote keeps its institutions.
    #[inline(never)]
    pub fn regroup_workshop<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, id, lock);
                form_groups!(tx, id);
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(id);
            Ok(())
        })
    }

    /// Says which institution participant `participant_id` is from. During the comparing step
    /// an institution that is in no group yet joins one: the groups are formed again.
    #[inline(never)]
    pub fn set_participant_institution<'a>(
        &'a self,
        workshop_id: i64,
        participant_id: i64,
        institution_id: i64,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let w = self.workshop(workshop_id).await?;
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, workshop_id, lock);
                still_taking_part!(tx, participant_id);
                sqlx::query(
                    "UPDATE workshop_participants SET institution_id = $1 WHERE id = $2 AND workshop_id = $3",
                )
                .bind(institution_id)
                .bind(participant_id)
                .bind(workshop_id)
                .execute(&mut *tx)
                .await?;
                let grouped = w
                    .compare_groups
                    .as_ref()
                    .is_some_and(|g| g.iter().flatten().any(|i| *i == institution_id));
                if w.phase == Phase::Comparing && !grouped {
                    form_groups!(tx, workshop_id);
                }
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(workshop_id);
            Ok(())
        })
    }

    /// Writes what the group of `institutions` could do together, by participant
    /// `participant_id`.
    #[inline(never)]
    pub fn add_together_note<'a>(
        &'a self,
        workshop_id: i64,
        participant_id: i64,
        institutions: &'a [i64],
        text: &'a str,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let lock = self.for_update();
            let id = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, workshop_id, lock);
                still_taking_part!(tx, participant_id);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO workshop_together (workshop_id, participant_id, institutions, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(workshop_id)
                .bind(participant_id)
                .bind(serde_json::to_string(institutions).expect("ids"))
                .bind(text)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
                emit!(
                    tx,
                    workshop_id,
                    Event::Together {
                        id,
                        institutions: institutions.to_vec()
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(id)
            }))?;
            self.wake_soon(workshop_id);
            Ok(id)
        })
    }

    /// What the groups of workshop `workshop_id` wrote down, in the order written.
    #[inline(never)]
    pub fn together_notes<'a>(&'a self, workshop_id: i64) -> Boxed<'a, Result<Vec<TogetherNote>>> {
        boxed(async move {
            let rows: Vec<TogetherRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT t.id, t.participant_id, p.name AS author, t.institutions, t.text
                     FROM workshop_together t JOIN workshop_participants p ON p.id = t.participant_id
                     WHERE t.workshop_id = $1 ORDER BY t.id",
                )
                .bind(workshop_id)
                .fetch_all(pool)
                .await?
            });
            rows.into_iter()
                .map(|r| {
                    Ok(TogetherNote {
                        institutions: serde_json::from_str(&r.institutions)
                            .map_err(|_| corrupt("workshop group", &r.institutions))?,
                        id: r.id,
                        participant_id: r.participant_id,
                        author: r.author,
                        text: r.text,
                    })
                })
                .collect()
        })
    }
}
