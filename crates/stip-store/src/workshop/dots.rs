//! A workshop's dots: placing one and taking it back, within the limits.
//!
//! The dot limit lives here, inside the transaction that places the dot: the participant's dots
//! are counted after the workshop's row is locked, so no two placements can both see room for one.

use super::{COLUMNS, WorkshopRow, emit, still_taking_part};
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, now, on_pool, retrying};
use stip_core::workshop::{Dot, DotRefusal, Event, Participant, Phase, Workshop};

/// What placing a dot did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// A new dot; the participant has this many left.
    New { left: u32 },
    /// This client id's dot was there already (the request came twice).
    Already { left: u32 },
}

impl Store {
    /// Places participant `p`'s dot `client_id` on `theme`, within the limits, in one
    /// transaction. The same client id again is the same dot (`Placed::Already`).
    #[inline(never)]
    pub fn place_dot<'a>(
        &'a self,
        p: &'a Participant,
        client_id: &'a str,
        theme: &'a str,
    ) -> Boxed<'a, Result<Result<Placed, DotRefusal>>> {
        boxed(async move {
            let lock = self.for_update();
            let outcome = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let row: Option<WorkshopRow> = sqlx::query_as(&format!(
                    "SELECT {COLUMNS} FROM workshops WHERE id = $1{lock}"
                ))
                .bind(p.workshop_id)
                .fetch_optional(&mut *tx)
                .await?;
                let w = Workshop::try_from(row.ok_or(StoreError::NotFound)?)?;
                still_taking_part!(tx, p.id);
                let mine: Vec<(String, String)> = sqlx::query_as(
                    "SELECT client_id, theme_code FROM workshop_dots WHERE participant_id = $1",
                )
                .bind(p.id)
                .fetch_all(&mut *tx)
                .await?;
                let mine: Vec<Dot> = mine
                    .into_iter()
                    .map(|(client_id, theme)| Dot {
                        client_id,
                        participant_id: p.id,
                        theme,
                    })
                    .collect();
                if mine.iter().any(|d| d.client_id == client_id) {
                    return Ok(Ok(Placed::Already {
                        left: w.dots_left(&mine),
                    }));
                }
                let elsewhere: Option<i64> = sqlx::query_scalar(
                "SELECT participant_id FROM workshop_dots WHERE workshop_id = $1 AND client_id = $2",
            )
            .bind(w.id)
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await?;
                if elsewhere.is_some() {
                    return Ok(Err(DotRefusal::NotYours));
                }
                if let Err(refusal) = w.may_place(&mine, theme) {
                    return Ok(Err(refusal));
                }
                sqlx::query(
                "INSERT INTO workshop_dots (workshop_id, client_id, participant_id, theme_code, placed_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(w.id)
            .bind(client_id)
            .bind(p.id)
            .bind(theme)
            .bind(now())
            .execute(&mut *tx)
            .await?;
                let dots: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM workshop_dots WHERE workshop_id = $1 AND theme_code = $2",
                )
                .bind(w.id)
                .bind(theme)
                .fetch_one(&mut *tx)
                .await?;
                emit!(
                    tx,
                    w.id,
                    Event::Dot {
                        client_id: client_id.to_string(),
                        theme: theme.to_string(),
                        placed: true,
                        dots: w.totals_shown.then_some(dots)
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(Ok(Placed::New {
                    left: w.dots_left(&mine).saturating_sub(1),
                }))
            }))?;
            if matches!(outcome, Ok(Placed::New { .. })) {
                self.wake_soon(p.workshop_id);
            }
            Ok(outcome)
        })
    }

    /// Takes participant `p`'s dot `client_id` back (while voting).
    #[inline(never)]
    pub fn take_back_dot<'a>(
        &'a self,
        p: &'a Participant,
        client_id: &'a str,
    ) -> Boxed<'a, Result<Result<(), DotRefusal>>> {
        boxed(async move {
            let lock = self.for_update();
            let outcome = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let row: Option<(String, bool)> = sqlx::query_as(&format!(
                    "SELECT phase, totals_shown FROM workshops WHERE id = $1{lock}"
                ))
                .bind(p.workshop_id)
                .fetch_optional(&mut *tx)
                .await?;
                let (phase, totals_shown) = row.ok_or(StoreError::NotFound)?;
                if phase != Phase::Voting.code() {
                    return Ok(Err(DotRefusal::NotVoting));
                }
                let dot: Option<(i64, String)> = sqlx::query_as(
                "SELECT participant_id, theme_code FROM workshop_dots WHERE workshop_id = $1 AND client_id = $2",
            )
            .bind(p.workshop_id)
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await?;
                let (owner, theme) = dot.ok_or(StoreError::NotFound)?;
                if owner != p.id {
                    return Ok(Err(DotRefusal::NotYours));
                }
                sqlx::query("DELETE FROM workshop_dots WHERE workshop_id = $1 AND client_id = $2")
                    .bind(p.workshop_id)
                    .bind(client_id)
                    .execute(&mut *tx)
                    .await?;
                let dots: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM workshop_dots WHERE workshop_id = $1 AND theme_code = $2",
                )
                .bind(p.workshop_id)
                .bind(&theme)
                .fetch_one(&mut *tx)
                .await?;
                emit!(
                    tx,
                    p.workshop_id,
                    Event::Dot {
                        client_id: client_id.to_string(),
                        theme,
                        placed: false,
                        dots: totals_shown.then_some(dots)
                    }
                );
                tx.commit().await?;
                Ok::<_, StoreError>(Ok(()))
            }))?;
            if outcome.is_ok() {
                self.wake_soon(p.workshop_id);
            }
            Ok(outcome)
        })
    }

    /// Every dot of a workshop.
    #[inline(never)]
    pub fn workshop_dots<'a>(&'a self, workshop_id: i64) -> Boxed<'a, Result<Vec<Dot>>> {
        boxed(async move {
            let rows: Vec<(String, i64, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT client_id, participant_id, theme_code FROM workshop_dots WHERE workshop_id = $1 ORDER BY placed_at, client_id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
            });
            Ok(rows
                .into_iter()
                .map(|(client_id, participant_id, theme)| Dot {
                    client_id,
                    participant_id,
                    theme,
                })
                .collect())
        })
    }
}
