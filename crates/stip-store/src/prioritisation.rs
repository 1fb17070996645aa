//! Prioritising (issue 12): rankings by weighted score from the read model (kept until the
//! next write), each view's weighting of the criteria and the saved scenarios. Weightings and
//! scenarios are not kept in memory (a page reads the one it shows), so neither is in the
//! change log.

pub use crate::index::Ranked;
use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::Version;
use stip_core::access::ProjectScope;
use stip_core::agenda::Direction;
use stip_core::number::Hundredths;
use stip_core::portfolio::{ListRequest, ProjectFilter};
use stip_core::prioritisation::scenario::{Scenario, ScenarioData};
use stip_core::prioritisation::{Weight, score};

/// The weightings a process keeps: how many changes it has seen, and every view's weighting
/// (0: the network) as read after the last one, if read.
#[derive(Debug, Default)]
pub struct KeptWeightings {
    changes: u64,
    all: Option<Arc<std::collections::HashMap<i64, Weighting>>>,
}

/// A view's own weights of the criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighting {
    pub weights: BTreeMap<String, Hundredths>,
    /// The consistency ratio, when the weights came from pairwise comparison.
    pub consistency: Option<f64>,
    pub updated_by: Option<i64>,
    pub updated_at: String,
    pub version: i64,
}

crate::row! {
    /// A weighting with the view it belongs to (0: the network).
    struct WeightingRow {
        view: i64,
        weights: String,
        consistency: Option<i64>,
        updated_by: Option<i64>,
        updated_at: String,
        version: i64,
    }
}

crate::row! {
    struct ScenarioRow {
        id: i64,
        name: String,
        institution_id: Option<i64>,
        candidates: String,
        budget_cap: i64,
        fte_cap: Option<i64>,
        forced_in: String,
        forced_out: String,
        requires: String,
        weights: String,
        created_by: Option<i64>,
        created_at: String,
        updated_at: String,
        version: i64,
    }
}

fn weights_from(json: &str) -> Result<BTreeMap<String, Hundredths>> {
    let raw: BTreeMap<String, i64> =
        serde_json::from_str(json).map_err(|_| corrupt("weights", json))?;
    Ok(raw.into_iter().map(|(k, v)| (k, Hundredths(v))).collect())
}

fn weights_json(weights: &BTreeMap<String, Hundredths>) -> String {
    let raw: BTreeMap<&str, i64> = weights.iter().map(|(k, v)| (k.as_str(), v.0)).collect();
    serde_json::to_string(&raw).expect("a map of numbers")
}

fn list_from<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|_| corrupt(what, json))
}

impl TryFrom<ScenarioRow> for Scenario {
    type Error = StoreError;

    fn try_from(r: ScenarioRow) -> Result<Scenario> {
        Ok(Scenario {
            id: r.id,
            data: ScenarioData {
                name: r.name,
                institution_id: r.institution_id,
                candidates: r.candidates,
                budget_cap: Hundredths(r.budget_cap),
                fte_cap: r.fte_cap.map(Hundredths),
                forced_in: list_from("forced_in", &r.forced_in)?,
                forced_out: list_from("forced_out", &r.forced_out)?,
                requires: list_from("requires", &r.requires)?,
                weights: weights_from(&r.weights)?,
            },
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        })
    }
}

const SCENARIO_COLUMNS: &str = "id, name, institution_id, candidates, budget_cap, fte_cap, forced_in, forced_out, requires, weights, created_by, created_at, updated_at, version";

impl Store {
    /// Every project `scope` sees that passes `filter`, with its score under `weights`, best
    /// first; those without a score last; then by title. Kept until the next write, so paging
    /// through a ranking of the whole network scores it once.
    #[inline(never)]
    pub fn ranked<'a>(
        &'a self,
        filter: &'a ProjectFilter,
        scope: ProjectScope,
        weights: &'a [Weight],
    ) -> Boxed<'a, Result<Arc<Ranked>>> {
        boxed(async move {
            let req = ListRequest {
                filter: filter.clone(),
                sort: Default::default(),
                page: 1,
                per_page: u32::MAX,
            };
            let req = self.with_mora_sub_areas(&req).await?;
            let index = self.index().await?;
            let generation = index.generation();
            let key = (
                scope,
                req.filter.clone(),
                weights
                    .iter()
                    .map(|w| {
                        (
                            w.code.clone(),
                            w.weight.0,
                            w.direction == Direction::Negative,
                        )
                    })
                    .collect(),
            );
            if let Some(kept) = index.ranked_kept(&key, generation) {
                return Ok(kept);
            }
            let mut ranked: Ranked = index
                .first(&req, scope)
                .into_iter()
                .map(|p| {
                    let s = score(&p.data.scores, weights).score;
                    (p, s)
                })
                .collect();
            ranked.sort_by(|(a, sa), (b, sb)| {
                sb.map(|s| s.0)
                    .unwrap_or(i64::MIN)
                    .cmp(&sa.map(|s| s.0).unwrap_or(i64::MIN))
                    .then_with(|| a.data.title.cmp(&b.data.title))
                    .then(a.id.cmp(&b.id))
            });
            let ranked = Arc::new(ranked);
            index.keep_ranked(key, generation, ranked.clone());
            Ok(ranked)
        })
    }

    /// The weighting of a view: an institution's (`Some(id)`) or the network's (`None`);
    /// `None` when the view weighs as the criteria list does. From the copy this process keeps
    /// of every view's weighting (read once after every change to any of them, see
    /// [`KeptWeightings`]): the ranking and every project's page read it.
    #[inline(never)]
    pub fn weighting<'a>(
        &'a self,
        institution_id: Option<i64>,
    ) -> Boxed<'a, Result<Option<Weighting>>> {
        boxed(async move {
            let all = self.kept_weightings().await?;
            Ok(all.get(&institution_id.unwrap_or(0)).cloned())
        })
    }

    /// Every view's weighting (0: the network), kept until the next change.
    async fn kept_weightings(&self) -> Result<Arc<std::collections::HashMap<i64, Weighting>>> {
        let changes = {
            let k = self.weightings.read().unwrap_or_else(|e| e.into_inner());
            if let Some(all) = &k.all {
                return Ok(all.clone());
            }
            k.changes
        };
        let rows: Vec<WeightingRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT COALESCE(institution_id, 0) AS view, weights, consistency, updated_by, updated_at, version FROM weightings",
            )
            .fetch_all(pool)
            .await?
        });
        let mut all = std::collections::HashMap::new();
        for r in rows {
            all.insert(
                r.view,
                Weighting {
                    weights: weights_from(&r.weights)?,
                    consistency: r.consistency.map(|c| c as f64 / 10_000.0),
                    updated_by: r.updated_by,
                    updated_at: r.updated_at,
                    version: r.version,
                },
            );
        }
        let all = Arc::new(all);
        let mut k = self.weightings.write().unwrap_or_else(|e| e.into_inner());
        // Kept only when no change came in while it was read.
        if k.changes == changes {
            k.all = Some(all.clone());
        }
        Ok(all)
    }

    /// Forgets the weightings this process keeps (after a change, its own or another's).
    pub(crate) fn forget_weightings(&self) {
        let mut k = self.weightings.write().unwrap_or_else(|e| e.into_inner());
        k.changes += 1;
        k.all = None;
    }

    /// Saves a view's weighting edited from `version` (`None`: the view had none yet);
    /// `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn save_weighting<'a>(
        &'a self,
        institution_id: Option<i64>,
        version: Option<Version>,
        weights: &'a BTreeMap<String, Hundredths>,
        consistency: Option<f64>,
        by: i64,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let json = weights_json(weights);
            let consistency = consistency.map(|c| (c * 10_000.0).round() as i64);
            let at = now();
            let rows = on_pool!(self, write, |pool| {
                match version {
                None => sqlx::query(
                    "INSERT INTO weightings (institution_id, weights, consistency, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(institution_id)
                .bind(&json)
                .bind(consistency)
                .bind(by)
                .bind(&at)
                .execute(pool)
                .await?
                .rows_affected(),
                Some(v) => sqlx::query(
                    "UPDATE weightings SET weights = $1, consistency = $2, updated_by = $3, updated_at = $4, version = version + 1 WHERE COALESCE(institution_id, 0) = $5 AND version = $6",
                )
                .bind(&json)
                .bind(consistency)
                .bind(by)
                .bind(&at)
                .bind(institution_id.unwrap_or(0))
                .bind(v.get())
                .execute(pool)
                .await?
                .rows_affected(),
            }
            });
            // This process sees its own save at once (others through the change log).
            self.forget_weightings();
            Ok(rows > 0)
        })
    }

    #[inline(never)]
    pub fn create_scenario<'a>(&'a self, d: &'a ScenarioData, by: i64) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let at = now();
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO scenarios (name, institution_id, candidates, budget_cap, fte_cap, forced_in, forced_out, requires, weights, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(&d.name)
            .bind(d.institution_id)
            .bind(&d.candidates)
            .bind(d.budget_cap.0)
            .bind(d.fte_cap.map(|f| f.0))
            .bind(serde_json::to_string(&d.forced_in).expect("ids"))
            .bind(serde_json::to_string(&d.forced_out).expect("ids"))
            .bind(serde_json::to_string(&d.requires).expect("pairs"))
            .bind(weights_json(&d.weights))
            .bind(by)
            .bind(&at)
            .fetch_one(pool)
            .await?
            });
            Ok(id)
        })
    }

    /// Saves a scenario edited from `version`; `Ok(false)` when someone saved it in between.
    #[inline(never)]
    pub fn update_scenario<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a ScenarioData,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let rows = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE scenarios SET name = $1, candidates = $2, budget_cap = $3, fte_cap = $4, forced_in = $5, forced_out = $6, requires = $7, weights = $8, updated_at = $9, version = version + 1 WHERE id = $10 AND version = $11",
            )
            .bind(&d.name)
            .bind(&d.candidates)
            .bind(d.budget_cap.0)
            .bind(d.fte_cap.map(|f| f.0))
            .bind(serde_json::to_string(&d.forced_in).expect("ids"))
            .bind(serde_json::to_string(&d.forced_out).expect("ids"))
            .bind(serde_json::to_string(&d.requires).expect("pairs"))
            .bind(weights_json(&d.weights))
            .bind(now())
            .bind(id)
            .bind(version.get())
            .execute(pool)
            .await?
            .rows_affected()
            });
            if rows > 0 {
                return Ok(true);
            }
            self.scenario(id).await.map(|_| false)
        })
    }

    #[inline(never)]
    pub fn scenario<'a>(&'a self, id: i64) -> Boxed<'a, Result<Scenario>> {
        boxed(async move {
            let row: Option<ScenarioRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                    "SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(pool)
                .await?
            });
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    /// Every scenario, newest first (a handful per view; the web layer keeps those the
    /// viewer may read).
    #[inline(never)]
    pub fn scenarios<'a>(&'a self) -> Boxed<'a, Result<Vec<Scenario>>> {
        boxed(async move {
            let rows: Vec<ScenarioRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                    "SELECT {SCENARIO_COLUMNS} FROM scenarios ORDER BY updated_at DESC, id DESC"
                ))
                .fetch_all(pool)
                .await?
            });
            rows.into_iter().map(Scenario::try_from).collect()
        })
    }

    #[inline(never)]
    pub fn delete_scenario<'a>(&'a self, id: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            let rows = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM scenarios WHERE id = $1")
                    .bind(id)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
            if rows == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
    }
}
