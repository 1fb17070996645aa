//! Loading demo data in bulk: the default agenda and generated institutions and projects, in
//! one transaction and in batches, so 15,000 projects load in seconds.

use crate::portfolio::{insert_projects, project_columns, push_project_row};
use crate::{Result, Store, on_pool};
use sqlx::QueryBuilder;
use stip_core::agenda::DefaultAgenda;
use stip_core::demo::DemoData;

const BATCH: usize = 400;

impl Store {
    /// Loads the agenda, drivers and criteria of a fresh installation.
    pub async fn load_agenda(&self, agenda: &DefaultAgenda) -> Result<()> {
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
    }

    /// Loads demo institutions and projects (the agenda must be loaded); returns institution ids
    /// in the order of `demo.institutions`.
    pub async fn load_demo(&self, demo: &DemoData, editor_name: &str) -> Result<Vec<i64>> {
        let at = crate::now();
        let refs = self.reference_ids().await?;
        let ids = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let mut inst_ids = Vec::with_capacity(demo.institutions.len());
            for chunk in demo.institutions.chunks(BATCH) {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO institutions (brin, name, short_name, region, students) ",
                );
                qb.push_values(chunk, |mut b, i| {
                    b.push_bind(i.brin.as_str())
                        .push_bind(&i.name)
                        .push_bind(&i.short_name)
                        .push_bind(&i.region)
                        .push_bind(i.students);
                });
                qb.push(" RETURNING id");
                let mut ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                ids.sort_unstable();
                inst_ids.extend(ids);
            }
            for chunk in demo.projects.chunks(BATCH) {
                let rows = chunk
                    .iter()
                    .map(|p| {
                        let primary = refs
                            .theme(p.data.primary_theme().unwrap_or_default(), "primary_theme")?;
                        let status_date = p.data.status.map(|_| at[..10].to_string());
                        let columns = project_columns(&p.data, status_date, primary);
                        Ok((inst_ids[p.institution], columns))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let Some((_, first)) = rows.first() else {
                    continue;
                };
                let mut qb = insert_projects(first);
                qb.push_values(rows, |mut b, (institution_id, columns)| {
                    push_project_row(&mut b, institution_id, &at, columns);
                });
                qb.push(" RETURNING id");
                let mut ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                ids.sort_unstable();
                let mut themes = Vec::new();
                let mut drivers = Vec::new();
                let mut scores = Vec::new();
                for (id, p) in ids.iter().zip(chunk) {
                    for (pos, t) in p.data.themes.iter().enumerate() {
                        themes.push((*id, refs.theme(t, "themes")?, pos as i64));
                    }
                    for d in &p.data.drivers {
                        drivers.push((*id, refs.driver(d)?));
                    }
                    for (c, s) in &p.data.scores {
                        scores.push((*id, refs.criterion(c)?, i64::from(*s)));
                    }
                }
                let mut qb = QueryBuilder::new(
                    "INSERT INTO project_themes (project_id, theme_id, position) ",
                );
                qb.push_values(&themes, |mut b, (p, t, pos)| {
                    b.push_bind(*p).push_bind(*t).push_bind(*pos);
                });
                qb.build().execute(&mut *tx).await?;
                if !drivers.is_empty() {
                    let mut qb =
                        QueryBuilder::new("INSERT INTO project_drivers (project_id, driver_id) ");
                    qb.push_values(&drivers, |mut b, (p, d)| {
                        b.push_bind(*p).push_bind(*d);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for part in scores.chunks(BATCH * 2) {
                    let mut qb = QueryBuilder::new(
                        "INSERT INTO project_scores (project_id, criterion_id, score) ",
                    );
                    qb.push_values(part, |mut b, (p, c, s)| {
                        b.push_bind(*p).push_bind(*c).push_bind(*s);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                let mut qb = QueryBuilder::new(
                    "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, visibility, changes) ",
                );
                qb.push_values(ids.iter().zip(chunk), |mut b, (id, p)| {
                    b.push_bind(*id)
                        .push_bind(1i64)
                        .push_bind(&at)
                        .push_bind(None::<i64>)
                        .push_bind(editor_name)
                        .push_bind(p.data.visibility.code())
                        .push_bind("[]");
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            inst_ids
        });
        self.reload_read_model().await?;
        Ok(ids)
    }
}
