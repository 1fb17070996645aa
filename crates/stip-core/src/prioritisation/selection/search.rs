//! The branch-and-bound search over a prepared problem's free candidates, and the selection it
//! finds, with the reason each other candidate is not in it.

use super::prepare::{Prepared, State};
use super::{Reason, Selection};

impl Prepared {
    pub(super) fn solve(&self, budget_cap: i64, node_limit: u64) -> Selection {
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
