//! Network insight from the read model (issue 11): the counts of what a viewer may see, the
//! portfolio's full-text search and similar projects. The counts are kept per visibility slice
//! as projects change ([`Slices`]), so an unfiltered overview adds up at most a few tallies; a
//! filtered one is counted once and kept until the next write.

use crate::{Boxed, boxed};
use crate::{Result, Store};
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::insight::Tally;
use stip_core::page::Page;
use stip_core::portfolio::{ListRequest, Project, ProjectFilter, Visibility};

pub use crate::search::Snippet;

/// The tallies of the projects each kind of viewer sees a different part of: the public ones,
/// the network ones, and each institution's own (`instelling`) ones.
#[derive(Default)]
pub(crate) struct Slices {
    public: Tally,
    network: Tally,
    institution_only: HashMap<i64, Tally>,
}

impl Slices {
    /// Counts a project in (`n` = 1) or out (−1) of its slice.
    pub(crate) fn count(&mut self, p: &Project, n: i64) {
        let slice = match p.data.visibility {
            Visibility::Openbaar => &mut self.public,
            Visibility::Netwerk => &mut self.network,
            Visibility::Instelling => self.institution_only.entry(p.institution_id).or_default(),
        };
        if n > 0 {
            slice.add(p.institution_id, &p.data, p.status_date);
        } else {
            slice.remove(p.institution_id, &p.data, p.status_date);
        }
    }

    /// The tally of everything `scope` sees.
    pub(crate) fn visible(&self, scope: ProjectScope) -> Tally {
        let mut out = self.public.clone();
        match scope {
            ProjectScope::Public => {}
            ProjectScope::Network { own_institution } => {
                out.add_all(&self.network);
                if let Some(own) = own_institution.and_then(|i| self.institution_only.get(&i)) {
                    out.add_all(own);
                }
            }
            ProjectScope::All => {
                out.add_all(&self.network);
                for t in self.institution_only.values() {
                    out.add_all(t);
                }
            }
        }
        out
    }
}

/// A filtered view's tally, until the read model changes.
pub(crate) struct Tallied {
    pub(crate) generation: u64,
    pub(crate) scope: ProjectScope,
    pub(crate) filter: ProjectFilter,
    pub(crate) tally: Arc<Tally>,
}

/// A project found by a search.
pub struct Found {
    pub project: Arc<Project>,
    pub score: f32,
    pub snippet: Snippet,
}

/// A project like another, and why.
pub struct Similar {
    pub project: Arc<Project>,
    pub score: f32,
    /// Theme codes both have.
    pub themes: Vec<String>,
    /// Words both use, as the similar project writes them, the most telling first.
    pub words: Vec<String>,
}

/// How many shared words a similar project shows.
const WORDS: usize = 4;

impl Store {
    /// The counts of the projects `scope` sees that pass `filter` (its text as the list's
    /// text filter).
    #[inline(never)]
    pub fn insight<'a>(
        &'a self,
        filter: &'a ProjectFilter,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Arc<Tally>>> {
        boxed(async move {
            let req = ListRequest {
                filter: filter.clone(),
                sort: Default::default(),
                page: 1,
                per_page: 1,
            };
            let req = self.with_mora_sub_areas(&req).await?;
            Ok(self.index().await?.tally(&req.filter, scope))
        })
    }

    /// One page of the projects `scope` sees whose text matches `text` (stemmed, every word)
    /// and that pass the request's other filters, best match first, each with its snippet.
    #[inline(never)]
    pub fn search<'a>(
        &'a self,
        text: &'a str,
        req: &'a ListRequest,
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Page<Found>>> {
        boxed(async move {
            let req = self.with_mora_sub_areas(req).await?;
            let index = self.index().await?;
            let page = index.search(text, &req, scope);
            Ok(Page {
                items: page
                    .items
                    .into_iter()
                    .map(|(project, score)| Found {
                        snippet: index.snippet(text, &project),
                        project,
                        score,
                    })
                    .collect(),
                total: page.total,
                page: page.page,
                per_page: page.per_page,
            })
        })
    }

    /// The projects of other institutions that `scope` sees most like project `id`, best
    /// first; `None` when there is no such project in the read model. Kept until the next
    /// write, as a project's page asks for them at every view.
    #[inline(never)]
    pub fn similar<'a>(
        &'a self,
        id: i64,
        scope: ProjectScope,
        at_most: usize,
    ) -> Boxed<'a, Result<Option<Arc<Vec<Similar>>>>> {
        boxed(async move {
            let index = self.index().await?;
            let key = (id, scope, at_most);
            if let Some(kept) = index.similar_kept(&key) {
                return Ok(Some(kept));
            }
            let generation = index.generation();
            let Some((project, like)) = index.similar(id, scope, at_most) else {
                return Ok(None);
            };
            let found = Arc::new(
                like.into_iter()
                    .map(|(other, score)| Similar {
                        themes: other
                            .data
                            .themes
                            .iter()
                            .filter(|t| project.data.themes.contains(t))
                            .cloned()
                            .collect(),
                        words: index.shared_words(&project, &other, WORDS),
                        project: other,
                        score,
                    })
                    .collect::<Vec<_>>(),
            );
            index.keep_similar(key, generation, found.clone());
            Ok(Some(found))
        })
    }
}

/// Similar projects found, by (project, scope, how many), with the read model's generation.
pub(crate) type SimilarKept = HashMap<(i64, ProjectScope, usize), (u64, Arc<Vec<Similar>>)>;

/// How many similar-project answers are kept.
pub(crate) const SIMILAR_KEPT: usize = 4096;
