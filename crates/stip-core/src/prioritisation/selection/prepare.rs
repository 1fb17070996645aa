//! A problem made ready to search: each candidate once, the exclusions worked out and carried
//! up to what requires them, the forced projects and what they require fixed.

use super::{Candidate, Infeasible, Note, Problem, Reason};
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Excluded(Reason),
    /// In whatever is chosen: forced in, or required by what is.
    Fixed,
    Free,
}

/// A problem with its exclusions worked out and its forced projects fixed.
pub(super) struct Prepared {
    pub(super) ids: Vec<i64>,
    pub(super) value: Vec<i64>,
    pub(super) cost: Vec<i64>,
    pub(super) fte: Vec<i64>,
    pub(super) state: Vec<State>,
    pub(super) notes: Vec<(usize, Note)>,
    /// Per candidate: the candidates it requires.
    pub(super) requires: Vec<Vec<usize>>,
    /// Per candidate: the candidates that require it.
    pub(super) required_by: Vec<Vec<usize>>,
    pub(super) fixed_cost: i64,
    pub(super) fixed_fte: i64,
    pub(super) fte_cap: Option<i64>,
    pub(super) free: Vec<usize>,
}

impl Prepared {
    pub(super) fn new(p: &Problem) -> Result<Prepared, Infeasible> {
        let mut index: HashMap<i64, usize> = HashMap::with_capacity(p.candidates.len());
        let mut candidates: Vec<Candidate> = Vec::with_capacity(p.candidates.len());
        for c in &p.candidates {
            if let std::collections::hash_map::Entry::Vacant(e) = index.entry(c.id) {
                e.insert(candidates.len());
                candidates.push(*c);
            }
        }
        let n = candidates.len();
        let find = |field: &'static str, id: i64| {
            index
                .get(&id)
                .copied()
                .ok_or(Infeasible::NotACandidate { field, id })
        };
        let forced_in: BTreeSet<usize> = p
            .forced_in
            .iter()
            .map(|&id| find("forced_in", id))
            .collect::<Result<_, _>>()?;
        let forced_out: BTreeSet<usize> = p
            .forced_out
            .iter()
            .map(|&id| find("forced_out", id))
            .collect::<Result<_, _>>()?;
        if let Some(&i) = forced_in.intersection(&forced_out).next() {
            return Err(Infeasible::InAndOut {
                id: candidates[i].id,
            });
        }

        let mut notes = Vec::new();
        let mut state = Vec::with_capacity(n);
        for (i, c) in candidates.iter().enumerate() {
            let s = if forced_out.contains(&i) {
                State::Excluded(Reason::ForcedOut)
            } else if forced_in.contains(&i) {
                notes.push((i, Note::ForcedIn));
                if c.value.is_none() {
                    notes.push((i, Note::CountedWithoutScore));
                }
                if c.cost.is_none() {
                    notes.push((i, Note::CountedWithoutBudget));
                }
                if p.fte_cap.is_some() && c.fte.is_none() {
                    notes.push((i, Note::CountedWithoutEffort));
                }
                State::Fixed
            } else if c.value.is_none() {
                State::Excluded(Reason::NoScore)
            } else if c.cost.is_none() {
                State::Excluded(Reason::NoBudget)
            } else if p.fte_cap.is_some() && c.fte.is_none() {
                State::Excluded(Reason::NoEffort)
            } else {
                State::Free
            };
            state.push(s);
        }

        // A requirement on a project that is no candidate can never be met.
        let mut requires = vec![Vec::new(); n];
        let mut required_by = vec![Vec::new(); n];
        let mut unmeetable: Vec<(usize, i64)> = Vec::new();
        for &(a, b) in &p.requires {
            let Some(&a) = index.get(&a) else { continue };
            match index.get(&b) {
                Some(&b) if a != b => {
                    requires[a].push(b);
                    required_by[b].push(a);
                }
                Some(_) => {}
                None => unmeetable.push((a, b)),
            }
        }
        let exclude = |state: &mut Vec<State>, a: usize, required: i64, why: Option<Reason>| {
            if state[a] == State::Fixed {
                return Err(Infeasible::ForcedNeedsExcluded {
                    id: candidates[a].id,
                    required,
                    because: why,
                });
            }
            state[a] = State::Excluded(Reason::Requires { id: required });
            Ok(())
        };
        let mut queue: Vec<usize> = Vec::new();
        for (a, b) in unmeetable {
            if !matches!(state[a], State::Excluded(_)) {
                exclude(&mut state, a, b, None)?;
            }
            queue.push(a);
        }
        queue.extend((0..n).filter(|&i| matches!(state[i], State::Excluded(_))));
        // Whatever requires an excluded project is excluded too, all the way up.
        while let Some(b) = queue.pop() {
            let State::Excluded(why) = state[b] else {
                continue;
            };
            for &a in &required_by[b] {
                if !matches!(state[a], State::Excluded(_)) {
                    exclude(&mut state, a, candidates[b].id, Some(why))?;
                    queue.push(a);
                }
            }
        }
        // What a forced project requires is chosen with it.
        let mut stack: Vec<usize> = (0..n).filter(|&i| state[i] == State::Fixed).collect();
        while let Some(a) = stack.pop() {
            for &b in &requires[a] {
                if state[b] == State::Free {
                    state[b] = State::Fixed;
                    notes.push((
                        b,
                        Note::RequiredBy {
                            id: candidates[a].id,
                        },
                    ));
                    stack.push(b);
                }
            }
        }

        let value: Vec<i64> = candidates
            .iter()
            .map(|c| c.value.unwrap_or(0).max(0))
            .collect();
        let cost: Vec<i64> = candidates
            .iter()
            .map(|c| c.cost.unwrap_or(0).max(0))
            .collect();
        let fte: Vec<i64> = candidates
            .iter()
            .map(|c| c.fte.unwrap_or(0).max(0))
            .collect();
        let fixed = |of: &[i64]| -> i64 {
            (0..n)
                .filter(|&i| state[i] == State::Fixed)
                .map(|i| of[i])
                .sum()
        };
        let (fixed_cost, fixed_fte) = (fixed(&cost), fixed(&fte));
        if fixed_cost > p.budget_cap {
            return Err(Infeasible::ForcedOverBudget {
                cost: fixed_cost,
                cap: p.budget_cap,
            });
        }
        if let Some(cap) = p.fte_cap
            && fixed_fte > cap
        {
            return Err(Infeasible::ForcedOverFte {
                fte: fixed_fte,
                cap,
            });
        }
        let free = (0..n).filter(|&i| state[i] == State::Free).collect();
        Ok(Prepared {
            ids: candidates.iter().map(|c| c.id).collect(),
            value,
            cost,
            fte,
            state,
            notes,
            requires,
            required_by,
            fixed_cost,
            fixed_fte,
            fte_cap: p.fte_cap,
            free,
        })
    }
}
