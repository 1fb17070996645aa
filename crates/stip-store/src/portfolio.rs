//! Projects: reading, the filtered portfolio list, and saving with optimistic concurrency and a
//! change-history row written in the same transaction as the change.

use crate::{BeginWrite, Result, Store, StoreError, corrupt, now, on_pool, retrying};
use chrono::NaiveDate;
use sqlx::query_builder::Separated;
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use stip_core::Version;
use stip_core::access::ProjectScope;
use stip_core::institution::BrinCode;
use stip_core::number::Hundredths;
use stip_core::page::Page;
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Invalid};

/// How often [`Store::save_edit`] merges again with saves that overtook it before it gives up.
const MERGE_ROUNDS: u32 = 12;

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

/// Who makes a change, as the history shows it.
#[derive(Debug, Clone)]
pub struct Editor {
    pub user_id: Option<i64>,
    pub name: String,
}

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

crate::row! {
    struct ProjectRow {
        id: i64,
        institution_id: i64,
        brin: String,
        institution_name: String,
        title: String,
        summary: String,
        description: String,
        intended_result: String,
        owner: String,
        project_lead: String,
        contact_person: String,
        phase: String,
        status: String,
        status_note: String,
        status_date: Option<String>,
        start_date: Option<String>,
        end_date: Option<String>,
        budget_cents: Option<i64>,
        effort_hundredths: Option<i64>,
        effort_unit: Option<String>,
        horizon: Option<String>,
        character: Option<String>,
        perspective_so: Option<i64>,
        perspective_ib: Option<i64>,
        visibility: String,
        shareable: bool,
        case_summary: String,
        links: String,
        version: i64,
        created_at: String,
        updated_at: String,
        external_id: Option<String>,
    }
}

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
        for chunk in $rows.chunks($crate::demo::BATCH) {
            let rows = chunk
                .iter()
                .map(|p| {
                    let primary =
                        refs.theme(p.data.primary_theme().unwrap_or_default(), "primary_theme")?;
                    let status_date = p.data.status.map(|_| at[..10].to_string());
                    let columns = $crate::portfolio::project_columns(p.data, status_date, primary);
                    Ok((p.institution_id, p.external_id.map(str::to_string), columns))
                })
                .collect::<$crate::Result<Vec<_>>>()?;
            let Some((_, _, first)) = rows.first() else {
                continue;
            };
            let mut qb = $crate::portfolio::insert_projects(first);
            qb.push_values(rows, |mut b, (institution_id, external_id, columns)| {
                $crate::portfolio::push_project_row(&mut b, institution_id, external_id, at, columns);
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
            for part in mora_areas.chunks($crate::demo::BATCH * 2) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO project_mora_areas (project_id, area_id) ",
                );
                qb.push_values(part, |mut b, (p, a)| {
                    b.push_bind(*p).push_bind(*a);
                });
                qb.build().execute(&mut **tx).await?;
            }
            for part in scores.chunks($crate::demo::BATCH * 2) {
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
        for (name, value) in $crate::portfolio::project_columns($d, $status_date, $primary) {
            set.push(format!("{name} = "));
            $crate::portfolio::push_column(&mut set, value);
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
        $crate::portfolio::write_links($tx, $id, $d, $refs).await?;
    }};
}
pub(crate) use replace_links;

const SELECT_PROJECT: &str = "SELECT p.id, p.institution_id, i.brin, i.name AS institution_name, p.title, p.summary,
    p.description, p.intended_result, p.owner, p.project_lead, p.contact_person, p.phase, p.status, p.status_note,
    p.status_date, p.start_date, p.end_date, p.budget_cents, p.effort_hundredths, p.effort_unit, p.horizon,
    p.character, p.perspective_so, p.perspective_ib, p.visibility, p.shareable, p.case_summary, p.links, p.version,
    p.created_at, p.updated_at, p.external_id
    FROM projects p JOIN institutions i ON i.id = p.institution_id";

fn parse_code<T>(what: &str, raw: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(raw).ok_or_else(|| corrupt(what, raw))
}

fn parse_opt<T>(
    what: &str,
    raw: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    raw.map(|r| parse_code(what, &r, parse)).transpose()
}

fn date(raw: Option<String>) -> Result<Option<NaiveDate>> {
    raw.map(|r| NaiveDate::parse_from_str(&r, "%Y-%m-%d").map_err(|_| corrupt("date", &r)))
        .transpose()
}

fn axis(v: Option<i64>) -> Option<u8> {
    v.and_then(|v| u8::try_from(v).ok())
}

/// Themes (primary first), drivers, MORA areas and scores of a set of projects, by project id.
#[derive(Default)]
struct Links {
    themes: HashMap<i64, Vec<String>>,
    drivers: HashMap<i64, Vec<String>>,
    mora_areas: HashMap<i64, Vec<String>>,
    scores: HashMap<i64, BTreeMap<String, u8>>,
}

impl ProjectRow {
    fn into_project(self, links: &mut Links) -> Result<Project> {
        let effort = match (self.effort_hundredths, self.effort_unit) {
            (Some(amount), Some(unit)) => Some(Effort {
                amount: Hundredths(amount),
                unit: parse_code("effort unit", &unit, EffortUnit::parse)?,
            }),
            _ => None,
        };
        Ok(Project {
            id: self.id,
            institution_id: self.institution_id,
            institution_brin: BrinCode::parse(&self.brin)
                .map_err(|_| corrupt("BRIN", &self.brin))?,
            institution_name: self.institution_name,
            external_id: self.external_id,
            data: ProjectData {
                title: self.title,
                summary: self.summary,
                description: self.description,
                intended_result: self.intended_result,
                owner: self.owner,
                project_lead: self.project_lead,
                contact_person: self.contact_person,
                phase: parse_code("phase", &self.phase, Phase::parse)?,
                // No status yet is stored as '': the NOT NULL column predates optional statuses.
                status: parse_opt(
                    "status",
                    Some(self.status).filter(|s| !s.is_empty()),
                    Status::parse,
                )?,
                status_note: self.status_note,
                start_date: date(self.start_date)?,
                end_date: date(self.end_date)?,
                budget: self.budget_cents.map(Hundredths),
                effort,
                horizon: parse_opt("horizon", self.horizon, Horizon::parse)?,
                character: parse_opt("character", self.character, Character::parse)?,
                perspective: Perspective {
                    strategic_operational: axis(self.perspective_so),
                    ict_business: axis(self.perspective_ib),
                },
                themes: links.themes.remove(&self.id).unwrap_or_default(),
                drivers: links.drivers.remove(&self.id).unwrap_or_default(),
                mora_areas: links.mora_areas.remove(&self.id).unwrap_or_default(),
                scores: links.scores.remove(&self.id).unwrap_or_default(),
                visibility: parse_code("visibility", &self.visibility, Visibility::parse)?,
                shareable: self.shareable,
                case_summary: self.case_summary,
                links: self
                    .links
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            status_date: date(self.status_date)?,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// ` IN (…ids)`, or a condition every row meets when `ids` is `None`.
/// Which projects to read: these ids (in this order), or those with ids in a range.
#[derive(Clone, Copy)]
enum Which<'a> {
    Ids(&'a [i64]),
    Range(i64, i64),
}

fn push_which<'a, DB: Database>(qb: &mut QueryBuilder<'a, DB>, which: Which<'a>)
where
    i64: Encode<'a, DB> + Type<DB>,
{
    let ids = match which {
        Which::Ids(ids) => ids,
        Which::Range(from, to) => {
            qb.push(" BETWEEN ")
                .push_bind(from)
                .push(" AND ")
                .push_bind(to);
            return;
        }
    };
    qb.push(" IN (");
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

impl Store {
    /// Code → id of themes, drivers, MORA areas and criteria, and the MORA areas' sub-areas;
    /// read again only after one of them changed.
    pub(crate) async fn reference_ids(&self) -> Result<Arc<References>> {
        let generation = self.reference_generation();
        if let Some((g, refs)) = &*self.reference_ids.read().unwrap_or_else(|e| e.into_inner())
            && *g == generation
        {
            return Ok(refs.clone());
        }
        let mut maps: Vec<HashMap<String, i64>> = Vec::with_capacity(4);
        for sql in [
            "SELECT code, id FROM themes",
            "SELECT code, id FROM policy_drivers",
            "SELECT code, id FROM mora_areas",
            "SELECT code, id FROM criteria",
        ] {
            let rows: Vec<(String, i64)> = on_pool!(self, read, |pool| sqlx::query_as(sql)
                .fetch_all(pool)
                .await?);
            maps.push(rows.into_iter().collect());
        }
        let pairs: Vec<(String, String)> = on_pool!(self, read, |pool| sqlx::query_as(
            "SELECT p.code, c.code FROM mora_areas c JOIN mora_areas p ON p.id = c.parent_id"
        )
        .fetch_all(pool)
        .await?);
        let mut mora_sub_areas: HashMap<String, Vec<String>> = HashMap::new();
        for (parent, child) in pairs {
            mora_sub_areas.entry(parent).or_default().push(child);
        }
        let criteria = maps.pop().unwrap_or_default();
        let mora_areas = maps.pop().unwrap_or_default();
        let drivers = maps.pop().unwrap_or_default();
        let themes = maps.pop().unwrap_or_default();
        let refs = Arc::new(References {
            themes,
            drivers,
            mora_areas,
            mora_sub_areas,
            criteria,
        });
        *self
            .reference_ids
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some((generation, refs.clone()));
        Ok(refs)
    }

    /// A project, from the read model.
    pub async fn project(&self, id: i64) -> Result<Arc<Project>> {
        self.index().await?.get(id).ok_or(StoreError::NotFound)
    }

    /// A project as the database has it now.
    async fn fetch_project(&self, id: i64) -> Result<Project> {
        self.fetch_projects(Which::Ids(&[id]))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Every project, for loading the read model: in ranges of ids, so that no statement
    /// takes long even at 100,000 projects (sqlx warns about statements over a second).
    /// Another process's write between two ranges reaches the read model through the change
    /// log, which the caller follows from before this read.
    pub(crate) async fn fetch_all_projects(&self) -> Result<Vec<Project>> {
        const RANGE: i64 = 10_000;
        let (low, high): (Option<i64>, Option<i64>) = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT MIN(id), MAX(id) FROM projects")
                .fetch_one(pool)
                .await?
        });
        let (Some(low), Some(high)) = (low, high) else {
            return Ok(Vec::new());
        };
        let mut all = Vec::new();
        let mut from = low;
        while from <= high {
            let to = from.saturating_add(RANGE - 1).min(high);
            all.extend(self.fetch_projects(Which::Range(from, to)).await?);
            from = to + 1;
        }
        Ok(all)
    }

    /// Loads whole projects from the database: those of `ids` in that order, or all.
    async fn fetch_projects(&self, which: Which<'_>) -> Result<Vec<Project>> {
        if matches!(which, Which::Ids(ids) if ids.is_empty()) {
            return Ok(Vec::new());
        }
        let (rows, themes, drivers, mora_areas, scores) = on_pool!(self, read, |pool| {
            let mut conn = pool.acquire().await?;
            let mut qb = QueryBuilder::new(SELECT_PROJECT);
            qb.push(" WHERE p.id");
            push_which(&mut qb, which);
            let rows: Vec<ProjectRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT pt.project_id, t.code FROM project_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.project_id",
            );
            push_which(&mut qb, which);
            qb.push(" ORDER BY pt.project_id, pt.position");
            let themes: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT pd.project_id, d.code FROM project_drivers pd JOIN policy_drivers d ON d.id = pd.driver_id WHERE pd.project_id",
            );
            push_which(&mut qb, which);
            qb.push(" ORDER BY pd.project_id, d.code");
            let drivers: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT pm.project_id, m.code FROM project_mora_areas pm JOIN mora_areas m ON m.id = pm.area_id WHERE pm.project_id",
            );
            push_which(&mut qb, which);
            qb.push(" ORDER BY pm.project_id, m.code");
            let mora_areas: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT ps.project_id, c.code, ps.score FROM project_scores ps JOIN criteria c ON c.id = ps.criterion_id WHERE ps.project_id",
            );
            push_which(&mut qb, which);
            let scores: Vec<(i64, String, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            (rows, themes, drivers, mora_areas, scores)
        });
        let mut links = Links::default();
        for (id, code) in themes {
            links.themes.entry(id).or_default().push(code);
        }
        for (id, code) in drivers {
            links.drivers.entry(id).or_default().push(code);
        }
        for (id, code) in mora_areas {
            links.mora_areas.entry(id).or_default().push(code);
        }
        for (id, code, score) in scores {
            links
                .scores
                .entry(id)
                .or_default()
                .insert(code, score.clamp(0, 255) as u8);
        }
        let projects = rows
            .into_iter()
            .map(|row| row.into_project(&mut links))
            .collect::<Result<Vec<_>>>()?;
        let Which::Ids(ids) = which else {
            return Ok(projects);
        };
        let mut by_id: HashMap<i64, Project> = projects.into_iter().map(|p| (p.id, p)).collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// One page of the portfolio as `scope` may see it, filtered and sorted, from the read model.
    pub async fn list_projects(
        &self,
        req: &ListRequest,
        scope: ProjectScope,
    ) -> Result<Page<Arc<Project>>> {
        let req = self.with_mora_sub_areas(req).await?;
        Ok(self.index().await?.list(&req, scope))
    }

    /// The first page of [`Store::list_projects`], without counting how many there are in all:
    /// for a page that shows a few (a theme's cases), not the whole list.
    pub async fn first_projects(
        &self,
        req: &ListRequest,
        scope: ProjectScope,
    ) -> Result<Vec<Arc<Project>>> {
        let req = self.with_mora_sub_areas(req).await?;
        Ok(self.index().await?.first(&req, scope))
    }

    /// Every project `scope` sees that passes `filter`, in the list's default order.
    pub async fn all_projects(
        &self,
        filter: &ProjectFilter,
        scope: ProjectScope,
    ) -> Result<Vec<Arc<Project>>> {
        let req = ListRequest {
            filter: filter.clone(),
            sort: Default::default(),
            page: 1,
            per_page: u32::MAX,
        };
        self.first_projects(&req, scope).await
    }

    /// The request with its MORA filter widened to the sub-areas of the areas it names: a
    /// main area also finds the projects mapped to its parts. Every list of projects goes
    /// through here, since only the store knows the areas.
    pub(crate) async fn with_mora_sub_areas<'r>(
        &self,
        req: &'r ListRequest,
    ) -> Result<std::borrow::Cow<'r, ListRequest>> {
        if req.filter.mora.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(req));
        }
        let mut req = req.clone();
        let refs = self.reference_ids().await?;
        let asked = std::mem::take(&mut req.filter.mora);
        for code in asked {
            if let Some(subs) = refs.mora_sub_areas.get(&code) {
                req.filter.mora.extend(subs.iter().cloned());
            }
            req.filter.mora.push(code);
        }
        Ok(std::borrow::Cow::Owned(req))
    }

    /// Puts the stored state of a project into the read model, if it is loaded.
    async fn refresh(&self, id: i64) -> Result<Project> {
        let p = self.fetch_project(id).await?;
        if let Some(index) = self.loaded_index() {
            index.upsert(p.clone());
        }
        Ok(p)
    }

    /// Reads these projects again into a loaded read model; one that is gone leaves it.
    pub(crate) async fn refresh_projects(&self, ids: &[i64]) -> Result<()> {
        let Some(index) = self.loaded_index() else {
            return Ok(());
        };
        if ids.is_empty() {
            return Ok(());
        }
        // Held like a write: a full reload does not fall between this read and its upsert.
        let _write = self.read_model_gate.read().await;
        let found = self.fetch_projects(Which::Ids(ids)).await?;
        let there: std::collections::HashSet<i64> = found.iter().map(|p| p.id).collect();
        let gone: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !there.contains(id))
            .collect();
        index.change(found, &gone);
        Ok(())
    }

    pub async fn create_project(
        &self,
        institution_id: i64,
        d: &ProjectData,
        editor: &Editor,
    ) -> Result<Project> {
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
                let carried = crate::agenda_version::carry_over(asked, mapping.as_deref(), &live)?;
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
    }

    /// Saves `d` over the project if it is still at `version`; otherwise reports the conflict
    /// with what changed since, and writes nothing.
    pub async fn update_project(
        &self,
        id: i64,
        version: Version,
        d: &ProjectData,
        editor: &Editor,
    ) -> Result<Saved> {
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
            status_date: status_date.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            version: version + 1,
            updated_at: at,
            ..Project::clone(&current)
        };
        if let Some(index) = self.loaded_index() {
            index.upsert(saved.clone());
        }
        Ok(Saved::Saved(Box::new(saved)))
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
    pub async fn save_edit(
        &self,
        id: i64,
        base: Version,
        edit: Edit<'_>,
        editor: &Editor,
    ) -> Result<Edited> {
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
    }

    /// Deletes a project; its links and history go with it (ON DELETE CASCADE), after its own
    /// row, in the lock order every project write keeps (see `update_project`).
    pub async fn delete_project(&self, id: i64) -> Result<()> {
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
    }

    /// The change history of a project, newest first.
    pub async fn project_history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        self.project_history_since(id, Version(0)).await
    }

    /// The changes saved after `version`, newest first.
    pub async fn project_history_since(
        &self,
        id: i64,
        version: Version,
    ) -> Result<Vec<HistoryEntry>> {
        let after_version = version.get();
        let rows: Vec<(i64, String, Option<i64>, String, String, String)> = on_pool!(
            self,
            read,
            |pool| {
                sqlx::query_as(
                "SELECT version, changed_at, user_id, user_name, visibility, changes FROM project_history
                 WHERE project_id = $1 AND version > $2 ORDER BY version DESC",
            )
            .bind(id)
            .bind(after_version)
            .fetch_all(pool)
            .await?
            }
        );
        rows.into_iter()
            .map(
                |(version, changed_at, user_id, user_name, visibility, changes)| {
                    Ok(HistoryEntry {
                        version,
                        changed_at,
                        user_id,
                        user_name,
                        visibility: parse_code("visibility", &visibility, Visibility::parse)?,
                        changes: serde_json::from_str(&changes)
                            .map_err(|_| corrupt("history", &changes))?,
                    })
                },
            )
            .collect()
    }

    /// Once per database, right after the SQL migrations: history rows written before the
    /// history stored values hold Dutch display text ("12.500", "ja") and no visibility. Their
    /// changes become values, and each row gets the visibility the project had at that version,
    /// found by replaying the project's visibility changes back from its current visibility.
    /// SQL cannot parse the old texts portably, hence Rust; one transaction, recorded in
    /// `data_migrations` in that transaction, so it never runs twice, not even when two
    /// processes start at once (the second waits for the first's row, then skips).
    pub(crate) async fn migrate_history_to_values(&self) -> Result<()> {
        const NAME: &str = "0003_history_values";
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "INSERT INTO data_migrations (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(NAME)
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(());
            }
            // Most rows (every creation, every save that left the visibility alone since) get
            // the project's current visibility: one statement, so only the rest are written
            // one by one.
            sqlx::query(
                "UPDATE project_history SET visibility =
                 (SELECT p.visibility FROM projects p WHERE p.id = project_history.project_id)",
            )
            .execute(&mut *tx)
            .await?;
            let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
                "SELECT h.id, h.project_id, h.changes, p.visibility FROM project_history h
                 JOIN projects p ON p.id = h.project_id ORDER BY h.project_id, h.version DESC",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut project = None;
            let mut visibility = String::new();
            for (id, project_id, changes, current) in rows {
                if project != Some(project_id) {
                    project = Some(project_id);
                    visibility = current.clone();
                }
                if changes == "[]" && visibility == current {
                    continue;
                }
                let changes =
                    old_history_changes(&changes).ok_or_else(|| corrupt("history", &changes))?;
                let at_version = visibility.clone();
                if let Some(change) = changes.iter().find(|c| c.field == "visibility")
                    && let HistoryValue::Code(before) = &change.old
                {
                    visibility = before.clone();
                }
                let json = serde_json::to_string(&changes)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                sqlx::query(
                    "UPDATE project_history SET changes = $1, visibility = $2 WHERE id = $3",
                )
                .bind(json)
                .bind(at_version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

/// The changes of a history row as stored before values: every old and new value a Dutch
/// display text. A value that is already not a text is kept.
fn old_history_changes(json: &str) -> Option<Vec<FieldChange>> {
    #[derive(serde::Deserialize)]
    struct Old {
        field: String,
        old: serde_json::Value,
        new: serde_json::Value,
    }
    let value = |field: &str, v: serde_json::Value| match v {
        serde_json::Value::String(text) => HistoryValue::from_display_text(field, &text),
        other => HistoryValue::from_json(field, other),
    };
    serde_json::from_str::<Vec<Old>>(json)
        .ok()?
        .into_iter()
        .map(|c| {
            Some(FieldChange {
                old: value(&c.field, c.old)?,
                new: value(&c.field, c.new)?,
                field: c.field,
            })
        })
        .collect()
}

/// Adds the history row of `version` of project `id`, with the visibility it has at that version.
pub(crate) async fn insert_history<DB: Database>(
    tx: &mut sqlx::Transaction<'_, DB>,
    id: i64,
    version: i64,
    at: &str,
    editor: &Editor,
    visibility: Visibility,
    changes_json: &str,
) -> Result<()>
where
    for<'e> &'e mut <DB as Database>::Connection: sqlx::Executor<'e, Database = DB>,
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    for<'a> Option<i64>: Encode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB>,
    for<'a> <DB as Database>::Arguments<'a>: sqlx::IntoArguments<'a, DB>,
{
    sqlx::query::<DB>(
        "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, visibility, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(version)
    .bind(at)
    .bind(editor.user_id)
    .bind(editor.name.as_str())
    .bind(visibility.code())
    .bind(changes_json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Code → id of the reference lists, for writing a project's links; and the MORA areas'
/// sub-areas, for widening a filter.
pub(crate) struct References {
    themes: HashMap<String, i64>,
    drivers: HashMap<String, i64>,
    mora_areas: HashMap<String, i64>,
    /// Main area code → the codes of its sub-areas.
    mora_sub_areas: HashMap<String, Vec<String>>,
    criteria: HashMap<String, i64>,
}

impl References {
    /// The same references with the themes' ids as `themes` has them.
    pub(crate) fn with_themes(&self, themes: HashMap<String, i64>) -> References {
        References {
            themes,
            drivers: self.drivers.clone(),
            mora_areas: self.mora_areas.clone(),
            mora_sub_areas: self.mora_sub_areas.clone(),
            criteria: self.criteria.clone(),
        }
    }

    fn lookup(map: &HashMap<String, i64>, code: &str, field: &str) -> Result<i64> {
        map.get(code)
            .copied()
            .ok_or_else(|| StoreError::Invalid(Invalid::one(field, ErrorCode::Unknown)))
    }
    pub(crate) fn theme(&self, code: &str, field: &str) -> Result<i64> {
        Self::lookup(&self.themes, code, field)
    }
    pub(crate) fn driver(&self, code: &str) -> Result<i64> {
        Self::lookup(&self.drivers, code, "drivers")
    }
    pub(crate) fn mora_area(&self, code: &str) -> Result<i64> {
        Self::lookup(&self.mora_areas, code, "mora_areas")
    }
    pub(crate) fn criterion(&self, code: &str) -> Result<i64> {
        Self::lookup(&self.criteria, code, &format!("score_{code}"))
    }
}

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
