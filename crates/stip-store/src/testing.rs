//! Fresh databases for tests: a SQLite file in a temporary folder, or a PostgreSQL schema of its
//! own (`STIP_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`). When
//! PostgreSQL is unreachable the PostgreSQL tests say so loudly and skip, unless
//! `STIP_REQUIRE_POSTGRES=1`, when they fail.

use crate::Store;
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
