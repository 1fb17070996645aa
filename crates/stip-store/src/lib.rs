//! Persistence for Stip: one [`Store`] over SQLite (embedded, the default) or PostgreSQL.
//! Every query is written once in portable SQL (`$1` placeholders work on both) and run on
//! whichever pool is configured; each area of the domain has its own file.

pub mod agenda;
pub mod agenda_version;
pub mod backup;
pub mod changes;
pub mod compare;
pub mod demo;
pub mod editor;
pub mod exchange;
mod index;
pub mod insight;
pub mod institution;
pub mod login_throttle;
pub mod meeting;
mod migrations;
pub mod mora;
pub mod portfolio;
pub mod positioning;
pub mod prioritisation;
pub mod rate_limit;
mod search;
pub mod sso;
pub mod survey;
#[cfg(feature = "testing")]
pub mod testing;
pub mod user;
pub mod workgroup;
pub mod workshop;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use stip_core::{ErrorCode, Invalid};

/// Runs `$body` with `$pool` bound to the pool of the configured backend. The body is compiled
/// once per backend, so the same query text serves SQLite and PostgreSQL.
/// `read` uses the shared pool; `write` uses SQLite's single writer (PostgreSQL's pool as is).
macro_rules! on_pool {
    ($store:expr, read, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite { read: $pool, .. } => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
    ($store:expr, write, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite { write: $pool, .. } => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A struct read from a query's columns by name: what `#[derive(sqlx::FromRow)]` would write,
/// without sqlx's proc macros (which compile sqlx and its drivers a second time for the host).
macro_rules! row {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        $vis struct $name { $($fvis $field: $ty),* }

        impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for $name
        where
            &'r str: sqlx::ColumnIndex<R>,
            $($ty: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,)*
        {
            fn from_row(row: &'r R) -> std::result::Result<Self, sqlx::Error> {
                Ok(Self { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}
pub(crate) use row;

#[derive(Clone)]
pub(crate) enum Backend {
    /// SQLite allows one writer at a time; a single-connection write pool queues writers in
    /// the process instead of letting them fail with SQLITE_BUSY.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// Code → id maps with the reference generation they were read at.
type CachedReferences = (u64, Arc<portfolio::references::References>);

#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// The portfolio read model, loaded on first use (or by [`Store::warm`]).
    index: Arc<tokio::sync::OnceCell<index::Index>>,
    /// Keeps the read model in step with the database: a project write holds it shared from
    /// before it reads what it changes until the read model has the change; loading or
    /// reloading every project holds it alone, so no write falls between the reload's read
    /// of the database and its swap.
    read_model_gate: Arc<tokio::sync::RwLock<()>>,
    references: Arc<std::sync::atomic::AtomicU64>,
    credentials: Arc<user::Credentials>,
    reference_ids: Arc<std::sync::RwLock<Option<CachedReferences>>>,
    /// Where this process is in the change log (see [`changes`]).
    follower: Arc<changes::Follower>,
    /// The screens following a live workshop in this process (see [`workshop`]).
    live: Arc<workshop::Live>,
    /// Merged saves of one project in this process take turns (by project id, in stripes):
    /// each then merges with the one before it instead of racing it round after round.
    save_turns: Arc<[tokio::sync::Mutex<()>]>,
    /// Every view's weighting (0: the network), read once and forgotten at every change (the
    /// change log's `weightings`), as a project's page reads them on every view; with a count
    /// of the changes, so a read that a change overtook is not kept.
    pub(crate) weightings: Arc<std::sync::RwLock<prioritisation::KeptWeightings>>,
}

/// Stripes of [`Store::save_turns`].
const SAVE_TURNS: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0}")]
    Invalid(Invalid),
    /// Any other database failure; a violated constraint that a person can cause is
    /// `Invalid` instead (see [`on_constraint`]).
    #[error("database: {0}")]
    Database(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// A restore into a database that already holds data: which table, how many rows.
    #[error("not empty: {0}")]
    NotEmpty(String),
    /// A record changed by others faster than a save could merge with it.
    #[error("busy: saved by others too often in a row")]
    Busy,
    /// An import asked to write a file that has rows with problems.
    #[error("the import has rows with problems")]
    ImportHasProblems,
    /// An uploaded file that was imported already.
    #[error("imported already")]
    ImportedAlready,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What every public async method of the store returns: its future, made and boxed here.
/// An `async fn` of a library is translated again in every crate that awaits it (its state
/// machine counts as generic, and release builds share no generics between crates): stip-web
/// and the `stip` library each carried their own copies of the store's methods and the sqlx
/// code under them. Boxed here, each is translated once, in this crate.
pub type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// `future` as a [`Boxed`] one; its output is the method's, so `?` inside knows its error type.
#[inline(never)]
pub(crate) fn boxed<'a, T>(
    future: impl std::future::Future<Output = T> + Send + 'a,
) -> Boxed<'a, T> {
    Box::pin(future)
}

impl StoreError {
    /// The database cannot answer now — unreachable, out of connections, locked by another
    /// writer, or a transaction that lost to another — and the same request may well succeed
    /// in a moment: the web answers 503 with `Retry-After`, never an empty page or a 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Busy => true,
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_) => true,
                sqlx::Error::Database(db) => {
                    let code = db.code();
                    let code = code.as_deref().unwrap_or("");
                    // SQLite: SQLITE_BUSY and SQLITE_LOCKED with their extended codes.
                    // PostgreSQL: serialization failure, deadlock, lock not available, too
                    // many connections, the server shutting down, connection exceptions.
                    matches!(code, "5" | "6" | "261" | "262" | "517" | "773")
                        || matches!(
                            code,
                            "40001" | "40P01" | "55P03" | "53300" | "57P01" | "57P02" | "57P03"
                        )
                        || code.starts_with("08")
                }
                _ => false,
            },
            _ => false,
        }
    }
}

impl From<Invalid> for StoreError {
    fn from(e: Invalid) -> Self {
        StoreError::Invalid(e)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        on_constraint(e)
    }
}

/// The constraints a person can run into, by name, with the field and the reason a form shows.
/// PostgreSQL reports a constraint's name (`<table>_<column>_key` for an unnamed UNIQUE);
/// SQLite only names `table.column` in its message, which [`constraint_name`] turns into the
/// same name, so both backends refuse at the same field.
const CONSTRAINTS: &[(&str, &str, ErrorCode)] = &[
    ("institutions_brin_key", "brin", ErrorCode::Taken),
    ("main_lines_code_key", "code", ErrorCode::Taken),
    ("themes_code_key", "code", ErrorCode::Taken),
    ("policy_drivers_code_key", "code", ErrorCode::Taken),
    ("mora_areas_code_key", "code", ErrorCode::Taken),
    ("criteria_code_key", "code", ErrorCode::Taken),
    ("users_email_key", "email", ErrorCode::Taken),
];

/// The name of the constraint a database error violated, the same on both backends.
fn constraint_name(db: &dyn sqlx::error::DatabaseError) -> Option<String> {
    if let Some(name) = db.constraint() {
        return Some(name.to_string());
    }
    // SQLite: "UNIQUE constraint failed: institutions.brin"
    let columns = db.message().strip_prefix("UNIQUE constraint failed: ")?;
    let (table, column) = columns.split_once('.')?;
    (!column.contains(',')).then(|| format!("{table}_{column}_key"))
}

/// Maps a violated constraint to the field a person can correct (as realworld-axum-sqlx's
/// `on_constraint`); every other error stays a database error.
pub(crate) fn on_constraint(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && let Some(name) = constraint_name(db.as_ref())
        && let Some((_, field, code)) = CONSTRAINTS.iter().find(|(n, ..)| *n == name)
    {
        return StoreError::Invalid(Invalid::one(field, code.clone()));
    }
    StoreError::Database(e)
}

/// How often a transaction that PostgreSQL aborted to resolve a deadlock or a serialization
/// conflict is tried again before the error is given up.
pub(crate) const RETRIES: u32 = 5;

/// Whether `e` is PostgreSQL aborting a transaction only because it ran into another one
/// (deadlock detected, 40P01; could not serialize, 40001): trying it again will succeed.
pub(crate) fn is_transient(e: &StoreError) -> bool {
    matches!(e, StoreError::Database(sqlx::Error::Database(db))
        if matches!(db.code().as_deref(), Some("40P01" | "40001")))
}

/// Awaits `$transaction` (an `async` block that begins, writes and commits one transaction and
/// gives a `Result<_, StoreError>`), building and running it again, after a short random pause,
/// when PostgreSQL aborted it for a deadlock or serialization failure: such an abort is the
/// database's way of choosing who goes first, never a failure to show the user.
macro_rules! retrying {
    ($transaction:expr) => {{
        let mut attempt = 0u32;
        loop {
            match $transaction.await {
                Err(e) if attempt < $crate::RETRIES && $crate::is_transient(&e) => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "transaction aborted by the database; trying again");
                    let pause = fastrand::u64(1..=(10u64 << attempt));
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                outcome => break outcome,
            }
        }
    }};
}
pub(crate) use retrying;

/// The PostgreSQL advisory lock (an arbitrary number of Stip's own) that orders project writes
/// and agenda activations: a project write holds it shared, an activation alone, each to the
/// end of its transaction.
const AGENDA_LOCK: i64 = 0x5354_4950_4147_4e44; // "STIPAGND"

/// How a write transaction begins, so that it waits its turn instead of failing.
///
/// SQLite takes the write lock up front (`BEGIN IMMEDIATE`): a transaction that reads before it
/// writes could otherwise find that another process committed in between (SQLITE_BUSY_SNAPSHOT,
/// which no busy timeout waits for); now the busy timeout makes it wait for the other's commit.
/// One writer at a time also orders project writes and activations. On PostgreSQL a project
/// write and an agenda activation take [`AGENDA_LOCK`], shared and alone: an activation waits
/// for the project writes under way and they wait for it, so none of them reads theme codes
/// that the other is changing.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    /// Any write transaction.
    fn begin_write(
        &self,
    ) -> impl Future<Output = sqlx::Result<sqlx::Transaction<'static, Self::Db>>> + Send;
    /// A transaction that writes projects (their themes above all).
    fn begin_project_write(
        &self,
    ) -> impl Future<Output = sqlx::Result<sqlx::Transaction<'static, Self::Db>>> + Send;
    /// A transaction that changes the agenda's themes under every project: an activation.
    fn begin_agenda_change(
        &self,
    ) -> impl Future<Output = sqlx::Result<sqlx::Transaction<'static, Self::Db>>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
    async fn begin_project_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.begin_write().await
    }
    async fn begin_agenda_change(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.begin_write().await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        self.begin().await
    }
    async fn begin_project_write(
        &self,
    ) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        let mut tx = self.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind(AGENDA_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
    async fn begin_agenda_change(
        &self,
    ) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        let mut tx = self.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AGENDA_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

/// Now, as stored: ISO 8601 in UTC with microseconds, so text order is time order.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// A moment as stored, in the format of [`now`].
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

impl Store {
    fn with(backend: Backend) -> Store {
        Store {
            backend,
            index: Arc::new(tokio::sync::OnceCell::new()),
            read_model_gate: Arc::default(),
            references: Arc::default(),
            credentials: Arc::default(),
            reference_ids: Arc::default(),
            weightings: Arc::default(),
            follower: Arc::default(),
            live: Arc::default(),
            save_turns: (0..SAVE_TURNS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        }
    }

    /// The turn of saves of project `id` in this process (see `save_turns`).
    pub(crate) async fn save_turn(&self, id: i64) -> tokio::sync::MutexGuard<'_, ()> {
        self.save_turns[id.rem_euclid(SAVE_TURNS as i64) as usize]
            .lock()
            .await
    }

    /// The portfolio read model, loading every project from the database the first time.
    /// A server calls [`Store::warm`] before it listens, so no request waits for this; writes made
    /// by another process (the CLI) are not seen until the server restarts.
    pub(crate) async fn index(&self) -> Result<&index::Index> {
        self.index
            .get_or_try_init(|| async {
                let _alone = self.read_model_gate.write().await;
                let started = std::time::Instant::now();
                let projects = self.fetch_all_projects().await?;
                let fetched = started.elapsed();
                let index = index::Index::new(projects);
                tracing::info!(
                    projects = index.len(),
                    read_ms = fetched.as_millis() as u64,
                    build_ms = (started.elapsed() - fetched).as_millis() as u64,
                    "portfolio read model loaded"
                );
                Ok::<_, StoreError>(index)
            })
            .await
    }

    /// To be held by a project write from before it reads the project until the read model
    /// has its change (see `read_model_gate`). The read model is loaded first, so it is there
    /// to take the change.
    pub(crate) async fn project_write(&self) -> Result<tokio::sync::RwLockReadGuard<'_, ()>> {
        self.index().await?;
        Ok(self.read_model_gate.read().await)
    }

    /// Reads every project again into a loaded read model, with no project write in between.
    pub(crate) async fn reload_read_model(&self) -> Result<()> {
        if let Some(index) = self.loaded_index() {
            let _alone = self.read_model_gate.write().await;
            index.reload(self.fetch_all_projects().await?);
        }
        Ok(())
    }

    /// The index, if it has been loaded: writes keep a loaded index current and leave an
    /// unloaded one to load fresh.
    pub(crate) fn loaded_index(&self) -> Option<&index::Index> {
        self.index.get()
    }

    /// Counts changes to the reference lists (institutions, agenda, drivers, MORA areas,
    /// criteria), so a cache of them knows when to reload.
    pub fn reference_generation(&self) -> u64 {
        self.references.load(std::sync::atomic::Ordering::Acquire)
    }

    /// After a change to a reference list: caches of the lists reload; when projects show the
    /// changed value (a code or an institution's name), the read model reloads too.
    pub(crate) async fn references_changed(&self, affects_projects: bool) -> Result<()> {
        self.references
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        if affects_projects {
            self.reload_read_model().await?;
        }
        Ok(())
    }

    /// The outcome of an `UPDATE … WHERE id = $ AND version = $` that changed `rows` rows of
    /// `table`: `Ok(true)` when saved, `Ok(false)` when someone saved the row in between, `NotFound`
    /// when there is no such row. After a save the reference lists (and, when projects show the
    /// changed value, the read model) reload.
    pub(crate) async fn saved_from_version(
        &self,
        table: &'static str,
        id: i64,
        rows: u64,
        affects_projects: bool,
    ) -> Result<bool> {
        if rows > 0 {
            self.references_changed(affects_projects).await?;
            return Ok(true);
        }
        let exists: Option<i64> = on_pool!(self, read, |pool| {
            sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        match exists {
            Some(_) => Ok(false),
            None => Err(StoreError::NotFound),
        }
    }

    /// Whether the portfolio read model is loaded.
    pub fn is_warm(&self) -> bool {
        self.loaded_index().is_some()
    }

    /// Loads the portfolio read model now; returns the number of projects.
    /// Changes written before are in what it reads; those after, the change log brings.
    #[inline(never)]
    pub fn warm<'a>(&'a self) -> Boxed<'a, Result<usize>> {
        boxed(async move {
            if self.loaded_index().is_none() {
                self.follow_from_now().await?;
            }
            Ok(self.index().await?.len())
        })
    }

    /// Connects to `url` (`sqlite://file.db` or `postgres://…`), creating a SQLite file if needed,
    /// and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Store::postgres(options).await?
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?;
            Store::sqlite(options).await?
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                format!("unsupported database URL '{url}': use sqlite://FILE or postgres://…")
                    .into(),
            )));
        };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn sqlite(options: SqliteConnectOptions) -> Result<Store> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Store::with(Backend::Sqlite { read, write }))
    }

    pub async fn postgres(options: PgConnectOptions) -> Result<Store> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store::with(Backend::Postgres(pool)))
    }

    #[inline(never)]
    pub fn migrate<'a>(&'a self) -> Boxed<'a, Result<()>> {
        boxed(async move {
            match &self.backend {
                Backend::Sqlite { write, .. } => migrations::migrator(false).run(write).await?,
                Backend::Postgres(pool) => migrations::migrator(true).run(pool).await?,
            }
            self.migrate_history_to_values().await?;
            self.follow_from_now().await
        })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// True when the database answers.
    #[inline(never)]
    pub fn ping<'a>(&'a self) -> Boxed<'a, bool> {
        boxed(async move {
            on_pool!(self, read, |pool| sqlx::query("SELECT 1")
                .execute(pool)
                .await
                .is_ok())
        })
    }

    /// True when no institution exists yet: a fresh installation.
    #[inline(never)]
    pub fn is_empty<'a>(&'a self) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n: i64 = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
                    .fetch_one(pool)
                    .await?
            });
            Ok(n == 0)
        })
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}
