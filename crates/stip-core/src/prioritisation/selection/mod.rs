//! The most valuable selection of candidate projects under a budget (and optionally an FTE)
//! cap, with projects forced in or out and projects that can only be chosen with another.
//!
//! This is a 0/1 knapsack with a second capacity and precedence constraints. It is solved
//! **exactly** by depth-first branch and bound: candidates are tried best value per euro first,
//! "in" before "out"; choosing one also chooses what it requires, leaving one out also leaves
//! out what requires it; a branch is cut when even a fractional filling of what is left (the
//! LP relaxation of each capacity alone, Dantzig's bound) cannot beat the best selection found.
//! Values, costs and FTE are whole numbers (hundredths), so the bound and every comparison are
//! exact. For a few hundred candidates it needs milliseconds (see `bench/README.md`); a search
//! stops after [`NODE_LIMIT`] steps with the best selection found, `optimal: false` and how far
//! below the best possible it can at most be (from the root's bound), so a
//! pathological request cannot hold a server.
//!
//! `prepare` works out the exclusions and fixes the forced projects; `search` runs the branch
//! and bound and explains its result.

mod prepare;
mod search;

use prepare::Prepared;

/// A candidate project: its value (the score in hundredths), cost (budget in cents) and FTE
/// (in hundredths); `None` where the project does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub value: Option<i64>,
    pub cost: Option<i64>,
    pub fte: Option<i64>,
}

/// What to choose from and under which conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    pub candidates: Vec<Candidate>,
    /// In cents.
    pub budget_cap: i64,
    /// In hundredths of an FTE.
    pub fte_cap: Option<i64>,
    pub forced_in: Vec<i64>,
    pub forced_out: Vec<i64>,
    /// (A, B): A can only be chosen together with B.
    pub requires: Vec<(i64, i64)>,
}

/// Why a candidate was not chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    ForcedOut,
    /// It has no score, so no value to weigh.
    NoScore,
    /// It has no budget, so no cost to weigh.
    NoBudget,
    /// An FTE cap is given and it has no effort in FTE.
    NoEffort,
    /// It requires a project that cannot be chosen.
    Requires {
        id: i64,
    },
    /// It costs `needed` (with what it requires and is not chosen, when `with_required`);
    /// `remaining` is left.
    OverBudget {
        needed: i64,
        remaining: i64,
        with_required: bool,
    },
    OverFte {
        needed: i64,
        remaining: i64,
        with_required: bool,
    },
    /// It would fit but adds no value.
    NoValue,
    /// The search stopped before it could prove this one better left out.
    SearchStopped,
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::ForcedOut => "forced_out",
            Reason::NoScore => "no_score",
            Reason::NoBudget => "no_budget",
            Reason::NoEffort => "no_effort",
            Reason::Requires { .. } => "requires_unavailable",
            Reason::OverBudget { .. } => "over_budget",
            Reason::OverFte { .. } => "over_fte",
            Reason::NoValue => "no_value",
            Reason::SearchStopped => "search_stopped",
        }
    }
}

/// Why a chosen project is in, where it is not simply for its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    ForcedIn,
    /// Chosen because a project forced in requires it.
    RequiredBy {
        id: i64,
    },
    /// Forced in without a score: it counts as no value.
    CountedWithoutScore,
    /// Forced in without a budget: it counts as no cost.
    CountedWithoutBudget,
    /// Forced in without effort under an FTE cap: it counts as no FTE.
    CountedWithoutEffort,
}

impl Note {
    pub fn code(&self) -> &'static str {
        match self {
            Note::ForcedIn => "forced_in",
            Note::RequiredBy { .. } => "required_by_forced",
            Note::CountedWithoutScore => "counted_without_score",
            Note::CountedWithoutBudget => "counted_without_budget",
            Note::CountedWithoutEffort => "counted_without_effort",
        }
    }
}

/// Why no selection can meet the conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Infeasible {
    /// `field` (forced_in, forced_out) names a project that is not a candidate.
    NotACandidate {
        field: &'static str,
        id: i64,
    },
    /// A project is both forced in and forced out.
    InAndOut {
        id: i64,
    },
    /// A project forced in (or required by one) requires `required`, which is excluded.
    ForcedNeedsExcluded {
        id: i64,
        required: i64,
        because: Option<Reason>,
    },
    /// The projects forced in (with what they require) cost more than the cap.
    ForcedOverBudget {
        cost: i64,
        cap: i64,
    },
    ForcedOverFte {
        fte: i64,
        cap: i64,
    },
}

/// The chosen projects and why the others are not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// In the candidates' order.
    pub selected: Vec<i64>,
    pub total_value: i64,
    pub total_cost: i64,
    pub total_fte: i64,
    /// In the candidates' order.
    pub not_selected: Vec<(i64, Reason)>,
    pub notes: Vec<(i64, Note)>,
    /// False only when the search hit [`NODE_LIMIT`].
    pub optimal: bool,
    /// How much more value the best possible selection can at most have: 0 when optimal, else
    /// the gap between the root's bound and what was found.
    pub max_shortfall: i64,
}

/// Steps after which a search gives the best selection it found: about half a second here.
/// Budget caps alone stay far below it at 500 candidates; with budget and FTE caps on 500
/// candidates of nearly equal value it can be reached (see `bench/README.md`).
pub const NODE_LIMIT: u64 = 1_500_000;

/// Steps for all levels of a frontier together.
pub const FRONTIER_NODE_LIMIT: u64 = 3_000_000;

/// The best selection for `p`, or why there is none.
pub fn select(p: &Problem) -> Result<Selection, Infeasible> {
    let prepared = Prepared::new(p)?;
    Ok(prepared.solve(p.budget_cap, NODE_LIMIT))
}

/// The value achievable at `steps` budget levels evenly spread from what the forced projects
/// cost to what every candidate that can be chosen costs together (`p.budget_cap` is ignored):
/// (budget, selection) per level, the value never falling as the budget grows.
pub fn frontier(p: &Problem, steps: usize) -> Result<Vec<(i64, Selection)>, Infeasible> {
    let steps = steps.max(2);
    let mut unbounded = p.clone();
    unbounded.budget_cap = i64::MAX / 4;
    let prepared = Prepared::new(&unbounded)?;
    let low = prepared.fixed_cost;
    let high = low + prepared.free.iter().map(|&i| prepared.cost[i]).sum::<i64>();
    let mut points: Vec<(i64, Selection)> = Vec::with_capacity(steps);
    for k in 0..steps {
        let budget = low + ((high - low) as i128 * k as i128 / (steps - 1) as i128) as i64;
        let mut s = prepared.solve(budget, (FRONTIER_NODE_LIMIT / steps as u64).max(50_000));
        if let Some((_, before)) = points.last()
            && before.total_value > s.total_value
        {
            // Only when a search stopped early: what fitted a smaller budget fits this one.
            s = before.clone();
        }
        points.push((budget, s));
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(id: i64, value: i64, cost: i64) -> Candidate {
        Candidate {
            id,
            value: Some(value),
            cost: Some(cost),
            fte: None,
        }
    }

    fn problem(candidates: Vec<Candidate>, cap: i64) -> Problem {
        Problem {
            candidates,
            budget_cap: cap,
            ..Problem::default()
        }
    }

    #[test]
    fn the_best_set_is_not_the_greedy_one() {
        // Best value per euro first would take 1 and then nothing else fits: 60. Best: 2 + 3.
        let s = select(&problem(vec![c(1, 60, 10), c(2, 50, 10), c(3, 50, 10)], 20)).unwrap();
        let s2 = select(&problem(vec![c(1, 60, 11), c(2, 50, 10), c(3, 50, 10)], 20)).unwrap();
        assert_eq!(s.total_value, 110);
        assert_eq!(s2.selected, vec![2, 3]);
        assert_eq!(s2.total_value, 100);
        assert_eq!(s2.total_cost, 20);
        assert_eq!(
            s2.not_selected,
            vec![(
                1,
                Reason::OverBudget {
                    needed: 11,
                    remaining: 0,
                    with_required: false,
                }
            )]
        );
        assert!(s2.optimal);
    }

    #[test]
    fn a_project_without_score_is_left_out_unless_forced_in_and_says_so() {
        let mut p = problem(
            vec![
                c(1, 50, 10),
                Candidate {
                    id: 2,
                    value: None,
                    cost: Some(5),
                    fte: None,
                },
            ],
            100,
        );
        let s = select(&p).unwrap();
        assert_eq!(s.selected, vec![1]);
        assert_eq!(s.not_selected, vec![(2, Reason::NoScore)]);
        p.forced_in = vec![2];
        let s = select(&p).unwrap();
        assert_eq!(s.selected, vec![1, 2]);
        assert_eq!(s.total_value, 50);
        assert_eq!(
            s.notes,
            vec![(2, Note::ForcedIn), (2, Note::CountedWithoutScore)]
        );
    }

    #[test]
    fn a_requirement_brings_its_project_along_or_keeps_both_out() {
        // 1 requires 2; together they fit.
        let mut p = problem(vec![c(1, 90, 10), c(2, 5, 10), c(3, 40, 10)], 20);
        p.requires = vec![(1, 2)];
        let s = select(&p).unwrap();
        assert_eq!(s.selected, vec![1, 2]);
        // Forced out, 2 takes 1 with it.
        p.forced_out = vec![2];
        let s = select(&p).unwrap();
        assert_eq!(s.selected, vec![3]);
        assert_eq!(
            s.not_selected,
            vec![(1, Reason::Requires { id: 2 }), (2, Reason::ForcedOut)]
        );
    }

    #[test]
    fn impossible_conditions_name_their_cause() {
        let mut p = problem(vec![c(1, 90, 10), c(2, 5, 10)], 15);
        p.forced_in = vec![1, 2];
        assert_eq!(
            select(&p),
            Err(Infeasible::ForcedOverBudget { cost: 20, cap: 15 })
        );
        p.forced_in = vec![1];
        p.requires = vec![(1, 2), (2, 1)];
        assert_eq!(
            select(&p),
            Err(Infeasible::ForcedOverBudget { cost: 20, cap: 15 })
        );
        p.forced_out = vec![2];
        assert_eq!(
            select(&p),
            Err(Infeasible::ForcedNeedsExcluded {
                id: 1,
                required: 2,
                because: Some(Reason::ForcedOut)
            })
        );
        p.forced_out = vec![1];
        assert_eq!(select(&p), Err(Infeasible::InAndOut { id: 1 }));
        p.forced_out = vec![7];
        assert_eq!(
            select(&p),
            Err(Infeasible::NotACandidate {
                field: "forced_out",
                id: 7
            })
        );
    }

    #[test]
    fn the_frontier_rises_from_the_forced_cost_to_everything() {
        let mut p = problem(
            (1..=12)
                .map(|i| c(i, (i * 37) % 100, 10 + (i * 13) % 40))
                .collect(),
            0,
        );
        p.forced_in = vec![3];
        let points = frontier(&p, 9).unwrap();
        assert_eq!(points.len(), 9);
        assert_eq!(points[0].0, p.candidates[2].cost.unwrap());
        assert_eq!(
            points[8].0,
            p.candidates.iter().map(|c| c.cost.unwrap()).sum::<i64>()
        );
        assert_eq!(points[8].1.selected.len(), 12);
        for w in points.windows(2) {
            assert!(w[0].0 < w[1].0 && w[0].1.total_value <= w[1].1.total_value);
        }
    }

    #[test]
    fn five_hundred_candidates_are_solved_exactly() {
        let mut rng = fastrand::Rng::with_seed(12);
        let candidates: Vec<Candidate> = (0..500)
            .map(|id| Candidate {
                id,
                value: Some(rng.i64(0..=10_000)),
                cost: Some(rng.i64(1_000_000..200_000_000)),
                fte: Some(rng.i64(10..500)),
            })
            .collect();
        let total: i64 = candidates.iter().map(|c| c.cost.unwrap()).sum();
        let p = Problem {
            candidates,
            budget_cap: total * 3 / 10,
            fte_cap: Some(500 * 250 * 3 / 10),
            requires: (0..25).map(|k| (k * 7, k * 11 + 3)).collect(),
            ..Problem::default()
        };
        let s = select(&p).unwrap();
        assert!(s.optimal);
        assert!(s.total_cost <= p.budget_cap);
    }

    // ---- Against brute force ----

    /// Whether choosing exactly `set` meets every condition of `p`.
    fn allowed(p: &Problem, set: &[bool]) -> bool {
        let at = |id: i64| p.candidates.iter().position(|c| c.id == id);
        let chosen = |id: i64| at(id).is_some_and(|i| set[i]);
        let mut cost = 0;
        let mut fte = 0;
        for (i, c) in p.candidates.iter().enumerate() {
            let forced = p.forced_in.contains(&c.id);
            if forced && !set[i] {
                return false;
            }
            if !set[i] {
                continue;
            }
            if p.forced_out.contains(&c.id) {
                return false;
            }
            if !forced
                && (c.value.is_none()
                    || c.cost.is_none()
                    || (p.fte_cap.is_some() && c.fte.is_none()))
            {
                return false;
            }
            cost += c.cost.unwrap_or(0);
            fte += c.fte.unwrap_or(0);
        }
        p.requires.iter().all(|&(a, b)| !chosen(a) || chosen(b))
            && cost <= p.budget_cap
            && p.fte_cap.is_none_or(|cap| fte <= cap)
    }

    fn brute_force(p: &Problem) -> Option<i64> {
        let n = p.candidates.len();
        (0u32..1 << n)
            .filter_map(|mask| {
                let set: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
                allowed(p, &set).then(|| {
                    (0..n)
                        .filter(|&i| set[i])
                        .map(|i| p.candidates[i].value.unwrap_or(0))
                        .sum()
                })
            })
            .max()
    }

    fn problems(max: usize) -> impl Strategy<Value = Problem> {
        let candidate = (
            prop::option::weighted(0.9, 0i64..=40),
            prop::option::weighted(0.9, 0i64..=30),
            prop::option::weighted(0.9, 0i64..=5),
        );
        (1..=max)
            .prop_flat_map(move |n| {
                (
                    prop::collection::vec(candidate.clone(), n),
                    0i64..=200,
                    prop::option::of(0i64..=30),
                    prop::collection::vec(0..n as i64 + 1, 0..3),
                    prop::collection::vec(0..n as i64 + 1, 0..3),
                    prop::collection::vec((0..n as i64 + 1, 0..n as i64 + 1), 0..6),
                )
            })
            .prop_map(
                |(cs, cap, fte_cap, forced_in, forced_out, requires)| Problem {
                    // Ids 0…n−1; the strategies above may also name n, which is no candidate.
                    candidates: cs
                        .into_iter()
                        .enumerate()
                        .map(|(i, (value, cost, fte))| Candidate {
                            id: i as i64,
                            value,
                            cost,
                            fte,
                        })
                        .collect(),
                    budget_cap: cap,
                    fte_cap,
                    forced_in,
                    forced_out,
                    requires,
                },
            )
    }

    fn agrees_with_brute_force(p: &Problem) -> Result<(), TestCaseError> {
        let n = p.candidates.len() as i64;
        let names_no_candidate = p.forced_in.iter().chain(&p.forced_out).any(|&id| id >= n);
        match (select(p), brute_force(p)) {
            (Err(Infeasible::NotACandidate { .. }), _) => prop_assert!(names_no_candidate),
            (Ok(s), Some(best)) => {
                prop_assert!(!names_no_candidate);
                prop_assert!(s.optimal);
                prop_assert_eq!(s.total_value, best);
                let set: Vec<bool> = p
                    .candidates
                    .iter()
                    .map(|c| s.selected.contains(&c.id))
                    .collect();
                prop_assert!(allowed(p, &set), "the selection breaks a condition");
                prop_assert_eq!(s.selected.len() + s.not_selected.len(), p.candidates.len());
            }
            (Err(e), None) => prop_assert!(!names_no_candidate, "{e:?}"),
            (got, want) => prop_assert!(false, "solver {got:?}, brute force {want:?}"),
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn selection_equals_brute_force_on_small_instances(p in problems(12)) {
            agrees_with_brute_force(&p)?;
        }

        #[test]
        fn the_frontier_never_falls(p in problems(10), steps in 2usize..12) {
            if let Ok(points) = frontier(&p, steps) {
                prop_assert_eq!(points.len(), steps);
                for w in points.windows(2) {
                    prop_assert!(w[0].0 <= w[1].0);
                    prop_assert!(w[0].1.total_value <= w[1].1.total_value);
                }
                let last = &points[steps - 1].1;
                let mut unbounded = p.clone();
                unbounded.budget_cap = points[steps - 1].0;
                prop_assert_eq!(Some(last.total_value), brute_force(&unbounded));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        #[test]
        fn selection_equals_brute_force_on_eighteen_candidates(p in problems(18)) {
            agrees_with_brute_force(&p)?;
        }
    }
}
