//! Institutions.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, on_pool};
use stip_core::Version;
use stip_core::institution::{BrinCode, Institution, InstitutionData};

crate::row! {
    struct Row {
        id: i64,
        brin: String,
        name: String,
        short_name: String,
        region: String,
        students: Option<i64>,
        domains: String,
        version: i64,
    }
}

impl TryFrom<Row> for Institution {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        Ok(Institution {
            id: r.id,
            data: InstitutionData {
                brin: BrinCode::parse(&r.brin).map_err(|_| corrupt("BRIN code", &r.brin))?,
                name: r.name,
                short_name: r.short_name,
                region: r.region,
                students: r.students,
                domains: r.domains.split_whitespace().map(str::to_string).collect(),
            },
            version: r.version,
        })
    }
}

const COLUMNS: &str = "id, brin, name, short_name, region, students, domains, version";

impl Store {
    #[inline(never)]
    pub fn institutions<'a>(&'a self) -> Boxed<'a, Result<Vec<Institution>>> {
        boxed(async move {
            let sql = format!("SELECT {COLUMNS} FROM institutions ORDER BY name");
            let rows: Vec<Row> = on_pool!(self, read, |pool| sqlx::query_as(&sql)
                .fetch_all(pool)
                .await?);
            rows.into_iter().map(Institution::try_from).collect()
        })
    }

    #[inline(never)]
    pub fn institution<'a>(&'a self, id: i64) -> Boxed<'a, Result<Institution>> {
        boxed(async move {
            let sql = format!("SELECT {COLUMNS} FROM institutions WHERE id = $1");
            let row: Option<Row> = on_pool!(self, read, |pool| sqlx::query_as(&sql)
                .bind(id)
                .fetch_optional(pool)
                .await?);
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    #[inline(never)]
    pub fn institution_by_brin<'a>(&'a self, brin: &'a BrinCode) -> Boxed<'a, Result<Institution>> {
        boxed(async move {
            let sql = format!("SELECT {COLUMNS} FROM institutions WHERE brin = $1");
            let row: Option<Row> = on_pool!(self, read, |pool| sqlx::query_as(&sql)
                .bind(brin.as_str())
                .fetch_optional(pool)
                .await?);
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    #[inline(never)]
    pub fn create_institution<'a>(&'a self, d: &'a InstitutionData) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO institutions (brin, name, short_name, region, students, domains) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(d.brin.as_str())
            .bind(&d.name)
            .bind(&d.short_name)
            .bind(&d.region)
            .bind(d.students)
            .bind(d.domains.join(" "))
            .fetch_one(pool)
            .await
            })?;
            self.references_changed(false).await?;
            Ok(id)
        })
    }

    /// Saves an institution edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_institution<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a InstitutionData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let done = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE institutions SET brin = $1, name = $2, short_name = $3, region = $4, students = $5, domains = $8, version = version + 1 WHERE id = $6 AND version = $7",
            )
            .bind(d.brin.as_str())
            .bind(&d.name)
            .bind(&d.short_name)
            .bind(&d.region)
            .bind(d.students)
            .bind(id)
            .bind(version)
            .bind(d.domains.join(" "))
            .execute(pool)
            .await?
            .rows_affected()
            });
            self.saved_from_version("institutions", id, done, true)
                .await
        })
    }
}
