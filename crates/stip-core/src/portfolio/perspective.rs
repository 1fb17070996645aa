//! A project's perspective on the seed's two axes, the poles the portfolio filters on, and the
//! quadrant the perspective falls in (the overview's balance counts projects by it).

use super::ProjectData;
use crate::code_enum;
use serde::Serialize;

code_enum!(
    /// One pole of the seed's two perspective axes; used to filter the portfolio.
    PerspectivePole {
        Strategisch => "strategisch",
        Operationeel => "operationeel",
        Ict => "ict",
        Business => "business",
    }
);

/// Perspectief on the seed's two axes, each 1–5: 1 = strategisch … 5 = operationeel, and
/// 1 = ICT … 5 = business. `None` when not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Perspective {
    pub strategic_operational: Option<u8>,
    pub ict_business: Option<u8>,
}

impl Perspective {
    pub fn leans(&self, pole: PerspectivePole) -> bool {
        match pole {
            PerspectivePole::Strategisch => self.strategic_operational.is_some_and(|v| v <= 2),
            PerspectivePole::Operationeel => self.strategic_operational.is_some_and(|v| v >= 4),
            PerspectivePole::Ict => self.ict_business.is_some_and(|v| v <= 2),
            PerspectivePole::Business => self.ict_business.is_some_and(|v| v >= 4),
        }
    }
}

code_enum!(
    /// The seed's perspective quadrant of a project: which way it leans on both axes. A
    /// project in the middle of an axis, or not assessed on it, has no quadrant.
    Quadrant {
        StrategicIct => "strategisch-ict",
        StrategicBusiness => "strategisch-business",
        OperationalIct => "operationeel-ict",
        OperationalBusiness => "operationeel-business",
    }
);

impl Quadrant {
    pub fn of(d: &ProjectData) -> Option<Quadrant> {
        Quadrant::of_perspective(&d.perspective)
    }

    pub fn of_perspective(p: &Perspective) -> Option<Quadrant> {
        let so = p.strategic_operational?;
        let ib = p.ict_business?;
        match (so, ib) {
            (1..=2, 1..=2) => Some(Quadrant::StrategicIct),
            (1..=2, 4..=5) => Some(Quadrant::StrategicBusiness),
            (4..=5, 1..=2) => Some(Quadrant::OperationalIct),
            (4..=5, 4..=5) => Some(Quadrant::OperationalBusiness),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::tests::{refs, valid};

    #[test]
    fn a_project_in_the_middle_of_an_axis_has_no_quadrant() {
        let mut d = ProjectData::parse(&valid(), &refs()).unwrap();
        d.perspective.strategic_operational = Some(3);
        assert_eq!(Quadrant::of(&d), None);
        d.perspective = Perspective::default();
        assert_eq!(Quadrant::of(&d), None);
    }
}
