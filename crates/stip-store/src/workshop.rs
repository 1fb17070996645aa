//! Live workshops (issue 15): the workshop, its participants, notes and dots, and its events.
//!
//! Every change writes an event (`workshop_events`) in the same transaction, and a workshop's
//! writes run one at a time (each locks the workshop's row first), so a workshop's events commit
//! in the order of their ids: a screen that resumes after id N misses nothing. The event's
//! insert adds a change-log entry (kind `workshop`), which is how every other Stip process learns
//! of it; the writing process wakes its own screens at once ([`Store::wake_workshop`]).
//!
//! The dot limit lives here, inside the transaction that places the dot: the participant's dots
//! are counted after the workshop's row is locked, so no two placements can both see room for one.

use crate::{Backend, Result, Store, StoreError, corrupt, now, on_pool, retrying};
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::workshop::{
    Dot, DotRefusal, Event, Note, NoteKind, NoteTarget, Participant, Phase, Workshop, WorkshopData,
    least_filled_group, note_event,
};

crate::row! {
    struct WorkshopRow {
        id: i64,
        code: String,
        title: String,
        meeting_id: Option<i64>,
        dots_per_participant: i64,
        max_dots_per_theme: Option<i64>,
        themes: String,
        group_names: String,
        questions: String,
        anonymous: bool,
        hide_until_revealed: bool,
        revealed: bool,
        timer_minutes: Option<i64>,
        timer_ends_at: Option<String>,
        phase: String,
        priorities_saved_on: Option<String>,
        created_at: String,
    }
}

const COLUMNS: &str = "id, code, title, meeting_id, dots_per_participant, max_dots_per_theme, themes, group_names, questions, anonymous, hide_until_revealed, revealed, timer_minutes, timer_ends_at, phase, priorities_saved_on, created_at";

impl TryFrom<WorkshopRow> for Workshop {
    type Error = StoreError;
    fn try_from(r: WorkshopRow) -> Result<Workshop> {
        let list = |what: &str, raw: &str| {
            serde_json::from_str::<Vec<String>>(raw).map_err(|_| corrupt(what, raw))
        };
        Ok(Workshop {
            id: r.id,
            data: WorkshopData {
                title: r.title,
                meeting: r.meeting_id,
                dots_per_participant: r.dots_per_participant as u32,
                max_dots_per_theme: r.max_dots_per_theme.map(|m| m as u32),
                themes: list("workshop themes", &r.themes)?,
                groups: list("workshop groups", &r.group_names)?,
                questions: list("workshop questions", &r.questions)?,
                anonymous: r.anonymous,
                hide_until_revealed: r.hide_until_revealed,
                timer_minutes: r.timer_minutes.map(|m| m as u32),
            },
            code: r.code,
            phase: Phase::parse(&r.phase).ok_or_else(|| corrupt("workshop phase", &r.phase))?,
            revealed: r.revealed,
            timer_ends_at: r.timer_ends_at,
            priorities_saved_on: r.priorities_saved_on,
            created_at: r.created_at,
        })
    }
}

crate::row! {
    struct ParticipantRow {
        id: i64,
        workshop_id: i64,
        name: String,
        group_index: i64,
        user_id: Option<i64>,
    }
}

impl From<ParticipantRow> for Participant {
    fn from(r: ParticipantRow) -> Participant {
        Participant {
            id: r.id,
            workshop_id: r.workshop_id,
            name: r.name,
            group: r.group_index.max(0) as usize,
            user_id: r.user_id,
        }
    }
}

const PARTICIPANT: &str =
    "SELECT id, workshop_id, name, group_index, user_id FROM workshop_participants";

crate::row! {
    struct NoteRow {
        id: i64,
        participant_id: i64,
        author: String,
        group_index: i64,
        question_index: Option<i64>,
        kind: Option<String>,
        theme_code: Option<String>,
        text: String,
        hidden: bool,
        created_at: String,
    }
}

const NOTE: &str = "SELECT n.id, n.participant_id, p.name AS author, p.group_index, n.question_index, n.kind, n.theme_code, n.text, n.hidden, n.created_at FROM workshop_notes n JOIN workshop_participants p ON p.id = n.participant_id";

impl From<NoteRow> for Note {
    fn from(r: NoteRow) -> Note {
        Note {
            id: r.id,
            participant_id: r.participant_id,
            author: r.author,
            group: r.group_index.max(0) as usize,
            question: r.question_index.map(|q| q.max(0) as usize),
            kind: r.kind.as_deref().and_then(NoteKind::parse),
            theme: r.theme_code,
            text: r.text,
            hidden: r.hidden,
            created_at: r.created_at,
        }
    }
}

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

/// The themes a workshop saved as the network's priorities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPriorities {
    /// ISO date.
    pub decided_on: String,
    /// Theme codes, most dots first.
    pub themes: Vec<String>,
    pub workshop: Option<i64>,
}

/// A participant's row with their number, when they joined, and their notes and dots.
type SummaryRow = (
    i64,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    i64,
    i64,
);

/// A participant as the facilitator sees them in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantSummary {
    pub participant: Participant,
    /// Their number in the workshop, in the order of joining ("Deelnemer 3").
    pub number: i64,
    /// When they joined, as stored.
    pub joined_at: String,
    pub notes: i64,
    pub dots: i64,
}

/// What removing a participant took away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Their number in the workshop.
    pub number: i64,
    pub notes: usize,
    pub dots: usize,
}

/// What placing a dot did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// A new dot; the participant has this many left.
    New { left: u32 },
    /// This client id's dot was there already (the request came twice).
    Already { left: u32 },
}

/// Writes event `$event` of workshop `$id` inside transaction `$tx`.
macro_rules! emit {
    ($tx:expr, $id:expr, $event:expr) => {
        sqlx::query("INSERT INTO workshop_events (workshop_id, data, at) VALUES ($1, $2, $3)")
            .bind($id)
            .bind(serde_json::to_string(&$event).expect("events serialise"))
            .bind(now())
            .execute(&mut *$tx)
            .await?
    };
}

/// Locks workshop `$id`'s row inside transaction `$tx` (`$lock` is [`Store::for_update`]), so
/// the workshop's writes run one at a time; a workshop that is not there is `NotFound`.
macro_rules! lock_workshop {
    ($tx:expr, $id:expr, $lock:expr) => {
        sqlx::query(&format!("SELECT id FROM workshops WHERE id = $1{}", $lock))
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

/// Inside transaction `$tx`, after the workshop's row is locked: participant `$id` is still
/// there (the facilitator may have removed them since their request began); otherwise `NotFound`.
macro_rules! still_taking_part {
    ($tx:expr, $id:expr) => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM workshop_participants WHERE id = $1")
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound)?
    };
}

impl Store {
    /// ` FOR UPDATE` on PostgreSQL: a workshop's writes lock its row first. SQLite has one writer.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Postgres(_) => " FOR UPDATE",
            Backend::Sqlite { .. } => "",
        }
    }

    /// Sets up a workshop with a fresh join code.
    pub async fn create_workshop(&self, d: &WorkshopData, by: Option<i64>) -> Result<Workshop> {
        for _ in 0..20 {
            let code = stip_core::workshop::new_code();
            let taken: Option<i64> = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT id FROM workshops WHERE code = $1")
                    .bind(&code)
                    .fetch_optional(pool)
                    .await?
            });
            if taken.is_some() {
                continue;
            }
            let json = |l: &Vec<String>| serde_json::to_string(l).expect("texts");
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                    "INSERT INTO workshops (code, title, meeting_id, dots_per_participant, max_dots_per_theme, themes, group_names, questions, anonymous, hide_until_revealed, timer_minutes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(&code)
                .bind(&d.title)
                .bind(d.meeting)
                .bind(d.dots_per_participant as i64)
                .bind(d.max_dots_per_theme.map(|m| m as i64))
                .bind(json(&d.themes))
                .bind(json(&d.groups))
                .bind(json(&d.questions))
                .bind(d.anonymous)
                .bind(d.hide_until_revealed)
                .bind(d.timer_minutes.map(|m| m as i64))
                .bind(by)
                .bind(now())
                .fetch_one(pool)
                .await?
            });
            return self.workshop(id).await;
        }
        Err(StoreError::Corrupt("no free workshop code".into()))
    }

    pub async fn workshop(&self, id: i64) -> Result<Workshop> {
        let row: Option<WorkshopRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM workshops WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// The workshop a join code opens, as typed (see `normalise_code`).
    pub async fn workshop_by_code(&self, code: &str) -> Result<Option<Workshop>> {
        let code = stip_core::workshop::normalise_code(code);
        let row: Option<WorkshopRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM workshops WHERE code = $1"))
                .bind(&code)
                .fetch_optional(pool)
                .await?
        });
        row.map(Workshop::try_from).transpose()
    }

    /// Every workshop, newest first.
    pub async fn workshops(&self) -> Result<Vec<Workshop>> {
        let rows: Vec<WorkshopRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM workshops ORDER BY id DESC"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(Workshop::try_from).collect()
    }

    pub async fn delete_workshop(&self, id: i64) -> Result<()> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM workshops WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Adds a participant under `name` with the token's hash; in `group` when given (an index
    /// into the groups), otherwise in the group with the fewest. A logged-in person who joined
    /// before gets their participant back, with the new token.
    pub async fn join_workshop(
        &self,
        workshop_id: i64,
        name: &str,
        group: Option<usize>,
        user_id: Option<i64>,
        token_hash: &str,
    ) -> Result<Participant> {
        let participant_id: i64 = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            // A write first: it locks the workshop's row (PostgreSQL), and on SQLite it takes the
            // write lock before anything is read, so a join waits for one on another instance
            // instead of failing as a read that turned into a write. Numbers follow each other
            // and are never given twice (one taken by a person joining again stays unused).
            let number: Option<i64> = sqlx::query_scalar(
                "UPDATE workshops SET participants_joined = participants_joined + 1 WHERE id = $1 RETURNING participants_joined",
            )
            .bind(workshop_id)
            .fetch_optional(&mut *tx)
            .await?;
            let number = number.ok_or(StoreError::NotFound)?;
            let groups: String =
                sqlx::query_scalar("SELECT group_names FROM workshops WHERE id = $1")
                    .bind(workshop_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let groups: Vec<String> =
                serde_json::from_str(&groups).map_err(|_| corrupt("workshop groups", &groups))?;
            if let Some(u) = user_id {
                let existing: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM workshop_participants WHERE workshop_id = $1 AND user_id = $2",
                )
                .bind(workshop_id)
                .bind(u)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = existing {
                    sqlx::query("UPDATE workshop_participants SET token_hash = $1 WHERE id = $2")
                        .bind(token_hash)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    return Ok::<_, StoreError>(id);
                }
            }
            let counts: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT group_index, COUNT(*) FROM workshop_participants WHERE workshop_id = $1 GROUP BY group_index",
            )
            .bind(workshop_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut per_group = vec![0i64; groups.len()];
            for (g, n) in &counts {
                if let Some(c) = per_group.get_mut(*g as usize) {
                    *c = *n;
                }
            }
            let group = group
                .filter(|g| *g < groups.len())
                .unwrap_or_else(|| least_filled_group(groups.len(), &per_group));
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO workshop_participants (workshop_id, name, group_index, user_id, token_hash, created_at, number) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(workshop_id)
            .bind(name)
            .bind(group as i64)
            .bind(user_id)
            .bind(token_hash)
            .bind(now())
            .bind(number)
            .fetch_one(&mut *tx)
            .await?;
            let participants = counts.iter().map(|(_, n)| n).sum::<i64>() + 1;
            emit!(
                tx,
                workshop_id,
                Event::Joined {
                    participant: id,
                    group,
                    participants
                }
            );
            tx.commit().await?;
            Ok(id)
        }))?;
        self.wake_soon(workshop_id);
        self.participant(participant_id).await
    }

    async fn participant(&self, id: i64) -> Result<Participant> {
        let row: Option<ParticipantRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("{PARTICIPANT} WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(Participant::from).ok_or(StoreError::NotFound)
    }

    /// Whose participant token this is (by its hash).
    pub async fn participant_by_token(&self, token_hash: &str) -> Result<Option<Participant>> {
        let row: Option<ParticipantRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("{PARTICIPANT} WHERE token_hash = $1"))
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Participant::from))
    }

    /// The participant a logged-in person is in a workshop, if they joined.
    pub async fn participant_of_user(
        &self,
        workshop_id: i64,
        user_id: i64,
    ) -> Result<Option<Participant>> {
        let row: Option<ParticipantRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!(
                "{PARTICIPANT} WHERE workshop_id = $1 AND user_id = $2"
            ))
            .bind(workshop_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(Participant::from))
    }

    pub async fn participants(&self, workshop_id: i64) -> Result<Vec<Participant>> {
        let rows: Vec<ParticipantRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("{PARTICIPANT} WHERE workshop_id = $1 ORDER BY id"))
                .bind(workshop_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Participant::from).collect())
    }

    /// Every participant of a workshop with their number, when they joined and how many notes
    /// and dots they have, in the order they joined (for the facilitator).
    pub async fn participant_list(&self, workshop_id: i64) -> Result<Vec<ParticipantSummary>> {
        let rows: Vec<SummaryRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                    "SELECT p.id, p.workshop_id, p.name, p.group_index, p.user_id, p.number, p.created_at,
                         (SELECT COUNT(*) FROM workshop_notes n WHERE n.participant_id = p.id),
                         (SELECT COUNT(*) FROM workshop_dots d WHERE d.participant_id = p.id)
                     FROM workshop_participants p WHERE p.workshop_id = $1 ORDER BY p.id",
                )
                .bind(workshop_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(id, workshop_id, name, group_index, user_id, number, joined_at, notes, dots)| {
                    ParticipantSummary {
                        participant: Participant::from(ParticipantRow {
                            id,
                            workshop_id,
                            name,
                            group_index,
                            user_id,
                        }),
                        // A participant restored from a backup older than numbers: their id.
                        number: number.unwrap_or(id),
                        joined_at,
                        notes,
                        dots,
                    }
                },
            )
            .collect())
    }

    /// Removes participant `participant_id` from workshop `workshop_id` with their notes and dots,
    /// in one transaction: their token opens nothing any more, and every screen hears each note
    /// and dot go (so the ranking on it is recomputed) and then the participant.
    pub async fn remove_participant(
        &self,
        workshop_id: i64,
        participant_id: i64,
    ) -> Result<Removed> {
        let lock = self.for_update();
        let removed = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, workshop_id, lock);
            let number: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT number FROM workshop_participants WHERE id = $1 AND workshop_id = $2",
            )
            .bind(participant_id)
            .bind(workshop_id)
            .fetch_optional(&mut *tx)
            .await?;
            let number = number
                .ok_or(StoreError::NotFound)?
                .unwrap_or(participant_id);
            let notes: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM workshop_notes WHERE participant_id = $1 ORDER BY id",
            )
            .bind(participant_id)
            .fetch_all(&mut *tx)
            .await?;
            let dots: Vec<(String, String)> = sqlx::query_as(
                "SELECT client_id, theme_code FROM workshop_dots WHERE participant_id = $1 ORDER BY placed_at, client_id",
            )
            .bind(participant_id)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM workshop_dots WHERE participant_id = $1")
                .bind(participant_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM workshop_notes WHERE participant_id = $1")
                .bind(participant_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM workshop_participants WHERE id = $1")
                .bind(participant_id)
                .execute(&mut *tx)
                .await?;
            for id in &notes {
                emit!(tx, workshop_id, Event::NoteRemoved { id: *id });
            }
            // Each dot as taken back, with its theme's count after all of them went.
            let counts: Vec<(String, i64)> = sqlx::query_as(
                "SELECT theme_code, COUNT(*) FROM workshop_dots WHERE workshop_id = $1 GROUP BY theme_code",
            )
            .bind(workshop_id)
            .fetch_all(&mut *tx)
            .await?;
            for (client_id, theme) in &dots {
                let dots = counts
                    .iter()
                    .find(|(t, _)| t == theme)
                    .map_or(0, |(_, n)| *n);
                emit!(
                    tx,
                    workshop_id,
                    Event::Dot {
                        client_id: client_id.clone(),
                        theme: theme.clone(),
                        placed: false,
                        dots
                    }
                );
            }
            let participants: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM workshop_participants WHERE workshop_id = $1",
            )
            .bind(workshop_id)
            .fetch_one(&mut *tx)
            .await?;
            emit!(
                tx,
                workshop_id,
                Event::Left {
                    participant: participant_id,
                    participants
                }
            );
            tx.commit().await?;
            Ok::<_, StoreError>(Removed {
                number,
                notes: notes.len(),
                dots: dots.len(),
            })
        }))?;
        self.wake_soon(workshop_id);
        Ok(removed)
    }

    /// Moves a participant to another group (an index into the groups).
    pub async fn move_participant(&self, p: &Participant, group: usize) -> Result<()> {
        let workshop_id = p.workshop_id;
        let lock = self.for_update();
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, workshop_id, lock);
            still_taking_part!(tx, p.id);
            sqlx::query("UPDATE workshop_participants SET group_index = $1 WHERE id = $2")
                .bind(group as i64)
                .bind(p.id)
                .execute(&mut *tx)
                .await?;
            let participants: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM workshop_participants WHERE workshop_id = $1",
            )
            .bind(workshop_id)
            .fetch_one(&mut *tx)
            .await?;
            emit!(
                tx,
                workshop_id,
                Event::Joined {
                    participant: p.id,
                    group,
                    participants
                }
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))?;
        self.wake_soon(workshop_id);
        Ok(())
    }

    /// Moves a workshop to `phase`; the timer (if any) starts again from now.
    pub async fn set_workshop_phase(&self, id: i64, phase: Phase) -> Result<Workshop> {
        let w = self.workshop(id).await?;
        let ends = stip_core::workshop::timer_end(w.data.timer_minutes, chrono::Utc::now())
            .filter(|_| phase != Phase::Results)
            .map(crate::timestamp);
        let lock = self.for_update();
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, id, lock);
            sqlx::query("UPDATE workshops SET phase = $1, timer_ends_at = $2 WHERE id = $3")
                .bind(phase.code())
                .bind(&ends)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            emit!(
                tx,
                id,
                Event::Phase {
                    phase: phase.code().to_string(),
                    timer_ends_at: ends.clone()
                }
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))?;
        self.wake_soon(id);
        self.workshop(id).await
    }

    /// Shows every note of phase 2 to everyone.
    pub async fn reveal_workshop_notes(&self, id: i64) -> Result<()> {
        let lock = self.for_update();
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, id, lock);
            sqlx::query("UPDATE workshops SET revealed = TRUE WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            emit!(tx, id, Event::Revealed);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))?;
        self.wake_soon(id);
        Ok(())
    }

    /// Every note of a workshop, oldest first.
    pub async fn workshop_notes(&self, workshop_id: i64) -> Result<Vec<Note>> {
        let rows: Vec<NoteRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("{NOTE} WHERE n.workshop_id = $1 ORDER BY n.id"))
                .bind(workshop_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Note::from).collect())
    }

    pub async fn workshop_note(&self, workshop_id: i64, id: i64) -> Result<Note> {
        let row: Option<NoteRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(&format!("{NOTE} WHERE n.workshop_id = $1 AND n.id = $2"))
                .bind(workshop_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(Note::from).ok_or(StoreError::NotFound)
    }

    /// Writes a participant's note.
    pub async fn add_note(
        &self,
        w: &Workshop,
        p: &Participant,
        target: &NoteTarget,
        text: &str,
    ) -> Result<Note> {
        let (question, kind, theme) = match target {
            NoteTarget::Question(q) => (Some(*q as i64), None, None),
            NoteTarget::Theme { kind, theme } => (None, Some(kind.code()), Some(theme.as_str())),
        };
        let lock = self.for_update();
        let id: i64 = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, w.id, lock);
            still_taking_part!(tx, p.id);
            let at = now();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO workshop_notes (workshop_id, participant_id, question_index, kind, theme_code, text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(w.id)
            .bind(p.id)
            .bind(question)
            .bind(kind)
            .bind(theme)
            .bind(text)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            let note = Note {
                id,
                participant_id: p.id,
                author: p.name.clone(),
                group: p.group,
                question: question.map(|q| q as usize),
                kind: kind.and_then(NoteKind::parse),
                theme: theme.map(str::to_string),
                text: text.to_string(),
                hidden: false,
                created_at: at,
            };
            emit!(tx, w.id, note_event(w, &note));
            tx.commit().await?;
            Ok::<_, StoreError>(id)
        }))?;
        self.wake_soon(w.id);
        self.workshop_note(w.id, id).await
    }

    /// Changes a note's text (its writer's), or hides or shows it (the facilitator's); `None`
    /// leaves that part as it is. Sends the note again, or its removal from screens when hidden.
    pub async fn change_note(
        &self,
        w: &Workshop,
        note_id: i64,
        text: Option<&str>,
        hidden: Option<bool>,
    ) -> Result<Note> {
        let lock = self.for_update();
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, w.id, lock);
            let n = sqlx::query(
                "UPDATE workshop_notes SET text = COALESCE($1, text), hidden = COALESCE($2, hidden), updated_at = $3 WHERE id = $4 AND workshop_id = $5",
            )
            .bind(text)
            .bind(hidden)
            .bind(now())
            .bind(note_id)
            .bind(w.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let row: NoteRow = sqlx::query_as(&format!("{NOTE} WHERE n.id = $1"))
                .bind(note_id)
                .fetch_one(&mut *tx)
                .await?;
            let note = Note::from(row);
            if note.hidden {
                emit!(tx, w.id, Event::NoteRemoved { id: note.id });
            } else {
                emit!(tx, w.id, note_event(w, &note));
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))?;
        self.wake_soon(w.id);
        self.workshop_note(w.id, note_id).await
    }

    pub async fn delete_note(&self, workshop_id: i64, note_id: i64) -> Result<()> {
        let lock = self.for_update();
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, workshop_id, lock);
            let n = sqlx::query("DELETE FROM workshop_notes WHERE id = $1 AND workshop_id = $2")
                .bind(note_id)
                .bind(workshop_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            emit!(tx, workshop_id, Event::NoteRemoved { id: note_id });
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))?;
        self.wake_soon(workshop_id);
        Ok(())
    }

    /// Places participant `p`'s dot `client_id` on `theme`, within the limits, in one
    /// transaction. The same client id again is the same dot (`Placed::Already`).
    pub async fn place_dot(
        &self,
        p: &Participant,
        client_id: &str,
        theme: &str,
    ) -> Result<Result<Placed, DotRefusal>> {
        let lock = self.for_update();
        let outcome = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            let row: Option<WorkshopRow> = sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM workshops WHERE id = $1{lock}"
            ))
            .bind(p.workshop_id)
            .fetch_optional(&mut *tx)
            .await?;
            let w = Workshop::try_from(row.ok_or(StoreError::NotFound)?)?;
            still_taking_part!(tx, p.id);
            let mine: Vec<(String, String)> = sqlx::query_as(
                "SELECT client_id, theme_code FROM workshop_dots WHERE participant_id = $1",
            )
            .bind(p.id)
            .fetch_all(&mut *tx)
            .await?;
            let mine: Vec<Dot> = mine
                .into_iter()
                .map(|(client_id, theme)| Dot {
                    client_id,
                    participant_id: p.id,
                    theme,
                })
                .collect();
            if mine.iter().any(|d| d.client_id == client_id) {
                return Ok(Ok(Placed::Already {
                    left: w.dots_left(&mine),
                }));
            }
            let elsewhere: Option<i64> = sqlx::query_scalar(
                "SELECT participant_id FROM workshop_dots WHERE workshop_id = $1 AND client_id = $2",
            )
            .bind(w.id)
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await?;
            if elsewhere.is_some() {
                return Ok(Err(DotRefusal::NotYours));
            }
            if let Err(refusal) = w.may_place(&mine, theme) {
                return Ok(Err(refusal));
            }
            sqlx::query(
                "INSERT INTO workshop_dots (workshop_id, client_id, participant_id, theme_code, placed_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(w.id)
            .bind(client_id)
            .bind(p.id)
            .bind(theme)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            let dots: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM workshop_dots WHERE workshop_id = $1 AND theme_code = $2",
            )
            .bind(w.id)
            .bind(theme)
            .fetch_one(&mut *tx)
            .await?;
            emit!(
                tx,
                w.id,
                Event::Dot {
                    client_id: client_id.to_string(),
                    theme: theme.to_string(),
                    placed: true,
                    dots
                }
            );
            tx.commit().await?;
            Ok::<_, StoreError>(Ok(Placed::New {
                left: w.dots_left(&mine).saturating_sub(1),
            }))
        }))?;
        if matches!(outcome, Ok(Placed::New { .. })) {
            self.wake_soon(p.workshop_id);
        }
        Ok(outcome)
    }

    /// Takes participant `p`'s dot `client_id` back (while voting).
    pub async fn take_back_dot(
        &self,
        p: &Participant,
        client_id: &str,
    ) -> Result<Result<(), DotRefusal>> {
        let lock = self.for_update();
        let outcome = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            let phase: Option<String> =
                sqlx::query_scalar(&format!("SELECT phase FROM workshops WHERE id = $1{lock}"))
                    .bind(p.workshop_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if phase.ok_or(StoreError::NotFound)? != Phase::Voting.code() {
                return Ok(Err(DotRefusal::NotVoting));
            }
            let dot: Option<(i64, String)> = sqlx::query_as(
                "SELECT participant_id, theme_code FROM workshop_dots WHERE workshop_id = $1 AND client_id = $2",
            )
            .bind(p.workshop_id)
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (owner, theme) = dot.ok_or(StoreError::NotFound)?;
            if owner != p.id {
                return Ok(Err(DotRefusal::NotYours));
            }
            sqlx::query("DELETE FROM workshop_dots WHERE workshop_id = $1 AND client_id = $2")
                .bind(p.workshop_id)
                .bind(client_id)
                .execute(&mut *tx)
                .await?;
            let dots: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM workshop_dots WHERE workshop_id = $1 AND theme_code = $2",
            )
            .bind(p.workshop_id)
            .bind(&theme)
            .fetch_one(&mut *tx)
            .await?;
            emit!(
                tx,
                p.workshop_id,
                Event::Dot {
                    client_id: client_id.to_string(),
                    theme,
                    placed: false,
                    dots
                }
            );
            tx.commit().await?;
            Ok::<_, StoreError>(Ok(()))
        }))?;
        if outcome.is_ok() {
            self.wake_soon(p.workshop_id);
        }
        Ok(outcome)
    }

    /// Every dot of a workshop.
    pub async fn workshop_dots(&self, workshop_id: i64) -> Result<Vec<Dot>> {
        let rows: Vec<(String, i64, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT client_id, participant_id, theme_code FROM workshop_dots WHERE workshop_id = $1 ORDER BY placed_at, client_id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(client_id, participant_id, theme)| Dot {
                client_id,
                participant_id,
                theme,
            })
            .collect())
    }

    /// Saves `themes` as the network's priorities, decided on `day` in workshop `id`.
    pub async fn save_priorities(
        &self,
        workshop_id: i64,
        themes: &[String],
        day: chrono::NaiveDate,
    ) -> Result<()> {
        let lock = self.for_update();
        on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
            lock_workshop!(tx, workshop_id, lock);
            sqlx::query(
                "INSERT INTO network_priorities (workshop_id, decided_on, themes, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(workshop_id)
            .bind(day.to_string())
            .bind(serde_json::to_string(themes).expect("codes"))
            .bind(now())
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE workshops SET priorities_saved_on = $1 WHERE id = $2")
                .bind(day.to_string())
                .bind(workshop_id)
                .execute(&mut *tx)
                .await?;
            emit!(
                tx,
                workshop_id,
                Event::Priorities {
                    themes: themes.to_vec()
                }
            );
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }))?;
        self.wake_soon(workshop_id);
        Ok(())
    }

    /// The network's latest priorities.
    pub async fn network_priorities(&self) -> Result<Option<NetworkPriorities>> {
        let row: Option<(String, String, Option<i64>)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT decided_on, themes, workshop_id FROM network_priorities ORDER BY decided_on DESC, id DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        });
        row.map(|(decided_on, themes, workshop)| {
            Ok(NetworkPriorities {
                themes: serde_json::from_str(&themes)
                    .map_err(|_| corrupt("priorities", &themes))?,
                decided_on,
                workshop,
            })
        })
        .transpose()
    }

    // ---- Events ---------------------------------------------------------------------------

    /// A workshop's events after `after`, oldest first (at most `limit`).
    pub async fn workshop_events_after(
        &self,
        workshop_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LiveEvent>> {
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
    }

    /// The id of a workshop's newest event; 0 when it has none.
    pub async fn newest_workshop_event(&self, workshop_id: i64) -> Result<i64> {
        let newest: Option<i64> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT MAX(id) FROM workshop_events WHERE workshop_id = $1")
                .bind(workshop_id)
                .fetch_one(pool)
                .await?
        });
        Ok(newest.unwrap_or(0))
    }

    /// Follows a workshop's events as this process learns of them. The receiver gets every
    /// event after the newest one at the time of the call (a screen resuming from an older id
    /// reads those first with [`Store::workshop_events_after`]); one that falls behind by more
    /// than the channel holds is told it lagged and reads the rest from the database.
    pub async fn follow_workshop(
        &self,
        workshop_id: i64,
    ) -> Result<tokio::sync::broadcast::Receiver<Arc<LiveEvent>>> {
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
    fn wake_soon(&self, workshop_id: i64) {
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
