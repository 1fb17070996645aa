//! MORA process areas (migration `0008_mora.sql`): the list the beheerder edits; projects' links
//! to them are written with the project's other links (`portfolio.rs`).

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, on_pool, retrying};
use stip_core::mora::{InUse, MoraArea, MoraAreaData, in_tree_order};
use stip_core::{ErrorCode, Invalid, Version};

crate::row! {
    struct AreaRow {
        id: i64,
        code: String,
        name: String,
        parent: Option<String>,
        position: i64,
        version: i64,
    }
}

impl Store {
    /// The areas in the architecture's order: each main area followed by its sub-areas.
    #[inline(never)]
    pub fn mora_areas<'a>(&'a self) -> Boxed<'a, Result<Vec<MoraArea>>> {
        boxed(async move {
            let rows: Vec<AreaRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT a.id, a.code, a.name, p.code AS parent, a.position, a.version
                 FROM mora_areas a LEFT JOIN mora_areas p ON p.id = a.parent_id",
                )
                .fetch_all(pool)
                .await?
            });
            Ok(in_tree_order(
                rows.into_iter()
                    .map(|r| MoraArea {
                        id: r.id,
                        data: MoraAreaData {
                            code: r.code,
                            name: r.name,
                            parent: r.parent,
                            position: r.position,
                        },
                        version: r.version,
                    })
                    .collect(),
            ))
        })
    }

    #[inline(never)]
    pub fn create_mora_area<'a>(&'a self, d: &'a MoraAreaData) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                    "INSERT INTO mora_areas (code, name, parent_id, position)
                 VALUES ($1, $2, (SELECT id FROM mora_areas WHERE code = $3), $4) RETURNING id",
                )
                .bind(&d.code)
                .bind(&d.name)
                .bind(&d.parent)
                .bind(d.position)
                .fetch_one(pool)
                .await
            })?;
            // A new area has no projects yet, but a main area's filter now covers it.
            self.references_changed(false).await?;
            Ok(id)
        })
    }

    /// Saves an area edited from `version`; `Ok(false)` when someone saved it in between. An
    /// area with sub-areas stays a main area, and no area becomes a part of itself (by its
    /// old code): the architecture is one level deep.
    #[inline(never)]
    pub fn update_mora_area<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a MoraAreaData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let n = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                if let Some(parent) = &d.parent {
                    let (subs, parent_id): (i64, Option<i64>) = sqlx::query_as(
                        "SELECT (SELECT COUNT(*) FROM mora_areas WHERE parent_id = $1),
                            (SELECT id FROM mora_areas WHERE code = $2)",
                    )
                    .bind(id)
                    .bind(parent)
                    .fetch_one(&mut *tx)
                    .await?;
                    if subs > 0 || parent_id == Some(id) {
                        return Err(StoreError::Invalid(Invalid::one(
                            "parent",
                            ErrorCode::InvalidChoice,
                        )));
                    }
                }
                let n = sqlx::query(
                    "UPDATE mora_areas SET code = $1, name = $2,
                 parent_id = (SELECT id FROM mora_areas WHERE code = $3), position = $4,
                 version = version + 1 WHERE id = $5 AND version = $6",
                )
                .bind(&d.code)
                .bind(&d.name)
                .bind(&d.parent)
                .bind(d.position)
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok::<_, StoreError>(n)
            }))?;
            // Projects show an area's code and name: the read model reloads.
            self.saved_from_version("mora_areas", id, n, true).await
        })
    }

    /// What keeps an area from being deleted: projects that map to it, or its sub-areas.
    #[inline(never)]
    pub fn mora_area_in_use<'a>(&'a self, id: i64) -> Boxed<'a, Result<Option<InUse>>> {
        boxed(async move {
            let (projects, subs): (i64, i64) = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM project_mora_areas WHERE area_id = $1),
                        (SELECT COUNT(*) FROM mora_areas WHERE parent_id = $1)",
                )
                .bind(id)
                .fetch_one(pool)
                .await?
            });
            Ok(in_use(projects, subs))
        })
    }

    /// Deletes an area that no project maps to and that has no sub-areas; otherwise it stays
    /// and the answer says why.
    #[inline(never)]
    pub fn delete_mora_area<'a>(&'a self, id: i64) -> Boxed<'a, Result<Result<(), InUse>>> {
        boxed(async move {
            let outcome = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin().await?;
                let (projects, subs): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM project_mora_areas WHERE area_id = $1),
                        (SELECT COUNT(*) FROM mora_areas WHERE parent_id = $1)",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(why) = in_use(projects, subs) {
                    return Ok::<_, StoreError>(Some(Err(why)));
                }
                let n = sqlx::query("DELETE FROM mora_areas WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok((n == 1).then_some(Ok(())))
            }));
            match outcome {
                Ok(Some(Err(why))) => Ok(Err(why)),
                Ok(Some(Ok(()))) => {
                    self.references_changed(false).await?;
                    Ok(Ok(()))
                }
                Ok(None) => Err(StoreError::NotFound),
                // A project linked to it by a save that committed between the count and the
                // delete: the foreign key refused the delete, and the area is in use after all.
                Err(e) => match self.mora_area_in_use(id).await? {
                    Some(why) => Ok(Err(why)),
                    None => Err(e),
                },
            }
        })
    }
}

fn in_use(projects: i64, subs: i64) -> Option<InUse> {
    if projects > 0 {
        Some(InUse::Projects(projects as usize))
    } else if subs > 0 {
        Some(InUse::SubAreas(subs as usize))
    } else {
        None
    }
}
