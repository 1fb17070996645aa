//! Positionering (issue 16): every save of an institution's positioning is kept (the newest is
//! current), and the beheerder's settings. Read per page, so not kept in memory.

use crate::{Result, Store, StoreError, corrupt, now, on_pool};
use stip_core::positioning::{DEFAULT_THRESHOLD, Position, Settings, seed_aspects};

/// A saved positioning: what was saved, when and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPosition {
    pub position: Position,
    pub saved_at: String,
    pub saved_by: String,
}

#[derive(sqlx::FromRow)]
struct PositionRow {
    axes: String,
    aspects: String,
    explanations: String,
    stakeholders: String,
    saved_by_name: String,
    saved_at: String,
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
    pub async fn positioning_settings(&self) -> Result<Settings> {
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
    }

    pub async fn save_positioning_settings(&self, s: &Settings) -> Result<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO positioning_settings (id, threshold, aspects) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE SET threshold = excluded.threshold, aspects = excluded.aspects, version = positioning_settings.version + 1",
            )
            .bind(s.threshold)
            .bind(serde_json::to_string(&s.aspects).expect("aspects"))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Saves `institution`'s positioning as its current one; the previous stays as history.
    pub async fn save_position(
        &self,
        institution: i64,
        p: &Position,
        by: Option<i64>,
        by_name: &str,
    ) -> Result<()> {
        on_pool!(self, write, |pool| {
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
            .bind(now())
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// `institution`'s positionings, newest (the current one) first; at most `limit`.
    pub async fn positions_of(&self, institution: i64, limit: i64) -> Result<Vec<SavedPosition>> {
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
    }

    /// Every institution's current positioning, in no particular order and without saying whose.
    pub async fn current_positions(&self) -> Result<Vec<Position>> {
        let rows: Vec<PositionRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM positionings WHERE id IN (SELECT MAX(id) FROM positionings GROUP BY institution_id)"
            ))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| SavedPosition::try_from(r).map(|s| s.position))
            .collect()
    }
}

/// A part of a positioning as stored: JSON text.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("a positioning serialises")
}
