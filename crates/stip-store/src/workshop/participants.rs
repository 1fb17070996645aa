//! A workshop's participants: joining (a number each, a group), the facilitator's list, moving
//! one to another group, and removing one with their notes and dots.

use super::{emit, lock_workshop, still_taking_part};
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool, retrying};
use stip_core::workshop::{Event, Participant, least_filled_group};

crate::row! {
    struct ParticipantRow {
        id: i64,
        workshop_id: i64,
        name: String,
        group_index: i64,
        user_id: Option<i64>,
        institution_id: Option<i64>,
    }
}

impl From<ParticipantRow> for Participant {
    fn from(r: ParticipantRow) -> Participant {
        Participant {
            id: r.id,
            workshop_id: r.workshop_id,
            name: r.name,
            group: r.group_index.max(0) as usize,
            user_id: r.user_id,
            institution_id: r.institution_id,
        }
    }
}

const PARTICIPANT: &str =
    "SELECT id, workshop_id, name, group_index, user_id, institution_id FROM workshop_participants";

/// A participant's row with their number, when they joined, and their notes and dots.
type SummaryRow = (
    i64,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    i64,
    i64,
);

/// A participant as the facilitator sees them in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantSummary {
    pub participant: Participant,
    /// Their number in the workshop, in the order of joining ("Deelnemer 3").
    pub number: i64,
    /// When they joined, as stored.
    pub joined_at: String,
    pub notes: i64,
    pub dots: i64,
}

/// What removing a participant took away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Their number in the workshop.
    pub number: i64,
    pub notes: usize,
    pub dots: usize,
}

/// How many participants workshop `$id` has, inside transaction `$tx`.
macro_rules! participant_count {
    ($tx:expr, $id:expr) => {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM workshop_participants WHERE workshop_id = $1",
        )
        .bind($id)
        .fetch_one(&mut *$tx)
        .await?
    };
}

impl Store {
    /// Adds a participant under `name` with the token's hash; in `group` when given (an index
    /// into the groups), otherwise in the group with the fewest. A logged-in person who joined
    /// before gets their participant back, with the new token.
    #[inline(never)]
    pub fn join_workshop<'a>(
        &'a self,
        workshop_id: i64,
        name: &'a str,
        group: Option<usize>,
        user_id: Option<i64>,
        institution_id: Option<i64>,
        token_hash: &'a str,
    ) -> Boxed<'a, Result<Participant>> {
        boxed(async move {
            let participant_id: i64 = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                // A write first: it locks the workshop's row (PostgreSQL), and on SQLite it takes the
                // write lock before anything is read, so a join waits for one on another instance
                // instead of failing as a read that turned into a write. Numbers follow each other
                // and are never given twice (one taken by a person joining again stays unused).
                let number: Option<i64> = sqlx::query_scalar(
                "UPDATE workshops SET participants_joined = participants_joined + 1 WHERE id = $1 RETURNING participants_joined",
            )
            .bind(workshop_id)
            .fetch_optional(&mut *tx)
            .await?;
                let number = number.ok_or(StoreError::NotFound)?;
                let groups: String =
                    sqlx::query_scalar("SELECT group_names FROM workshops WHERE id = $1")
                        .bind(workshop_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let groups: Vec<String> = serde_json::from_str(&groups)
                    .map_err(|_| corrupt("workshop groups", &groups))?;
                if let Some(u) = user_id {
                    let existing: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM workshop_participants WHERE workshop_id = $1 AND user_id = $2",
                )
                .bind(workshop_id)
                .bind(u)
                .fetch_optional(&mut *tx)
                .await?;
                    if let Some(id) = existing {
                        sqlx::query(
                            "UPDATE workshop_participants SET token_hash = $1 WHERE id = $2",
                        )
                        .bind(token_hash)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        tx.commit().await?;
                        return Ok::<_, StoreError>(id);
                    }
                }
                let counts: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT group_index, COUNT(*) FROM workshop_participants WHERE workshop_id = $1 GROUP BY group_index",
            )
            .bind(workshop_id)
            .fetch_all(&mut *tx)
            .await?;
                let mut per_group = vec![0i64; groups.len()];
                for (g, n) in &counts {
                    if let Some(c) = per_group.get_mut(*g as usize) {
                        *c = *n;
                    }
                }
                let group = group
                    .filter(|g| *g < groups.len())
                    .unwrap_or_else(|| least_filled_group(groups.len(), &per_group));
                let id: i64 = sqlx::query_scalar(
                "INSERT INTO workshop_participants (workshop_id, name, group_index, user_id, token_hash, created_at, number, institution_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(workshop_id)
            .bind(name)
            .bind(group as i64)
            .bind(user_id)
            .bind(token_hash)
            .bind(now())
            .bind(number)
            .bind(institution_id)
            .fetch_one(&mut *tx)
            .await?;
                let participants = counts.iter().map(|(_, n)| n).sum::<i64>() + 1;
                emit!(
                    tx,
                    workshop_id,
                    Event::Joined {
                        participant: id,
                        group,
                        participants
                    }
                );
                tx.commit().await?;
                Ok(id)
            }))?;
            self.wake_soon(workshop_id);
            self.participant(participant_id).await
        })
    }

    async fn participant(&self, id: i64) -> Result<Participant> {
        let row: Option<ParticipantRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("{PARTICIPANT} WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(Participant::from).ok_or(StoreError::NotFound)
    }

    /// Whose participant token this is (by its hash).
    #[inline(never)]
    pub fn participant_by_token<'a>(
        &'a self,
        token_hash: &'a str,
    ) -> Boxed<'a, Result<Option<Participant>>> {
        boxed(async move {
            let row: Option<ParticipantRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("{PARTICIPANT} WHERE token_hash = $1"))
                    .bind(token_hash)
                    .fetch_optional(pool)
                    .await?
            });
            Ok(row.map(Participant::from))
        })
    }

    /// The participant a logged-in person is in a workshop, if they joined.
    #[inline(never)]
    pub fn participant_of_user<'a>(
        &'a self,
        workshop_id: i64,
        user_id: i64,
    ) -> Boxed<'a, Result<Option<Participant>>> {
        boxed(async move {
            let row: Option<ParticipantRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                    "{PARTICIPANT} WHERE workshop_id = $1 AND user_id = $2"
                ))
                .bind(workshop_id)
                .bind(user_id)
                .fetch_optional(pool)
                .await?
            });
            Ok(row.map(Participant::from))
        })
    }

    #[inline(never)]
    pub fn participants<'a>(&'a self, workshop_id: i64) -> Boxed<'a, Result<Vec<Participant>>> {
        boxed(async move {
            let rows: Vec<ParticipantRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("{PARTICIPANT} WHERE workshop_id = $1 ORDER BY id"))
                    .bind(workshop_id)
                    .fetch_all(pool)
                    .await?
            });
            Ok(rows.into_iter().map(Participant::from).collect())
        })
    }

    /// Every participant of a workshop with their number, when they joined and how many notes
    /// and dots they have, in the order they joined (for the facilitator).
    #[inline(never)]
    pub fn participant_list<'a>(
        &'a self,
        workshop_id: i64,
    ) -> Boxed<'a, Result<Vec<ParticipantSummary>>> {
        boxed(async move {
            let rows: Vec<SummaryRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT p.id, p.workshop_id, p.name, p.group_index, p.user_id, p.institution_id, p.number, p.created_at,
                         (SELECT COUNT(*) FROM workshop_notes n WHERE n.participant_id = p.id),
                         (SELECT COUNT(*) FROM workshop_dots d WHERE d.participant_id = p.id)
                     FROM workshop_participants p WHERE p.workshop_id = $1 ORDER BY p.id",
                )
                .bind(workshop_id)
                .fetch_all(pool)
                .await?
            });
            Ok(rows
                .into_iter()
                .map(
                    |(
                        id,
                        workshop_id,
                        name,
                        group_index,
                        user_id,
                        institution_id,
                        number,
                        joined_at,
                        notes,
                        dots,
                    )| {
                        ParticipantSummary {
                            participant: Participant::from(ParticipantRow {
                                id,
                                workshop_id,
                                name,
                                group_index,
                                user_id,
                                institution_id,
                            }),
                            // A participant restored from a backup older than numbers: their id.
                            number: number.unwrap_or(id),
                            joined_at,
                            notes,
                            dots,
                        }
                    },
                )
                .collect())
        })
    }

    /// Removes participant `participant_id` from workshop `workshop_id` with their notes and dots,
    /// in one transaction: their token opens nothing any more, and every screen hears each note
    /// and dot go (so the ranking on it is recomputed) and then the participant.
    #[inline(never)]
    pub fn remove_participant<'a>(
        &'a self,
        workshop_id: i64,
        participant_id: i64,
    ) -> Boxed<'a, Result<Removed>> {
        boxed(async move {
            let lock = self.for_update();
            let removed = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, workshop_id, lock);
                let number: Option<Option<i64>> = sqlx::query_scalar(
                    "SELECT number FROM workshop_participants WHERE id = $1 AND workshop_id = $2",
                )
                .bind(participant_id)
                .bind(workshop_id)
                .fetch_optional(&mut *tx)
                .await?;
                let number = number
                    .ok_or(StoreError::NotFound)?
                    .unwrap_or(participant_id);
                let notes: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM workshop_notes WHERE participant_id = $1 ORDER BY id",
                )
                .bind(participant_id)
                .fetch_all(&mut *tx)
                .await?;
                let dots: Vec<(String, String)> = sqlx::query_as(
                "SELECT client_id, theme_code FROM workshop_dots WHERE participant_id = $1 ORDER BY placed_at, client_id",
            )
            .bind(participant_id)
            .fetch_all(&mut *tx)
            .await?;
                sqlx::query("DELETE FROM workshop_dots WHERE participant_id = $1")
                    .bind(participant_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM workshop_notes WHERE participant_id = $1")
                    .bind(participant_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM workshop_participants WHERE id = $1")
                    .bind(participant_id)
                    .execute(&mut *tx)
                    .await?;
                for id in &notes {
                    emit!(tx, workshop_id, Event::NoteRemoved { id: *id });
                }
                // Each dot as taken back, with its theme's count after all of them went (while
                // the running totals are shown).
                let totals_shown: bool =
                    sqlx::query_scalar("SELECT totals_shown FROM workshops WHERE id = $1")
                        .bind(workshop_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let counts: Vec<(String, i64)> = sqlx::query_as(
                "SELECT theme_code, COUNT(*) FROM workshop_dots WHERE workshop_id = $1 GROUP BY theme_code",
            )
            .bind(workshop_id)
            .fetch_all(&mut *tx)
            .await?;
                for (client_id, theme) in &dots {
                    let dots = counts
                        .iter()
                        .find(|(t, _)| t == theme)
                        .map_or(0, |(_, n)| *n);
                    emit!(
                        tx,
                        workshop_id,
                        Event::Dot {
                            client_id: client_id.clone(),
                            theme: theme.clone(),
                            placed: false,
                            dots: totals_shown.then_some(dots)
                        }
                    );
                }
                let participants = participant_count!(tx, workshop_id);
                emit!(
                    tx,
                    workshop_id,
                    Event::Left {
                        participant: participant_id,
                        participants
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(Removed {
                    number,
                    notes: notes.len(),
                    dots: dots.len(),
                })
            }))?;
            self.wake_soon(workshop_id);
            Ok(removed)
        })
    }

    /// Moves a participant to another group (an index into the groups).
    #[inline(never)]
    pub fn move_participant<'a>(
        &'a self,
        p: &'a Participant,
        group: usize,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let workshop_id = p.workshop_id;
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, workshop_id, lock);
                still_taking_part!(tx, p.id);
                sqlx::query("UPDATE workshop_participants SET group_index = $1 WHERE id = $2")
                    .bind(group as i64)
                    .bind(p.id)
                    .execute(&mut *tx)
                    .await?;
                let participants = participant_count!(tx, workshop_id);
                emit!(
                    tx,
                    workshop_id,
                    Event::Joined {
                        participant: p.id,
                        group,
                        participants
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))?;
            self.wake_soon(workshop_id);
            Ok(())
        })
    }
}
