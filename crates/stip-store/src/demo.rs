//! Loading demo data in bulk: the default agenda and generated institutions and projects, in
//! one transaction and in batches, so 15,000 projects load in seconds.

use crate::portfolio::write::{BATCH, NewProject, insert_new_projects};
use crate::{Boxed, boxed};
use crate::{Result, Store, on_pool};
use sqlx::QueryBuilder;
use stip_core::agenda::DefaultAgenda;
use stip_core::demo::DemoData;

impl Store {
    /// Loads the agenda, drivers and criteria of a fresh installation.
    #[inline(never)]
    pub fn load_agenda<'a>(&'a self, agenda: &'a DefaultAgenda) -> Boxed<'a, Result<()>> {
        boxed(async move {
            for m in &agenda.main_lines {
                self.create_main_line(m).await?;
            }
            for t in &agenda.themes {
                self.create_theme(t).await?;
            }
            for d in &agenda.drivers {
                self.create_policy_driver(d).await?;
            }
            for c in &agenda.criteria {
                self.create_criterion(c).await?;
            }
            Ok(())
        })
    }

    /// Loads demo institutions and projects (the agenda must be loaded); returns institution ids
    /// in the order of `demo.institutions`.
    #[inline(never)]
    pub fn load_demo<'a>(
        &'a self,
        demo: &'a DemoData,
        editor_name: &'a str,
    ) -> Boxed<'a, Result<Vec<i64>>> {
        boxed(async move {
            let at = crate::now();
            let refs = self.reference_ids().await?;
            let ids = on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                let mut inst_ids = Vec::with_capacity(demo.institutions.len());
                for chunk in demo.institutions.chunks(BATCH) {
                    let mut qb = QueryBuilder::new(
                        "INSERT INTO institutions (brin, name, short_name, region, students, domains) ",
                    );
                    qb.push_values(chunk, |mut b, i| {
                        b.push_bind(i.brin.as_str())
                            .push_bind(&i.name)
                            .push_bind(&i.short_name)
                            .push_bind(&i.region)
                            .push_bind(i.students)
                            .push_bind(i.domains.join(" "));
                    });
                    qb.push(" RETURNING id");
                    let mut ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    ids.sort_unstable();
                    inst_ids.extend(ids);
                }
                let rows: Vec<NewProject<'_>> = demo
                    .projects
                    .iter()
                    .map(|p| NewProject {
                        institution_id: inst_ids[p.institution],
                        external_id: None,
                        data: &p.data,
                    })
                    .collect();
                insert_new_projects!(&mut tx, &rows, &refs, &at, None::<i64>, editor_name);
                tx.commit().await?;
                inst_ids
            });
            self.reload_read_model().await?;
            Ok(ids)
        })
    }
}
