//! The change log: the one way a Stip process learns of writes, its own and every other's.
//!
//! Each process keeps the portfolio (the read model), the reference lists and the looked-up
//! sessions and tokens in memory. The database is the single source of truth: every write to a
//! table whose rows a process keeps appends an entry to `change_log` **in the writing
//! transaction itself**, by triggers (migration `0004_change_log.sql`), so no code path, no
//! CLI command and no later area can forget to. An entry is a growing sequence number, the kind
//! of what changed and, where it matters, its id:
//!
//! | kind | id | a follower |
//! |---|---|---|
//! | `project` | project id | reads the project again into the read model (or drops it) |
//! | `institutions`, `themes`, `policy_drivers`, `mora_areas`, `criteria` | – | reloads the lists and the read model (projects show their codes and names) |
//! | `main_lines` | – | reloads the lists |
//! | `user` | user id | forgets every looked-up session and token |
//! | `workshop` | workshop id | sends the workshop's new events to the screens that follow it here |
//! | `weightings` | – | forgets the weightings it keeps |
//!
//! [`Store::follow_changes`] applies the entries after the last one this process applied, in
//! order; [`Store::follow`] runs it whenever the log may have grown: at once on PostgreSQL's
//! `NOTIFY stip_changes` (sent at commit by the same trigger), and every [`POLL`] anyway, which
//! is how SQLite (and a PostgreSQL follower whose connection dropped) catches up. Applying an
//! entry reads the current state from the database, so applying one twice, or out of step
//! with the process's own writes, does no harm; the read model never takes an older version of
//! a project than it has.
//!
//! Transactions commit in any order, so the log can show entry 12 while 11 is still missing:
//! taken by a transaction that has not committed yet (it will appear) or by one that rolled back
//! (it never will). A follower remembers such **gaps** and looks for them again at every turn
//! for [`GAP_WAIT`]; an entry that fills one is applied then. Applying out of order is safe
//! because applying reads the current state. PostgreSQL once kept commits in sequence order with
//! a lock held to each commit (migration 0004), which made saves run one at a time; 0005 removed it.
//! SQLite has one writer at a time and no gaps.
//!
//! A project entry also carries the project's version after the change (none for a deletion):
//! a process whose read model holds that version already (it made the save) does not read
//! the project again.
//!
//! A new area that keeps rows in memory adds triggers for its tables (a kind of its own) and
//! handles that kind in [`Store::follow_changes`].

use crate::{Backend, Result, Store, on_pool};
use crate::{Boxed, boxed};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// How often a follower looks at the log without being woken.
pub const POLL: Duration = Duration::from_millis(200);

/// How often a following process prunes the change log.
pub const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// More entries than this in one go (a demo load, an import): reloading everything is cheaper
/// than reading each project again.
const BULK: usize = 1000;

/// How long a gap in the sequence is looked for before the follower takes it for a rollback.
/// A transaction that writes for longer than this and commits after it is seen only by a reload:
/// no Stip transaction comes near it.
pub const GAP_WAIT: Duration = Duration::from_secs(600);

/// At most this many gaps are remembered (the oldest go first). Each is a rolled-back or
/// still-running writing transaction, so there are normally a handful.
const MAX_GAPS: usize = 1000;

/// A process (re)starting from the newest entry looks this far back for gaps: transactions that
/// took a sequence number before it and commit after.
const START_WINDOW: i64 = 10_000;

/// Where this process is in the change log.
#[derive(Default)]
pub(crate) struct Follower {
    /// The newest entry applied.
    applied: AtomicI64,
    /// Serialises following (the notification and the timer may both call it); holds the gaps
    /// below `applied` and when each was first noticed.
    running: tokio::sync::Mutex<BTreeMap<i64, Instant>>,
    /// When `follow_changes` last read the log to its end (Unix milliseconds; 0: never).
    caught_up_at: AtomicI64,
}

/// One entry: its sequence number, kind, id and (for a project) version.
type Entry = (i64, String, Option<i64>, Option<i64>);

impl Store {
    /// The newest entry of the change log; 0 when there is none.
    #[inline(never)]
    pub fn newest_change<'a>(&'a self) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let newest: Option<i64> = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT MAX(seq) FROM change_log")
                    .fetch_one(pool)
                    .await?
            });
            Ok(newest.unwrap_or(0))
        })
    }

    /// The last change-log entry this process has applied.
    pub fn applied_change(&self) -> i64 {
        self.follower.applied.load(Ordering::Acquire)
    }

    /// How long ago this process last read the change log to its end; `None` if it never did.
    /// A follower reads it at least every [`POLL`], so much more means it is stuck.
    pub fn change_log_lag(&self) -> Option<Duration> {
        let at = self.follower.caught_up_at.load(Ordering::Acquire);
        (at > 0).then(|| {
            let now = chrono::Utc::now().timestamp_millis();
            Duration::from_millis(now.saturating_sub(at).max(0) as u64)
        })
    }

    /// Figures for monitoring, read now: the read model's size, how far this process is behind
    /// the change log (seconds since it last read it to its end, entries not yet applied) and
    /// the database pool's connections.
    #[inline(never)]
    pub fn gauges<'a>(&'a self) -> Boxed<'a, Vec<(&'static str, f64)>> {
        boxed(async move {
            let mut g = vec![(
                "stip_read_model_projects",
                self.loaded_index().map_or(0, |i| i.len()) as f64,
            )];
            if let Some(lag) = self.change_log_lag() {
                g.push(("stip_change_log_lag_seconds", lag.as_secs_f64()));
            }
            if let Ok(newest) = self.newest_change().await {
                let behind = newest.saturating_sub(self.applied_change()).max(0);
                g.push(("stip_change_log_entries_behind", behind as f64));
            }
            let (size, idle) = match &self.backend {
                crate::Backend::Sqlite { read, write } => (
                    read.size() + write.size(),
                    read.num_idle() + write.num_idle(),
                ),
                crate::Backend::Postgres(pool) => (pool.size(), pool.num_idle()),
            };
            g.push(("stip_db_pool_connections", f64::from(size)));
            g.push((
                "stip_db_pool_connections_in_use",
                (size as f64) - (idle as f64),
            ));
            g
        })
    }

    /// Starts following from the log's newest entry: what is in the database now is what this
    /// process reads when it loads its caches.
    pub(crate) async fn follow_from_now(&self) -> Result<()> {
        let mut gaps = self.follower.running.lock().await;
        self.start_from_now(&mut gaps).await
    }

    /// Sets the newest entry as applied, with the gaps before it: a transaction that took its
    /// number earlier and commits after this is applied when it appears.
    async fn start_from_now(&self, gaps: &mut BTreeMap<i64, Instant>) -> Result<()> {
        let newest = self.newest_change().await?;
        let from = (newest - START_WINDOW).max(self.pruned_upto().await?);
        let present: Vec<i64> = on_pool!(self, read, |pool| {
            sqlx::query_scalar(
                "SELECT seq FROM change_log WHERE seq > $1 AND seq <= $2 ORDER BY seq",
            )
            .bind(from)
            .bind(newest)
            .fetch_all(pool)
            .await?
        });
        gaps.clear();
        note_gaps(gaps, from, present.into_iter(), Instant::now());
        self.follower.applied.store(newest, Ordering::Release);
        Ok(())
    }

    /// Reloads everything, following on from the log's end as it is before the reload reads.
    async fn reload_from_now(&self, gaps: &mut BTreeMap<i64, Instant>) -> Result<()> {
        self.start_from_now(gaps).await?;
        self.reload_everything().await
    }

    /// Up to where the log has been pruned.
    async fn pruned_upto(&self) -> Result<i64> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT upto FROM change_log_pruned WHERE id = 1")
                .fetch_one(pool)
                .await?
        }))
    }

    /// The entries that fill some of `gaps`.
    async fn entries_in(&self, gaps: &BTreeMap<i64, Instant>) -> Result<Vec<Entry>> {
        const COLUMNS: &str = "SELECT seq, kind, entity_id, entity_version FROM change_log";
        let seqs: Vec<i64> = gaps.keys().copied().collect();
        Ok(match &self.backend {
            Backend::Postgres(pool) => {
                sqlx::query_as(&format!("{COLUMNS} WHERE seq = ANY($1)"))
                    .bind(seqs)
                    .fetch_all(pool)
                    .await?
            }
            Backend::Sqlite { read, .. } => {
                let seqs = serde_json::to_string(&seqs).expect("numbers serialise");
                sqlx::query_as(&format!(
                    "{COLUMNS} WHERE seq IN (SELECT value FROM json_each($1))"
                ))
                .bind(seqs)
                .fetch_all(read)
                .await?
            }
        })
    }

    /// Applies every change-log entry after the last one applied, and those that filled a gap;
    /// returns how many.
    #[inline(never)]
    pub fn follow_changes<'a>(&'a self) -> Boxed<'a, Result<usize>> {
        boxed(async move {
            let mut gaps = self.follower.running.lock().await;
            let mut total = 0;
            loop {
                let last = self.applied_change();
                let pruned = self.pruned_upto().await?;
                if last < pruned {
                    // Entries this process never saw are gone: only a full reload is certain.
                    tracing::warn!(
                        applied = last,
                        pruned,
                        "this process fell behind the pruned change log; reloading everything"
                    );
                    self.reload_from_now(&mut gaps).await?;
                    continue;
                }
                let mut entries: Vec<Entry> = on_pool!(self, read, |pool| {
                    sqlx::query_as(
                        "SELECT seq, kind, entity_id, entity_version FROM change_log
                     WHERE seq > $1 ORDER BY seq LIMIT 10000",
                    )
                    .bind(last)
                    .fetch_all(pool)
                    .await?
                });
                let now = Instant::now();
                if !gaps.is_empty() {
                    let filled = self.entries_in(&gaps).await?;
                    for (seq, ..) in &filled {
                        gaps.remove(seq);
                    }
                    let before = gaps.len();
                    gaps.retain(|&seq, noticed| seq > pruned && now - *noticed < GAP_WAIT);
                    if gaps.len() < before {
                        tracing::info!(
                            gaps = before - gaps.len(),
                            "gaps in the change log taken for rolled-back transactions"
                        );
                    }
                    entries.extend(filled);
                }
                let Some(newest) = entries.iter().map(|e| e.0).max() else {
                    self.follower
                        .caught_up_at
                        .store(chrono::Utc::now().timestamp_millis(), Ordering::Release);
                    return Ok(total);
                };
                note_gaps(
                    &mut gaps,
                    last,
                    entries.iter().map(|e| e.0).filter(|&seq| seq > last),
                    now,
                );
                total += entries.len();
                if entries.len() > BULK {
                    // One reload covers the rest of the log too (a 15,000-row import is one
                    // reload, not one per 10,000 entries): follow on from the log's end as it
                    // is before the reload reads.
                    self.reload_from_now(&mut gaps).await?;
                    continue;
                }
                self.apply(&entries).await?;
                self.follower.applied.fetch_max(newest, Ordering::AcqRel);
            }
        })
    }

    async fn apply(&self, entries: &[Entry]) -> Result<()> {
        let mut projects = Vec::new();
        let mut lists = false;
        let mut projects_show_lists = false;
        let mut credentials = false;
        let mut workshops = Vec::new();
        let index = self.loaded_index();
        for (_, kind, id, version) in entries {
            match (kind.as_str(), id) {
                ("project", Some(id)) => {
                    // Skipped when the read model holds this version already: this process saved it.
                    let held = index.and_then(|i| i.get(*id)).map(|p| p.version);
                    if version.is_none() || held < *version {
                        projects.push(*id);
                    }
                }
                ("main_lines", _) => lists = true,
                ("institutions" | "themes" | "policy_drivers" | "mora_areas" | "criteria", _) => {
                    lists = true;
                    projects_show_lists = true;
                }
                ("user", _) => credentials = true,
                ("workshop", Some(id)) => workshops.push(*id),
                ("weightings", _) => self.forget_weightings(),
                (other, _) => {
                    tracing::warn!(kind = other, "unknown kind of change in the change log")
                }
            }
        }
        if credentials {
            self.credentials.invalidate();
        }
        workshops.sort_unstable();
        workshops.dedup();
        for id in workshops {
            self.wake_workshop(id).await;
        }
        if lists {
            // Reloading the read model reads every project, those changed here too.
            self.references_changed(projects_show_lists).await?;
            if projects_show_lists {
                return Ok(());
            }
        }
        projects.sort_unstable();
        projects.dedup();
        self.refresh_projects(&projects).await
    }

    /// Deletes the entries older than `retention` (the newest always stays, so the sequence
    /// goes on from it) and records up to where; returns how many went.
    #[inline(never)]
    pub fn prune_changes<'a>(&'a self, retention: Duration) -> Boxed<'a, Result<u64>> {
        boxed(async move {
            let cutoff = chrono::Utc::now().timestamp() - retention.as_secs() as i64;
            let n = on_pool!(self, write, |pool| crate::retrying!(async {
                let mut tx = pool.begin().await?;
                let upto: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(seq) FROM change_log
                 WHERE logged_at <= $1 AND seq < (SELECT MAX(seq) FROM change_log)",
                )
                .bind(cutoff)
                .fetch_one(&mut *tx)
                .await?;
                let Some(upto) = upto else {
                    return Ok::<_, crate::StoreError>(0);
                };
                sqlx::query("UPDATE change_log_pruned SET upto = $1 WHERE id = 1 AND upto < $1")
                    .bind(upto)
                    .execute(&mut *tx)
                    .await?;
                let n = sqlx::query("DELETE FROM change_log WHERE seq <= $1")
                    .bind(upto)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(n)
            }))?;
            if n > 0 {
                tracing::info!(entries = n, "pruned the change log");
            }
            Ok(n)
        })
    }

    pub(crate) async fn reload_everything(&self) -> Result<()> {
        self.credentials.invalidate();
        self.wake_every_workshop().await;
        self.references_changed(true).await
    }

    /// Follows the change log until the process ends: woken by PostgreSQL's notifications, and
    /// every [`POLL`] in any case. A failure is logged and tried again at the next turn. Every
    /// [`PRUNE_EVERY`] it prunes entries older than `retention` (any instance may; it is the
    /// same work whoever does it).
    pub async fn follow(self, retention: Duration) {
        let mut pruned_at = std::time::Instant::now() - PRUNE_EVERY;
        let mut listener = match &self.backend {
            crate::Backend::Postgres(pool) => {
                match sqlx::postgres::PgListener::connect_with(pool).await {
                    Ok(mut l) => match l.listen("stip_changes").await {
                        Ok(()) => Some(l),
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot listen for changes; polling only");
                            None
                        }
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for changes; polling only");
                        None
                    }
                }
            }
            crate::Backend::Sqlite { .. } => None,
        };
        loop {
            if let Err(e) = self.follow_changes().await {
                tracing::warn!(error = %e, "following the change log failed; trying again");
            }
            if pruned_at.elapsed() >= PRUNE_EVERY {
                pruned_at = std::time::Instant::now();
                if let Err(e) = self.prune_changes(retention).await {
                    tracing::warn!(error = %e, "pruning the change log failed");
                }
            }
            match listener.as_mut() {
                // `try_recv` gives `None` when the connection dropped (it reconnects on the next
                // call): notifications may have been lost, so the log is read either way.
                Some(l) => {
                    if let Ok(Err(_)) = tokio::time::timeout(POLL, l.try_recv()).await {
                        tokio::time::sleep(POLL).await;
                    }
                }
                None => tokio::time::sleep(POLL).await,
            }
        }
    }
}

/// Remembers as gaps the numbers after `after` that `seqs` (ascending) skips, noticed `now`.
fn note_gaps(
    gaps: &mut BTreeMap<i64, Instant>,
    after: i64,
    seqs: impl Iterator<Item = i64>,
    now: Instant,
) {
    let mut next = after + 1;
    for seq in seqs {
        // A hole wider than MAX_GAPS (a sequence set forward by hand) is not waited for whole.
        for gap in next.max(seq - MAX_GAPS as i64)..seq {
            gaps.insert(gap, now);
        }
        next = next.max(seq + 1);
    }
    while gaps.len() > MAX_GAPS {
        if let Some((seq, _)) = gaps.pop_first() {
            tracing::warn!(
                seq,
                "too many gaps in the change log; no longer waiting for the oldest"
            );
        }
    }
}
