//! Reading projects: from the database into the read model, and from the read model for the
//! portfolio list and a project's page.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, on_pool};
use chrono::NaiveDate;
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::institution::BrinCode;
use stip_core::number::Hundredths;
use stip_core::page::Page;
use stip_core::portfolio::*;

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

const SELECT_PROJECT: &str = "SELECT p.id, p.institution_id, i.brin, i.name AS institution_name, p.title, p.summary,
    p.description, p.intended_result, p.owner, p.project_lead, p.contact_person, p.phase, p.status, p.status_note,
    p.status_date, p.start_date, p.end_date, p.budget_cents, p.effort_hundredths, p.effort_unit, p.horizon,
    p.character, p.perspective_so, p.perspective_ib, p.visibility, p.shareable, p.case_summary, p.links, p.version,
    p.created_at, p.updated_at, p.external_id
    FROM projects p JOIN institutions i ON i.id = p.institution_id";

pub(super) fn parse_code<T>(what: &str, raw: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
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
    /// A project, from the read model.
    #[inline(never)]
    pub fn project<'a>(&'a self, id: i64) -> Boxed<'a, Result<Arc<Project>>> {
        boxed(async move { self.index().await?.get(id).ok_or(StoreError::NotFound) })
    }

    /// A project as the database has it now.
    pub(super) async fn fetch_project(&self, id: i64) -> Result<Project> {
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
    #[inline(never)]
    pub fn list_projects<'a>(
        &'a self,
        req: &'a ListRequest,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Page<Arc<Project>>>> {
        boxed(async move {
            let req = self.with_mora_sub_areas(req).await?;
            Ok(self.index().await?.list(&req, scope))
        })
    }

    /// The first page of [`Store::list_projects`], without counting how many there are in all:
    /// for a page that shows a few (a theme's cases), not the whole list.
    #[inline(never)]
    pub fn first_projects<'a>(
        &'a self,
        req: &'a ListRequest,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Vec<Arc<Project>>>> {
        boxed(async move {
            let req = self.with_mora_sub_areas(req).await?;
            Ok(self.index().await?.first(&req, scope))
        })
    }

    /// Every project `scope` sees that passes `filter`, in the list's default order.
    #[inline(never)]
    pub fn all_projects<'a>(
        &'a self,
        filter: &'a ProjectFilter,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Vec<Arc<Project>>>> {
        boxed(async move {
            let req = ListRequest {
                filter: filter.clone(),
                sort: Default::default(),
                page: 1,
                per_page: u32::MAX,
            };
            self.first_projects(&req, scope).await
        })
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
    pub(super) async fn refresh(&self, id: i64) -> Result<Project> {
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
}
