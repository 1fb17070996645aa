//! MORA process areas: the process areas of the sector's reference architecture (*MBO
//! Referentie Architectuur*), a reference list the beheerder edits and projects map to, so
//! networks compare portfolios in the architecture's terms as well as the agenda's.
//!
//! An area is a main area or a sub-area of one (the seven parts of Bedrijfsvoering); one level
//! deep, as the architecture has it. Filtering on a main area also finds the projects mapped to
//! its sub-areas.

use crate::agenda::position;
use crate::error::{code, required_text};
use crate::{ErrorCode, Invalid};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoraAreaData {
    /// A lowercase slug: `onderwijs-uitvoeren`, `bedrijfsvoering-hrm`.
    pub code: String,
    pub name: String,
    /// The code of the main area this is a part of; `None` for a main area.
    pub parent: Option<String>,
    /// Its place among the areas beside it (the main areas, or the parts of one).
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoraArea {
    pub id: i64,
    #[serde(flatten)]
    pub data: MoraAreaData,
    pub version: i64,
}

/// The area form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MoraAreaInput {
    pub code: String,
    pub name: String,
    pub parent: String,
    pub position: String,
}

impl MoraAreaData {
    /// Checks an area against the stored `areas`: its main area must be one of them and a main
    /// area itself (the architecture is one level deep), and never the area itself.
    pub fn parse(input: &MoraAreaInput, areas: &[MoraArea]) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let code = e.take("code", code(&input.code));
        let name = e.take("name", required_text(&input.name, 120));
        let parent = input.parent.trim();
        let parent = if parent.is_empty() {
            Some(None)
        } else {
            match areas.iter().find(|a| a.data.code == parent) {
                None => {
                    e.push("parent", ErrorCode::Unknown);
                    None
                }
                Some(p) if p.data.parent.is_some() || code.as_deref() == Some(parent) => {
                    e.push("parent", ErrorCode::InvalidChoice);
                    None
                }
                Some(_) => Some(Some(parent.to_string())),
            }
        };
        let position = e.take("position", position(&input.position));
        match (code, name, parent, position) {
            (Some(code), Some(name), Some(parent), Some(position)) => e.into_result(MoraAreaData {
                code,
                name,
                parent,
                position,
            }),
            _ => Err(e),
        }
    }
}

impl From<&MoraAreaData> for MoraAreaInput {
    fn from(d: &MoraAreaData) -> Self {
        MoraAreaInput {
            code: d.code.clone(),
            name: d.name.clone(),
            parent: d.parent.clone().unwrap_or_default(),
            position: d.position.to_string(),
        }
    }
}

/// Why an area cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InUse {
    /// This many projects map to it.
    Projects(usize),
    /// It has this many sub-areas.
    SubAreas(usize),
}

/// The areas in the order the architecture lists them: each main area by position, directly
/// followed by its sub-areas by position. A sub-area whose main area is missing comes last.
pub fn in_tree_order(mut areas: Vec<MoraArea>) -> Vec<MoraArea> {
    areas.sort_by_key(|a| (a.data.position, a.id));
    let (mains, subs): (Vec<MoraArea>, Vec<MoraArea>) =
        areas.into_iter().partition(|a| a.data.parent.is_none());
    let mut out = Vec::with_capacity(mains.len() + subs.len());
    let mut rest = subs;
    for main in mains {
        let (mine, others): (Vec<MoraArea>, Vec<MoraArea>) = rest
            .into_iter()
            .partition(|s| s.data.parent.as_deref() == Some(main.data.code.as_str()));
        rest = others;
        out.push(main);
        out.extend(mine);
    }
    out.extend(rest);
    out
}

/// The main areas, each with its sub-areas, in tree order (see [`in_tree_order`]).
pub fn tree(areas: &[MoraArea]) -> Vec<(&MoraArea, Vec<&MoraArea>)> {
    areas
        .iter()
        .filter(|a| a.data.parent.is_none())
        .map(|main| {
            let subs = areas
                .iter()
                .filter(|s| s.data.parent.as_deref() == Some(main.data.code.as_str()))
                .collect();
            (main, subs)
        })
        .collect()
}

/// The areas Stip ships, as migration `0008_mora.sql` seeds them: the MORA's process areas,
/// with the seven parts of Bedrijfsvoering as its sub-areas.
pub fn default_areas() -> Vec<MoraAreaData> {
    let area = |code: &str, name: &str, parent: Option<&str>, position| MoraAreaData {
        code: code.into(),
        name: name.into(),
        parent: parent.map(Into::into),
        position,
    };
    let bv = Some("bedrijfsvoering");
    vec![
        area(
            "verbinding-maatschappij",
            "Verbinding met maatschappij, bedrijfsleven en regio",
            None,
            1,
        ),
        area(
            "strategie-beleid-sturing",
            "Strategie, beleid en sturing",
            None,
            2,
        ),
        area("tactisch-inrichten", "Tactisch inrichten", None, 3),
        area("onderzoek-innovatie", "Onderzoek en innovatie", None, 4),
        area("instroom", "Instroom", None, 5),
        area("onderwijs-ontwikkelen", "Onderwijs ontwikkelen", None, 6),
        area("onderwijs-uitvoeren", "Onderwijs uitvoeren", None, 7),
        area("examineren-diplomeren", "Examineren en diplomeren", None, 8),
        area("student-begeleiden", "Student begeleiden", None, 9),
        area("onderwijs-ondersteunen", "Onderwijs ondersteunen", None, 10),
        area("uitstroom", "Uitstroom", None, 11),
        area("bedrijfsvoering", "Bedrijfsvoering", None, 12),
        area("bedrijfsvoering-communicatie", "Communicatie", bv, 1),
        area(
            "bedrijfsvoering-facility-ict",
            "Facility- en ICT-management",
            bv,
            2,
        ),
        area("bedrijfsvoering-financien", "Financieel management", bv, 3),
        area("bedrijfsvoering-hrm", "HRM", bv, 4),
        area(
            "bedrijfsvoering-informatie-data",
            "Informatie- en datamanagement",
            bv,
            5,
        ),
        area(
            "bedrijfsvoering-inkoop-contract",
            "Inkoop en contractmanagement",
            bv,
            6,
        ),
        area(
            "bedrijfsvoering-juridisch",
            "Juridische ondersteuning",
            bv,
            7,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Vec<MoraArea> {
        default_areas()
            .into_iter()
            .enumerate()
            .map(|(i, data)| MoraArea {
                id: i as i64 + 1,
                data,
                version: 1,
            })
            .collect()
    }

    #[test]
    fn the_shipped_areas_are_valid_and_bedrijfsvoering_has_seven_parts() {
        let areas = stored();
        for a in &areas {
            assert_eq!(
                MoraAreaData::parse(&MoraAreaInput::from(&a.data), &areas).as_ref(),
                Ok(&a.data)
            );
        }
        let tree = tree(&areas);
        assert_eq!(tree.len(), 12);
        assert_eq!(tree[11].0.data.code, "bedrijfsvoering");
        assert_eq!(tree[11].1.len(), 7);
        assert!(tree[..11].iter().all(|(_, subs)| subs.is_empty()));
    }

    #[test]
    fn a_sub_area_belongs_to_a_main_area_never_to_itself_or_another_sub_area() {
        let areas = stored();
        let input = |code: &str, parent: &str| MoraAreaInput {
            code: code.into(),
            name: "Roosteren".into(),
            parent: parent.into(),
            position: String::new(),
        };
        let ok = MoraAreaData::parse(&input("roosteren", "onderwijs-uitvoeren"), &areas).unwrap();
        assert_eq!(ok.parent.as_deref(), Some("onderwijs-uitvoeren"));
        let err = |i| MoraAreaData::parse(&i, &areas).unwrap_err();
        assert_eq!(
            err(input("roosteren", "ruimtevaart")).for_field("parent"),
            Some(&ErrorCode::Unknown)
        );
        assert_eq!(
            err(input("roosteren", "bedrijfsvoering-hrm")).for_field("parent"),
            Some(&ErrorCode::InvalidChoice)
        );
        assert_eq!(
            err(input("instroom", "instroom")).for_field("parent"),
            Some(&ErrorCode::InvalidChoice)
        );
        assert_eq!(
            err(input("Met Hoofdletters", "")).for_field("code"),
            Some(&ErrorCode::InvalidCode)
        );
    }

    #[test]
    fn tree_order_puts_sub_areas_right_after_their_main_area() {
        let mut areas = stored();
        areas.reverse();
        let codes: Vec<String> = in_tree_order(areas)
            .into_iter()
            .map(|a| a.data.code)
            .collect();
        let want: Vec<String> = default_areas().into_iter().map(|a| a.code).collect();
        assert_eq!(codes, want);
    }
}
