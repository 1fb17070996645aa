//! The reference lists' ids by code, for writing a project's links, and the MORA areas'
//! sub-areas, for widening a filter; read once per change of the lists.

use crate::{Result, Store, StoreError, on_pool};
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::{ErrorCode, Invalid};

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
}

/// Code → id of the reference lists, for writing a project's links; and the MORA areas'
/// sub-areas, for widening a filter.
pub(crate) struct References {
    pub(super) themes: HashMap<String, i64>,
    pub(super) drivers: HashMap<String, i64>,
    pub(super) mora_areas: HashMap<String, i64>,
    /// Main area code → the codes of its sub-areas.
    pub(super) mora_sub_areas: HashMap<String, Vec<String>>,
    pub(super) criteria: HashMap<String, i64>,
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
