//! The lists: every project in the order of each sort key, how many each scope sees, and the
//! insight counts of each visibility slice, changed in place as projects come and go.

use super::keys::{Bits, Entry, KeyFilter, Keys, Slot, brin_bytes, has_bit};
use crate::insight::Slices;
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::portfolio::{Project, ProjectFilter, Sort, SortKey, Visibility, searchable_text};

/// The projects in the ascending order of one sort key; projects without a value at the end.
pub(super) struct Order {
    pub(super) sort: Sort,
    pub(super) slots: Vec<Slot>,
}

impl Order {
    /// `slots` in the ascending order of `key`, exactly as [`Sort::compare`] orders them.
    fn sorted(key: SortKey, slots: &[Slot]) -> Order {
        let sort = Sort {
            key,
            descending: false,
        };
        let mut sorted = slots.to_vec();
        // Caseless text is lowered once per project instead of at every comparison. Comparing
        // the lowered strings byte by byte is comparing their characters, as `compare` does.
        let caseless = |text: &str| {
            text.chars()
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        match key {
            SortKey::Title => sorted.sort_by_cached_key(|s| {
                let p = &s.entry.project;
                (caseless(&p.data.title), p.id)
            }),
            SortKey::Institution => sorted.sort_by_cached_key(|s| {
                let p = &s.entry.project;
                (caseless(&p.institution_name), p.id)
            }),
            _ => sorted.sort_unstable_by(|a, b| sort.compare(&a.entry.project, &b.entry.project)),
        }
        Order {
            sort,
            slots: sorted,
        }
    }

    fn position(&self, p: &Project) -> Result<usize, usize> {
        self.slots
            .binary_search_by(|x| self.sort.compare(&x.entry.project, p))
    }

    /// Where the projects without a value for this key start.
    pub(super) fn empty_from(&self) -> usize {
        self.slots
            .partition_point(|x| !self.sort.is_empty_for(&x.entry.project))
    }
}

/// How many projects each scope sees, kept as projects come and go, so an unfiltered list
/// knows its total without counting.
#[derive(Default)]
pub(super) struct Counts {
    pub(super) all: usize,
    pub(super) public: usize,
    pub(super) institution_only: usize,
    pub(super) institution_only_of: HashMap<i64, usize>,
}

impl Counts {
    fn add(&mut self, k: &Keys, sign: isize) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(sign);
        step(&mut self.all);
        match k.visibility {
            Visibility::Openbaar => step(&mut self.public),
            Visibility::Instelling => {
                step(&mut self.institution_only);
                step(
                    self.institution_only_of
                        .entry(k.institution_id)
                        .or_default(),
                );
            }
            Visibility::Netwerk => {}
        }
    }

    pub(super) fn visible(&self, scope: ProjectScope) -> usize {
        match scope {
            ProjectScope::All => self.all,
            ProjectScope::Public => self.public,
            ProjectScope::Network { own_institution } => {
                let own = own_institution
                    .and_then(|i| self.institution_only_of.get(&i))
                    .copied()
                    .unwrap_or(0);
                self.all - self.institution_only + own
            }
        }
    }
}

#[derive(Default)]
pub(super) struct Inner {
    pub(super) by_id: HashMap<i64, Slot>,
    pub(super) orders: Vec<Order>,
    pub(super) themes: Bits,
    pub(super) drivers: Bits,
    pub(super) mora_areas: Bits,
    pub(super) counts: Counts,
    /// The insight counts of each visibility slice (see `insight.rs`).
    pub(super) slices: Slices,
    /// The next entry number.
    pub(super) next: u32,
    /// Changes with every write, so cached text matches know they are stale.
    pub(super) generation: u64,
    /// Ids of deleted projects. Ids are never used again (AUTOINCREMENT, sequences), so a save
    /// that committed before a delete but reaches the read model after it never brings the
    /// project back.
    pub(super) removed: std::collections::HashSet<i64>,
}

impl Inner {
    pub(super) fn build(projects: Vec<Project>) -> Inner {
        let mut inner = Inner::default();
        let slots: Vec<Slot> = projects.into_iter().map(|p| inner.slot(p)).collect();
        // The orders are independent: one thread each (100,000 projects took 2.0 s in one
        // thread, 0.55 s so on two cores; see bench/README.md).
        inner.orders = std::thread::scope(|scope| {
            let sorting: Vec<_> = SortKey::ALL
                .iter()
                .map(|key| scope.spawn(|| Order::sorted(*key, &slots)))
                .collect();
            sorting
                .into_iter()
                .map(|t| t.join().expect("sorting projects does not panic"))
                .collect()
        });
        for slot in &slots {
            inner.counts.add(&slot.keys, 1);
            inner.slices.count(&slot.entry.project, 1);
        }
        inner.by_id = slots.into_iter().map(|s| (s.entry.project.id, s)).collect();
        inner
    }

    fn slot(&mut self, project: Project) -> Slot {
        let d = &project.data;
        self.next += 1;
        let keys = Keys {
            n: self.next - 1,
            institution_id: project.institution_id,
            brin: brin_bytes(project.institution_brin.as_str()),
            themes: self.themes.mask(&d.themes),
            primary_theme: self.themes.mask(&d.themes[..d.themes.len().min(1)]),
            drivers: self.drivers.mask(&d.drivers),
            mora_areas: self.mora_areas.mask(&d.mora_areas),
            visibility: d.visibility,
            phase: d.phase,
            status: d.status,
            status_date: project.status_date,
            shareable: d.shareable,
            character: d.character,
            horizon: d.horizon,
            perspective: d.perspective,
        };
        let text = searchable_text(d);
        Slot {
            keys,
            entry: Arc::new(Entry {
                project: Arc::new(project),
                text,
            }),
        }
    }

    /// See [`Index::upsert`]; whether the project was taken.
    pub(super) fn upsert(&mut self, project: Project) -> bool {
        if self.removed.contains(&project.id)
            || self
                .by_id
                .get(&project.id)
                .is_some_and(|old| old.entry.project.version > project.version)
        {
            return false;
        }
        self.generation += 1;
        let slot = self.slot(project);
        self.counts.add(&slot.keys, 1);
        self.slices.count(&slot.entry.project, 1);
        let old = self.by_id.insert(slot.entry.project.id, slot.clone());
        if let Some(old) = &old {
            self.counts.add(&old.keys, -1);
            self.slices.count(&old.entry.project, -1);
        }
        for order in &mut self.orders {
            match order.position(&slot.entry.project) {
                // The old version compares equal (same id, same key in this order): it keeps its
                // place, and nothing in a long vector moves. A save usually changes one order.
                Ok(at) => order.slots[at] = slot.clone(),
                Err(_) => {
                    if let Some(at) = old
                        .as_ref()
                        .and_then(|o| order.position(&o.entry.project).ok())
                    {
                        order.slots.remove(at);
                    }
                    let at = order.position(&slot.entry.project).unwrap_or_else(|at| at);
                    order.slots.insert(at, slot.clone());
                }
            }
        }
        true
    }

    /// Whether the project was there.
    pub(super) fn remove(&mut self, id: i64) -> bool {
        self.removed.insert(id);
        let Some(old) = self.by_id.remove(&id) else {
            return false;
        };
        self.generation += 1;
        self.counts.add(&old.keys, -1);
        self.slices.count(&old.entry.project, -1);
        for order in &mut self.orders {
            if let Ok(at) = order.position(&old.entry.project) {
                order.slots.remove(at);
            }
        }
        true
    }

    /// Whether a project passes a filter; `text` are the entries matching its text.
    pub(super) fn passes(&self, f: &ProjectFilter, text: Option<&[u64]>) -> impl Fn(&Slot) -> bool {
        let keys = KeyFilter {
            filter: f,
            brin: f.institution.as_ref().map(|b| brin_bytes(b.as_str())),
            theme: self.themes.of(&f.theme),
            also_theme: self.themes.of(&f.also_theme),
            driver: self.drivers.of(&f.driver),
            mora: self.mora_areas.any_of(&f.mora),
        };
        let exact = self.themes.overflow || self.drivers.overflow || self.mora_areas.overflow;
        move |slot: &Slot| {
            if exact {
                f.matches(&slot.entry.project, &slot.entry.text)
            } else {
                keys.matches(&slot.keys) && text.is_none_or(|bits| has_bit(bits, slot.keys.n))
            }
        }
    }
}
