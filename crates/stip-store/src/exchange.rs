//! Import and export: what an import of an overview does to an institution's portfolio (new,
//! changed, unchanged per row), writing it in one transaction, the column mapping an
//! institution chose, and uploaded files awaiting confirmation.

use crate::portfolio::{Editor, NewProject, insert_new_projects, replace_links, update_row};
use crate::{Result, Store, StoreError, on_pool, retrying};
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::exchange::columns::Mapping;
use stip_core::exchange::preview::{Lists, Preview};
use stip_core::portfolio::{ListRequest, Project, diff};

/// What importing one row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowPlan {
    New,
    /// The project the row matched, at the version seen, and the fields that change.
    Changed {
        id: i64,
        version: i64,
        fields: Vec<String>,
    },
    Unchanged {
        id: i64,
    },
    /// The row has problems; nothing is written while any row has.
    Problems,
}

/// How many projects an import made, changed and left as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportCounts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
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
    pub committed: bool,
}

pub use stip_core::exchange::ReferencePairs;

/// The key a row finds its project by.
fn title_key(title: &str) -> String {
    title.trim().to_lowercase()
}

impl Store {
    /// The reference lists as `(code, name)` pairs: what an import reads names against and
    /// an export explains (and names MORA areas by).
    pub async fn reference_pairs(&self) -> Result<ReferencePairs> {
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
    }

    /// The reference lists an import reads names against.
    pub async fn import_lists(&self) -> Result<Lists> {
        Ok(Lists::new(&self.reference_pairs().await?))
    }

    /// What importing each row of `preview` into the institution does, row by row: a row finds
    /// its project by the institution's project number, else by title (among projects without
    /// a number).
    pub async fn plan_import(
        &self,
        institution_id: i64,
        preview: &Preview,
    ) -> Result<Vec<RowPlan>> {
        let own = self.index().await?.of_institution(institution_id);
        let by_id: HashMap<&str, &Arc<Project>> = own
            .iter()
            .filter_map(|p| p.external_id.as_deref().map(|x| (x, p)))
            .collect();
        let by_title: HashMap<String, &Arc<Project>> = own
            .iter()
            .filter(|p| p.external_id.is_none())
            .map(|p| (title_key(&p.data.title), p))
            .collect();
        Ok(preview
            .rows
            .iter()
            .map(|row| {
                let Ok(imported) = &row.outcome else {
                    return RowPlan::Problems;
                };
                let found = row
                    .external_id
                    .as_deref()
                    .and_then(|x| by_id.get(x))
                    .or_else(|| by_title.get(&title_key(&row.title)));
                let Some(p) = found else {
                    return RowPlan::New;
                };
                let merged = preview.merged(&p.data, imported);
                let mut fields: Vec<String> = diff(&p.data, &merged)
                    .into_iter()
                    .map(|c| c.field)
                    .collect();
                if row.external_id.is_some() && p.external_id != row.external_id {
                    fields.push("external_id".into());
                }
                if fields.is_empty() {
                    RowPlan::Unchanged { id: p.id }
                } else {
                    RowPlan::Changed {
                        id: p.id,
                        version: p.version,
                        fields,
                    }
                }
            })
            .collect())
    }

    /// Imports `preview` into the institution in one transaction: new projects made, changed
    /// ones saved (each with its history), or, when any row has problems or a matched project
    /// was saved by someone since the plan, nothing at all.
    pub async fn import_projects(
        &self,
        institution_id: i64,
        preview: &Preview,
        editor: &Editor,
    ) -> Result<ImportCounts> {
        if preview.has_problems() {
            return Err(StoreError::ImportHasProblems);
        }
        let write = self.project_write().await?;
        let plan = self.plan_import(institution_id, preview).await?;
        let at = crate::now();
        let refs = self.reference_ids().await?;
        let mut counts = ImportCounts::default();
        let mut new = Vec::new();
        let mut changed = Vec::new();
        let index = self.index().await?;
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
                    let merged = preview.merged(&stored.data, imported);
                    changed.push((*id, *version, stored, merged, row.external_id.clone()));
                }
                RowPlan::Unchanged { .. } => counts.unchanged += 1,
                RowPlan::Problems => return Err(StoreError::ImportHasProblems),
            }
        }
        counts.new = new.len();
        counts.changed = changed.len();
        let today = at[..10].to_string();
        let written: bool = on_pool!(self, write, |pool| retrying!(async {
            let mut tx = pool.begin().await?;
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
                    // Saved by someone since the plan: the import is planned again.
                    return Ok::<_, StoreError>(false);
                }
                replace_links!(&mut tx, *id, d, &refs);
                crate::portfolio::insert_history(
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
            Ok(true)
        }))?;
        // Following may reload the read model, which waits for every project write to end.
        drop(write);
        if !written {
            return Err(StoreError::Busy);
        }
        // Every write reaches this process's read model through the change log, like any other
        // process's: an import is no everyday save.
        self.follow_changes().await?;
        Ok(counts)
    }

    /// Every project of a list view (its filters and order, all pages), as `scope` may see it:
    /// what an export writes.
    pub async fn projects_for_export(
        &self,
        req: &ListRequest,
        scope: ProjectScope,
    ) -> Result<Vec<Arc<Project>>> {
        let req = self.with_mora_sub_areas(req).await?;
        let index = self.index().await?;
        // One page that holds them all (the list reserves room for a page).
        let all = ListRequest {
            page: 1,
            per_page: u32::try_from(index.len()).unwrap_or(u32::MAX).max(1),
            ..req.into_owned()
        };
        Ok(index.list(&all, scope).items)
    }

    /// The mapping the institution chose at its last import; empty when it never chose one.
    pub async fn import_mapping(&self, institution_id: i64) -> Result<Mapping> {
        let raw: Option<String> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT mapping FROM import_mappings WHERE institution_id = $1")
                .bind(institution_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(raw
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default())
    }

    pub async fn save_import_mapping(&self, institution_id: i64, mapping: &Mapping) -> Result<()> {
        let raw = serde_json::to_string(mapping).map_err(|e| StoreError::Corrupt(e.to_string()))?;
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
    }

    /// Keeps an uploaded file until its import is confirmed; returns its id.
    pub async fn create_import(
        &self,
        institution_id: i64,
        user_id: Option<i64>,
        file_name: &str,
        file: &[u8],
        mapping: &Mapping,
    ) -> Result<i64> {
        let raw = serde_json::to_string(mapping).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let at = crate::now();
        Ok(on_pool!(self, write, |pool| {
            sqlx::query_scalar(
                "INSERT INTO imports (institution_id, user_id, file_name, file, mapping, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(institution_id)
            .bind(user_id)
            .bind(file_name)
            .bind(file)
            .bind(&raw)
            .bind(&at)
            .fetch_one(pool)
            .await?
        }))
    }

    pub async fn stored_import(&self, id: i64) -> Result<StoredImport> {
        type Row = (
            i64,
            i64,
            Option<i64>,
            String,
            Vec<u8>,
            String,
            Option<String>,
        );
        let row: Option<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, institution_id, user_id, file_name, file, mapping, committed_at
                 FROM imports WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        let (id, institution_id, user_id, file_name, file, mapping, committed) =
            row.ok_or(StoreError::NotFound)?;
        Ok(StoredImport {
            id,
            institution_id,
            user_id,
            file_name,
            file,
            mapping: serde_json::from_str(&mapping).unwrap_or_default(),
            committed: committed.is_some(),
        })
    }

    /// Marks an uploaded file as imported, so it is not imported twice; false when it was
    /// already.
    pub async fn mark_import_committed(&self, id: i64) -> Result<bool> {
        let at = crate::now();
        let n = on_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE imports SET committed_at = $1 WHERE id = $2 AND committed_at IS NULL",
            )
            .bind(&at)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }
}
