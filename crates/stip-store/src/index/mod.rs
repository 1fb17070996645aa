//! The portfolio read model: every project in memory, kept in each list order, so the list,
//! its filters and a project's page never go to the database. Loaded once from the database
//! (at start, or on first use) and updated by the store's own writes after they commit.
//!
//! The lists and their filter keys have files of their own; here are the index and its caches.

mod keys;
mod lists;

use crate::compare::Comparison;
use crate::insight::{SIMILAR_KEPT, Similar, SimilarKept, Tallied};
use crate::search::{Search, Snippet};
use keys::Slot;
use lists::Inner;
use std::sync::{Arc, Mutex, RwLock};
use stip_core::access::ProjectScope;
use stip_core::insight::Tally;
use stip_core::page::Page;
use stip_core::portfolio::{ListRequest, Project, ProjectFilter, SortKey};

/// Which entries contain a searched text, by entry number; kept for the last few searches until
/// the next write, so paging and re-sorting a search does not search again.
struct TextHits {
    text: String,
    generation: u64,
    bits: Arc<Vec<u64>>,
}

const TEXT_CACHE: usize = 32;

/// How many filtered views' counts are kept.
const TALLY_CACHE: usize = 64;

pub(crate) struct Index {
    inner: RwLock<Inner>,
    texts: Mutex<Vec<TextHits>>,
    /// The insight counts of filtered views, until the next write.
    tallies: Mutex<Vec<Tallied>>,
    /// Similar projects found, until the next write.
    similar: Mutex<SimilarKept>,
    /// Rankings by weighted score (issue 12), until the next write.
    ranked: Mutex<Vec<(u64, RankKey, Arc<Ranked>)>>,
    /// Institutions compared (issue 33), until the next write.
    compared: Mutex<Vec<(u64, CompareKey, Arc<Comparison>)>>,
    search: Search,
}

/// Projects with their weighted score, best first.
pub type Ranked = Vec<(Arc<Project>, Option<stip_core::number::Hundredths>)>;

/// What a ranking depends on besides the projects: who looks, the filter, and each criterion's
/// code, weight and direction.
pub(crate) type RankKey = (ProjectScope, ProjectFilter, Vec<(String, i64, bool)>);

/// How many rankings are kept.
const RANKED_KEPT: usize = 16;

/// The institutions compared, in order, and who looks.
pub(crate) type CompareKey = (Vec<i64>, ProjectScope);

/// How many comparisons are kept.
const COMPARED_KEPT: usize = 64;

impl Index {
    pub(crate) fn new(projects: Vec<Project>) -> Index {
        // The search index is built beside the lists, on a thread of its own.
        let (search, inner) = std::thread::scope(|scope| {
            let inner = scope.spawn(|| Inner::build(projects.clone()));
            let search = Search::new(&projects);
            (
                search,
                inner.join().expect("building the lists does not panic"),
            )
        });
        Index {
            inner: RwLock::new(inner),
            texts: Mutex::new(Vec::new()),
            tallies: Mutex::new(Vec::new()),
            similar: Mutex::default(),
            ranked: Mutex::default(),
            compared: Mutex::default(),
            search,
        }
    }

    /// Replaces everything, after a bulk load.
    pub(crate) fn reload(&self, projects: Vec<Project>) {
        // Called with project writes held off (`read_model_gate`), so nothing changes between
        // the search index and the lists; the search writer is let go before the lists are
        // taken, as `change` takes them the other way round.
        let mut fresh = std::thread::scope(|scope| {
            let fresh = scope.spawn(|| Inner::build(projects.clone()));
            self.search.writing().replace(&projects);
            fresh.join().expect("building the lists does not panic")
        });
        let mut inner = self.write();
        fresh.generation = inner.generation + 1;
        *inner = fresh;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn get(&self, id: i64) -> Option<Arc<Project>> {
        self.read().by_id.get(&id).map(|s| s.entry.project.clone())
    }

    pub(crate) fn of_institution(&self, institution_id: i64) -> Vec<Arc<Project>> {
        self.read()
            .by_id
            .values()
            .filter(|s| s.entry.project.institution_id == institution_id)
            .map(|s| s.entry.project.clone())
            .collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.read().by_id.len()
    }

    /// Puts a project in (or replaces it), unless the index already holds a newer version:
    /// two saves finishing in the other order must not leave the older one visible.
    pub(crate) fn upsert(&self, project: Project) {
        self.change(vec![project], &[]);
    }

    pub(crate) fn remove(&self, id: i64) {
        self.change(Vec::new(), &[id]);
    }

    /// Puts these projects in and takes those out: the lists, the counts and the search index.
    pub(crate) fn change(&self, saved: Vec<Project>, removed: &[i64]) {
        let mut inner = self.write();
        let mut taken = Vec::with_capacity(saved.len());
        for project in saved {
            if inner.upsert(project.clone()) {
                taken.push(project);
            }
        }
        let mut gone = Vec::with_capacity(removed.len());
        for id in removed {
            if inner.remove(*id) {
                gone.push(*id);
            }
        }
        // The search index takes the changes in the order the lists did: its writer is taken
        // before the lists are let go, and lists are read again while it commits.
        let writing = self.search.writing();
        drop(inner);
        writing.change(&taken, &gone);
    }

    /// The entries whose text contains `text`, from the cache or searched now.
    fn text_hits(&self, inner: &Inner, text: &str) -> Arc<Vec<u64>> {
        let mut cache = self.texts.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|t| t.generation == inner.generation);
        if let Some(hit) = cache.iter().find(|t| t.text == text) {
            return hit.bits.clone();
        }
        let mut bits = vec![0u64; inner.next as usize / 64 + 1];
        for slot in inner.by_id.values() {
            if slot.entry.text.contains(text) {
                bits[slot.keys.n as usize / 64] |= 1 << (slot.keys.n % 64);
            }
        }
        let bits = Arc::new(bits);
        if cache.len() >= TEXT_CACHE {
            cache.remove(0);
        }
        cache.push(TextHits {
            text: text.to_string(),
            generation: inner.generation,
            bits: bits.clone(),
        });
        bits
    }

    /// The insight counts of what `scope` sees that passes `filter`: the kept tallies added up
    /// when there is no filter, else counted now; either kept until the next write.
    pub(crate) fn tally(&self, filter: &ProjectFilter, scope: ProjectScope) -> Arc<Tally> {
        let inner = self.read();
        {
            let mut cache = self.tallies.lock().unwrap_or_else(|e| e.into_inner());
            cache.retain(|t| t.generation == inner.generation);
            if let Some(t) = cache
                .iter()
                .find(|t| t.scope == scope && t.filter == *filter)
            {
                return t.tally.clone();
            }
        }
        let tally = if *filter == ProjectFilter::default() {
            inner.slices.visible(scope)
        } else {
            let text = filter.text.as_ref().map(|t| self.text_hits(&inner, t));
            let passes = inner.passes(filter, text.as_deref().map(Vec::as_slice));
            let mut tally = Tally::default();
            for slot in inner.by_id.values() {
                if scope.includes(slot.keys.institution_id, slot.keys.visibility) && passes(slot) {
                    let p = &slot.entry.project;
                    tally.add(p.institution_id, &p.data, p.status_date);
                }
            }
            tally
        };
        let tally = Arc::new(tally);
        let mut cache = self.tallies.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= TALLY_CACHE {
            cache.remove(0);
        }
        cache.push(Tallied {
            generation: inner.generation,
            scope,
            filter: filter.clone(),
            tally: tally.clone(),
        });
        tally
    }

    /// One page of the projects `scope` sees whose text matches `text` and that pass the
    /// request's other filters (its own text filter is `text`), best match first.
    pub(crate) fn search(
        &self,
        text: &str,
        req: &ListRequest,
        scope: ProjectScope,
    ) -> Page<(Arc<Project>, f32)> {
        let hits = self.search.hits(text);
        let inner = self.read();
        let filter = ProjectFilter {
            text: None,
            ..req.filter.clone()
        };
        let passes = inner.passes(&filter, None);
        let skip = (req.page.saturating_sub(1) as usize).saturating_mul(req.per_page as usize);
        let mut items = Vec::new();
        let mut total = 0usize;
        for (id, score) in hits {
            let Some(slot) = inner.by_id.get(&id) else {
                continue;
            };
            if scope.includes(slot.keys.institution_id, slot.keys.visibility) && passes(slot) {
                if total >= skip && items.len() < req.per_page as usize {
                    items.push((slot.entry.project.clone(), score));
                }
                total += 1;
            }
        }
        Page {
            items,
            total: total as u64,
            page: req.page,
            per_page: req.per_page,
        }
    }

    pub(crate) fn snippet(&self, text: &str, p: &Project) -> Snippet {
        self.search.snippet(text, p)
    }

    /// Project `id` and the projects of other institutions that `scope` sees most like it.
    #[allow(clippy::type_complexity)]
    pub(crate) fn similar(
        &self,
        id: i64,
        scope: ProjectScope,
        at_most: usize,
    ) -> Option<(Arc<Project>, Vec<(Arc<Project>, f32)>)> {
        let project = self.get(id)?;
        let hits = self.search.like(&project);
        let like = self.seen(hits, scope, at_most, |institution_id| {
            institution_id != project.institution_id
        });
        Some((project, like))
    }

    /// The projects `scope` sees most like a text with this title and body, best first.
    pub(crate) fn like_text(
        &self,
        title: &str,
        body: &str,
        scope: ProjectScope,
        at_most: usize,
    ) -> Vec<(Arc<Project>, f32)> {
        self.seen(self.search.like_text(title, body), scope, at_most, |_| true)
    }

    /// The first `at_most` of the search's `hits` that `scope` sees, of an institution `of`
    /// accepts, with their scores.
    fn seen(
        &self,
        hits: Vec<(i64, f32)>,
        scope: ProjectScope,
        at_most: usize,
        of: impl Fn(i64) -> bool,
    ) -> Vec<(Arc<Project>, f32)> {
        let inner = self.read();
        hits.into_iter()
            .filter_map(|(id, score)| Some((inner.by_id.get(&id)?, score)))
            .filter(|(slot, _)| {
                of(slot.keys.institution_id)
                    && scope.includes(slot.keys.institution_id, slot.keys.visibility)
            })
            .take(at_most)
            .map(|(slot, score)| (slot.entry.project.clone(), score))
            .collect()
    }

    /// Changes with every write.
    pub(crate) fn generation(&self) -> u64 {
        self.read().generation
    }

    /// A ranking made before, if nothing was written since.
    pub(crate) fn ranked_kept(&self, key: &RankKey, generation: u64) -> Option<Arc<Ranked>> {
        let kept = self.ranked.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter()
            .find(|(g, k, _)| *g == generation && k == key)
            .map(|(_, _, r)| r.clone())
    }

    /// Keeps a ranking made at `generation`; older ones go, and the oldest when there are many.
    pub(crate) fn keep_ranked(&self, key: RankKey, generation: u64, ranked: Arc<Ranked>) {
        let mut kept = self.ranked.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(g, _, _)| *g == generation);
        if kept.len() >= RANKED_KEPT {
            kept.remove(0);
        }
        kept.push((generation, key, ranked));
    }

    /// A comparison made before, if nothing was written since.
    pub(crate) fn compared_kept(
        &self,
        key: &CompareKey,
        generation: u64,
    ) -> Option<Arc<Comparison>> {
        let kept = self.compared.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter()
            .find(|(g, k, _)| *g == generation && k == key)
            .map(|(_, _, c)| c.clone())
    }

    /// Keeps a comparison made at `generation`; older ones go, and the oldest when there are
    /// many.
    pub(crate) fn keep_compared(&self, key: CompareKey, generation: u64, c: Arc<Comparison>) {
        let mut kept = self.compared.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(g, _, _)| *g == generation);
        if kept.len() >= COMPARED_KEPT {
            kept.remove(0);
        }
        kept.push((generation, key, c));
    }

    /// Alike projects across groups; see [`Search::pairs`].
    #[allow(clippy::type_complexity)]
    pub(crate) fn pairs(
        &self,
        groups: &[&[Arc<Project>]],
        least: f32,
    ) -> Vec<((usize, usize), (usize, usize), f32)> {
        self.search.pairs(groups, least)
    }

    /// Similar projects found before, if nothing was written since.
    pub(crate) fn similar_kept(
        &self,
        key: &(i64, ProjectScope, usize),
    ) -> Option<Arc<Vec<Similar>>> {
        let generation = self.generation();
        let kept = self.similar.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, found)| found.clone())
    }

    /// Keeps similar projects found at `generation`; older answers go.
    pub(crate) fn keep_similar(
        &self,
        key: (i64, ProjectScope, usize),
        generation: u64,
        found: Arc<Vec<Similar>>,
    ) {
        let mut kept = self.similar.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= SIMILAR_KEPT || kept.values().next().is_some_and(|(g, _)| *g != generation)
        {
            kept.retain(|_, (g, _)| *g == generation);
            if kept.len() >= SIMILAR_KEPT {
                kept.clear();
            }
        }
        kept.insert(key, (generation, found));
    }

    pub(crate) fn shared_words(&self, p: &Project, other: &Project, at_most: usize) -> Vec<String> {
        self.search.shared_words(p, other, at_most)
    }

    /// One page of the projects `scope` may see that pass the filter, in the requested order,
    /// with the number of all that pass.
    pub(crate) fn list(&self, req: &ListRequest, scope: ProjectScope) -> Page<Arc<Project>> {
        self.list_counting(req, scope, true)
    }

    /// The page of [`Index::list`] without counting the rest: it stops at the page's last
    /// project, and its total is only what it saw.
    pub(crate) fn first(&self, req: &ListRequest, scope: ProjectScope) -> Vec<Arc<Project>> {
        self.list_counting(req, scope, false).items
    }

    fn list_counting(
        &self,
        req: &ListRequest,
        scope: ProjectScope,
        count: bool,
    ) -> Page<Arc<Project>> {
        let inner = self.read();
        let order = &inner.orders[SortKey::ALL
            .iter()
            .position(|k| *k == req.sort.key)
            .unwrap_or(0)];
        let (with_value, without) = order.slots.split_at(order.empty_from());
        let in_order: Box<dyn Iterator<Item = &Slot>> = if req.sort.descending {
            Box::new(with_value.iter().rev().chain(without.iter().rev()))
        } else {
            Box::new(order.slots.iter())
        };
        let in_scope =
            in_order.filter(|s| scope.includes(s.keys.institution_id, s.keys.visibility));
        let f = &req.filter;
        let skip = (req.page.saturating_sub(1) as usize).saturating_mul(req.per_page as usize);
        let per_page = req.per_page as usize;
        let page = |items, total| Page {
            items,
            total,
            page: req.page,
            per_page: req.per_page,
        };
        if *f == ProjectFilter::default() {
            // No filter: the total is known, and the page is the first projects in view.
            let items = in_scope
                .skip(skip)
                .take(per_page)
                .map(|s| s.entry.project.clone())
                .collect();
            return page(items, inner.counts.visible(scope) as u64);
        }
        let text = f.text.as_ref().map(|t| self.text_hits(&inner, t));
        let passes = inner.passes(f, text.as_deref().map(Vec::as_slice));
        let mut items = Vec::with_capacity(per_page.min(1024));
        let mut total = 0usize;
        for slot in in_scope {
            if passes(slot) {
                if total >= skip && items.len() < per_page {
                    items.push(slot.entry.project.clone());
                } else if !count && items.len() == per_page {
                    break;
                }
                total += 1;
            }
        }
        page(items, total as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stip_core::institution::BrinCode;
    use stip_core::portfolio::{ListQuery, Visibility, searchable_text};

    fn projects(n: usize) -> Vec<Project> {
        let demo = stip_core::demo::generate(9, n / 9 + 1, 3);
        demo.projects
            .into_iter()
            .take(n)
            .enumerate()
            .map(|(i, d)| Project {
                id: i as i64 + 1,
                institution_id: d.institution as i64 + 1,
                institution_brin: demo.institutions[d.institution].brin.clone(),
                institution_name: demo.institutions[d.institution].name.clone(),
                external_id: None,
                data: d.data,
                status_date: None,
                version: 1,
                created_at: String::new(),
                updated_at: format!("2026-01-{:02}", i % 28 + 1),
            })
            .collect()
    }

    /// What the list must be: every project filtered and sorted the slow, obvious way.
    fn expected(all: &[Project], req: &ListRequest, scope: ProjectScope) -> (Vec<i64>, u64) {
        let mut hits: Vec<&Project> = all
            .iter()
            .filter(|p| {
                scope.includes(p.institution_id, p.data.visibility)
                    && req.filter.matches(p, &searchable_text(&p.data))
            })
            .collect();
        hits.sort_by(|a, b| req.sort.compare(a, b));
        let skip = (req.page as usize - 1) * req.per_page as usize;
        (
            hits.iter()
                .skip(skip)
                .take(req.per_page as usize)
                .map(|p| p.id)
                .collect(),
            hits.len() as u64,
        )
    }

    fn check(index: &Index, all: &[Project]) {
        let scopes = [
            ProjectScope::All,
            ProjectScope::Public,
            ProjectScope::Network {
                own_institution: Some(2),
            },
        ];
        let filters = [
            "",
            "theme=llo",
            "theme=llo&primary_only=1",
            "theme=bestaat-niet",
            "driver=krimp",
            "status=rood&horizon=lang&character=innoveren",
            "q=dashboard",
            "institution=25LN&perspective=ict",
            "phase=uitvoering&driver=diversiteit&theme=innovatie",
            "mora=student-begeleiden",
            "mora=bestaat-niet",
            "mora=bedrijfsvoering-hrm&status=groen",
            "theme=llo&also_theme=innovatie",
            "status_before=2026-01-15&shareable=1",
            "shareable=1&phase=uitvoering",
            "quadrant=strategisch-business",
        ];
        for key in SortKey::ALL {
            for desc in ["", "-"] {
                for filter in filters {
                    for page in ["1", "2"] {
                        let q =
                            format!("{filter}&sort={desc}{}&per_page=7&page={page}", key.code());
                        let req = serde_urlencoded::from_str::<ListQuery>(&q)
                            .unwrap()
                            .parse()
                            .unwrap();
                        for scope in scopes {
                            let got = index.list(&req, scope);
                            let ids: Vec<i64> = got.items.iter().map(|p| p.id).collect();
                            let first: Vec<i64> =
                                index.first(&req, scope).iter().map(|p| p.id).collect();
                            assert_eq!(first, ids, "the page without the count: {q}");
                            assert_eq!(
                                (ids, got.total),
                                expected(all, &req, scope),
                                "{q} {scope:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_order_filter_and_page_matches_a_plain_sort_also_after_changes() {
        let mut all = projects(120);
        let index = Index::new(all.clone());
        check(&index, &all);
        // Change sort keys and visibility of some, remove others, add one.
        for p in all.iter_mut().step_by(7) {
            p.version += 1;
            p.data.title = format!("A {}", p.data.title);
            p.data.budget = None;
            p.data.visibility = Visibility::Openbaar;
            p.updated_at = "2027-01-01".into();
            index.upsert(p.clone());
        }
        for id in [3, 50, 99] {
            index.remove(id);
        }
        all.retain(|p| ![3, 50, 99].contains(&p.id));
        let mut extra = all[0].clone();
        extra.id = 1000;
        extra.institution_brin = BrinCode::parse("25LN").unwrap();
        all.push(extra.clone());
        index.upsert(extra);
        check(&index, &all);
    }

    /// What the insight counts must be: every project the scope sees and the filter passes,
    /// counted afresh.
    fn counted(all: &[Project], filter: &ProjectFilter, scope: ProjectScope) -> Tally {
        let mut t = Tally::default();
        for p in all.iter().filter(|p| {
            scope.includes(p.institution_id, p.data.visibility)
                && filter.matches(p, &searchable_text(&p.data))
        }) {
            t.add(p.institution_id, &p.data, p.status_date);
        }
        t
    }

    #[test]
    fn the_counts_of_every_scope_and_filter_match_counting_afresh_also_after_changes() {
        let mut all = projects(150);
        let index = Index::new(all.clone());
        let scopes = [
            ProjectScope::All,
            ProjectScope::Public,
            ProjectScope::Network {
                own_institution: Some(2),
            },
            ProjectScope::Network {
                own_institution: None,
            },
        ];
        let filters = [
            "",
            "theme=llo",
            "phase=uitvoering&q=dashboard",
            "institution=25LN",
        ];
        let check = |index: &Index, all: &[Project]| {
            for filter in filters {
                let f = serde_urlencoded::from_str::<ListQuery>(filter)
                    .unwrap()
                    .parse()
                    .unwrap()
                    .filter;
                for scope in scopes {
                    assert_eq!(
                        *index.tally(&f, scope),
                        counted(all, &f, scope),
                        "{filter} {scope:?}"
                    );
                }
            }
        };
        check(&index, &all);
        for p in all.iter_mut().step_by(5) {
            p.version += 1;
            p.data.visibility = Visibility::Instelling;
            p.data.themes.reverse();
            index.upsert(p.clone());
        }
        index.remove(7);
        all.retain(|p| p.id != 7);
        check(&index, &all);
    }

    #[test]
    fn a_mora_filter_of_several_areas_finds_the_projects_of_any_of_them() {
        let all = projects(120);
        let index = Index::new(all.clone());
        let mut req = ListQuery::default().parse().unwrap();
        req.per_page = 200;
        req.filter.mora = vec!["bedrijfsvoering-hrm".into(), "student-begeleiden".into()];
        let got = index.list(&req, ProjectScope::All);
        let want = expected(&all, &req, ProjectScope::All);
        assert!(want.1 > 0, "the demo maps projects to these areas");
        assert_eq!(
            (
                got.items.iter().map(|p| p.id).collect::<Vec<_>>(),
                got.total
            ),
            want
        );
    }

    #[test]
    fn more_codes_than_bits_still_filter_right() {
        let mut all = projects(80);
        for (i, p) in all.iter_mut().enumerate() {
            p.data.themes.push(format!("thema-{i}"));
        }
        let index = Index::new(all.clone());
        assert!(index.read().themes.overflow);
        check(&index, &all);
        let req = serde_urlencoded::from_str::<ListQuery>("theme=thema-70")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(index.list(&req, ProjectScope::All).total, 1);
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_one() {
        let all = projects(3);
        let index = Index::new(all.clone());
        let mut newer = all[0].clone();
        newer.version = 5;
        newer.data.title = "Nieuw".into();
        index.upsert(newer);
        index.upsert(all[0].clone());
        assert_eq!(index.get(all[0].id).unwrap().data.title, "Nieuw");
    }

    #[test]
    fn a_save_that_arrives_after_the_delete_does_not_bring_the_project_back() {
        let all = projects(20);
        let index = Index::new(all.clone());
        let mut saved = all[3].clone();
        saved.version += 1;
        index.remove(saved.id);
        index.upsert(saved.clone());
        assert!(index.get(saved.id).is_none());
        assert_eq!(index.len(), 19);
    }
}
