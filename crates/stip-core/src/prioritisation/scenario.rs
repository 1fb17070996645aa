//! A named, saved scenario: which candidates, under which caps, with what forced in or out, what
//! requires what, and the criteria's weights. Its selection is worked out when it is read, on
//! the portfolio as it is then.

use crate::error::{ErrorCode, Invalid, required_text};
use crate::number::Hundredths;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a scenario holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioData {
    pub name: String,
    /// The institution whose portfolio it chooses from; `None`: the network's.
    pub institution_id: Option<i64>,
    /// The list's filters that make the candidates, as a query string
    /// (`phase=idee&phase=verkenning`).
    pub candidates: String,
    /// In cents.
    pub budget_cap: Hundredths,
    pub fte_cap: Option<Hundredths>,
    pub forced_in: Vec<i64>,
    pub forced_out: Vec<i64>,
    pub requires: Vec<(i64, i64)>,
    /// Weight per criterion code; a criterion it does not name weighs as the view does.
    pub weights: BTreeMap<String, Hundredths>,
}

/// A stored scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub id: i64,
    #[serde(flatten)]
    pub data: ScenarioData,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// At most this many projects in each of the forced lists and requirements.
pub const MAX_LISTED: usize = 1000;

/// The largest cap: a hundred billion euros, in cents.
pub const MAX_BUDGET_CAP: i64 = 100_000_000_000 * 100;

impl ScenarioData {
    /// The rules a scenario's fields keep, each refusal naming its field, after the refusals
    /// already found while reading it (`before`).
    pub fn check_after(self, before: Invalid) -> Result<ScenarioData, Invalid> {
        match self.check() {
            Ok(d) if before.is_empty() => Ok(d),
            Ok(_) => Err(before),
            Err(e) => {
                let mut all = before;
                all.0.extend(e.0);
                Err(all)
            }
        }
    }

    /// The rules a scenario's fields keep, each refusal naming its field.
    pub fn check(mut self) -> Result<ScenarioData, Invalid> {
        let mut e = Invalid::default();
        if let Some(name) = e.take("name", required_text(&self.name, 120)) {
            self.name = name;
        }
        if !(0..=MAX_BUDGET_CAP).contains(&self.budget_cap.0) {
            e.push(
                "budget_cap",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: MAX_BUDGET_CAP / 100,
                },
            );
        }
        if let Some(fte) = self.fte_cap
            && !(0..=100_000_000).contains(&fte.0)
        {
            e.push(
                "fte_cap",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: 1_000_000,
                },
            );
        }
        if self.candidates.len() > 4000 {
            e.push("candidates", ErrorCode::TooLong { max: 4000 });
        }
        for (field, n) in [
            ("forced_in", self.forced_in.len()),
            ("forced_out", self.forced_out.len()),
            ("requires", self.requires.len()),
        ] {
            if n > MAX_LISTED {
                e.push(field, ErrorCode::TooLong { max: MAX_LISTED });
            }
        }
        if let Err(code) = check_weights(&self.weights) {
            e.push("weights", code);
        }
        self.forced_in.sort_unstable();
        self.forced_in.dedup();
        self.forced_out.sort_unstable();
        self.forced_out.dedup();
        self.requires.sort_unstable();
        self.requires.dedup();
        e.into_result(self)
    }
}

/// Weights run from 0 (does not count) to 100.
pub fn check_weights(weights: &BTreeMap<String, Hundredths>) -> Result<(), ErrorCode> {
    if weights.values().any(|w| !(0..=10_000).contains(&w.0)) {
        return Err(ErrorCode::OutOfRange { min: 0, max: 100 });
    }
    Ok(())
}
