//! A workshop's events as screens follow them: reading them after an id, and sending each new
//! one once to this process's screens.

use crate::{Boxed, boxed};
use crate::{Result, Store, on_pool};
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::workshop::Event;

/// An event as a screen receives it: its id in the stream, its name and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    pub id: i64,
    pub name: &'static str,
    pub data: String,
}

impl LiveEvent {
    fn from_row(id: i64, data: String) -> LiveEvent {
        let name = serde_json::from_str::<Event>(&data).map_or("change", |e| e.name());
        LiveEvent { id, name, data }
    }
}

/// How many events a slow screen may fall behind before it reads the rest from the database.
const CHANNEL: usize = 1024;

struct Channel {
    sender: tokio::sync::broadcast::Sender<Arc<LiveEvent>>,
    /// The newest event sent on; held while reading, so events go out once and in order.
    sent: Arc<tokio::sync::Mutex<i64>>,
    /// Set by every wake; the wake that holds `sent` reads again while it is set, so wakes
    /// that come while one reads cost nothing (a vote's answer never waits for the fan-out).
    pending: Arc<std::sync::atomic::AtomicBool>,
}

/// This process's screens per workshop: the events read once from the database, sent to all.
#[derive(Default)]
pub(crate) struct Live {
    channels: std::sync::Mutex<HashMap<i64, Channel>>,
}

impl Store {
    /// A workshop's events after `after`, oldest first (at most `limit`).
    #[inline(never)]
    pub fn workshop_events_after<'a>(
        &'a self,
        workshop_id: i64,
        after: i64,
        limit: i64,
    ) -> Boxed<'a, Result<Vec<LiveEvent>>> {
        boxed(async move {
            let rows: Vec<(i64, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT id, data FROM workshop_events WHERE workshop_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(workshop_id)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
            });
            Ok(rows
                .into_iter()
                .map(|(id, data)| LiveEvent::from_row(id, data))
                .collect())
        })
    }

    /// The id of a workshop's newest event; 0 when it has none.
    #[inline(never)]
    pub fn newest_workshop_event<'a>(&'a self, workshop_id: i64) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let newest: Option<i64> = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT MAX(id) FROM workshop_events WHERE workshop_id = $1")
                    .bind(workshop_id)
                    .fetch_one(pool)
                    .await?
            });
            Ok(newest.unwrap_or(0))
        })
    }

    /// Follows a workshop's events as this process learns of them. The receiver gets every
    /// event after the newest one at the time of the call (a screen resuming from an older id
    /// reads those first with [`Store::workshop_events_after`]); one that falls behind by more
    /// than the channel holds is told it lagged and reads the rest from the database.
    #[inline(never)]
    pub fn follow_workshop<'a>(
        &'a self,
        workshop_id: i64,
    ) -> Boxed<'a, Result<tokio::sync::broadcast::Receiver<Arc<LiveEvent>>>> {
        boxed(async move {
            {
                let channels = self.live.channels.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(c) = channels.get(&workshop_id) {
                    return Ok(c.sender.subscribe());
                }
            }
            let newest = self.newest_workshop_event(workshop_id).await?;
            let mut channels = self.live.channels.lock().unwrap_or_else(|e| e.into_inner());
            let c = channels.entry(workshop_id).or_insert_with(|| Channel {
                sender: tokio::sync::broadcast::channel(CHANNEL).0,
                sent: Arc::new(tokio::sync::Mutex::new(newest)),
                pending: Arc::default(),
            });
            Ok(c.sender.subscribe())
        })
    }

    /// Sends every followed workshop's new events on (after a reload, which reads no entries).
    pub(crate) async fn wake_every_workshop(&self) {
        let ids: Vec<i64> = {
            let channels = self.live.channels.lock().unwrap_or_else(|e| e.into_inner());
            channels.keys().copied().collect()
        };
        for id in ids {
            self.wake_soon(id);
        }
    }

    /// [`Store::wake_workshop`] on its own task: a write answers without waiting for it.
    pub(super) fn wake_soon(&self, workshop_id: i64) {
        let store = self.clone();
        tokio::spawn(async move { store.wake_workshop(workshop_id).await });
    }

    /// Sends a workshop's new events to this process's screens that follow it: after each write
    /// here, and by the change-log follower for writes of other processes. One wake reads at a
    /// time; a wake that comes meanwhile leaves its work to that one (see `Channel::pending`).
    pub async fn wake_workshop(&self, workshop_id: i64) {
        use std::sync::atomic::Ordering::SeqCst;
        let (sender, sent, pending) = {
            let mut channels = self.live.channels.lock().unwrap_or_else(|e| e.into_inner());
            let Some(c) = channels.get(&workshop_id) else {
                return;
            };
            if c.sender.receiver_count() == 0 {
                channels.remove(&workshop_id);
                return;
            }
            (c.sender.clone(), c.sent.clone(), c.pending.clone())
        };
        pending.store(true, SeqCst);
        loop {
            // Someone else reads: they see `pending` before they let go.
            let Ok(mut sent) = sent.try_lock() else {
                return;
            };
            while pending.swap(false, SeqCst) {
                loop {
                    match self.workshop_events_after(workshop_id, *sent, 500).await {
                        Ok(events) => {
                            let full = events.len() == 500;
                            for e in events {
                                *sent = e.id;
                                // No receivers left: the next wake removes the channel.
                                let _ = sender.send(Arc::new(e));
                            }
                            if !full {
                                break;
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, workshop_id, "reading a workshop's events failed");
                            break;
                        }
                    }
                }
            }
            drop(sent);
            // A wake between the last swap and letting go found the lock held: read for it.
            if !pending.load(SeqCst) {
                return;
            }
        }
    }
}
