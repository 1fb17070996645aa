//! Network insight (issue 11): the counts behind the overview, the balance and the cross-links,
//! kept as a [`Tally`] that a project is added to and taken out of as it changes, so no page
//! counts every project again. A viewer's numbers are the tallies of what they may see, added
//! together (see [`Tally::add_all`]).
//!
//! How a project counts: once for each of its themes in the institution × theme heatmap and the
//! theme totals (a project on two themes works on both), but its budget only on its primary
//! theme, so budgets add up to the portfolio's total; once per pair of its themes in the
//! cross-links; once in its institution's totals, phases, statuses and balance.

use crate::portfolio::{Character, Horizon, Phase, ProjectData, Quadrant, Status};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// One cell of the heatmap: how many projects and how much budget (in hundredths of a euro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    pub projects: u64,
    pub budget_cents: i64,
}

/// An institution's (or the network's) mix, as counts per value; projects without the value
/// are counted as not assessed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mix {
    pub character: BTreeMap<Option<Character>, u64>,
    pub horizon: BTreeMap<Option<Horizon>, u64>,
    pub quadrant: BTreeMap<Option<Quadrant>, u64>,
}

/// The counts of a set of projects. Adding and then removing a project leaves it as it was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    pub projects: u64,
    /// (institution id, theme code) → projects on that theme and their budget on it.
    pub heatmap: BTreeMap<(i64, String), Cell>,
    pub per_theme: BTreeMap<String, Cell>,
    pub per_institution: BTreeMap<i64, Cell>,
    pub per_phase: BTreeMap<Phase, u64>,
    pub per_status: BTreeMap<Option<Status>, u64>,
    /// (theme, theme), the first code before the second → projects with both.
    pub crosslinks: BTreeMap<(String, String), u64>,
    pub mix: BTreeMap<i64, Mix>,
    /// Running projects with a status, by the date it was last set (`None`: not known).
    pub status_dates: BTreeMap<Option<NaiveDate>, u64>,
}

/// Adds `n` (1 or −1) to a count, dropping it when it reaches zero so that equal sets of
/// projects give equal tallies.
fn bump<K: Ord>(map: &mut BTreeMap<K, u64>, key: K, n: i64) {
    match map.entry(key) {
        Entry::Occupied(mut e) => {
            *e.get_mut() = e.get().saturating_add_signed(n);
            if *e.get() == 0 {
                e.remove();
            }
        }
        Entry::Vacant(e) => {
            if n > 0 {
                e.insert(n as u64);
            }
        }
    }
}

fn bump_cell<K: Ord>(map: &mut BTreeMap<K, Cell>, key: K, n: i64, budget_cents: i64) {
    let cell = map.entry(key);
    match cell {
        Entry::Occupied(mut e) => {
            let c = e.get_mut();
            c.projects = c.projects.saturating_add_signed(n);
            c.budget_cents += n * budget_cents;
            if c.projects == 0 && c.budget_cents == 0 {
                e.remove();
            }
        }
        Entry::Vacant(e) => {
            if n > 0 {
                e.insert(Cell {
                    projects: n as u64,
                    budget_cents: n * budget_cents,
                });
            }
        }
    }
}

impl Tally {
    /// Counts a project in; `status_date` is when its status was last set.
    pub fn add(&mut self, institution_id: i64, d: &ProjectData, status_date: Option<NaiveDate>) {
        self.count(institution_id, d, status_date, 1);
    }

    pub fn remove(&mut self, institution_id: i64, d: &ProjectData, status_date: Option<NaiveDate>) {
        self.count(institution_id, d, status_date, -1);
    }

    fn count(
        &mut self,
        institution_id: i64,
        d: &ProjectData,
        status_date: Option<NaiveDate>,
        n: i64,
    ) {
        let budget = d.budget.map_or(0, |b| b.0);
        self.projects = self.projects.saturating_add_signed(n);
        if d.phase.is_running() && d.status.is_some() {
            bump(&mut self.status_dates, status_date, n);
        }
        for (i, theme) in d.themes.iter().enumerate() {
            // The budget counts on the primary theme only.
            let on_theme = if i == 0 { budget } else { 0 };
            bump_cell(
                &mut self.heatmap,
                (institution_id, theme.clone()),
                n,
                on_theme,
            );
            bump_cell(&mut self.per_theme, theme.clone(), n, on_theme);
            for other in &d.themes[i + 1..] {
                let pair = if theme < other {
                    (theme.clone(), other.clone())
                } else {
                    (other.clone(), theme.clone())
                };
                bump(&mut self.crosslinks, pair, n);
            }
        }
        bump_cell(&mut self.per_institution, institution_id, n, budget);
        bump(&mut self.per_phase, d.phase, n);
        bump(&mut self.per_status, d.status, n);
        let mix = self.mix.entry(institution_id).or_default();
        bump(&mut mix.character, d.character, n);
        bump(&mut mix.horizon, d.horizon, n);
        bump(&mut mix.quadrant, Quadrant::of(d), n);
        if mix.character.is_empty() {
            self.mix.remove(&institution_id);
        }
    }

    /// Counts another set of projects in (the sets must not overlap).
    pub fn add_all(&mut self, other: &Tally) {
        let out = self;
        out.projects += other.projects;
        add_cells(&mut out.heatmap, &other.heatmap);
        add_cells(&mut out.per_theme, &other.per_theme);
        add_cells(&mut out.per_institution, &other.per_institution);
        add_counts(&mut out.per_phase, &other.per_phase);
        add_counts(&mut out.per_status, &other.per_status);
        add_counts(&mut out.crosslinks, &other.crosslinks);
        add_counts(&mut out.status_dates, &other.status_dates);
        for (inst, m) in &other.mix {
            let mix = out.mix.entry(*inst).or_default();
            add_counts(&mut mix.character, &m.character);
            add_counts(&mut mix.horizon, &m.horizon);
            add_counts(&mut mix.quadrant, &m.quadrant);
        }
    }

    /// How many running projects have a status last set before `date` (or at an unknown
    /// date): out of date ("verouderd") when `date` is the stale limit.
    pub fn status_set_before(&self, date: NaiveDate) -> u64 {
        self.status_dates.range(..Some(date)).map(|(_, n)| n).sum()
    }

    /// The network's mix: every institution's added up.
    pub fn network_mix(&self) -> Mix {
        let mut out = Mix::default();
        for m in self.mix.values() {
            add_counts(&mut out.character, &m.character);
            add_counts(&mut out.horizon, &m.horizon);
            add_counts(&mut out.quadrant, &m.quadrant);
        }
        out
    }
}

fn add_cells<K: Ord + Clone>(into: &mut BTreeMap<K, Cell>, from: &BTreeMap<K, Cell>) {
    for (k, c) in from {
        let cell = into.entry(k.clone()).or_default();
        cell.projects += c.projects;
        cell.budget_cents += c.budget_cents;
    }
}

fn add_counts<K: Ord + Clone>(into: &mut BTreeMap<K, u64>, from: &BTreeMap<K, u64>) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Hundredths;
    use crate::portfolio::{Perspective, Visibility};

    fn project(themes: &[&str], budget_euros: i64, phase: Phase) -> ProjectData {
        ProjectData {
            title: "p".into(),
            summary: String::new(),
            description: String::new(),
            intended_result: String::new(),
            owner: String::new(),
            project_lead: String::new(),
            contact_person: String::new(),
            phase,
            status: Some(Status::Groen),
            status_note: String::new(),
            start_date: None,
            end_date: None,
            budget: (budget_euros > 0).then_some(Hundredths(budget_euros * 100)),
            effort: None,
            horizon: Some(Horizon::Kort),
            character: Some(Character::Innoveren),
            perspective: Perspective {
                strategic_operational: Some(1),
                ict_business: Some(5),
            },
            themes: themes.iter().map(|t| t.to_string()).collect(),
            drivers: Vec::new(),
            mora_areas: Vec::new(),
            scores: BTreeMap::new(),
            visibility: Visibility::Netwerk,
            shareable: false,
            case_summary: String::new(),
            links: Vec::new(),
        }
    }

    /// Three projects whose counts are worked out by hand in the assertions.
    fn hand_made() -> Vec<(i64, ProjectData)> {
        vec![
            (1, project(&["llo", "data"], 1000, Phase::Uitvoering)),
            (1, project(&["data"], 500, Phase::Idee)),
            (
                2,
                project(&["data", "llo", "leermiddelen"], 0, Phase::Uitvoering),
            ),
        ]
    }

    #[test]
    fn a_project_counts_on_each_theme_and_its_budget_on_the_primary_one() {
        let mut t = Tally::default();
        for (inst, d) in &hand_made() {
            t.add(*inst, d, None);
        }
        assert_eq!(t.projects, 3);
        let cell = |inst: i64, theme: &str| t.heatmap.get(&(inst, theme.to_string())).copied();
        assert_eq!(
            cell(1, "data"),
            Some(Cell {
                projects: 2,
                budget_cents: 50_000
            })
        );
        assert_eq!(
            cell(1, "llo"),
            Some(Cell {
                projects: 1,
                budget_cents: 100_000
            })
        );
        assert_eq!(cell(2, "leermiddelen").map(|c| c.projects), Some(1));
        assert_eq!(t.per_theme["data"].projects, 3);
        assert_eq!(
            t.per_theme.values().map(|c| c.budget_cents).sum::<i64>(),
            150_000,
            "budgets add up to the portfolio's total"
        );
        assert_eq!(t.per_institution[&1].budget_cents, 150_000);
        assert_eq!(t.per_phase[&Phase::Uitvoering], 2);
        assert_eq!(t.per_status[&Some(Status::Groen)], 3);
        assert_eq!(
            t.crosslinks[&("data".to_string(), "llo".to_string())],
            2,
            "data and llo occur together in two projects"
        );
        assert_eq!(
            t.crosslinks[&("leermiddelen".to_string(), "llo".to_string())],
            1
        );
        assert_eq!(t.crosslinks.len(), 3);
        assert_eq!(t.mix[&1].quadrant[&Some(Quadrant::StrategicBusiness)], 2);
        assert_eq!(t.network_mix().character[&Some(Character::Innoveren)], 3);
    }

    #[test]
    fn taking_a_project_out_again_leaves_the_tally_as_it_was() {
        let all = hand_made();
        let mut t = Tally::default();
        for (inst, d) in &all[..2] {
            t.add(*inst, d, None);
        }
        let before = t.clone();
        t.add(all[2].0, &all[2].1, None);
        t.remove(all[2].0, &all[2].1, None);
        assert_eq!(t, before);
        // A change is the old version out and the new one in.
        let mut changed = all[1].1.clone();
        changed.themes = vec!["llo".into()];
        t.remove(all[1].0, &all[1].1, None);
        t.add(all[1].0, &changed, None);
        let mut fresh = Tally::default();
        fresh.add(all[0].0, &all[0].1, None);
        fresh.add(all[1].0, &changed, None);
        assert_eq!(t, fresh);
    }

    #[test]
    fn two_tallies_added_are_the_tally_of_both_sets() {
        let all = hand_made();
        let (mut a, mut b, mut both) = (Tally::default(), Tally::default(), Tally::default());
        a.add(all[0].0, &all[0].1, None);
        b.add(all[1].0, &all[1].1, None);
        b.add(all[2].0, &all[2].1, None);
        for (inst, d) in &all {
            both.add(*inst, d, None);
        }
        a.add_all(&b);
        assert_eq!(a, both);
    }

    #[test]
    fn any_sequence_of_saves_and_deletes_tallies_like_counting_afresh() {
        let mut rng = fastrand::Rng::with_seed(11);
        let random = |rng: &mut fastrand::Rng| {
            let themes = ["data", "llo", "leermiddelen", "hybride"];
            let phases = [Phase::Idee, Phase::Uitvoering, Phase::Afgerond];
            let mut picked: Vec<&str> = themes.iter().copied().filter(|_| rng.bool()).collect();
            if picked.is_empty() {
                picked.push(themes[rng.usize(..themes.len())]);
            }
            rng.shuffle(&mut picked);
            let mut d = project(&picked, rng.i64(0..5) * 250, phases[rng.usize(..3)]);
            d.perspective.strategic_operational = Some(rng.u8(1..=5));
            d.character = [
                None,
                Some(Character::BasisOpOrde),
                Some(Character::Innoveren),
            ][rng.usize(..3)];
            (rng.i64(1..=3), d)
        };
        let mut live: BTreeMap<usize, (i64, ProjectData)> = BTreeMap::new();
        let mut t = Tally::default();
        for step in 0..2000 {
            match rng.usize(..3) {
                0 => {
                    let (inst, d) = random(&mut rng);
                    t.add(inst, &d, None);
                    live.insert(step, (inst, d));
                }
                1 if !live.is_empty() => {
                    let key = *live.keys().nth(rng.usize(..live.len())).unwrap();
                    let (inst, d) = live.remove(&key).unwrap();
                    t.remove(inst, &d, None);
                }
                _ if !live.is_empty() => {
                    let key = *live.keys().nth(rng.usize(..live.len())).unwrap();
                    let (inst, old) = live[&key].clone();
                    let (_, new) = random(&mut rng);
                    t.remove(inst, &old, None);
                    t.add(inst, &new, None);
                    live.insert(key, (inst, new));
                }
                _ => {}
            }
        }
        let mut fresh = Tally::default();
        for (inst, d) in live.values() {
            fresh.add(*inst, d, None);
        }
        assert_eq!(t, fresh);
    }
}
