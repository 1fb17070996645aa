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

use std::collections::{BTreeSet, HashMap};

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Excluded(Reason),
    /// In whatever is chosen: forced in, or required by what is.
    Fixed,
    Free,
}

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

/// A problem with its exclusions worked out and its forced projects fixed.
struct Prepared {
    ids: Vec<i64>,
    value: Vec<i64>,
    cost: Vec<i64>,
    fte: Vec<i64>,
    state: Vec<State>,
    notes: Vec<(usize, Note)>,
    /// Per candidate: the candidates it requires.
    requires: Vec<Vec<usize>>,
    /// Per candidate: the candidates that require it.
    required_by: Vec<Vec<usize>>,
    fixed_cost: i64,
    fixed_fte: i64,
    fte_cap: Option<i64>,
    free: Vec<usize>,
}

impl Prepared {
    fn new(p: &Problem) -> Result<Prepared, Infeasible> {
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

    fn solve(&self, budget_cap: i64, node_limit: u64) -> Selection {
        let mut search = Search::new(self, budget_cap, node_limit);
        let upper = search.value + search.upper_bound();
        search.run(0);
        let optimal = search.nodes <= node_limit;
        let max_shortfall = if optimal {
            0
        } else {
            (upper - search.best).max(0)
        };
        let chosen = search.best_chosen;

        let n = self.ids.len();
        let mut is_in: Vec<bool> = self.state.iter().map(|s| *s == State::Fixed).collect();
        for &i in &chosen {
            is_in[i] = true;
        }
        let sum = |of: &[i64]| -> i64 { (0..n).filter(|&i| is_in[i]).map(|i| of[i]).sum() };
        let (total_value, total_cost, total_fte) =
            (sum(&self.value), sum(&self.cost), sum(&self.fte));
        let remaining = budget_cap - total_cost;
        let remaining_fte = self.fte_cap.map(|cap| cap - total_fte);

        let mut not_selected = Vec::new();
        for i in 0..n {
            if is_in[i] {
                continue;
            }
            let reason = match self.state[i] {
                State::Excluded(why) => why,
                _ => {
                    // What choosing it would add: itself and what it requires that is not in.
                    let mut needs = vec![i];
                    let mut seen = vec![false; n];
                    seen[i] = true;
                    let mut k = 0;
                    while k < needs.len() {
                        for &b in &self.requires[needs[k]] {
                            if !is_in[b] && !seen[b] {
                                seen[b] = true;
                                needs.push(b);
                            }
                        }
                        k += 1;
                    }
                    let added = |of: &[i64]| needs.iter().map(|&j| of[j]).sum::<i64>();
                    let with_required = needs.len() > 1;
                    if added(&self.cost) > remaining {
                        Reason::OverBudget {
                            needed: added(&self.cost),
                            remaining,
                            with_required,
                        }
                    } else if let Some(left) = remaining_fte
                        && added(&self.fte) > left
                    {
                        Reason::OverFte {
                            needed: added(&self.fte),
                            remaining: left,
                            with_required,
                        }
                    } else if added(&self.value) == 0 {
                        Reason::NoValue
                    } else {
                        Reason::SearchStopped
                    }
                }
            };
            not_selected.push((self.ids[i], reason));
        }
        Selection {
            selected: (0..n).filter(|&i| is_in[i]).map(|i| self.ids[i]).collect(),
            total_value,
            total_cost,
            total_fte,
            not_selected,
            notes: self
                .notes
                .iter()
                .map(|&(i, note)| (self.ids[i], note))
                .collect(),
            optimal,
            max_shortfall,
        }
    }
}

/// One branch-and-bound search over the free candidates.
struct Search<'p> {
    p: &'p Prepared,
    /// The order candidates are tried in: best value per unit of the surrogate capacity.
    order: Vec<usize>,
    /// Free candidates, best value per euro first.
    by_cost: Vec<usize>,
    /// The same, best value per FTE first (only with an FTE cap).
    by_fte: Vec<usize>,
    /// With an FTE cap: both caps folded into one, `alpha` × budget share + (1 − alpha) × FTE
    /// share ≤ 1 at the root; each candidate's weight in it.
    surrogate: Option<Surrogate>,
    /// Per candidate: 1 in, -1 out, 0 undecided.
    decided: Vec<i8>,
    trail: Vec<usize>,
    budget_left: i64,
    fte_left: i64,
    value: i64,
    best: i64,
    best_chosen: Vec<usize>,
    nodes: u64,
    node_limit: u64,
}

/// A surrogate of the two capacities: any weighted sum of two constraints is a constraint
/// every allowed selection meets too, so its fractional filling bounds what is achievable; the
/// weighting with the lowest bound at the root is kept. Far tighter than either cap alone when
/// both bind.
struct Surrogate {
    alpha: f64,
    budget: f64,
    fte: f64,
    weight: Vec<f64>,
    order: Vec<usize>,
}

/// Where a candidate goes in an order by value per unit of weight: weightless ones with value
/// first, weightless ones without value last (they change nothing), the rest by their ratio.
/// Without the classes, 0/0 would tie with everything and the order would not be an order.
fn class(value: i64, weight: f64) -> u8 {
    match (weight > 0.0, value > 0) {
        (false, true) => 0,
        (true, _) => 1,
        (false, false) => 2,
    }
}

/// Orders candidates by value per unit of `weight`, best first, comparing crosswise in whole
/// numbers so the order is exact (Dantzig's bound needs it).
fn by_ratio(free: &[usize], value: &[i64], weight: &[i64]) -> Vec<usize> {
    let mut order = free.to_vec();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (
            class(value[a], weight[a] as f64),
            class(value[b], weight[b] as f64),
        );
        ca.cmp(&cb)
            .then_with(|| {
                if ca != 1 {
                    return std::cmp::Ordering::Equal;
                }
                // a before b when value_a / weight_a > value_b / weight_b.
                let left = i128::from(value[b]) * i128::from(weight[a]);
                let right = i128::from(value[a]) * i128::from(weight[b]);
                left.cmp(&right)
            })
            .then(a.cmp(&b))
    });
    order
}

/// The same for weights that are not whole numbers.
fn by_ratio_f64(free: &[usize], value: &[i64], weight: &[f64]) -> Vec<usize> {
    let mut order = free.to_vec();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (class(value[a], weight[a]), class(value[b], weight[b]));
        ca.cmp(&cb)
            .then_with(|| {
                if ca != 1 {
                    return std::cmp::Ordering::Equal;
                }
                let ra = value[a] as f64 / weight[a];
                let rb = value[b] as f64 / weight[b];
                rb.total_cmp(&ra)
            })
            .then(a.cmp(&b))
    });
    order
}

/// Dantzig's bound in floating point: what the undecided candidates in `order` can add within
/// `left` of a capacity with these weights.
fn fractional(order: &[usize], decided: &[i8], value: &[i64], weight: &[f64], left: f64) -> f64 {
    let mut left = left;
    let mut total = 0.0;
    for &i in order {
        if decided[i] != 0 {
            continue;
        }
        let (v, w) = (value[i] as f64, weight[i]);
        if w <= left {
            left -= w;
            total += v;
        } else {
            total += v * left / w;
            break;
        }
    }
    total
}

impl<'p> Search<'p> {
    fn new(p: &'p Prepared, budget_cap: i64, node_limit: u64) -> Search<'p> {
        let fixed_value = (0..p.ids.len())
            .filter(|&i| p.state[i] == State::Fixed)
            .map(|i| p.value[i])
            .sum();
        let decided: Vec<i8> = p
            .state
            .iter()
            .map(|s| if *s == State::Free { 0 } else { -1 })
            .collect();
        let budget_left = budget_cap - p.fixed_cost;
        let fte_left = p.fte_cap.map_or(i64::MAX / 4, |cap| cap - p.fixed_fte);
        let by_cost = by_ratio(&p.free, &p.value, &p.cost);
        let (by_fte, surrogate) = match p.fte_cap {
            Some(_) => {
                let by_fte = by_ratio(&p.free, &p.value, &p.fte);
                let surrogate = (budget_left > 0 && fte_left > 0).then(|| {
                    let (b, f) = (budget_left as f64, fte_left as f64);
                    (0..=20)
                        .map(|k| {
                            let alpha = f64::from(k) / 20.0;
                            let weight: Vec<f64> = (0..p.ids.len())
                                .map(|i| {
                                    alpha * p.cost[i] as f64 / b
                                        + (1.0 - alpha) * p.fte[i] as f64 / f
                                })
                                .collect();
                            let order = by_ratio_f64(&p.free, &p.value, &weight);
                            Surrogate {
                                alpha,
                                budget: b,
                                fte: f,
                                weight,
                                order,
                            }
                        })
                        .map(|s| {
                            let bound = fractional(&s.order, &decided, &p.value, &s.weight, 1.0);
                            (bound, s)
                        })
                        .min_by(|a, b| a.0.total_cmp(&b.0))
                        .map(|(_, s)| s)
                        .expect("21 weightings")
                });
                (by_fte, surrogate)
            }
            None => (Vec::new(), None),
        };
        Search {
            p,
            order: surrogate
                .as_ref()
                .map_or_else(|| by_cost.clone(), |s| s.order.clone()),
            by_cost,
            by_fte,
            surrogate,
            decided,
            trail: Vec::new(),
            budget_left,
            fte_left,
            value: fixed_value,
            best: fixed_value,
            best_chosen: Vec::new(),
            nodes: 0,
            node_limit,
        }
    }

    /// Martello and Toth's bound U2 on what the undecided candidates can add within `left` of
    /// one capacity: filled best ratio first up to the first candidate that does not fit (the
    /// critical one), then the better of leaving it out and filling the rest at the next one's
    /// ratio (U0), or taking it in and making room at the ratio of the last one taken (U1).
    /// Never above Dantzig's fractional bound, and often well below it.
    fn bound(&self, order: &[usize], weight: &[i64], left: i64) -> i64 {
        let mut left = left;
        let mut total = 0i64;
        let mut last: Option<usize> = None;
        let mut undecided = order.iter().copied().filter(|&i| self.decided[i] == 0);
        while let Some(i) = undecided.next() {
            let (v, w) = (self.p.value[i], weight[i]);
            if w <= left {
                left -= w;
                total += v;
                last = Some(i);
                continue;
            }
            let at_ratio = |j: usize, room: i64| -> i64 {
                (i128::from(self.p.value[j]) * i128::from(room) / i128::from(weight[j].max(1)))
                    as i64
            };
            let u0 = total + undecided.next().map_or(0, |j| at_ratio(j, left));
            let u1 = match last {
                Some(k) if weight[k] > 0 => {
                    let room = i128::from(w - left) * i128::from(self.p.value[k]);
                    let given_up = (room + i128::from(weight[k]) - 1) / i128::from(weight[k]);
                    total + v - given_up as i64
                }
                // Nothing to make room with: taking it in is impossible.
                _ => total,
            };
            return u0.max(u1);
        }
        total
    }

    /// Whether the undecided candidates (none of them before `from` in the search order) can
    /// add more than `need`: their surrogate bound first (the tightest when both caps bind, and
    /// the search order is its order, so it starts at `from`), then each capacity alone.
    fn can_add_more_than(&self, from: usize, need: i64) -> bool {
        if let Some(s) = &self.surrogate
            && self.surrogate_bound(s, from) <= need
        {
            return false;
        }
        let by_cost = if self.surrogate.is_none() {
            &self.by_cost[from..]
        } else {
            &self.by_cost[..]
        };
        if self.bound(by_cost, &self.p.cost, self.budget_left) <= need {
            return false;
        }
        self.p.fte_cap.is_none() || self.bound(&self.by_fte, &self.p.fte, self.fte_left) > need
    }

    /// The least of the bounds on what the undecided candidates can add.
    fn upper_bound(&self) -> i64 {
        let mut bound = self.bound(&self.by_cost, &self.p.cost, self.budget_left);
        if self.p.fte_cap.is_some() {
            bound = bound.min(self.bound(&self.by_fte, &self.p.fte, self.fte_left));
        }
        if let Some(s) = &self.surrogate {
            bound = bound.min(self.surrogate_bound(s, 0));
        }
        bound
    }

    /// The surrogate's fractional bound on what the undecided candidates from `from` in its
    /// order can add within what is left of both caps.
    fn surrogate_bound(&self, s: &Surrogate, from: usize) -> i64 {
        let left = s.alpha * self.budget_left as f64 / s.budget
            + (1.0 - s.alpha) * self.fte_left as f64 / s.fte;
        let f = fractional(
            &s.order[from..],
            &self.decided,
            &self.p.value,
            &s.weight,
            left,
        );
        // Whole values: nothing above the floor is reachable (the margin absorbs rounding).
        (f + 1e-3).floor() as i64
    }

    fn run(&mut self, from: usize) {
        self.nodes += 1;
        if self.value > self.best {
            self.best = self.value;
            self.best_chosen = (0..self.decided.len())
                .filter(|&i| self.decided[i] == 1)
                .collect();
        }
        if self.nodes > self.node_limit {
            return;
        }
        let Some(pos) = (from..self.order.len()).find(|&k| self.decided[self.order[k]] == 0) else {
            return;
        };
        if !self.can_add_more_than(pos, self.best - self.value) {
            return;
        }
        let i = self.order[pos];
        let mark = self.trail.len();
        if self.choose(i) {
            self.run(pos + 1);
        }
        self.undo(mark);
        self.leave_out(i);
        self.run(pos + 1);
        self.undo(mark);
    }

    /// Chooses `i` and what it requires, if they fit and none is left out.
    fn choose(&mut self, i: usize) -> bool {
        let mut needs = vec![i];
        let mut k = 0;
        while k < needs.len() {
            let a = needs[k];
            for &b in &self.p.requires[a] {
                match self.decided[b] {
                    -1 if self.p.state[b] != State::Fixed => return false,
                    0 if !needs.contains(&b) => needs.push(b),
                    _ => {}
                }
            }
            k += 1;
        }
        let cost: i64 = needs.iter().map(|&j| self.p.cost[j]).sum();
        let fte: i64 = needs.iter().map(|&j| self.p.fte[j]).sum();
        if cost > self.budget_left || fte > self.fte_left {
            return false;
        }
        for j in needs {
            self.set(j, 1);
        }
        true
    }

    /// Leaves out `i` and whatever requires it.
    fn leave_out(&mut self, i: usize) {
        let mut stack = vec![i];
        while let Some(b) = stack.pop() {
            if self.decided[b] != 0 {
                continue;
            }
            self.set(b, -1);
            stack.extend(
                self.p.required_by[b]
                    .iter()
                    .copied()
                    .filter(|&a| self.decided[a] == 0),
            );
        }
    }

    fn set(&mut self, i: usize, to: i8) {
        self.decided[i] = to;
        if to == 1 {
            self.budget_left -= self.p.cost[i];
            self.fte_left -= self.p.fte[i];
            self.value += self.p.value[i];
        }
        self.trail.push(i);
    }

    fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            let i = self.trail.pop().expect("above the mark");
            if self.decided[i] == 1 {
                self.budget_left += self.p.cost[i];
                self.fte_left += self.p.fte[i];
                self.value -= self.p.value[i];
            }
            self.decided[i] = 0;
        }
    }
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
