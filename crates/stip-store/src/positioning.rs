//! Positionering (issue 16): every save of an institution's positioning is kept (the newest is
//! current), and the beheerder's settings. Read per page, so not kept in memory.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool, retrying};
use std::collections::BTreeMap;
use stip_core::positioning::{DEFAULT_THRESHOLD, MIN_THRESHOLD, Position, Settings, seed_aspects};

/// What the network sees of the positionings (see [`Store::network_positions`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkSnapshot {
    /// The scores as of the snapshot, without explanations or stakeholders, in no meaningful
    /// order; empty before the first.
    pub positions: Vec<Position>,
    /// When the snapshot was taken; `None` before the first.
    pub taken_at: Option<String>,
    /// How many institutions have a positioning now.
    pub institutions: i64,
}

/// One institution's scores as a snapshot keeps them.
#[derive(serde::Serialize, serde::Deserialize)]
struct Scores {
    axes: BTreeMap<String, i64>,
    aspects: BTreeMap<String, i64>,
}

/// Renews the network's snapshot when at least the threshold of institutions saved a
/// positioning since it was taken (the first: once that many have one); writes the empty "none
/// yet" row when there is none. The caller holds the snapshot's lock.
macro_rules! renew_snapshot {
    ($tx:expr) => {{
        let set: Option<i64> =
            sqlx::query_scalar("SELECT threshold FROM positioning_settings WHERE id = 1")
                .fetch_optional(&mut *$tx)
                .await?;
        let k = set.unwrap_or(DEFAULT_THRESHOLD).max(MIN_THRESHOLD);
        let last: Option<i64> =
            sqlx::query_scalar("SELECT last_id FROM positioning_snapshot WHERE id = 1")
                .fetch_optional(&mut *$tx)
                .await?;
        let changed: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT institution_id) FROM positionings WHERE id > $1",
        )
        .bind(last.unwrap_or(0))
        .fetch_one(&mut *$tx)
        .await?;
        if changed >= k {
            let rows: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT id, axes, aspects FROM positionings WHERE id IN (SELECT MAX(id) FROM positionings GROUP BY institution_id)",
            )
            .fetch_all(&mut *$tx)
            .await?;
            let newest = rows.iter().map(|r| r.0).max().unwrap_or(0);
            let mut scores = Vec::new();
            for (_, axes, aspects) in rows {
                scores.push(Scores {
                    axes: serde_json::from_str(&axes).map_err(|_| corrupt("axes", &axes))?,
                    aspects: serde_json::from_str(&aspects)
                        .map_err(|_| corrupt("aspects", &aspects))?,
                });
            }
            // In the order of the scores themselves: nothing says whose came first.
            let mut texts: Vec<String> = scores
                .iter()
                .map(|s| serde_json::to_string(s).expect("scores"))
                .collect();
            texts.sort();
            let positions = format!("[{}]", texts.join(","));
            sqlx::query(
                "INSERT INTO positioning_snapshot (id, positions, last_id, taken_at) VALUES (1, $1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET positions = excluded.positions, last_id = excluded.last_id, taken_at = excluded.taken_at",
            )
            .bind(positions)
            .bind(newest)
            .bind(now())
            .execute(&mut *$tx)
            .await?;
        } else if last.is_none() {
            sqlx::query(
                "INSERT INTO positioning_snapshot (id, positions, last_id, taken_at) VALUES (1, '[]', 0, NULL)",
            )
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// A saved positioning: what was saved, when and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPosition {
    pub position: Position,
    pub saved_at: String,
    pub saved_by: String,
}

crate::row! {
    struct PositionRow {
        axes: String,
        aspects: String,
        explanations: String,
        stakeholders: String,
        saved_by_name: String,
        saved_at: String,
    }
}

impl TryFrom<PositionRow> for SavedPosition {
    type Error = StoreError;
    fn try_from(r: PositionRow) -> Result<SavedPosition> {
        fn json<T: serde::de::DeserializeOwned>(what: &str, raw: &str) -> Result<T> {
            serde_json::from_str(raw).map_err(|_| corrupt(what, raw))
        }
        Ok(SavedPosition {
            position: Position {
                axes: json("axes", &r.axes)?,
                aspects: json("aspects", &r.aspects)?,
                explanations: json("explanations", &r.explanations)?,
                stakeholders: json("stakeholders", &r.stakeholders)?,
            },
            saved_at: r.saved_at,
            saved_by: r.saved_by_name,
        })
    }
}

const COLUMNS: &str = "axes, aspects, explanations, stakeholders, saved_by_name, saved_at";

impl Store {
    /// The aspects and threshold the beheerder set, or the seed's.
    #[inline(never)]
    pub fn positioning_settings<'a>(&'a self) -> Boxed<'a, Result<Settings>> {
        boxed(async move {
            let row: Option<(i64, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as("SELECT threshold, aspects FROM positioning_settings WHERE id = 1")
                    .fetch_optional(pool)
                    .await?
            });
            Ok(match row {
                Some((threshold, aspects)) => Settings {
                    threshold,
                    aspects: serde_json::from_str(&aspects)
                        .map_err(|_| corrupt("aspects", &aspects))?,
                },
                None => Settings {
                    threshold: DEFAULT_THRESHOLD,
                    aspects: seed_aspects(),
                },
            })
        })
    }

    /// Saves the settings; a new threshold counts for the snapshot of the network at once.
    #[inline(never)]
    pub fn save_positioning_settings<'a>(&'a self, s: &'a Settings) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.snapshot_lock();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                if !lock.is_empty() {
                    sqlx::query(lock).execute(&mut *tx).await?;
                }
                sqlx::query(
                "INSERT INTO positioning_settings (id, threshold, aspects) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE SET threshold = excluded.threshold, aspects = excluded.aspects, version = positioning_settings.version + 1",
            )
            .bind(s.threshold)
            .bind(serde_json::to_string(&s.aspects).expect("aspects"))
            .execute(&mut *tx)
            .await?;
                renew_snapshot!(tx);
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))
        })
    }

    /// On PostgreSQL: the statement that lets one positioning write at a time decide on the
    /// snapshot (SQLite has one writer).
    fn snapshot_lock(&self) -> &'static str {
        match self.backend {
            crate::Backend::Postgres(_) => {
                "LOCK TABLE positioning_snapshot IN SHARE ROW EXCLUSIVE MODE"
            }
            crate::Backend::Sqlite { .. } => "",
        }
    }

    /// Saves `institution`'s positioning as its current one; the previous stays as history.
    #[inline(never)]
    pub fn save_position<'a>(
        &'a self,
        institution: i64,
        p: &'a Position,
        by: Option<i64>,
        by_name: &'a str,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.snapshot_lock();
            let at = now();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                if !lock.is_empty() {
                    sqlx::query(lock).execute(&mut *tx).await?;
                }
                sqlx::query(
                "INSERT INTO positionings (institution_id, axes, aspects, explanations, stakeholders, saved_by, saved_by_name, saved_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(institution)
            .bind(json(&p.axes))
            .bind(json(&p.aspects))
            .bind(json(&p.explanations))
            .bind(json(&p.stakeholders))
            .bind(by)
            .bind(by_name)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
                renew_snapshot!(tx);
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }))
        })
    }

    /// `institution`'s positionings, newest (the current one) first; at most `limit`.
    #[inline(never)]
    pub fn positions_of<'a>(
        &'a self,
        institution: i64,
        limit: i64,
    ) -> Boxed<'a, Result<Vec<SavedPosition>>> {
        boxed(async move {
            let rows: Vec<PositionRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM positionings WHERE institution_id = $1 ORDER BY id DESC LIMIT $2"
            ))
            .bind(institution)
            .bind(limit)
            .fetch_all(pool)
            .await?
            });
            rows.into_iter().map(SavedPosition::try_from).collect()
        })
    }

    /// What the network sees of the positionings: the snapshot (scores only, no one's name)
    /// and when it was taken, renewed only once at least the threshold of institutions saved
    /// since the last one; before the first, nothing but how many have positioned themselves.
    #[inline(never)]
    pub fn network_positions<'a>(&'a self) -> Boxed<'a, Result<NetworkSnapshot>> {
        boxed(async move {
            type Row = (String, Option<String>);
            let (row, institutions): (Option<Row>, i64) = on_pool!(self, read, |pool| {
                let row = sqlx::query_as(
                    "SELECT positions, taken_at FROM positioning_snapshot WHERE id = 1",
                )
                .fetch_optional(pool)
                .await?;
                let n =
                    sqlx::query_scalar("SELECT COUNT(DISTINCT institution_id) FROM positionings")
                        .fetch_one(pool)
                        .await?;
                (row, n)
            });
            let (positions, taken_at) = match row {
                Some(row) => row,
                None => {
                    // Positionings from before snapshots: decide once, as a save would.
                    let lock = self.snapshot_lock();
                    on_pool!(self, write, |pool| retrying!(async {
                        let mut tx = pool.begin().await?;
                        if !lock.is_empty() {
                            sqlx::query(lock).execute(&mut *tx).await?;
                        }
                        renew_snapshot!(tx);
                        tx.commit().await?;
                        Ok::<_, StoreError>(())
                    }))?;
                    let row: Option<Row> = on_pool!(self, read, |pool| {
                        sqlx::query_as(
                            "SELECT positions, taken_at FROM positioning_snapshot WHERE id = 1",
                        )
                        .fetch_optional(pool)
                        .await?
                    });
                    row.unwrap_or_else(|| ("[]".into(), None))
                }
            };
            let scores: Vec<Scores> =
                serde_json::from_str(&positions).map_err(|_| corrupt("snapshot", &positions))?;
            Ok(NetworkSnapshot {
                positions: scores
                    .into_iter()
                    .map(|s| Position {
                        axes: s.axes,
                        aspects: s.aspects,
                        ..Default::default()
                    })
                    .collect(),
                taken_at,
                institutions,
            })
        })
    }
}

/// A part of a positioning as stored: JSON text.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("a positioning serialises")
}
