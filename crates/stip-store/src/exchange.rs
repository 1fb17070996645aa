//! Import and export: what an import of an overview does to an institution's portfolio (new,
//! changed, unchanged per row), writing it in one transaction, the column mapping an
//! institution chose, and uploaded files awaiting confirmation.

use crate::editor::Editor;
use crate::portfolio::write::{NewProject, insert_new_projects, replace_links, update_row};
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, on_pool, retrying};
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::exchange::columns::Mapping;
use stip_core::exchange::preview::{
    Existing, Lists, Options, Preview, PreviewError, preview_with, title_key,
};
use stip_core::exchange::sheet::Contents;
use stip_core::exchange::suggestion::{Alike, Suggestion};
use stip_core::portfolio::{FieldChange, HistoryValue, ListRequest, Project, ProjectInput, diff};

/// What importing one row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowPlan {
    New,
    /// The project the row matched, at the version seen, and what changes in it.
    Changed {
        id: i64,
        version: i64,
        changes: Vec<FieldChange>,
    },
    Unchanged {
        id: i64,
    },
    /// The row has problems; nothing is written while any row has.
    Problems,
}

impl RowPlan {
    /// For a changed row: the names of the fields that change.
    pub fn changed_fields(&self) -> Vec<&str> {
        match self {
            RowPlan::Changed { changes, .. } => changes.iter().map(|c| c.field.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

/// How many projects an import made, changed and left as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ImportCounts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// A row of a previewed import that would no longer do what its preview showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutdatedRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub title: String,
    pub why: Outdated,
}

/// What happened since a preview to the project of one of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outdated {
    /// The project the row changes (or left as it was) has been deleted: the row would make
    /// it again.
    Deleted,
    /// A project the row would make exists now (another import of the same file, say).
    MadeSince,
    /// The project the row changes has been saved by someone since.
    SavedSince,
}

/// What committing a previewed import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    Written(ImportCounts),
    /// Nothing written: these rows would not do what the preview showed.
    Outdated(Vec<OutdatedRow>),
}

/// A plan as a short text (`n`, `c<id>.<version>`, `u<id>`, `e` per row, comma-separated): what
/// a preview showed, kept with the upload or carried by the confirming form.
pub fn plan_code(plan: &[RowPlan]) -> String {
    plan.iter()
        .map(|p| match p {
            RowPlan::New => "n".to_string(),
            RowPlan::Changed { id, version, .. } => format!("c{id}.{version}"),
            RowPlan::Unchanged { id } => format!("u{id}"),
            RowPlan::Problems => "e".to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A plan read back from [`plan_code`] (a changed row without its fields); `None` for anything
/// else.
pub fn parse_plan_code(code: &str) -> Option<Vec<RowPlan>> {
    if code.is_empty() {
        return Some(Vec::new());
    }
    code.split(',')
        .map(|p| {
            Some(match p.split_at_checked(1)? {
                ("n", "") => RowPlan::New,
                ("e", "") => RowPlan::Problems,
                ("u", id) => RowPlan::Unchanged {
                    id: id.parse().ok()?,
                },
                ("c", rest) => {
                    let (id, version) = rest.split_once('.')?;
                    RowPlan::Changed {
                        id: id.parse().ok()?,
                        version: version.parse().ok()?,
                        changes: Vec::new(),
                    }
                }
                _ => return None,
            })
        })
        .collect()
}

/// The rows whose plan now differs from the plan their preview showed (`seen`).
fn outdated_rows(preview: &Preview, seen: &[RowPlan], now: &[RowPlan]) -> Vec<OutdatedRow> {
    let id_of = |p: &RowPlan| match p {
        RowPlan::Changed { id, .. } | RowPlan::Unchanged { id } => Some(*id),
        _ => None,
    };
    preview
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let now = now.get(i)?;
            let why = match (seen.get(i), now) {
                (Some(RowPlan::New), RowPlan::New) | (Some(RowPlan::Problems), _) => return None,
                (Some(RowPlan::Unchanged { id: a }), RowPlan::Unchanged { id: b }) if a == b => {
                    return None;
                }
                (
                    Some(RowPlan::Changed {
                        id: a, version: v, ..
                    }),
                    RowPlan::Changed {
                        id: b, version: w, ..
                    },
                ) if a == b && v == w => return None,
                (Some(seen), RowPlan::New) if id_of(seen).is_some() => Outdated::Deleted,
                (Some(RowPlan::New), _) => Outdated::MadeSince,
                _ => Outdated::SavedSince,
            };
            Some(OutdatedRow {
                row: row.row,
                title: row.title.clone(),
                why,
            })
        })
        .collect()
}
/// The rows planned as new whose project exists by now (`exists(number, title)`).
fn made_since(
    preview: &Preview,
    plan: &[RowPlan],
    exists: impl Fn(Option<&str>, &str) -> bool,
) -> Vec<OutdatedRow> {
    preview
        .rows
        .iter()
        .zip(plan)
        .filter(|(row, plan)| {
            **plan == RowPlan::New && exists(row.external_id.as_deref(), &row.title)
        })
        .map(|(row, _)| OutdatedRow {
            row: row.row,
            title: row.title.clone(),
            why: Outdated::MadeSince,
        })
        .collect()
}

/// How many of the projects most like a row vote for the main theme proposed for it.
const SUGGESTION_VOTERS: usize = 10;
/// How many of them a suggestion names as its reason.
const SUGGESTION_NAMED: usize = 3;

/// The reference lists and an institution's stored projects, as a file is read against them,
/// and the network's projects that the person importing may see, which propose main themes.
pub struct ImportContext {
    lists: Lists,
    own: Vec<Arc<Project>>,
    store: Store,
    scope: ProjectScope,
}

impl ImportContext {
    /// Reads a file's contents as projects of the institution (BRIN code `brin`), each row
    /// matched with the project it describes among the institution's stored projects.
    pub fn preview(
        &self,
        contents: &Contents,
        brin: &str,
        mapping: &Mapping,
        options: &Options,
    ) -> Result<Preview, PreviewError> {
        preview_with(
            contents,
            brin,
            &self.lists,
            mapping,
            &existing(&self.own),
            options,
            &|input| self.suggest(input),
        )
    }

    /// The main theme of the projects most like a row's text (their scores added up per main
    /// theme), named with the most alike of them.
    fn suggest(&self, input: &ProjectInput) -> Option<Suggestion> {
        let index = self.store.index.get()?;
        let body = [
            &input.summary,
            &input.description,
            &input.intended_result,
            &input.case_summary,
        ]
        .map(String::as_str)
        .join("\n");
        let like = index.like_text(&input.title, &body, self.scope, SUGGESTION_VOTERS);
        let main_theme = |p: &Project| {
            p.data
                .themes
                .first()
                .filter(|t| self.lists.has_theme(t))
                .cloned()
        };
        let mut votes: Vec<(String, f32)> = Vec::new();
        for (p, score) in &like {
            let Some(theme) = main_theme(p) else {
                continue;
            };
            match votes.iter_mut().find(|(t, _)| *t == theme) {
                Some((_, sum)) => *sum += score,
                None => votes.push((theme, *score)),
            }
        }
        // The first of equal votes wins: it has the most alike project.
        let (theme, _) = votes
            .into_iter()
            .reduce(|best, next| if next.1 > best.1 { next } else { best })?;
        let like = like
            .iter()
            .filter(|(p, _)| main_theme(p).as_ref() == Some(&theme))
            .take(SUGGESTION_NAMED)
            .map(|(p, _)| Alike {
                id: p.id,
                title: p.data.title.clone(),
                institution: p.institution_name.clone(),
            })
            .collect();
        Some(Suggestion {
            theme,
            like,
            accepted: false,
        })
    }
}

/// An uploaded file awaiting confirmation.
#[derive(Debug, Clone)]
pub struct StoredImport {
    pub id: i64,
    pub institution_id: i64,
    pub user_id: Option<i64>,
    pub file_name: String,
    pub file: Vec<u8>,
    pub mapping: Mapping,
    pub created_at: String,
    /// What it wrote, once confirmed.
    pub result: Option<ImportCounts>,
    /// What its preview showed when it was uploaded (see [`plan_code`]).
    pub plan: Vec<RowPlan>,
}

/// How long an uploaded file is kept: long enough to come back to a preview, not forever.
const KEEP_IMPORTS_DAYS: i64 = 7;

pub use stip_core::exchange::ReferencePairs;

/// An institution's stored projects as import rows find theirs among.
fn existing(own: &[Arc<Project>]) -> Existing<'_> {
    Existing::new(
        own.iter()
            .map(|p| (p.id, p.external_id.as_deref(), &p.data)),
    )
}

impl Store {
    /// The reference lists as `(code, name)` pairs: what an import reads names against and
    /// an export explains (and names MORA areas by).
    #[inline(never)]
    pub fn reference_pairs<'a>(&'a self) -> Boxed<'a, Result<ReferencePairs>> {
        boxed(async move {
            Ok(ReferencePairs {
                themes: self
                    .themes()
                    .await?
                    .into_iter()
                    .map(|t| (t.data.code, t.data.name))
                    .collect(),
                drivers: self
                    .policy_drivers()
                    .await?
                    .into_iter()
                    .map(|d| (d.code, d.name))
                    .collect(),
                mora_areas: self
                    .mora_areas()
                    .await?
                    .into_iter()
                    .map(|a| (a.data.code, a.data.name))
                    .collect(),
                criteria: self
                    .criteria()
                    .await?
                    .into_iter()
                    .map(|c| (c.data.code, c.data.name))
                    .collect(),
            })
        })
    }

    /// The reference lists an import reads names against.
    #[inline(never)]
    pub fn import_lists<'a>(&'a self) -> Boxed<'a, Result<Lists>> {
        boxed(async move { Ok(Lists::new(&self.reference_pairs().await?)) })
    }

    /// Reads a file's contents as projects of the institution (BRIN code `brin`), each row
    /// matched with the project it describes among the institution's stored projects; main
    /// themes are proposed from the projects `scope` sees.
    #[inline(never)]
    pub fn preview_import<'a>(
        &'a self,
        institution_id: i64,
        brin: &'a str,
        contents: &'a Contents,
        mapping: &'a Mapping,
        options: &'a Options,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Result<Preview, PreviewError>>> {
        boxed(async move {
            let context = self.import_context(institution_id, scope).await?;
            Ok(context.preview(contents, brin, mapping, options))
        })
    }

    /// What a file of the institution is read against, to read it away from the store (on a
    /// thread of its own: a large file takes a while), by someone who sees the projects of
    /// `scope`.
    #[inline(never)]
    pub fn import_context<'a>(
        &'a self,
        institution_id: i64,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<ImportContext>> {
        boxed(async move {
            Ok(ImportContext {
                lists: self.import_lists().await?,
                own: self.index().await?.of_institution(institution_id),
                store: self.clone(),
                scope,
            })
        })
    }

    /// What importing each row of `preview` into the institution does, row by row, against
    /// the projects as they are now.
    #[inline(never)]
    pub fn plan_import<'a>(
        &'a self,
        institution_id: i64,
        preview: &'a Preview,
    ) -> Boxed<'a, Result<Vec<RowPlan>>> {
        boxed(async move {
            let index = self.index().await?;
            Ok(preview
                .rows
                .iter()
                .map(|row| {
                    let Ok(imported) = &row.outcome else {
                        return RowPlan::Problems;
                    };
                    // A project deleted since the file was read is made again, unless the plan a
                    // person saw says otherwise (see `commit_import`).
                    let Some(p) = row
                        .matched
                        .and_then(|id| index.get(id))
                        .filter(|p| p.institution_id == institution_id)
                    else {
                        return RowPlan::New;
                    };
                    let mut changes = diff(&p.data, imported);
                    if let Some(number) = &row.external_id
                        && p.external_id.as_ref() != Some(number)
                    {
                        changes.push(FieldChange {
                            field: "external_id".into(),
                            old: p
                                .external_id
                                .clone()
                                .map_or(HistoryValue::Empty, HistoryValue::Text),
                            new: HistoryValue::Text(number.clone()),
                        });
                    }
                    if changes.is_empty() {
                        RowPlan::Unchanged { id: p.id }
                    } else {
                        RowPlan::Changed {
                            id: p.id,
                            version: p.version,
                            changes,
                        }
                    }
                })
                .collect())
        })
    }

    /// Imports `preview` into the institution in one transaction: new projects made, changed
    /// ones saved (each with its history), or, when any row has problems or a matched project
    /// was saved by someone since the plan, nothing at all.
    #[inline(never)]
    pub fn import_projects<'a>(
        &'a self,
        institution_id: i64,
        preview: &'a Preview,
        editor: &'a Editor,
    ) -> Boxed<'a, Result<ImportCounts>> {
        boxed(async move {
            match self
                .write_import(institution_id, preview, editor, None, None)
                .await?
            {
                Committed::Written(counts) => Ok(counts),
                Committed::Outdated(_) => Err(StoreError::Busy),
            }
        })
    }

    /// Imports an uploaded file (its preview read again from the stored file) and marks it
    /// confirmed with what it wrote, in the same transaction: `ImportedAlready` when it was
    /// confirmed before, by this request or another. `seen` is the plan the person confirming
    /// was shown: a row that would now do something else (its project deleted, made by another
    /// import, saved by someone) writes nothing and is reported.
    #[inline(never)]
    pub fn commit_import<'a>(
        &'a self,
        stored: &'a StoredImport,
        preview: &'a Preview,
        seen: &'a [RowPlan],
        editor: &'a Editor,
    ) -> Boxed<'a, Result<Committed>> {
        boxed(async move {
            if stored.result.is_some() {
                return Err(StoreError::ImportedAlready);
            }
            self.write_import(
                stored.institution_id,
                preview,
                editor,
                Some(stored.id),
                Some(seen),
            )
            .await
        })
    }

    async fn write_import(
        &self,
        institution_id: i64,
        preview: &Preview,
        editor: &Editor,
        import: Option<i64>,
        seen: Option<&[RowPlan]>,
    ) -> Result<Committed> {
        if preview.has_problems() {
            return Err(StoreError::ImportHasProblems);
        }
        let write = self.project_write().await?;
        let plan = self.plan_import(institution_id, preview).await?;
        // An upload kept from before plans were kept has none: it is planned afresh.
        if let Some(seen) = seen.filter(|seen| !seen.is_empty()) {
            let outdated = outdated_rows(preview, seen, &plan);
            if !outdated.is_empty() {
                return Ok(Committed::Outdated(outdated));
            }
        }
        let at = crate::now();
        let refs = self.reference_ids().await?;
        let mut counts = ImportCounts::default();
        let mut new = Vec::new();
        let mut changed = Vec::new();
        let index = self.index().await?;
        // A row read as new while its project has been made since (by another import of the
        // same file, say) would be made twice: the file is to be read again.
        let own = index.of_institution(institution_id);
        let existing = existing(&own);
        let made = made_since(preview, &plan, |number, title| {
            existing.find(number, title).is_some()
        });
        if !made.is_empty() {
            return Ok(Committed::Outdated(made));
        }
        for (row, plan) in preview.rows.iter().zip(&plan) {
            let Ok(imported) = &row.outcome else {
                return Err(StoreError::ImportHasProblems);
            };
            match plan {
                RowPlan::New => new.push(NewProject {
                    institution_id,
                    external_id: row.external_id.as_deref(),
                    data: imported,
                }),
                RowPlan::Changed { id, version, .. } => {
                    let stored = index.get(*id).ok_or(StoreError::NotFound)?;
                    changed.push((*id, *version, stored, imported, row.external_id.clone()));
                }
                RowPlan::Unchanged { .. } => counts.unchanged += 1,
                RowPlan::Problems => return Err(StoreError::ImportHasProblems),
            }
        }
        counts.new = new.len();
        counts.changed = changed.len();
        let result =
            serde_json::to_string(&counts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let today = at[..10].to_string();
        let outdated: Vec<OutdatedRow> = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = crate::BeginWrite::begin_project_write(pool).await?;
            // The themes as they are in this transaction (see `BeginWrite`).
            let refs = refs.with_themes(crate::portfolio::write::live_theme_ids!(&mut tx));
            if let Some(id) = import {
                let n = sqlx::query(
                    "UPDATE imports SET committed_at = $1, result = $2
                     WHERE id = $3 AND committed_at IS NULL",
                )
                .bind(&at)
                .bind(&result)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n != 1 {
                    return Err(StoreError::ImportedAlready);
                }
            }
            // One import into an institution at a time, in every process: the second waits
            // here, then sees the projects the first made (a row lock on PostgreSQL, the
            // database's write lock on SQLite).
            sqlx::query(
                "INSERT INTO import_locks (institution_id) VALUES ($1)
                 ON CONFLICT (institution_id) DO UPDATE SET institution_id = excluded.institution_id",
            )
            .bind(institution_id)
            .execute(&mut *tx)
            .await?;
            let stored: Vec<(Option<String>, String)> =
                sqlx::query_as("SELECT external_id, title FROM projects WHERE institution_id = $1")
                    .bind(institution_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let by_number: std::collections::HashSet<&str> =
                stored.iter().filter_map(|(n, _)| n.as_deref()).collect();
            let by_title: std::collections::HashSet<String> = stored
                .iter()
                .filter(|(n, _)| n.is_none())
                .map(|(_, t)| title_key(t))
                .collect();
            let made = made_since(preview, &plan, |number, title| {
                number.is_some_and(|n| by_number.contains(n))
                    || by_title.contains(&title_key(title))
            });
            if !made.is_empty() {
                return Ok::<_, StoreError>(made);
            }
            for (id, version, stored, d, external_id) in &changed {
                let status_date =
                    if stored.data.status != d.status || stored.data.status_note != d.status_note {
                        Some(today.clone())
                    } else {
                        stored.status_date.map(|x| x.to_string())
                    };
                let changes = diff(&stored.data, d);
                let changes_json = serde_json::to_string(&changes)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let primary = refs.theme(d.primary_theme().unwrap_or_default(), "primary_theme")?;
                let number = external_id
                    .clone()
                    .filter(|x| stored.external_id.as_ref() != Some(x));
                let n = update_row!(&mut tx, *id, *version, &at, d, status_date, primary, number);
                if n != 1 {
                    // Saved or deleted by someone since the plan: nothing is written.
                    let gone: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
                            .bind(*id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let row = preview.rows.iter().zip(&plan).find(
                        |(_, p)| matches!(p, RowPlan::Changed { id: changed, .. } if changed == id),
                    );
                    return Ok(row
                        .map(|(row, _)| OutdatedRow {
                            row: row.row,
                            title: row.title.clone(),
                            why: if gone.is_none() {
                                Outdated::Deleted
                            } else {
                                Outdated::SavedSince
                            },
                        })
                        .into_iter()
                        .collect());
                }
                replace_links!(&mut tx, *id, d, &refs);
                crate::portfolio::history::insert_history(
                    &mut tx,
                    *id,
                    version + 1,
                    &at,
                    editor,
                    d.visibility,
                    &changes_json,
                )
                .await?;
            }
            insert_new_projects!(
                &mut tx,
                &new,
                &refs,
                &at,
                editor.user_id,
                editor.name.as_str()
            );
            tx.commit().await?;
            Ok(Vec::new())
        }))?;
        // Following may reload the read model, which waits for every project write to end.
        drop(write);
        if !outdated.is_empty() {
            return Ok(Committed::Outdated(outdated));
        }
        // Every write reaches this process's read model through the change log, like any other
        // process's: an import is no everyday save.
        self.follow_changes().await?;
        Ok(Committed::Written(counts))
    }

    /// Every project of a list view (its filters and order, all pages), as `scope` may see it:
    /// what an export writes.
    #[inline(never)]
    pub fn projects_for_export<'a>(
        &'a self,
        req: &'a ListRequest,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Vec<Arc<Project>>>> {
        boxed(async move {
            let req = self.with_mora_sub_areas(req).await?;
            let index = self.index().await?;
            // One page that holds them all (the list reserves room for a page).
            let all = ListRequest {
                page: 1,
                per_page: u32::try_from(index.len()).unwrap_or(u32::MAX).max(1),
                ..req.into_owned()
            };
            Ok(index.list(&all, scope).items)
        })
    }

    /// The mapping the institution chose at its last import; empty when it never chose one.
    #[inline(never)]
    pub fn import_mapping<'a>(&'a self, institution_id: i64) -> Boxed<'a, Result<Mapping>> {
        boxed(async move {
            let raw: Option<String> = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT mapping FROM import_mappings WHERE institution_id = $1")
                    .bind(institution_id)
                    .fetch_optional(pool)
                    .await?
            });
            Ok(raw
                .and_then(|r| serde_json::from_str(&r).ok())
                .unwrap_or_default())
        })
    }

    #[inline(never)]
    pub fn save_import_mapping<'a>(
        &'a self,
        institution_id: i64,
        mapping: &'a Mapping,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let raw =
                serde_json::to_string(mapping).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let at = crate::now();
            on_pool!(self, write, |pool| {
                sqlx::query(
                "INSERT INTO import_mappings (institution_id, mapping, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (institution_id) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
            )
            .bind(institution_id)
            .bind(&raw)
            .bind(&at)
            .execute(pool)
            .await?;
            });
            Ok(())
        })
    }

    /// Keeps an uploaded file until its import is confirmed (and a week at most); returns its id.
    #[inline(never)]
    pub fn create_import<'a>(
        &'a self,
        institution_id: i64,
        user_id: Option<i64>,
        file_name: &'a str,
        file: &'a [u8],
        mapping: &'a Mapping,
        plan: &'a [RowPlan],
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let raw =
                serde_json::to_string(mapping).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let plan = plan_code(plan);
            let now = chrono::Utc::now();
            let at = crate::timestamp(now);
            let expired = crate::timestamp(now - chrono::Duration::days(KEEP_IMPORTS_DAYS));
            Ok(on_pool!(self, write, |pool| {
                // Files nobody came back to, and those imported long ago, are not kept.
                sqlx::query("DELETE FROM imports WHERE created_at < $1")
                    .bind(&expired)
                    .execute(pool)
                    .await?;
                sqlx::query_scalar(
                "INSERT INTO imports (institution_id, user_id, file_name, file, mapping, created_at, plan)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(institution_id)
            .bind(user_id)
            .bind(file_name)
            .bind(file)
            .bind(&raw)
            .bind(&at)
            .bind(&plan)
            .fetch_one(pool)
            .await?
            }))
        })
    }

    #[inline(never)]
    pub fn stored_import<'a>(&'a self, id: i64) -> Boxed<'a, Result<StoredImport>> {
        boxed(async move {
            type Row = (
                i64,
                i64,
                Option<i64>,
                String,
                Vec<u8>,
                String,
                String,
                Option<String>,
                Option<String>,
            );
            let row: Option<Row> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT id, institution_id, user_id, file_name, file, mapping, created_at, result, plan
                 FROM imports WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
            });
            let (id, institution_id, user_id, file_name, file, mapping, created_at, result, plan) =
                row.ok_or(StoreError::NotFound)?;
            let plan = plan.unwrap_or_default();
            let json = |what: &str, raw: &str| crate::corrupt(what, raw);
            Ok(StoredImport {
                id,
                institution_id,
                user_id,
                file_name,
                file,
                mapping: serde_json::from_str(&mapping)
                    .map_err(|_| json("import mapping", &mapping))?,
                created_at,
                result: match result {
                    Some(r) => {
                        Some(serde_json::from_str(&r).map_err(|_| json("import result", &r))?)
                    }
                    None => None,
                },
                plan: parse_plan_code(&plan).ok_or_else(|| json("import plan", &plan))?,
            })
        })
    }

    /// Changes the column mapping of an uploaded file that is not imported yet; false when it
    /// was imported already.
    #[inline(never)]
    pub fn set_import_mapping<'a>(
        &'a self,
        id: i64,
        mapping: &'a Mapping,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let raw =
                serde_json::to_string(mapping).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                    "UPDATE imports SET mapping = $1 WHERE id = $2 AND committed_at IS NULL",
                )
                .bind(&raw)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
            });
            Ok(n == 1)
        })
    }
}
