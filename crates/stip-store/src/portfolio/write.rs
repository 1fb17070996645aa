//! Writing a project's row and links: the one place each column of `projects` is named for
//! writing, shared by a single save, an import and the bulk INSERT of many new projects.

use super::references::References;
use crate::Result;
use sqlx::query_builder::Separated;
use sqlx::{Database, Encode, QueryBuilder, Type};
use stip_core::portfolio::*;

/// Rows per INSERT statement.
pub(crate) const BATCH: usize = 400;

/// The ids of the themes by code, read in the transaction `$tx`: after its agenda lock (see
/// `BeginWrite`), so they are the themes the transaction writes against.
macro_rules! live_theme_ids {
    ($tx:expr) => {{
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT code, id FROM themes")
            .fetch_all(&mut **$tx)
            .await?;
        rows.into_iter()
            .collect::<std::collections::HashMap<String, i64>>()
    }};
}
pub(crate) use live_theme_ids;

/// A value for a column of `projects`, as bound to a query.
pub(crate) enum Column {
    Text(String),
    OptionalText(Option<String>),
    Integer(Option<i64>),
    Flag(bool),
}

/// The columns of `projects` that hold a project's data, each with its value for `d`: the one
/// place a column is named for writing, by the INSERT, the UPDATE and the bulk demo INSERT.
/// `status_date` and the primary theme's id come from the caller.
pub(crate) fn project_columns(
    d: &ProjectData,
    status_date: Option<String>,
    primary_theme_id: i64,
) -> [(&'static str, Column); 25] {
    use Column::*;
    let code = |c: Option<&str>| OptionalText(c.map(str::to_string));
    [
        ("title", Text(d.title.clone())),
        ("summary", Text(d.summary.clone())),
        ("description", Text(d.description.clone())),
        ("intended_result", Text(d.intended_result.clone())),
        ("owner", Text(d.owner.clone())),
        ("project_lead", Text(d.project_lead.clone())),
        ("contact_person", Text(d.contact_person.clone())),
        ("phase", Text(d.phase.code().to_string())),
        (
            "status",
            Text(d.status.map_or("", Status::code).to_string()),
        ),
        ("status_note", Text(d.status_note.clone())),
        ("status_date", OptionalText(status_date)),
        (
            "start_date",
            OptionalText(d.start_date.map(|x| x.to_string())),
        ),
        ("end_date", OptionalText(d.end_date.map(|x| x.to_string()))),
        ("budget_cents", Integer(d.budget.map(|b| b.0))),
        ("effort_hundredths", Integer(d.effort.map(|e| e.amount.0))),
        ("effort_unit", code(d.effort.map(|e| e.unit.code()))),
        ("horizon", code(d.horizon.map(Horizon::code))),
        ("character", code(d.character.map(Character::code))),
        (
            "perspective_so",
            Integer(d.perspective.strategic_operational.map(i64::from)),
        ),
        (
            "perspective_ib",
            Integer(d.perspective.ict_business.map(i64::from)),
        ),
        ("primary_theme_id", Integer(Some(primary_theme_id))),
        ("visibility", Text(d.visibility.code().to_string())),
        ("shareable", Flag(d.shareable)),
        ("case_summary", Text(d.case_summary.clone())),
        ("links", Text(d.links.join("\n"))),
    ]
}

/// Binds `value` right after what was pushed last (`, ` in a row of VALUES, `column = ` in a SET).
pub(crate) fn push_column<'args, DB: Database>(
    list: &mut Separated<'_, 'args, DB, &'static str>,
    value: Column,
) where
    String: Encode<'args, DB> + Type<DB>,
    Option<String>: Encode<'args, DB> + Type<DB>,
    Option<i64>: Encode<'args, DB> + Type<DB>,
    bool: Encode<'args, DB> + Type<DB>,
{
    match value {
        Column::Text(v) => list.push_bind_unseparated(v),
        Column::OptionalText(v) => list.push_bind_unseparated(v),
        Column::Integer(v) => list.push_bind_unseparated(v),
        Column::Flag(v) => list.push_bind_unseparated(v),
    };
}

/// `INSERT INTO projects (institution_id, version, created_at, updated_at, <data columns>) `,
/// for rows whose values [`push_project_row`] pushes.
pub(crate) fn insert_projects<'args, DB: Database>(
    columns: &[(&'static str, Column)],
) -> QueryBuilder<'args, DB> {
    let mut qb = QueryBuilder::new(
        "INSERT INTO projects (institution_id, external_id, version, created_at, updated_at",
    );
    for (name, _) in columns {
        qb.push(", ").push(*name);
    }
    qb.push(") ");
    qb
}

/// One row of [`insert_projects`]: a new project at version 1.
pub(crate) fn push_project_row<'args, DB: Database>(
    row: &mut Separated<'_, 'args, DB, &'static str>,
    institution_id: i64,
    external_id: Option<String>,
    at: &str,
    columns: [(&'static str, Column); 25],
) where
    String: Encode<'args, DB> + Type<DB>,
    Option<String>: Encode<'args, DB> + Type<DB>,
    Option<i64>: Encode<'args, DB> + Type<DB>,
    i64: Encode<'args, DB> + Type<DB>,
    bool: Encode<'args, DB> + Type<DB>,
{
    row.push_bind(institution_id)
        .push_bind(external_id)
        .push_bind(1i64)
        .push_bind(at.to_string())
        .push_bind(at.to_string());
    for (_, value) in columns {
        row.push_unseparated(", ");
        push_column(row, value);
    }
}

/// A project to insert at version 1.
pub(crate) struct NewProject<'a> {
    pub institution_id: i64,
    pub external_id: Option<&'a str>,
    pub data: &'a ProjectData,
}

/// Inserts `$rows` (`&[NewProject]`) in batches within the transaction `$tx`, with their links
/// and first history entry; evaluates to their new ids, in order. A macro, as `on_pool!` bodies
/// are: the same statements for either backend's transaction.
macro_rules! insert_new_projects {
    ($tx:expr, $rows:expr, $refs:expr, $at:expr, $user_id:expr, $user_name:expr) => {{
        let tx = $tx;
        let refs = $refs;
        let at: &str = $at;
        let mut all_ids: Vec<i64> = Vec::new();
        for chunk in $rows.chunks($crate::portfolio::write::BATCH) {
            let rows = chunk
                .iter()
                .map(|p| {
                    let primary =
                        refs.theme(p.data.primary_theme().unwrap_or_default(), "primary_theme")?;
                    let status_date = p.data.status.map(|_| at[..10].to_string());
                    let columns = $crate::portfolio::write::project_columns(p.data, status_date, primary);
                    Ok((p.institution_id, p.external_id.map(str::to_string), columns))
                })
                .collect::<$crate::Result<Vec<_>>>()?;
            let Some((_, _, first)) = rows.first() else {
                continue;
            };
            let mut qb = $crate::portfolio::write::insert_projects(first);
            qb.push_values(rows, |mut b, (institution_id, external_id, columns)| {
                $crate::portfolio::write::push_project_row(&mut b, institution_id, external_id, at, columns);
            });
            qb.push(" RETURNING id");
            let mut ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
            ids.sort_unstable();
            let mut themes = Vec::new();
            let mut drivers = Vec::new();
            let mut mora_areas = Vec::new();
            let mut scores = Vec::new();
            for (id, p) in ids.iter().zip(chunk) {
                for (pos, t) in p.data.themes.iter().enumerate() {
                    themes.push((*id, refs.theme(t, "themes")?, pos as i64));
                }
                for d in &p.data.drivers {
                    drivers.push((*id, refs.driver(d)?));
                }
                for a in &p.data.mora_areas {
                    mora_areas.push((*id, refs.mora_area(a)?));
                }
                for (c, s) in &p.data.scores {
                    scores.push((*id, refs.criterion(c)?, i64::from(*s)));
                }
            }
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO project_themes (project_id, theme_id, position) ",
            );
            qb.push_values(&themes, |mut b, (p, t, pos)| {
                b.push_bind(*p).push_bind(*t).push_bind(*pos);
            });
            qb.build().execute(&mut **tx).await?;
            if !drivers.is_empty() {
                let mut qb =
                    sqlx::QueryBuilder::new("INSERT INTO project_drivers (project_id, driver_id) ");
                qb.push_values(&drivers, |mut b, (p, d)| {
                    b.push_bind(*p).push_bind(*d);
                });
                qb.build().execute(&mut **tx).await?;
            }
            for part in mora_areas.chunks($crate::portfolio::write::BATCH * 2) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO project_mora_areas (project_id, area_id) ",
                );
                qb.push_values(part, |mut b, (p, a)| {
                    b.push_bind(*p).push_bind(*a);
                });
                qb.build().execute(&mut **tx).await?;
            }
            for part in scores.chunks($crate::portfolio::write::BATCH * 2) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO project_scores (project_id, criterion_id, score) ",
                );
                qb.push_values(part, |mut b, (p, c, s)| {
                    b.push_bind(*p).push_bind(*c).push_bind(*s);
                });
                qb.build().execute(&mut **tx).await?;
            }
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, visibility, changes) ",
            );
            qb.push_values(ids.iter().zip(chunk), |mut b, (id, p)| {
                b.push_bind(*id)
                    .push_bind(1i64)
                    .push_bind(at)
                    .push_bind($user_id)
                    .push_bind($user_name)
                    .push_bind(p.data.visibility.code())
                    .push_bind("[]");
            });
            qb.build().execute(&mut **tx).await?;
            all_ids.extend(ids);
        }
        all_ids
    }};
}
pub(crate) use insert_new_projects;

/// Saves `d` over project `$id` if it is at `$version` (and sets its project number when
/// `$external_id` is one); evaluates to the rows changed: 0 when someone saved in between.
macro_rules! update_row {
    ($tx:expr, $id:expr, $version:expr, $at:expr, $d:expr, $status_date:expr, $primary:expr, $external_id:expr) => {{
        let mut update = sqlx::QueryBuilder::new("UPDATE projects SET ");
        let mut set = update.separated(", ");
        set.push("version = version + 1");
        set.push("updated_at = ").push_bind_unseparated($at);
        for (name, value) in $crate::portfolio::write::project_columns($d, $status_date, $primary) {
            set.push(format!("{name} = "));
            $crate::portfolio::write::push_column(&mut set, value);
        }
        if let Some(external_id) = $external_id {
            set.push("external_id = ")
                .push_bind_unseparated(external_id);
        }
        update
            .push(" WHERE id = ")
            .push_bind($id)
            .push(" AND version = ")
            .push_bind($version);
        update.build().execute(&mut **$tx).await?.rows_affected()
    }};
}
pub(crate) use update_row;

/// Replaces a saved project's themes, drivers, MORA areas and scores.
macro_rules! replace_links {
    ($tx:expr, $id:expr, $d:expr, $refs:expr) => {{
        for table in [
            "project_themes",
            "project_drivers",
            "project_mora_areas",
            "project_scores",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                .bind($id)
                .execute(&mut **$tx)
                .await?;
        }
        $crate::portfolio::write::write_links($tx, $id, $d, $refs).await?;
    }};
}
pub(crate) use replace_links;

/// Writes the themes, drivers, MORA areas and scores of project `id`.
pub(crate) async fn write_links<DB: Database>(
    tx: &mut sqlx::Transaction<'_, DB>,
    id: i64,
    d: &ProjectData,
    refs: &References,
) -> Result<()>
where
    for<'e> &'e mut <DB as Database>::Connection: sqlx::Executor<'e, Database = DB>,
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    for<'a> <DB as Database>::Arguments<'a>: sqlx::IntoArguments<'a, DB>,
{
    for (pos, code) in d.themes.iter().enumerate() {
        let theme = refs.theme(code, "themes")?;
        sqlx::query::<DB>(
            "INSERT INTO project_themes (project_id, theme_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(theme)
        .bind(pos as i64)
        .execute(&mut **tx)
        .await?;
    }
    for code in &d.drivers {
        let driver = refs.driver(code)?;
        sqlx::query::<DB>("INSERT INTO project_drivers (project_id, driver_id) VALUES ($1, $2)")
            .bind(id)
            .bind(driver)
            .execute(&mut **tx)
            .await?;
    }
    for code in &d.mora_areas {
        let area = refs.mora_area(code)?;
        sqlx::query::<DB>("INSERT INTO project_mora_areas (project_id, area_id) VALUES ($1, $2)")
            .bind(id)
            .bind(area)
            .execute(&mut **tx)
            .await?;
    }
    for (code, score) in &d.scores {
        let criterion = refs.criterion(code)?;
        sqlx::query::<DB>(
            "INSERT INTO project_scores (project_id, criterion_id, score) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(criterion)
        .bind(i64::from(*score))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
