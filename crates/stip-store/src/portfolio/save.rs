//! Saving projects: creating, saving over a version (optimistic concurrency), merging an edit
//! with the saves that overtook it, and deleting.

use super::history::insert_history;
use super::write::{
    insert_projects, live_theme_ids, project_columns, push_project_row, replace_links, update_row,
    write_links,
};
use crate::editor::Editor;
use crate::{BeginWrite, Result, Store, StoreError, now, on_pool, retrying};
use crate::{Boxed, boxed};
use chrono::NaiveDate;
use std::sync::Arc;
use stip_core::Invalid;
use stip_core::Version;
use stip_core::portfolio::*;

/// How often [`Store::save_edit`] merges again with saves that overtook it before it gives up.
const MERGE_ROUNDS: u32 = 12;

/// An edit to save with [`Store::save_edit`], made from some earlier version of a project.
pub enum Edit<'a> {
    /// The whole project as a form sends it; the fields the editor changed are those that
    /// differ from the version the edit started from.
    Whole(&'a ProjectData),
    /// Only the `touched` fields (names of [`ProjectData::history_fields`]), set by `apply` on
    /// the project as it is now: a merge patch.
    Fields {
        touched: Vec<&'static str>,
        apply: &'a (dyn Fn(&Project) -> Result<ProjectData, Invalid> + Sync),
    },
}

/// The result of [`Store::save_edit`].
#[derive(Debug)]
pub enum Edited {
    /// Saved; `merged` when others had saved since the edit's version and their changes were
    /// kept.
    Saved { project: Box<Project>, merged: bool },
    /// Both the editor and someone else changed `fields`: nothing was written. `merged` is the
    /// project as it is now with the editor's other changes, to choose from.
    Conflict {
        current: Box<Project>,
        since: Vec<HistoryEntry>,
        fields: Vec<&'static str>,
        merged: Box<ProjectData>,
    },
}

/// The result of saving an edited project.
#[derive(Debug)]
pub enum Saved {
    Saved(Box<Project>),
    /// Someone saved the project after the version the editor started from: nothing was written.
    Conflict {
        current: Box<Project>,
        since: Vec<HistoryEntry>,
    },
}

impl Store {
    #[inline(never)]
    pub fn create_project<'a>(
        &'a self,
        institution_id: i64,
        d: &'a ProjectData,
        editor: &'a Editor,
    ) -> Boxed<'a, Result<Project>> {
        boxed(async move {
            let _write = self.project_write().await?;
            let at = now();
            let today = &at[..10];
            let refs = self.reference_ids().await?;
            let id: i64 = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin_project_write().await?;
                // The themes as they are now, in this transaction: an activation of a new agenda
                // may have renamed the codes `d` was checked against (see `agenda_version::carry_over`).
                let live = live_theme_ids!(&mut tx);
                let asked = &d.themes;
                let (carried, active) = if asked.iter().all(|c| live.contains_key(c)) {
                    (None, None)
                } else {
                    let (agenda, mapping): (i64, Option<String>) =
                        sqlx::query_as("SELECT id, mapping FROM agendas WHERE status = 'actief'")
                            .fetch_one(&mut *tx)
                            .await?;
                    let carried =
                        crate::agenda_version::carry_over(asked, mapping.as_deref(), &live)?;
                    (Some(carried), Some(agenda))
                };
                let owned;
                let d = match &carried {
                    Some((themes, _)) => {
                        owned = ProjectData {
                            themes: themes.clone(),
                            ..d.clone()
                        };
                        &owned
                    }
                    None => d,
                };
                let refs = refs.with_themes(live);
                let primary = refs.theme(d.primary_theme().unwrap_or_default(), "primary_theme")?;
                // A status set at creation dates from today; no status has no date.
                let status_date = d.status.map(|_| today.to_string());
                let columns = project_columns(d, status_date, primary);
                let mut insert = insert_projects(&columns);
                insert.push("VALUES (");
                push_project_row(
                    &mut insert.separated(", "),
                    institution_id,
                    None,
                    &at,
                    columns,
                );
                insert.push(") RETURNING id");
                let id: i64 = insert.build_query_scalar().fetch_one(&mut *tx).await?;
                write_links(&mut tx, id, d, &refs).await?;
                insert_history(&mut tx, id, 1, &at, editor, d.visibility, "[]").await?;
                // Flagged like the projects the activation moved, when its primary theme did not
                // carry over as it was.
                if let (Some((_, Some(reason))), Some(agenda)) = (&carried, active) {
                    sqlx::query(
                    "INSERT INTO agenda_reviews (agenda_id, project_id, reason, old_themes) VALUES ($1, $2, $3, $4)",
                )
                .bind(agenda)
                .bind(id)
                .bind(reason.code())
                .bind(serde_json::to_string(asked).expect("codes"))
                .execute(&mut *tx)
                .await?;
                }
                tx.commit().await?;
                Ok::<_, StoreError>(id)
            }))?;
            self.refresh(id).await
        })
    }

    /// Saves `d` over the project if it is still at `version`; otherwise reports the conflict
    /// with what changed since, and writes nothing.
    #[inline(never)]
    pub fn update_project<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a ProjectData,
        editor: &'a Editor,
    ) -> Boxed<'a, Result<Saved>> {
        boxed(async move {
            let version = version.get();
            let _write = self.project_write().await?;
            let at = now();
            // The database decides, never this process's memory, which another process's write
            // may have left behind (until the change log reaches it). The diff is made against the
            // read model's copy when it is of the edit's version (a version is one state of the
            // project), else against the database's; the `version = $n` condition of the UPDATE
            // guarantees that nobody saved in between (0 rows affected: a conflict).
            let current = match self.project(id).await {
                Ok(p) if p.version == version => p,
                Ok(_) | Err(StoreError::NotFound) => Arc::new(self.fetch_project(id).await?),
                Err(e) => return Err(e),
            };
            if current.version != version {
                return self.conflict(id, version).await;
            }
            let changes = diff(&current.data, d);
            if changes.is_empty() {
                // Nothing to write, if the database still has this version.
                let stored: Option<i64> = on_pool!(self, read, |pool| {
                    sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
                        .bind(id)
                        .fetch_optional(pool)
                        .await?
                });
                return match stored {
                    None => Err(StoreError::NotFound),
                    Some(v) if v == version => Ok(Saved::Saved(Box::new(Project::clone(&current)))),
                    Some(_) => self.conflict(id, version).await,
                };
            }
            let status_changed =
                current.data.status != d.status || current.data.status_note != d.status_note;
            let status_date = if status_changed {
                Some(at[..10].to_string())
            } else {
                current.status_date.map(|x| x.to_string())
            };
            let changes_json =
                serde_json::to_string(&changes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let refs = self.reference_ids().await?;
            let updated: bool = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin_project_write().await?;
                // The themes as they are now, in this transaction (an activation may have renamed
                // codes since this process read them). A code that is gone means someone saved the
                // project since `version` (an activation moves every project on), else it is refused.
                let live = live_theme_ids!(&mut tx);
                if !d.themes.iter().all(|c| live.contains_key(c)) {
                    let stored: Option<i64> =
                        sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if stored.is_some_and(|v| v != version) {
                        return Ok::<_, StoreError>(false);
                    }
                }
                let refs = refs.with_themes(live);
                let primary = refs.theme(d.primary_theme().unwrap_or_default(), "primary_theme")?;
                // The project's row is written (and so locked) first, before its links and history,
                // as every write of a project does: transactions that take locks in one order
                // cannot deadlock each other.
                let n = update_row!(
                    &mut tx,
                    id,
                    version,
                    &at,
                    d,
                    status_date.clone(),
                    primary,
                    None::<String>
                );
                if n == 1 {
                    replace_links!(&mut tx, id, d, &refs);
                    insert_history(
                        &mut tx,
                        id,
                        version + 1,
                        &at,
                        editor,
                        d.visibility,
                        &changes_json,
                    )
                    .await?;
                    tx.commit().await?;
                }
                Ok::<_, StoreError>(n == 1)
            }))?;
            if !updated {
                return self.conflict(id, version).await;
            }
            // What was just written, without reading it back.
            let saved = Project {
                data: d.clone(),
                status_date: status_date
                    .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
                version: version + 1,
                updated_at: at,
                ..Project::clone(&current)
            };
            if let Some(index) = self.loaded_index() {
                index.upsert(saved.clone());
            }
            Ok(Saved::Saved(Box::new(saved)))
        })
    }

    /// A save from `version` that someone else's save overtook: the project as stored now (put
    /// into the read model too) and what changed since `version`.
    async fn conflict(&self, id: i64, version: i64) -> Result<Saved> {
        let since = self.project_history_since(id, Version(version)).await?;
        let current = Box::new(self.refresh(id).await?);
        Ok(Saved::Conflict { current, since })
    }

    /// Saves an edit made from version `base` of a project, merged with whatever others saved
    /// since: their fields stay, the editor's changes are applied, and only fields both changed
    /// (differently, or for `Edit::Fields` at all) come back as a conflict, with nothing
    /// written. A `base` the project never had is a conflict on every field the edit changes.
    #[inline(never)]
    pub fn save_edit<'a>(
        &'a self,
        id: i64,
        base: Version,
        edit: Edit<'a>,
        editor: &'a Editor,
    ) -> Boxed<'a, Result<Edited>> {
        boxed(async move {
            let _turn = self.save_turn(id).await;
            let mut current = match self.project(id).await {
                Ok(p) => Box::new(Project::clone(&p)),
                // Made by another process, and not yet followed here.
                Err(StoreError::NotFound) => Box::new(self.fetch_project(id).await?),
                Err(e) => return Err(e),
            };
            // Each round that loses the race to another save (of another process: saves in this one
            // take turns) merges again with what that one wrote, after a short random pause that
            // lets the others' saves through; a project saved this often in the same instant is not
            // a normal case, and is told to try again in a moment (`Busy`).
            for round in 0..MERGE_ROUNDS {
                if round > 0 {
                    let pause = fastrand::u64(1..=(2u64 << round.min(5)));
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                let known = (1..=current.version).contains(&base.get());
                let since = if current.version == base.get() {
                    Vec::new()
                } else {
                    self.project_history_since(id, base).await?
                };
                let (data, fields) = match &edit {
                    Edit::Whole(mine) if known => {
                        let m = stip_core::merge::merge(&current.data, &since, mine);
                        (m.data, m.conflicts)
                    }
                    Edit::Whole(mine) => (
                        current.data.clone(),
                        stip_core::merge::differing_fields(&current.data, mine),
                    ),
                    Edit::Fields { touched, apply } => {
                        let fields = if known {
                            stip_core::merge::touched_since(&since, touched)
                        } else {
                            touched.clone()
                        };
                        if fields.is_empty() {
                            (apply(&current)?, fields)
                        } else {
                            (current.data.clone(), fields)
                        }
                    }
                };
                if !fields.is_empty() {
                    let mut merged = Box::new(data);
                    if let Edit::Whole(mine) = &edit {
                        // The form shows the editor's own values in the fields to choose between.
                        for f in &fields {
                            stip_core::merge::copy_field(&mut merged, mine, f);
                        }
                    }
                    return Ok(Edited::Conflict {
                        current,
                        since,
                        fields,
                        merged,
                    });
                }
                match self
                    .update_project(id, Version(current.version), &data, editor)
                    .await?
                {
                    Saved::Saved(project) => {
                        return Ok(Edited::Saved {
                            merged: project.version > base.get() + 1,
                            project,
                        });
                    }
                    Saved::Conflict { current: now, .. } => current = now,
                }
            }
            Err(StoreError::Busy)
        })
    }

    /// Deletes a project; its links and history go with it (ON DELETE CASCADE), after its own
    /// row, in the lock order every project write keeps (see `update_project`).
    #[inline(never)]
    pub fn delete_project<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let _write = self.project_write().await?;
            let n = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin_project_write().await?;
                let n = sqlx::query("DELETE FROM projects WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok::<_, StoreError>(n)
            }))?;
            if let Some(index) = self.loaded_index() {
                index.remove(id);
            }
            if n == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
    }
}
