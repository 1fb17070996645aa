//! Backup and restore: every table of a Stip database in one JSON document, the same for both
//! backends, so a backup of SQLite restores into PostgreSQL and back with nothing lost: ids,
//! versions, history, accounts, sessions and tokens included.
//!
//! A backup reads in one transaction, so it is consistent while a server runs and writes. A
//! restore loads an empty database (it refuses any other) in one transaction: it either loads
//! everything or leaves the database as empty as it found it. Not in a backup: the change log
//! (a restored database starts its own), login throttling (minutes of state), uploaded files
//! awaiting an import's confirmation (`imports`, `import_locks`: a preview is made again from
//! the file), and the record of data migrations (the target's own migrations made it). A table
//! the migrations fill with a shipped list ([`SEEDED`]) does not make a database less empty: a
//! restore replaces those rows with the backup's, or keeps them when the backup predates the
//! table. Nor does the default agenda that `stip serve` loads into a new database
//! ([`FIRST_START`]), as long as it is exactly that agenda.
//!
//! A restore loads only what it fully understands: a document with a table or a column this
//! Stip does not have is refused, naming it, rather than loaded without it.

use crate::{Backend, Result, Store, StoreError};
use crate::{Boxed, boxed};
use serde_json::{Map, Value};

/// The format's version, in the document as `stip_backup`.
pub const FORMAT: i64 = 1;

/// The tables in a backup, parents before the tables that refer to them.
pub const TABLES: &[&str] = &[
    "institutions",
    "main_lines",
    "themes",
    "policy_drivers",
    "mora_areas",
    "criteria",
    "users",
    "user_identities",
    "sessions",
    "api_tokens",
    "projects",
    "project_themes",
    "project_drivers",
    "project_mora_areas",
    "project_scores",
    "project_history",
    "import_mappings",
    "weightings",
    "scenarios",
    "surveys",
    "survey_questions",
    "survey_invitations",
    "survey_anonymous_responses",
    "survey_published_results",
    "meetings",
    "meeting_attendance",
    "calendar_feeds",
    "meeting_appendices",
    "workshops",
    "workshop_participants",
    "workshop_notes",
    "workshop_dots",
    "workshop_events",
    "workshop_together",
    "network_priorities",
    "workgroups",
    "workgroup_log",
    "positionings",
    "positioning_settings",
    "positioning_snapshot",
    "agendas",
    "agenda_project_themes",
    "agenda_reviews",
    "login_settings",
];

/// Tables a migration fills with the list Stip ships (the MORA process areas, the first agenda
/// version), so a fresh database has rows there.
pub const SEEDED: &[&str] = &["mora_areas", "agendas"];

/// Tables `stip serve` fills on its first start with the default agenda (main lines, themes,
/// policy drivers, portfolio criteria), children last. A restore replaces those rows when they
/// are exactly the default agenda's.
pub const FIRST_START: &[&str] = &["main_lines", "themes", "policy_drivers", "criteria"];

/// The keys of a backup document besides its tables.
const DOCUMENT_KEYS: &[&str] = &["stip_backup", "created_at", "tables"];

/// A table's columns, in order, and whether each is a boolean (SQLite keeps those as 0 and 1).
async fn columns(conn: &mut AnyConn<'_>, table: &str) -> Result<Vec<(String, bool)>> {
    let rows: Vec<(String, String)> = match conn {
        AnyConn::Sqlite(c) => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(&mut ***c)
                .await?
        }
        AnyConn::Postgres(c) => {
            sqlx::query_as(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut ***c)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(name, kind)| (name, kind.eq_ignore_ascii_case("boolean")))
        .collect())
}

enum AnyConn<'a> {
    Sqlite(&'a mut sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(&'a mut sqlx::Transaction<'static, sqlx::Postgres>),
}

fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

impl Store {
    /// Every table as one JSON document, read in one transaction.
    #[inline(never)]
    pub fn backup<'a>(&'a self) -> Boxed<'a, Result<Value>> {
        boxed(async move {
            let mut tables = Map::new();
            match &self.backend {
                Backend::Sqlite { read, .. } => {
                    let mut tx = read.begin().await?;
                    for table in TABLES {
                        let rows = dump(&mut AnyConn::Sqlite(&mut tx), table).await?;
                        tables.insert(table.to_string(), Value::Array(rows));
                    }
                    tx.commit().await?;
                }
                Backend::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                        .execute(&mut *tx)
                        .await?;
                    for table in TABLES {
                        let rows = dump(&mut AnyConn::Postgres(&mut tx), table).await?;
                        tables.insert(table.to_string(), Value::Array(rows));
                    }
                    tx.commit().await?;
                }
            }
            let mut doc = Map::new();
            doc.insert("stip_backup".into(), FORMAT.into());
            doc.insert("created_at".into(), crate::now().into());
            doc.insert("tables".into(), Value::Object(tables));
            Ok(Value::Object(doc))
        })
    }

    /// Loads a backup into this database, which must be empty; all or nothing. Returns the
    /// number of rows loaded per table.
    #[inline(never)]
    pub fn restore<'a>(
        &'a self,
        backup: &'a Value,
    ) -> Boxed<'a, Result<Vec<(&'static str, usize)>>> {
        boxed(async move {
            let invalid = |why: String| StoreError::Corrupt(format!("not a Stip backup: {why}"));
            if backup.get("stip_backup").and_then(Value::as_i64) != Some(FORMAT) {
                return Err(invalid(format!("no \"stip_backup\": {FORMAT}")));
            }
            let tables = backup
                .get("tables")
                .and_then(Value::as_object)
                .ok_or_else(|| invalid("no \"tables\"".into()))?;
            // A key, table or column this Stip does not know would be lost without a word.
            if let Some(key) = backup
                .as_object()
                .into_iter()
                .flat_map(|doc| doc.keys())
                .find(|k| !DOCUMENT_KEYS.contains(&k.as_str()))
            {
                return Err(invalid(format!("unknown key \"{key}\"")));
            }
            if let Some(table) = tables.keys().find(|t| !TABLES.contains(&t.as_str())) {
                return Err(invalid(format!(
                    "unknown table \"{table}\" (made by another version of Stip?)"
                )));
            }
            let default_agenda = first_start_rows();
            let mut loaded = Vec::new();
            macro_rules! load_all {
                ($tx:ident, $conn:expr) => {{
                    let mut first_start = true;
                    for table in FIRST_START {
                        let rows: Vec<(String, String)> = sqlx::query_as(&format!(
                            "SELECT code, name FROM {table} ORDER BY code"
                        ))
                        .fetch_all(&mut *$tx)
                        .await?;
                        first_start &= rows.is_empty() || default_agenda.get(table) == Some(&rows);
                    }
                    for table in TABLES.iter().filter(|t| {
                        !SEEDED.contains(t) && !(first_start && FIRST_START.contains(t))
                    }) {
                        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                            .fetch_one(&mut *$tx)
                            .await?;
                        if n > 0 {
                            return Err(StoreError::NotEmpty(format!("{table} has {n} rows")));
                        }
                    }
                    // Nothing refers to the default agenda yet: the database is empty.
                    for table in FIRST_START.iter().rev() {
                        sqlx::query(&format!("DELETE FROM {table}"))
                            .execute(&mut *$tx)
                            .await?;
                    }
                    for table in TABLES {
                        let rows = match tables.get(*table) {
                            Some(Value::Array(rows)) => rows.as_slice(),
                            None => &[],
                            Some(_) => return Err(invalid(format!("\"{table}\" is not a list"))),
                        };
                        if SEEDED.contains(table) && tables.contains_key(*table) {
                            // No project refers to the shipped rows yet: the database is empty.
                            sqlx::query(&format!("DELETE FROM {table}"))
                                .execute(&mut *$tx)
                                .await?;
                        }
                        load($conn(&mut $tx), table, rows).await?;
                        loaded.push((*table, rows.len()));
                    }
                }};
            }
            match &self.backend {
                Backend::Sqlite { write, .. } => {
                    let mut tx = write.begin().await?;
                    load_all!(tx, AnyConn::Sqlite);
                    tx.commit().await?;
                }
                Backend::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    load_all!(tx, AnyConn::Postgres);
                    // Serial ids go on after the highest restored one.
                    for table in TABLES {
                        let has_id: bool = sqlx::query_scalar(
                        "SELECT pg_get_serial_sequence($1, 'id') IS NOT NULL
                         FROM information_schema.columns
                         WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'",
                    )
                    .bind(table)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or(false);
                        if has_id {
                            sqlx::query(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                        ))
                        .execute(&mut *tx)
                        .await?;
                        }
                    }
                    tx.commit().await?;
                }
            }
            self.reload_everything().await?;
            Ok(loaded)
        })
    }
}

/// A table's rows, ordered by every column, as JSON objects with booleans as booleans.
async fn dump(conn: &mut AnyConn<'_>, table: &str) -> Result<Vec<Value>> {
    let cols = columns(conn, table).await?;
    let order = (1..=cols.len())
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let texts: Vec<String> = match conn {
        AnyConn::Sqlite(c) => {
            let pairs = cols
                .iter()
                .map(|(name, _)| format!("'{name}', {}", quoted(name)))
                .collect::<Vec<_>>()
                .join(", ");
            let cols_list = cols
                .iter()
                .map(|(n, _)| quoted(n))
                .collect::<Vec<_>>()
                .join(", ");
            sqlx::query_scalar(&format!(
                "SELECT json_object({pairs}) FROM (SELECT {cols_list} FROM {table} ORDER BY {order})"
            ))
            .fetch_all(&mut ***c)
            .await?
        }
        AnyConn::Postgres(c) => {
            sqlx::query_scalar(&format!(
                "SELECT row_to_json(t)::TEXT FROM (SELECT * FROM {table} ORDER BY {order}) t"
            ))
            .fetch_all(&mut ***c)
            .await?
        }
    };
    texts
        .iter()
        .map(|text| {
            let mut row: Map<String, Value> = serde_json::from_str(text)
                .map_err(|e| StoreError::Corrupt(format!("{table}: {e}")))?;
            for (name, boolean) in &cols {
                if *boolean
                    && let Some(v) = row.get_mut(name)
                    && let Some(n) = v.as_i64()
                {
                    *v = Value::Bool(n != 0);
                }
            }
            Ok(Value::Object(row))
        })
        .collect()
}

/// The default agenda's `(code, name)` rows per [`FIRST_START`] table, ordered by code.
fn first_start_rows() -> std::collections::HashMap<&'static str, Vec<(String, String)>> {
    let agenda = stip_core::agenda::default_agenda();
    let sorted = |mut rows: Vec<(String, String)>| {
        rows.sort();
        rows
    };
    [
        (
            "main_lines",
            sorted(
                agenda
                    .main_lines
                    .into_iter()
                    .map(|m| (m.code, m.name))
                    .collect(),
            ),
        ),
        (
            "themes",
            sorted(
                agenda
                    .themes
                    .into_iter()
                    .map(|t| (t.code, t.name))
                    .collect(),
            ),
        ),
        (
            "policy_drivers",
            sorted(
                agenda
                    .drivers
                    .into_iter()
                    .map(|d| (d.code, d.name))
                    .collect(),
            ),
        ),
        (
            "criteria",
            sorted(
                agenda
                    .criteria
                    .into_iter()
                    .map(|c| (c.code, c.name))
                    .collect(),
            ),
        ),
    ]
    .into_iter()
    .collect()
}

/// Inserts `rows` into `table`, by column name; a column a row lacks is NULL, and a column the
/// table does not have refuses the restore.
async fn load(mut conn: AnyConn<'_>, table: &str, rows: &[Value]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let cols = columns(&mut conn, table).await?;
    for row in rows {
        let Some(row) = row.as_object() else {
            return Err(StoreError::Corrupt(format!(
                "not a Stip backup: a row of \"{table}\" is not an object"
            )));
        };
        if let Some(column) = row.keys().find(|k| !cols.iter().any(|(c, _)| c == *k)) {
            return Err(StoreError::Corrupt(format!(
                "not a Stip backup: unknown column \"{column}\" in table \"{table}\" (made by another version of Stip?)"
            )));
        }
    }
    let names = cols
        .iter()
        .map(|(n, _)| quoted(n))
        .collect::<Vec<_>>()
        .join(", ");
    // In parts, so no statement carries a document of unbounded size.
    for part in rows.chunks(2000) {
        let json = Value::Array(part.to_vec()).to_string();
        match &mut conn {
            AnyConn::Sqlite(c) => {
                let values = cols
                    .iter()
                    .map(|(n, _)| format!("value ->> '$.{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                sqlx::query(&format!(
                    "INSERT INTO {table} ({names}) SELECT {values} FROM json_each($1)"
                ))
                .bind(json)
                .execute(&mut ***c)
                .await?;
            }
            AnyConn::Postgres(c) => {
                sqlx::query(&format!(
                    "INSERT INTO {table} ({names}) SELECT {names} FROM json_populate_recordset(NULL::{table}, $1::JSON)"
                ))
                .bind(json)
                .execute(&mut ***c)
                .await?;
            }
        }
    }
    Ok(())
}
