//! Positionering: an information manager places their institution on the two axes of the
//! seed's quadrant (strategisch ↔ operationeel, ICT ↔ business), scores the aspects the network
//! named (mandaat, bestuurlijk draagvlak, …) and draws a stakeholder map (power × interest).
//! The network sees only anonymised distributions, and only when enough institutions answered
//! (k-anonymity): [`network`] is the one place that decides what may be shown.

use crate::error::{code, optional_text, required_text};
use crate::{ErrorCode, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every score is on this scale.
pub const LOW: i64 = 1;
pub const HIGH: i64 = 5;
/// The least number of institutions a distribution is shown for, whatever is configured.
pub const MIN_THRESHOLD: i64 = 3;
/// The number of institutions a distribution is shown for unless the beheerder sets another.
pub const DEFAULT_THRESHOLD: i64 = 5;
pub const MAX_STAKEHOLDERS: usize = 40;
pub const MAX_ASPECTS: usize = 20;

/// One of the two fixed axes of the quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    pub code: &'static str,
    /// The message keys of its name and its two ends (1 and 5).
    pub name: &'static str,
    pub low: &'static str,
    pub high: &'static str,
}

pub const AXES: [Axis; 2] = [
    Axis {
        code: "strategisch_operationeel",
        name: "positioning.axis.so",
        low: "positioning.axis.so_low",
        high: "positioning.axis.so_high",
    },
    Axis {
        code: "ict_business",
        name: "positioning.axis.ib",
        low: "positioning.axis.ib_low",
        high: "positioning.axis.ib_high",
    },
];

/// An aspect the network scores itself on, configured by the beheerder: 1 is its `low` end, 5
/// its `high` end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspect {
    pub code: String,
    pub name: String,
    pub low: String,
    pub high: String,
}

/// The aspects of the seed ("Aspecten die een rol spelen"), as a new network starts with them.
pub fn seed_aspects() -> Vec<Aspect> {
    [
        ("mandaat", "Mandaat", "beperkt", "ruim"),
        ("draagvlak", "Bestuurlijk draagvlak", "weinig", "veel"),
        (
            "termijn",
            "Korte versus lange termijn",
            "korte termijn",
            "lange termijn",
        ),
        (
            "realisatie-innovatie",
            "Realisatie versus innovatie",
            "realisatie",
            "innovatie",
        ),
        (
            "basis-vernieuwing",
            "Basis op orde versus vernieuwing",
            "basis op orde",
            "vernieuwing",
        ),
    ]
    .into_iter()
    .map(|(code, name, low, high)| Aspect {
        code: code.into(),
        name: name.into(),
        low: low.into(),
        high: high.into(),
    })
    .collect()
}

/// What the beheerder configures: the aspects and from how many answers on the network sees a
/// distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub threshold: i64,
    pub aspects: Vec<Aspect>,
}

/// The settings as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub threshold: Option<i64>,
    /// (code, name, low, high) per aspect; rows left wholly empty are ignored.
    pub aspects: Vec<[String; 4]>,
}

impl SettingsInput {
    pub fn check(&self) -> Result<Settings, Invalid> {
        let mut e = Invalid::default();
        let threshold = match self.threshold {
            None => e.take("threshold", Err(ErrorCode::Required)),
            Some(t) if !(MIN_THRESHOLD..=1000).contains(&t) => e.take(
                "threshold",
                Err(ErrorCode::OutOfRange {
                    min: MIN_THRESHOLD,
                    max: 1000,
                }),
            ),
            Some(t) => Some(t),
        };
        let mut aspects: Vec<Aspect> = Vec::new();
        let rows = self
            .aspects
            .iter()
            .enumerate()
            .filter(|(_, r)| r.iter().any(|f| !f.trim().is_empty()));
        for (i, [c, name, low, high]) in rows {
            let f = |field: &str| format!("aspects[{i}].{field}");
            let c = e.take(&f("code"), code(c));
            if let Some(c) = &c
                && (aspects.iter().any(|a| &a.code == c) || AXES.iter().any(|a| a.code == c))
            {
                e.push(&f("code"), ErrorCode::Duplicate);
            }
            let name = e.take(&f("name"), required_text(name, 120));
            let low = e.take(&f("low"), required_text(low, 60));
            let high = e.take(&f("high"), required_text(high, 60));
            if let (Some(code), Some(name), Some(low), Some(high)) = (c, name, low, high) {
                aspects.push(Aspect {
                    code,
                    name,
                    low,
                    high,
                });
            }
        }
        if aspects.len() > MAX_ASPECTS {
            e.push(
                "aspects",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: MAX_ASPECTS as i64,
                },
            );
        }
        match threshold {
            Some(threshold) => e.into_result(Settings { threshold, aspects }),
            None => Err(e),
        }
    }
}

/// Someone who matters to the information manager's work, on the power/interest grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stakeholder {
    /// A name or a role ("CvB", "teamleiders").
    pub name: String,
    pub power: i64,
    pub interest: i64,
    pub note: String,
    /// What the information manager means to do about them.
    pub action: String,
}

impl Stakeholder {
    /// The grid's quadrant: (high power, high interest).
    pub fn quadrant(&self) -> Quadrant {
        match (self.power >= 3, self.interest >= 3) {
            (true, true) => Quadrant::ManageClosely,
            (true, false) => Quadrant::KeepSatisfied,
            (false, true) => Quadrant::KeepInformed,
            (false, false) => Quadrant::Monitor,
        }
    }
}

crate::code_enum!(
    /// The four quadrants of the power/interest grid and what each asks.
    Quadrant {
        ManageClosely => "nauw-betrekken",
        KeepSatisfied => "tevreden-houden",
        KeepInformed => "informeren",
        Monitor => "monitoren",
    }
);

/// An institution's positioning as saved: the axes' and aspects' scores by code, an
/// explanation per code where given, and the stakeholder map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    pub axes: BTreeMap<String, i64>,
    pub aspects: BTreeMap<String, i64>,
    pub explanations: BTreeMap<String, String>,
    pub stakeholders: Vec<Stakeholder>,
}

impl Position {
    /// The score of an axis or aspect.
    pub fn score(&self, code: &str) -> Option<i64> {
        self.axes
            .get(code)
            .or_else(|| self.aspects.get(code))
            .copied()
    }
}

/// A positioning as typed or sent; every score as given (None: not given).
#[derive(Debug, Clone, Default)]
pub struct PositionInput {
    pub axes: Vec<(String, Option<i64>)>,
    pub aspects: Vec<(String, Option<i64>)>,
    pub explanations: Vec<(String, String)>,
    /// name, power, interest, note, action; rows left wholly empty are ignored.
    pub stakeholders: Vec<StakeholderInput>,
}

#[derive(Debug, Clone, Default)]
pub struct StakeholderInput {
    pub name: String,
    pub power: Option<i64>,
    pub interest: Option<i64>,
    pub note: String,
    pub action: String,
}

impl StakeholderInput {
    fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.power.is_none()
            && self.interest.is_none()
            && self.note.trim().is_empty()
            && self.action.trim().is_empty()
    }
}

fn score(value: Option<i64>) -> Result<i64, ErrorCode> {
    match value {
        None => Err(ErrorCode::Required),
        Some(v) if (LOW..=HIGH).contains(&v) => Ok(v),
        Some(_) => Err(ErrorCode::OutOfRange {
            min: LOW,
            max: HIGH,
        }),
    }
}

impl PositionInput {
    /// Checks every field against the configured aspects: both axes are required, each aspect
    /// may be left open, and fields are named as the API names them (`axes.ict_business`,
    /// `aspects.mandaat`, `stakeholders[2].power`).
    pub fn check(&self, aspects: &[Aspect]) -> Result<Position, Invalid> {
        let mut e = Invalid::default();
        let mut p = Position::default();
        for (c, _) in &self.axes {
            if !AXES.iter().any(|a| a.code == c) {
                e.push(&format!("axes.{c}"), ErrorCode::UnknownField);
            }
        }
        for axis in AXES {
            let given = self.axes.iter().find(|(c, _)| c == axis.code);
            if let Some(v) = e.take(
                &format!("axes.{}", axis.code),
                score(given.and_then(|(_, v)| *v)),
            ) {
                p.axes.insert(axis.code.to_string(), v);
            }
        }
        for (c, v) in &self.aspects {
            let field = format!("aspects.{c}");
            if !aspects.iter().any(|a| &a.code == c) {
                e.push(&field, ErrorCode::UnknownField);
            } else if v.is_some()
                && let Some(v) = e.take(&field, score(*v))
            {
                p.aspects.insert(c.clone(), v);
            }
        }
        for (c, text) in &self.explanations {
            let field = format!("explanations.{c}");
            if !AXES.iter().any(|a| a.code == c) && !aspects.iter().any(|a| &a.code == c) {
                e.push(&field, ErrorCode::UnknownField);
            } else if let Some(t) = e.take(&field, optional_text(text, 1000))
                && !t.is_empty()
            {
                p.explanations.insert(c.clone(), t);
            }
        }
        let given: Vec<_> = self
            .stakeholders
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .collect();
        if given.len() > MAX_STAKEHOLDERS {
            e.push(
                "stakeholders",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: MAX_STAKEHOLDERS as i64,
                },
            );
        }
        for (i, s) in given {
            let f = |field: &str| format!("stakeholders[{i}].{field}");
            let name = e.take(&f("name"), required_text(&s.name, 120));
            let power = e.take(&f("power"), score(s.power));
            let interest = e.take(&f("interest"), score(s.interest));
            let note = e.take(&f("note"), optional_text(&s.note, 500));
            let action = e.take(&f("action"), optional_text(&s.action, 300));
            if let (Some(name), Some(power), Some(interest), Some(note), Some(action)) =
                (name, power, interest, note, action)
            {
                p.stakeholders.push(Stakeholder {
                    name,
                    power,
                    interest,
                    note,
                    action,
                });
            }
        }
        e.into_result(p)
    }
}

/// How the network answered one axis or aspect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub code: String,
    /// How many institutions scored it.
    pub answered: i64,
    /// Whether enough did to show the counts; when not, `counts` are all 0 and `median` is None.
    pub shown: bool,
    /// How many institutions gave 1, 2, 3, 4 and 5.
    pub counts: [i64; 5],
    pub median: Option<f64>,
    /// The asking institution's own score, if it gave one.
    pub mine: Option<i64>,
}

/// What the network may see of its positionings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// How many institutions have a positioning.
    pub answered: i64,
    pub threshold: i64,
    /// Whether anything is shown: at least `threshold` institutions answered.
    pub shown: bool,
    /// How many more institutions must answer before anything is shown (0 once shown).
    pub needed: i64,
    pub axes: Vec<Distribution>,
    pub aspects: Vec<Distribution>,
}

/// The network's distributions over the institutions' current positionings, for the institution
/// whose own positioning is `mine`. A distribution is only shown when at least `threshold`
/// (never below [`MIN_THRESHOLD`]) institutions scored it; below that nothing but the number of
/// answers leaves this function. Nothing names an institution.
pub fn network(
    positions: &[Position],
    aspects: &[Aspect],
    threshold: i64,
    mine: Option<&Position>,
) -> Network {
    let threshold = threshold.max(MIN_THRESHOLD);
    let answered = positions.len() as i64;
    let shown = answered >= threshold;
    let distribution = |code: &str| {
        let mut values: Vec<i64> = positions.iter().filter_map(|p| p.score(code)).collect();
        let n = values.len() as i64;
        let show = shown && n >= threshold;
        let mut counts = [0; 5];
        let mut median = None;
        if show {
            for v in &values {
                counts[(*v - LOW) as usize] += 1;
            }
            values.sort_unstable();
            let mid = values.len() / 2;
            median = Some(if values.len() % 2 == 1 {
                values[mid] as f64
            } else {
                (values[mid - 1] + values[mid]) as f64 / 2.0
            });
        }
        Distribution {
            code: code.to_string(),
            answered: n,
            shown: show,
            counts,
            median,
            mine: mine.and_then(|m| m.score(code)),
        }
    };
    Network {
        answered,
        threshold,
        shown,
        needed: (threshold - answered).max(0),
        axes: AXES.iter().map(|a| distribution(a.code)).collect(),
        aspects: aspects.iter().map(|a| distribution(&a.code)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(so: i64, ib: i64, mandaat: Option<i64>) -> Position {
        let mut p = Position::default();
        p.axes.insert("strategisch_operationeel".into(), so);
        p.axes.insert("ict_business".into(), ib);
        if let Some(m) = mandaat {
            p.aspects.insert("mandaat".into(), m);
        }
        p
    }

    #[test]
    fn below_the_threshold_nothing_but_the_count_is_shown() {
        let four: Vec<_> = (1..=4).map(|v| at(v, v, Some(v))).collect();
        let n = network(&four, &seed_aspects(), 5, Some(&four[0]));
        assert!(!n.shown);
        assert_eq!((n.answered, n.needed), (4, 1));
        for d in n.axes.iter().chain(&n.aspects) {
            assert!(!d.shown);
            assert_eq!(d.counts, [0; 5]);
            assert_eq!(d.median, None);
        }
        // Their own score is theirs to see.
        assert_eq!(n.axes[0].mine, Some(1));
    }

    #[test]
    fn from_the_threshold_counts_and_median_are_shown_per_item() {
        let mut five: Vec<_> = (1..=5).map(|v| at(v, 2, Some(v))).collect();
        five[4].aspects.clear();
        let n = network(&five, &seed_aspects(), 5, None);
        assert!(n.shown);
        assert_eq!(n.needed, 0);
        assert_eq!(n.axes[0].counts, [1, 1, 1, 1, 1]);
        assert_eq!(n.axes[0].median, Some(3.0));
        assert_eq!(n.axes[1].counts, [0, 5, 0, 0, 0]);
        // Only four scored the mandate: not shown, though the whole is.
        let mandaat = &n.aspects[0];
        assert_eq!(mandaat.answered, 4);
        assert!(!mandaat.shown);
        assert_eq!(mandaat.counts, [0; 5]);
    }

    #[test]
    fn the_threshold_is_never_below_three() {
        let two: Vec<_> = (1..=2).map(|v| at(v, v, None)).collect();
        let n = network(&two, &[], 1, None);
        assert_eq!(n.threshold, 3);
        assert!(!n.shown);
        assert!(
            SettingsInput {
                threshold: Some(2),
                aspects: vec![]
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn an_even_number_of_answers_has_the_middle_two_as_median() {
        let six: Vec<_> = [1, 2, 2, 4, 5, 5].iter().map(|v| at(*v, 1, None)).collect();
        assert_eq!(network(&six, &[], 3, None).axes[0].median, Some(3.0));
    }

    #[test]
    fn input_is_checked_per_field_as_the_api_names_it() {
        let input = PositionInput {
            axes: vec![("strategisch_operationeel".into(), Some(6))],
            aspects: vec![("mandaat".into(), Some(3)), ("geluk".into(), Some(3))],
            explanations: vec![("mandaat".into(), "Klein team".into())],
            stakeholders: vec![
                StakeholderInput {
                    name: "CvB".into(),
                    power: Some(5),
                    interest: Some(2),
                    ..Default::default()
                },
                StakeholderInput::default(),
                StakeholderInput {
                    name: String::new(),
                    power: Some(9),
                    interest: Some(2),
                    ..Default::default()
                },
            ],
        };
        let e = input.check(&seed_aspects()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "axes.strategisch_operationeel",
                "axes.ict_business",
                "aspects.geluk",
                "stakeholders[2].name",
                "stakeholders[2].power"
            ]
        );
    }

    #[test]
    fn stakeholders_fall_in_the_quadrant_of_their_power_and_interest() {
        let s = |power, interest| Stakeholder {
            name: "x".into(),
            power,
            interest,
            note: String::new(),
            action: String::new(),
        };
        assert_eq!(s(5, 5).quadrant(), Quadrant::ManageClosely);
        assert_eq!(s(4, 1).quadrant(), Quadrant::KeepSatisfied);
        assert_eq!(s(2, 3).quadrant(), Quadrant::KeepInformed);
        assert_eq!(s(1, 2).quadrant(), Quadrant::Monitor);
    }
}
