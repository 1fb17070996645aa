//! Fresh databases for tests: a SQLite file in a temporary folder, or a PostgreSQL schema of its
//! own (`STIP_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`). When
//! PostgreSQL is unreachable the PostgreSQL tests say so loudly and skip, unless
//! `STIP_REQUIRE_POSTGRES=1`, when they fail.

use crate::{Backend, Store, on_pool};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::PathBuf;
use std::str::FromStr;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database that is removed when dropped.
pub struct TestDb {
    pub store: Store,
    /// The URL `stip` commands can be pointed at.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { admin_url: String, schema: String },
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "stip_t_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&dir).expect("create a temporary folder");
        let url = format!("sqlite://{}", dir.join("stip.db").display());
        let store = Store::connect(&url)
            .await
            .expect("open a SQLite test database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::File(dir),
        }
    }

    /// A fresh schema on the test PostgreSQL, or `None` (with a loud message) when it is
    /// unreachable and not required.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("STIP_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_string());
        let required = std::env::var("STIP_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        let schema = unique_name();
        let admin = PgConnectOptions::from_str(&admin_url)
            .expect("STIP_TEST_POSTGRES_URL is a PostgreSQL URL");
        match admin.connect().await {
            Ok(mut conn) => {
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .await
                    .expect("create a test schema");
                let _ = conn.close().await;
            }
            Err(e) if !required => {
                eprintln!(
                    "\n!!! SKIPPED: PostgreSQL at {admin_url} is unreachable ({e}).\n!!! The PostgreSQL half of this test did not run. Set STIP_REQUIRE_POSTGRES=1 to make this a failure.\n"
                );
                return None;
            }
            Err(e) => panic!(
                "PostgreSQL at {admin_url} is required (STIP_REQUIRE_POSTGRES=1) but unreachable: {e}"
            ),
        }
        let options = admin.options([("search_path", schema.as_str())]);
        let store = Store::postgres(options)
            .await
            .expect("connect to the test schema");
        store.migrate().await.expect("migrate the test schema");
        let sep = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::Schema { admin_url, schema },
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { admin_url, schema } => {
                let (admin_url, schema) = (admin_url.clone(), schema.clone());
                // Drop runs inside the test's runtime; a thread of its own may block on a new one.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let mut conn = PgConnectOptions::from_str(&admin_url)
                            .ok()?
                            .connect()
                            .await
                            .ok()?;
                        // A test that failed mid-transaction may still hold locks in the
                        // schema (its rollback waits for the runtime this thread blocks): give
                        // up on the schema rather than hang the test run.
                        sqlx::query("SET lock_timeout = '5s'")
                            .execute(&mut conn)
                            .await
                            .ok()?;
                        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                            .execute(&mut conn)
                            .await
                            .ok()
                    })
                })
                .join();
            }
        }
    }
}

/// Runs SQL as it is, for a test that sets up what the application cannot write itself (such as
/// a history row in an old format); returns the number of rows changed.
pub async fn execute(store: &Store, sql: &str) -> crate::Result<u64> {
    Ok(on_pool!(store, write, |pool| sqlx::query(sql)
        .execute(pool)
        .await?
        .rows_affected()))
}

/// The one number `sql` answers (a count, a sum cast to BIGINT), for a test that checks what
/// is stored.
pub async fn scalar(store: &Store, sql: &str) -> crate::Result<i64> {
    Ok(on_pool!(store, read, |pool| sqlx::query_scalar::<
        _,
        Option<i64>,
    >(sql)
    .fetch_one(pool)
    .await?
    .unwrap_or(0)))
}

/// Every column of every table of the application (not sqlx's own), as
/// (table, column, nullable), for comparing the schemas of the two backends.
pub async fn schema(
    store: &Store,
) -> crate::Result<std::collections::BTreeSet<(String, String, bool)>> {
    let rows: Vec<(String, String, bool)> = match &store.backend {
        // A PRIMARY KEY column is never NULL on either backend, though SQLite's table_info only
        // marks it `notnull` when declared so.
        Backend::Sqlite { read, .. } => sqlx::query_as(
            "SELECT m.name, c.name, NOT (c.\"notnull\" OR c.pk > 0)
             FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(read)
        .await?,
        Backend::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT, is_nullable = 'YES'
             FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await?,
    };
    Ok(rows.into_iter().collect())
}
