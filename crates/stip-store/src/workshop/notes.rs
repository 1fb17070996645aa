//! A workshop's notes: writing one, changing or hiding it, deleting it, and reading them.

use super::{emit, lock_workshop, still_taking_part};
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, now, on_pool, retrying};
use stip_core::workshop::{Event, Note, NoteKind, NoteTarget, Participant, Workshop, note_event};

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

impl Store {
    /// Every note of a workshop, oldest first.
    #[inline(never)]
    pub fn workshop_notes<'a>(&'a self, workshop_id: i64) -> Boxed<'a, Result<Vec<Note>>> {
        boxed(async move {
            let rows: Vec<NoteRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("{NOTE} WHERE n.workshop_id = $1 ORDER BY n.id"))
                    .bind(workshop_id)
                    .fetch_all(pool)
                    .await?
            });
            Ok(rows.into_iter().map(Note::from).collect())
        })
    }

    #[inline(never)]
    pub fn workshop_note<'a>(&'a self, workshop_id: i64, id: i64) -> Boxed<'a, Result<Note>> {
        boxed(async move {
            let row: Option<NoteRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("{NOTE} WHERE n.workshop_id = $1 AND n.id = $2"))
                    .bind(workshop_id)
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
            });
            row.map(Note::from).ok_or(StoreError::NotFound)
        })
    }

    /// Writes a participant's note.
    #[inline(never)]
    pub fn add_note<'a>(
        &'a self,
        w: &'a Workshop,
        p: &'a Participant,
        target: &'a NoteTarget,
        text: &'a str,
    ) -> Boxed<'a, Result<Note>> {
        boxed(async move {
            let (question, kind, theme) = match target {
                NoteTarget::Question(q) => (Some(*q as i64), None, None),
                NoteTarget::Theme { kind, theme } => {
                    (None, Some(kind.code()), Some(theme.as_str()))
                }
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
        })
    }

    /// Changes a note's text (its writer's), or hides or shows it (the facilitator's); `None`
    /// leaves that part as it is. Sends the note again, or its removal from screens when hidden.
    #[inline(never)]
    pub fn change_note<'a>(
        &'a self,
        w: &'a Workshop,
        note_id: i64,
        text: Option<&'a str>,
        hidden: Option<bool>,
    ) -> Boxed<'a, Result<Note>> {
        boxed(async move {
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
        })
    }

    #[inline(never)]
    pub fn delete_note<'a>(&'a self, workshop_id: i64, note_id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let lock = self.for_update();
            on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                lock_workshop!(tx, workshop_id, lock);
                let n =
                    sqlx::query("DELETE FROM workshop_notes WHERE id = $1 AND workshop_id = $2")
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
        })
    }
}
