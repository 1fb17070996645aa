//! Projects: reading, the filtered portfolio list, and saving with optimistic concurrency and a
//! change-history row written in the same transaction as the change.

use crate::{Result, Store, StoreError, corrupt, now, on_pool};
use chrono::NaiveDate;
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::institution::BrinCode;
use stip_core::number::Hundredths;
use stip_core::page::Page;
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Invalid};

/// Who makes a change, as the history shows it.
#[derive(Debug, Clone)]
pub struct Editor {
    pub user_id: Option<i64>,
    pub name: String,
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

#[derive(sqlx::FromRow)]
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
}

/// Binds a project's columns from `title` to `links`, in the order the INSERT and the UPDATE name
/// them; `status_date` and the primary theme's id come from the caller.
macro_rules! bind_project {
    ($query:expr, $d:expr, $status_date:expr, $primary:expr) => {{
        let d = $d;
        $query
            .bind(&d.title)
            .bind(&d.summary)
            .bind(&d.description)
            .bind(&d.intended_result)
            .bind(&d.owner)
            .bind(&d.project_lead)
            .bind(&d.contact_person)
            .bind(d.phase.code())
            .bind(d.status.code())
            .bind(&d.status_note)
            .bind($status_date)
            .bind(d.start_date.map(|x| x.to_string()))
            .bind(d.end_date.map(|x| x.to_string()))
            .bind(d.budget.map(|b| b.0))
            .bind(d.effort.map(|e| e.amount.0))
            .bind(d.effort.map(|e| e.unit.code()))
            .bind(d.horizon.map(Horizon::code))
            .bind(d.character.map(Character::code))
            .bind(d.perspective.strategic_operational.map(i64::from))
            .bind(d.perspective.ict_business.map(i64::from))
            .bind($primary)
            .bind(d.visibility.code())
            .bind(d.shareable)
            .bind(&d.case_summary)
            .bind(d.links.join("\n"))
    }};
}

const SELECT_PROJECT: &str = "SELECT p.id, p.institution_id, i.brin, i.name AS institution_name, p.title, p.summary,
    p.description, p.intended_result, p.owner, p.project_lead, p.contact_person, p.phase, p.status, p.status_note,
    p.status_date, p.start_date, p.end_date, p.budget_cents, p.effort_hundredths, p.effort_unit, p.horizon,
    p.character, p.perspective_so, p.perspective_ib, p.visibility, p.shareable, p.case_summary, p.links, p.version,
    p.created_at, p.updated_at
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

/// Themes (primary first), drivers and scores of a set of projects, by project id.
#[derive(Default)]
struct Links {
    themes: HashMap<i64, Vec<String>>,
    drivers: HashMap<i64, Vec<String>>,
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
            data: ProjectData {
                title: self.title,
                summary: self.summary,
                description: self.description,
                intended_result: self.intended_result,
                owner: self.owner,
                project_lead: self.project_lead,
                contact_person: self.contact_person,
                phase: parse_code("phase", &self.phase, Phase::parse)?,
                status: parse_code("status", &self.status, Status::parse)?,
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
fn push_ids<'a, DB: Database>(qb: &mut QueryBuilder<'a, DB>, ids: Option<&'a [i64]>)
where
    i64: Encode<'a, DB> + Type<DB>,
{
    let Some(ids) = ids else {
        qb.push(" IS NOT NULL");
        return;
    };
    qb.push(" IN (");
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

impl Store {
    /// Code → id of themes, drivers and criteria; read again only after one of them changed.
    pub(crate) async fn reference_ids(&self) -> Result<Arc<References>> {
        let generation = self.reference_generation();
        if let Some((g, refs)) = &*self.reference_ids.read().unwrap_or_else(|e| e.into_inner())
            && *g == generation
        {
            return Ok(refs.clone());
        }
        let mut maps: Vec<HashMap<String, i64>> = Vec::with_capacity(3);
        for sql in [
            "SELECT code, id FROM themes",
            "SELECT code, id FROM policy_drivers",
            "SELECT code, id FROM criteria",
        ] {
            let rows: Vec<(String, i64)> = on_pool!(self, read, |pool| sqlx::query_as(sql)
                .fetch_all(pool)
                .await?);
            maps.push(rows.into_iter().collect());
        }
        let criteria = maps.pop().unwrap_or_default();
        let drivers = maps.pop().unwrap_or_default();
        let themes = maps.pop().unwrap_or_default();
        let refs = Arc::new(References {
            themes,
            drivers,
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
        self.fetch_projects(Some(&[id]))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Every project, for loading the read model.
    pub(crate) async fn fetch_all_projects(&self) -> Result<Vec<Project>> {
        self.fetch_projects(None).await
    }

    /// Loads whole projects from the database: those of `ids` in that order, or all.
    async fn fetch_projects(&self, ids: Option<&[i64]>) -> Result<Vec<Project>> {
        if ids.is_some_and(|ids| ids.is_empty()) {
            return Ok(Vec::new());
        }
        let (rows, themes, drivers, scores) = on_pool!(self, read, |pool| {
            let mut conn = pool.acquire().await?;
            let mut qb = QueryBuilder::new(SELECT_PROJECT);
            qb.push(" WHERE p.id");
            push_ids(&mut qb, ids);
            let rows: Vec<ProjectRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT pt.project_id, t.code FROM project_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.project_id",
            );
            push_ids(&mut qb, ids);
            qb.push(" ORDER BY pt.project_id, pt.position");
            let themes: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT pd.project_id, d.code FROM project_drivers pd JOIN policy_drivers d ON d.id = pd.driver_id WHERE pd.project_id",
            );
            push_ids(&mut qb, ids);
            qb.push(" ORDER BY pd.project_id, d.code");
            let drivers: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            let mut qb = QueryBuilder::new(
                "SELECT ps.project_id, c.code, ps.score FROM project_scores ps JOIN criteria c ON c.id = ps.criterion_id WHERE ps.project_id",
            );
            push_ids(&mut qb, ids);
            let scores: Vec<(i64, String, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            (rows, themes, drivers, scores)
        });
        let mut links = Links::default();
        for (id, code) in themes {
            links.themes.entry(id).or_default().push(code);
        }
        for (id, code) in drivers {
            links.drivers.entry(id).or_default().push(code);
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
        let Some(ids) = ids else {
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
        Ok(self.index().await?.list(req, scope))
    }

    /// Puts the stored state of a project into the read model, if it is loaded.
    async fn refresh(&self, id: i64) -> Result<Project> {
        let p = self.fetch_project(id).await?;
        if let Some(index) = self.loaded_index() {
            index.upsert(p.clone());
        }
        Ok(p)
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
        let id: i64 = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let primary = refs.theme(d.primary_theme().unwrap_or_default(), "primary_theme")?;
            let insert = sqlx::query_scalar(
                "INSERT INTO projects (institution_id, title, summary, description, intended_result, owner, project_lead,
                 contact_person, phase, status, status_note, status_date, start_date, end_date, budget_cents,
                 effort_hundredths, effort_unit, horizon, character, perspective_so, perspective_ib, primary_theme_id,
                 visibility, shareable, case_summary, links, version, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                 $22, $23, $24, $25, $26, 1, $27, $27) RETURNING id",
            )
            .bind(institution_id);
            let id: i64 = bind_project!(insert, d, today, primary)
                .bind(&at)
                .fetch_one(&mut *tx)
                .await?;
            write_links(&mut tx, id, d, &refs).await?;
            sqlx::query(
                "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, changes) VALUES ($1, 1, $2, $3, $4, '[]')",
            )
            .bind(id)
            .bind(&at)
            .bind(editor.user_id)
            .bind(&editor.name)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        });
        self.refresh(id).await
    }

    /// Saves `d` over the project if it is still at `version`; otherwise reports the conflict
    /// with what changed since, and writes nothing.
    pub async fn update_project(
        &self,
        id: i64,
        version: i64,
        d: &ProjectData,
        editor: &Editor,
    ) -> Result<Saved> {
        let _write = self.project_write().await?;
        let at = now();
        // The diff is made against the read model; the `version = $n` condition of the UPDATE is
        // what guarantees that nobody saved in between (0 rows affected: a conflict).
        let current = self.project(id).await?;
        if current.version != version {
            let since = self.history_since(id, version).await?;
            let current = Box::new(self.fetch_project(id).await?);
            return Ok(Saved::Conflict { current, since });
        }
        let changes = diff(&current.data, d);
        if changes.is_empty() {
            return Ok(Saved::Saved(Box::new(Project::clone(&current))));
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
        let updated: bool = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let primary = refs.theme(d.primary_theme().unwrap_or_default(), "primary_theme")?;
            let update = sqlx::query(
                "UPDATE projects SET title = $1, summary = $2, description = $3, intended_result = $4, owner = $5,
                 project_lead = $6, contact_person = $7, phase = $8, status = $9, status_note = $10, status_date = $11,
                 start_date = $12, end_date = $13, budget_cents = $14, effort_hundredths = $15, effort_unit = $16,
                 horizon = $17, character = $18, perspective_so = $19, perspective_ib = $20, primary_theme_id = $21,
                 visibility = $22, shareable = $23, case_summary = $24, links = $25, version = version + 1,
                 updated_at = $26 WHERE id = $27 AND version = $28",
            )
            ;
            let n = bind_project!(update, d, &status_date, primary)
                .bind(&at)
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                for table in ["project_themes", "project_drivers", "project_scores"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                write_links(&mut tx, id, d, &refs).await?;
                sqlx::query(
                    "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, changes) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(version + 1)
                .bind(&at)
                .bind(editor.user_id)
                .bind(&editor.name)
                .bind(&changes_json)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            n == 1
        });
        if !updated {
            let since = self.history_since(id, version).await?;
            let current = Box::new(self.refresh(id).await?);
            return Ok(Saved::Conflict { current, since });
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

    pub async fn delete_project(&self, id: i64) -> Result<()> {
        let _write = self.project_write().await?;
        let n = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            for table in [
                "project_themes",
                "project_drivers",
                "project_scores",
                "project_history",
            ] {
                sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let n = sqlx::query("DELETE FROM projects WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            n
        });
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
        self.history_since(id, 0).await
    }

    async fn history_since(&self, id: i64, after_version: i64) -> Result<Vec<HistoryEntry>> {
        let rows: Vec<(i64, String, String, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT version, changed_at, user_name, changes FROM project_history
                 WHERE project_id = $1 AND version > $2 ORDER BY version DESC",
            )
            .bind(id)
            .bind(after_version)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(version, changed_at, user_name, changes)| {
                Ok(HistoryEntry {
                    version,
                    changed_at,
                    user_name,
                    changes: serde_json::from_str(&changes)
                        .map_err(|_| corrupt("history", &changes))?,
                })
            })
            .collect()
    }
}

/// Code → id of the reference lists, for writing a project's links.
pub(crate) struct References {
    themes: HashMap<String, i64>,
    drivers: HashMap<String, i64>,
    criteria: HashMap<String, i64>,
}

impl References {
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
    pub(crate) fn criterion(&self, code: &str) -> Result<i64> {
        Self::lookup(&self.criteria, code, &format!("score_{code}"))
    }
}

/// Writes the themes, drivers and scores of project `id`.
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
