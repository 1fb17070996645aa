//! Prioritising (issue 12): a project's weighted score, the criteria's weights from pairwise
//! comparison ([`ahp`]), and the most valuable selection under a budget ([`selection`]).
//!
//! **The score.** Each criterion `c` has a weight `w_c ≥ 0` and a direction; a project's score
//! `s_c` (1–5) counts as `v_c = s_c` where more is better and `v_c = 6 − s_c` where more is
//! worse (inspanning, risico), so 5 is always best. Then
//!
//! ```text
//! score = 100 × Σ w_c · (v_c − 1) / 4  /  Σ w_c        (0 … 100, two decimals)
//! ```
//!
//! over the criteria with a weight above zero. A project lacking one of those scores has no
//! score (`None`): a missing judgement is never read as the worst one.

pub mod ahp;
pub mod scenario;
pub mod selection;

use crate::agenda::{Criterion, Direction};
use crate::number::Hundredths;
use std::collections::BTreeMap;

/// A criterion as one view weighs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Weight {
    pub code: String,
    /// The weight as given (e.g. 1,5 or 25): only its share of the total counts.
    pub weight: Hundredths,
    /// Its share of all weights, 0–1.
    pub share: f64,
    pub direction: Direction,
}

/// The criteria with the weights of a view: `own` where it gives one, else the criterion's.
/// Kept in the criteria's order.
pub fn weights(criteria: &[Criterion], own: &BTreeMap<String, Hundredths>) -> Vec<Weight> {
    let given: Vec<(&Criterion, Hundredths)> = criteria
        .iter()
        .map(|c| (c, own.get(&c.data.code).copied().unwrap_or(c.data.weight)))
        .collect();
    let total: i64 = given.iter().map(|(_, w)| w.0.max(0)).sum();
    given
        .into_iter()
        .map(|(c, w)| Weight {
            code: c.data.code.clone(),
            weight: w,
            share: if total > 0 {
                w.0.max(0) as f64 / total as f64
            } else {
                0.0
            },
            direction: c.data.direction,
        })
        .collect()
}

/// One criterion's part of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub criterion: String,
    /// The project's score on it, 1–5; `None`: not scored.
    pub score: Option<u8>,
    /// The criterion's share of the weights, 0–1.
    pub share: f64,
    /// What it adds to the score (0 … 100 × share); `None` when not scored.
    pub points: Option<f64>,
}

/// A project's weighted score and how it is made up.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// 0–100 in hundredths; `None` when a weighed criterion is not scored.
    pub score: Option<Hundredths>,
    pub parts: Vec<Part>,
}

impl Scored {
    /// The criteria with a weight that the project has no score on.
    pub fn missing(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .filter(|p| p.share > 0.0 && p.score.is_none())
            .map(|p| p.criterion.as_str())
    }
}

/// The weighted score of a project's `scores` (see the module's formula).
pub fn score(scores: &BTreeMap<String, u8>, weights: &[Weight]) -> Scored {
    let mut complete = weights.iter().any(|w| w.share > 0.0);
    let mut total = 0.0;
    let parts = weights
        .iter()
        .map(|w| {
            let score = scores.get(&w.code).copied();
            let points = score.map(|s| {
                let v = match w.direction {
                    Direction::Positive => f64::from(s),
                    Direction::Negative => 6.0 - f64::from(s),
                };
                100.0 * w.share * (v - 1.0) / 4.0
            });
            match points {
                Some(p) => total += p,
                None if w.share > 0.0 => complete = false,
                None => {}
            }
            Part {
                criterion: w.code.clone(),
                score,
                share: w.share,
                points,
            }
        })
        .collect();
    Scored {
        score: complete.then(|| Hundredths((total * 100.0).round() as i64)),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::CriterionData;

    fn criterion(code: &str, weight: i64, direction: Direction) -> Criterion {
        Criterion {
            id: 0,
            data: CriterionData {
                code: code.into(),
                name: code.into(),
                weight: Hundredths(weight),
                direction,
                position: 0,
            },
            version: 1,
        }
    }

    /// The five default criteria: strategische bijdrage 3, impact op onderwijs 3, urgentie 2,
    /// inspanning 1 (negative), risico 1 (negative); total weight 10.
    fn defaults() -> Vec<Criterion> {
        vec![
            criterion("strategie", 300, Direction::Positive),
            criterion("onderwijs", 300, Direction::Positive),
            criterion("urgentie", 200, Direction::Positive),
            criterion("inspanning", 100, Direction::Negative),
            criterion("risico", 100, Direction::Negative),
        ]
    }

    fn scores(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
        pairs.iter().map(|(c, s)| (c.to_string(), *s)).collect()
    }

    #[test]
    fn a_score_is_the_weighted_share_of_the_best_possible_by_hand() {
        let w = weights(&defaults(), &BTreeMap::new());
        // strategie 4 → 3/4 of 30 = 22.5; onderwijs 5 → 30; urgentie 2 → 1/4 of 20 = 5;
        // inspanning 4 counts as 2 → 1/4 of 10 = 2.5; risico 1 counts as 5 → 10. Total 70.
        let s = score(
            &scores(&[
                ("strategie", 4),
                ("onderwijs", 5),
                ("urgentie", 2),
                ("inspanning", 4),
                ("risico", 1),
            ]),
            &w,
        );
        assert_eq!(s.score, Some(Hundredths(7000)));
        let points: Vec<f64> = s.parts.iter().map(|p| p.points.unwrap()).collect();
        assert_eq!(points, vec![22.5, 30.0, 5.0, 2.5, 10.0]);
    }

    #[test]
    fn all_best_is_100_and_all_worst_is_0() {
        let w = weights(&defaults(), &BTreeMap::new());
        let best = scores(&[
            ("strategie", 5),
            ("onderwijs", 5),
            ("urgentie", 5),
            ("inspanning", 1),
            ("risico", 1),
        ]);
        let worst = scores(&[
            ("strategie", 1),
            ("onderwijs", 1),
            ("urgentie", 1),
            ("inspanning", 5),
            ("risico", 5),
        ]);
        assert_eq!(score(&best, &w).score, Some(Hundredths(10_000)));
        assert_eq!(score(&worst, &w).score, Some(Hundredths(0)));
    }

    #[test]
    fn a_missing_score_makes_the_score_missing_not_zero() {
        let w = weights(&defaults(), &BTreeMap::new());
        let s = score(
            &scores(&[("strategie", 5), ("onderwijs", 5), ("urgentie", 5)]),
            &w,
        );
        assert_eq!(s.score, None);
        assert_eq!(
            s.missing().collect::<Vec<_>>(),
            vec!["inspanning", "risico"]
        );
        assert_eq!(s.parts[3].points, None);
    }

    #[test]
    fn a_view_can_weigh_a_criterion_at_zero_and_then_it_need_not_be_scored() {
        let own: BTreeMap<String, Hundredths> = [
            ("inspanning".to_string(), Hundredths(0)),
            ("risico".to_string(), Hundredths(0)),
            ("urgentie".to_string(), Hundredths(400)),
        ]
        .into();
        let w = weights(&defaults(), &own);
        assert_eq!(w[2].share, 0.4);
        // strategie 3 → 1/2 of 30 = 15; onderwijs 1 → 0; urgentie 5 → 40. Total 55.
        let s = score(
            &scores(&[("strategie", 3), ("onderwijs", 1), ("urgentie", 5)]),
            &w,
        );
        assert_eq!(s.score, Some(Hundredths(5500)));
    }
}
