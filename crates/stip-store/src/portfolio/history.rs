//! A project's change history: reading it, writing its rows, and the one-off migration of the
//! rows stored before the history kept values.

use super::read::parse_code;
use crate::editor::Editor;
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool};
use sqlx::{Database, Encode, Type};
use stip_core::Version;
use stip_core::portfolio::*;

impl Store {
    /// The change history of a project, newest first.
    #[inline(never)]
    pub fn project_history<'a>(&'a self, id: i64) -> Boxed<'a, Result<Vec<HistoryEntry>>> {
        boxed(async move { self.project_history_since(id, Version(0)).await })
    }

    /// The changes saved after `version`, newest first.
    #[inline(never)]
    pub fn project_history_since<'a>(
        &'a self,
        id: i64,
        version: Version,
    ) -> Boxed<'a, Result<Vec<HistoryEntry>>> {
        boxed(async move {
            let after_version = version.get();
            let rows: Vec<(i64, String, Option<i64>, String, String, String)> = on_pool!(
                self,
                read,
                |pool| {
                    sqlx::query_as(
                "SELECT version, changed_at, user_id, user_name, visibility, changes FROM project_history
                 WHERE project_id = $1 AND version > $2 ORDER BY version DESC",
            )
            .bind(id)
            .bind(after_version)
            .fetch_all(pool)
            .await?
                }
            );
            rows.into_iter()
                .map(
                    |(version, changed_at, user_id, user_name, visibility, changes)| {
                        Ok(HistoryEntry {
                            version,
                            changed_at,
                            user_id,
                            user_name,
                            visibility: parse_code("visibility", &visibility, Visibility::parse)?,
                            changes: serde_json::from_str(&changes)
                                .map_err(|_| corrupt("history", &changes))?,
                        })
                    },
                )
                .collect()
        })
    }

    /// Once per database, right after the SQL migrations: history rows written before the
    /// history stored values hold Dutch display text ("12.500", "ja") and no visibility. Their
    /// changes become values, and each row gets the visibility the project had at that version,
    /// found by replaying the project's visibility changes back from its current visibility.
    /// SQL cannot parse the old texts portably, hence Rust; one transaction, recorded in
    /// `data_migrations` in that transaction, so it never runs twice, not even when two
    /// processes start at once (the second waits for the first's row, then skips).
    pub(crate) async fn migrate_history_to_values(&self) -> Result<()> {
        const NAME: &str = "0003_history_values";
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "INSERT INTO data_migrations (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(NAME)
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(());
            }
            // Most rows (every creation, every save that left the visibility alone since) get
            // the project's current visibility: one statement, so only the rest are written
            // one by one.
            sqlx::query(
                "UPDATE project_history SET visibility =
                 (SELECT p.visibility FROM projects p WHERE p.id = project_history.project_id)",
            )
            .execute(&mut *tx)
            .await?;
            let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
                "SELECT h.id, h.project_id, h.changes, p.visibility FROM project_history h
                 JOIN projects p ON p.id = h.project_id ORDER BY h.project_id, h.version DESC",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut project = None;
            let mut visibility = String::new();
            for (id, project_id, changes, current) in rows {
                if project != Some(project_id) {
                    project = Some(project_id);
                    visibility = current.clone();
                }
                if changes == "[]" && visibility == current {
                    continue;
                }
                let changes =
                    old_history_changes(&changes).ok_or_else(|| corrupt("history", &changes))?;
                let at_version = visibility.clone();
                if let Some(change) = changes.iter().find(|c| c.field == "visibility")
                    && let HistoryValue::Code(before) = &change.old
                {
                    visibility = before.clone();
                }
                let json = serde_json::to_string(&changes)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                sqlx::query(
                    "UPDATE project_history SET changes = $1, visibility = $2 WHERE id = $3",
                )
                .bind(json)
                .bind(at_version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

/// The changes of a history row as stored before values: every old and new value a Dutch
/// display text. A value that is already not a text is kept.
fn old_history_changes(json: &str) -> Option<Vec<FieldChange>> {
    #[derive(serde::Deserialize)]
    struct Old {
        field: String,
        old: serde_json::Value,
        new: serde_json::Value,
    }
    let value = |field: &str, v: serde_json::Value| match v {
        serde_json::Value::String(text) => HistoryValue::from_display_text(field, &text),
        other => HistoryValue::from_json(field, other),
    };
    serde_json::from_str::<Vec<Old>>(json)
        .ok()?
        .into_iter()
        .map(|c| {
            Some(FieldChange {
                old: value(&c.field, c.old)?,
                new: value(&c.field, c.new)?,
                field: c.field,
            })
        })
        .collect()
}

/// Adds the history row of `version` of project `id`, with the visibility it has at that version.
pub(crate) async fn insert_history<DB: Database>(
    tx: &mut sqlx::Transaction<'_, DB>,
    id: i64,
    version: i64,
    at: &str,
    editor: &Editor,
    visibility: Visibility,
    changes_json: &str,
) -> Result<()>
where
    for<'e> &'e mut <DB as Database>::Connection: sqlx::Executor<'e, Database = DB>,
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    for<'a> Option<i64>: Encode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB>,
    for<'a> <DB as Database>::Arguments<'a>: sqlx::IntoArguments<'a, DB>,
{
    sqlx::query::<DB>(
        "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, visibility, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(version)
    .bind(at)
    .bind(editor.user_id)
    .bind(editor.name.as_str())
    .bind(visibility.code())
    .bind(changes_json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
