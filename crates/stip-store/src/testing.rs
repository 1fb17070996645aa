//! Fresh databases for tests (behind the `testing` feature): a SQLite file in a temporary
//! folder, or a PostgreSQL schema of its own (`STIP_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`), and [`on_both!`](crate::on_both) to run a test on
//! each. PostgreSQL is required: an unreachable server fails the test, unless the run opts out
//! with `STIP_SKIP_POSTGRES=1`, and then every test binary says loudly that half of it did not run.

use crate::{Store, on_pool};
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

    /// A fresh database on the backend the running test was started for (see [`on_both!`]).
    ///
    /// [`on_both!`]: crate::on_both
    pub async fn current() -> TestDb {
        match Backend::current() {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres()
                .await
                .expect("on_both! starts a PostgreSQL test only when PostgreSQL is not skipped"),
        }
    }

    /// A fresh schema on the test PostgreSQL; `None` only when the run skips PostgreSQL
    /// (`STIP_SKIP_POSTGRES=1`, said loudly). An unreachable server fails the test.
    pub async fn postgres() -> Option<TestDb> {
        if postgres_skipped() {
            return None;
        }
        let admin_url = std::env::var("STIP_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_string());
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
            Err(e) => panic!(
                "PostgreSQL at {admin_url} is unreachable ({e}). The tests run on SQLite and on \
                 PostgreSQL: start it (`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) \
                 main start`), point STIP_TEST_POSTGRES_URL at one, or run with STIP_SKIP_POSTGRES=1 \
                 to leave out the PostgreSQL half"
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

/// Whether this run leaves PostgreSQL out (`STIP_SKIP_POSTGRES=1`). The first time a test
/// binary asks, it says so on the terminal itself, past the test harness's capture of passing
/// tests' output, so the summary of every run that skipped shows it.
pub fn postgres_skipped() -> bool {
    static SAID: std::sync::Once = std::sync::Once::new();
    let skipped = std::env::var("STIP_SKIP_POSTGRES").is_ok_and(|v| v == "1");
    if skipped {
        SAID.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n!!! STIP_SKIP_POSTGRES=1: the PostgreSQL half of {} did NOT run; only SQLite was tested.\n",
                std::env::args().next().unwrap_or_default()
            );
        });
    }
    skipped
}

/// The database a test runs on; [`on_both!`](crate::on_both) starts each test once on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

tokio::task_local! {
    static BACKEND: Backend;
}

impl Backend {
    /// Runs `test` with this backend as [`Backend::current`]; on PostgreSQL not at all when
    /// the run skips it.
    pub async fn run(self, test: impl Future<Output = ()>) {
        if self == Backend::Postgres && postgres_skipped() {
            return;
        }
        BACKEND.scope(self, test).await
    }

    /// The backend of the running test (SQLite outside [`Backend::run`]).
    pub fn current() -> Backend {
        BACKEND.try_with(|b| *b).unwrap_or(Backend::Sqlite)
    }
}

/// Runs each named test once on SQLite and once on PostgreSQL, as `sqlite::NAME` and
/// `postgres::NAME`: the test is an `async fn NAME()` that takes its database from
/// [`TestDb::current`] (or, in the web tests, a `TestApp` that does). `NAME in "multi_thread"`
/// runs it on tokio's multi-thread runtime (four workers), where its tasks really race.
#[macro_export]
macro_rules! on_both {
    ($($name:ident $(in $flavor:literal)?),* $(,)?) => {
        mod sqlite {
            $($crate::on_both!(@test Sqlite $name $($flavor)?);)*
        }
        mod postgres {
            $($crate::on_both!(@test Postgres $name $($flavor)?);)*
        }
    };
    (@test $backend:ident $name:ident "multi_thread") => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            $crate::testing::Backend::$backend.run(super::$name()).await
        }
    };
    (@test $backend:ident $name:ident $($flavor:literal)?) => {
        #[tokio::test]
        async fn $name() {
            $crate::testing::Backend::$backend.run(super::$name()).await
        }
    };
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
        crate::Backend::Sqlite { read, .. } => sqlx::query_as(
            "SELECT m.name, c.name, NOT (c.\"notnull\" OR c.pk > 0)
             FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(read)
        .await?,
        crate::Backend::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT, is_nullable = 'YES'
             FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await?,
    };
    Ok(rows.into_iter().collect())
}
