//! The agenda's main lines and themes, policy drivers and portfolio criteria.

use crate::{Boxed, boxed};
use crate::{Result, Store, corrupt, on_pool};
use stip_core::Version;
use stip_core::agenda::*;
use stip_core::number::Hundredths;

crate::row! {
    struct ThemeRow {
        id: i64,
        code: String,
        name: String,
        description: String,
        colour: String,
        main_line: Option<String>,
        position: i64,
        version: i64,
    }
}

crate::row! {
    struct CriterionRow {
        id: i64,
        code: String,
        name: String,
        weight: i64,
        direction: String,
        position: i64,
        version: i64,
    }
}

impl Store {
    #[inline(never)]
    pub fn main_lines<'a>(&'a self) -> Boxed<'a, Result<Vec<MainLine>>> {
        boxed(async move {
            let rows: Vec<(i64, String, String, i64, i64)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT id, code, name, position, version FROM main_lines ORDER BY position, id",
            )
            .fetch_all(pool)
            .await?
            });
            Ok(rows
                .into_iter()
                .map(|(id, code, name, position, version)| MainLine {
                    id,
                    code,
                    name,
                    position,
                    version,
                })
                .collect())
        })
    }

    #[inline(never)]
    pub fn create_main_line<'a>(&'a self, d: &'a MainLineData) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO main_lines (code, name, position) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(d.position)
            .fetch_one(pool)
            .await
            })?;
            self.references_changed(false).await?;
            Ok(id)
        })
    }

    /// Saves a main line edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_main_line<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a MainLineData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let n = on_pool!(self, write, |pool| {
                sqlx::query("UPDATE main_lines SET code = $1, name = $2, position = $3, version = version + 1 WHERE id = $4 AND version = $5")
                .bind(&d.code)
                .bind(&d.name)
                .bind(d.position)
                .bind(id)
                .bind(version)
                .execute(pool)
                .await?
                .rows_affected()
            });
            // Projects show themes, not main lines: the read model stays.
            self.saved_from_version("main_lines", id, n, false).await
        })
    }

    #[inline(never)]
    pub fn themes<'a>(&'a self) -> Boxed<'a, Result<Vec<Theme>>> {
        boxed(async move {
            let rows: Vec<ThemeRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT t.id, t.code, t.name, t.description, t.colour, m.code AS main_line, t.position, t.version
                 FROM themes t LEFT JOIN main_lines m ON m.id = t.main_line_id ORDER BY t.position, t.id",
            )
            .fetch_all(pool)
            .await?
            });
            Ok(rows
                .into_iter()
                .map(|r| Theme {
                    id: r.id,
                    data: ThemeData {
                        code: r.code,
                        name: r.name,
                        description: r.description,
                        colour: r.colour,
                        main_line: r.main_line,
                        position: r.position,
                    },
                    version: r.version,
                })
                .collect())
        })
    }

    #[inline(never)]
    pub fn create_theme<'a>(&'a self, d: &'a ThemeData) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO themes (code, name, description, colour, main_line_id, position)
                 VALUES ($1, $2, $3, $4, (SELECT id FROM main_lines WHERE code = $5), $6) RETURNING id",
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(&d.description)
            .bind(&d.colour)
            .bind(&d.main_line)
            .bind(d.position)
            .fetch_one(pool)
            .await
            })?;
            self.references_changed(false).await?;
            Ok(id)
        })
    }

    /// Saves a theme edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_theme<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a ThemeData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE themes SET code = $1, name = $2, description = $3, colour = $4,
                 main_line_id = (SELECT id FROM main_lines WHERE code = $5), position = $6, version = version + 1
                 WHERE id = $7 AND version = $8",
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(&d.description)
            .bind(&d.colour)
            .bind(&d.main_line)
            .bind(d.position)
            .bind(id)
            .bind(version)
            .execute(pool)
            .await?
            .rows_affected()
            });
            self.saved_from_version("themes", id, n, true).await
        })
    }

    #[inline(never)]
    pub fn policy_drivers<'a>(&'a self) -> Boxed<'a, Result<Vec<PolicyDriver>>> {
        boxed(async move {
            let rows: Vec<(i64, String, String, i64)> = on_pool!(self, read, |pool| {
                sqlx::query_as("SELECT id, code, name, version FROM policy_drivers ORDER BY name")
                    .fetch_all(pool)
                    .await?
            });
            Ok(rows
                .into_iter()
                .map(|(id, code, name, version)| PolicyDriver {
                    id,
                    code,
                    name,
                    version,
                })
                .collect())
        })
    }

    #[inline(never)]
    pub fn create_policy_driver<'a>(&'a self, d: &'a PolicyDriverData) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                    "INSERT INTO policy_drivers (code, name) VALUES ($1, $2) RETURNING id",
                )
                .bind(&d.code)
                .bind(&d.name)
                .fetch_one(pool)
                .await
            })?;
            self.references_changed(false).await?;
            Ok(id)
        })
    }

    /// Saves a policy driver edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_policy_driver<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a PolicyDriverData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let n = on_pool!(self, write, |pool| {
                sqlx::query("UPDATE policy_drivers SET code = $1, name = $2, version = version + 1 WHERE id = $3 AND version = $4")
                .bind(&d.code)
                .bind(&d.name)
                .bind(id)
                .bind(version)
                .execute(pool)
                .await?
                .rows_affected()
            });
            self.saved_from_version("policy_drivers", id, n, true).await
        })
    }

    #[inline(never)]
    pub fn criteria<'a>(&'a self) -> Boxed<'a, Result<Vec<Criterion>>> {
        boxed(async move {
            let rows: Vec<CriterionRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                "SELECT id, code, name, weight, direction, position, version FROM criteria ORDER BY position, id",
            )
            .fetch_all(pool)
            .await?
            });
            rows.into_iter()
                .map(|r| {
                    Ok(Criterion {
                        id: r.id,
                        data: CriterionData {
                            direction: Direction::parse(&r.direction)
                                .ok_or_else(|| corrupt("direction", &r.direction))?,
                            code: r.code,
                            name: r.name,
                            weight: Hundredths(r.weight),
                            position: r.position,
                        },
                        version: r.version,
                    })
                })
                .collect()
        })
    }

    #[inline(never)]
    pub fn create_criterion<'a>(&'a self, d: &'a CriterionData) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO criteria (code, name, weight, direction, position) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(d.weight.0)
            .bind(d.direction.code())
            .bind(d.position)
            .fetch_one(pool)
            .await
            })?;
            self.references_changed(false).await?;
            Ok(id)
        })
    }

    /// Saves a criterion edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_criterion<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a CriterionData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE criteria SET code = $1, name = $2, weight = $3, direction = $4, position = $5, version = version + 1 WHERE id = $6 AND version = $7",
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(d.weight.0)
            .bind(d.direction.code())
            .bind(d.position)
            .bind(id)
            .bind(version)
            .execute(pool)
            .await?
            .rows_affected()
            });
            self.saved_from_version("criteria", id, n, true).await
        })
    }
}
