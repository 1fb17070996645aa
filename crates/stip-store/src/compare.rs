//! Two or three institutions' portfolios side by side (issue 33): each one's projects that a
//! viewer may see, and the pairs of alike projects across them, with why they are alike. The
//! counting per theme and the balance are the web's, from these projects.

use crate::{Boxed, Result, Store, boxed};
use std::collections::HashSet;
use std::sync::Arc;
use stip_core::access::ProjectScope;
use stip_core::portfolio::Project;

/// How alike two projects must be (the cosine of their weighed words and themes) to be named
/// as a pair; below it, a project has nothing close at the other institutions.
pub const ALIKE: f32 = 0.2;

/// How many shared words a pair shows.
const WORDS: usize = 4;

/// How many pairs are named, with why they are alike.
pub const PAIRS: usize = 100;

/// The institutions compared, in the order asked.
pub struct Comparison {
    /// Per institution: the projects the viewer may see, by title.
    pub sides: Vec<Vec<Arc<Project>>>,
    /// Alike projects of two different institutions, the most alike first; at most [`PAIRS`].
    pub pairs: Vec<Pair>,
    /// The projects with an alike project at another institution (in a pair or not).
    pub paired: HashSet<i64>,
}

/// Two alike projects: `a` of an institution asked before `b`'s.
pub struct Pair {
    pub a: Arc<Project>,
    pub b: Arc<Project>,
    /// 0 to 1: the cosine of their weighed words and themes.
    pub score: f32,
    /// Theme codes both have.
    pub themes: Vec<String>,
    /// Words both use, as `b` writes them, the most telling first.
    pub words: Vec<String>,
}

impl Store {
    /// The projects `scope` sees of each institution (by id, two or three), and the alike pairs
    /// across them. Kept until the next write, like similar projects.
    #[inline(never)]
    pub fn compare<'a>(
        &'a self,
        institutions: &'a [i64],
        scope: ProjectScope,
    ) -> Boxed<'a, Result<Arc<Comparison>>> {
        boxed(async move {
            let index = self.index().await?;
            let key = (institutions.to_vec(), scope);
            let generation = index.generation();
            if let Some(kept) = index.compared_kept(&key, generation) {
                return Ok(kept);
            }
            let sides: Vec<Vec<Arc<Project>>> = institutions
                .iter()
                .map(|id| {
                    let mut seen: Vec<Arc<Project>> = index
                        .of_institution(*id)
                        .into_iter()
                        .filter(|p| scope.includes(p.institution_id, p.data.visibility))
                        .collect();
                    seen.sort_by_cached_key(|p| (p.data.title.to_lowercase(), p.id));
                    seen
                })
                .collect();
            let groups: Vec<&[Arc<Project>]> = sides.iter().map(Vec::as_slice).collect();
            let all = index.pairs(&groups, ALIKE);
            let paired = all
                .iter()
                .flat_map(|((ga, ia), (gb, ib), _)| [sides[*ga][*ia].id, sides[*gb][*ib].id])
                .collect();
            let pairs = all
                .into_iter()
                .take(PAIRS)
                .map(|((ga, ia), (gb, ib), score)| {
                    let (a, b) = (&sides[ga][ia], &sides[gb][ib]);
                    Pair {
                        themes: a
                            .data
                            .themes
                            .iter()
                            .filter(|t| b.data.themes.contains(t))
                            .cloned()
                            .collect(),
                        words: index.shared_words(a, b, WORDS),
                        a: a.clone(),
                        b: b.clone(),
                        score,
                    }
                })
                .collect();
            let compared = Arc::new(Comparison {
                sides,
                pairs,
                paired,
            });
            index.keep_compared(key, generation, compared.clone());
            Ok(compared)
        })
    }
}
