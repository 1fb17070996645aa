//! The strategic agenda: hoofdlijnen (main lines) and their themes, policy drivers and the
//! portfolio criteria a network weighs its projects by.

use crate::error::{code, optional_text, required_text};
use crate::number::{Hundredths, integer_in};
use crate::{ErrorCode, Invalid, code_enum};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MainLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub position: i64,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeData {
    pub code: String,
    pub name: String,
    pub description: String,
    /// `#rrggbb`; always shown together with the theme's name.
    pub colour: String,
    /// None for a generic line across all main lines (Innovatie).
    pub main_line: Option<String>,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Theme {
    pub id: i64,
    #[serde(flatten)]
    pub data: ThemeData,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ThemeInput {
    pub code: String,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub main_line: String,
    pub position: String,
}

impl ThemeData {
    pub fn parse(input: &ThemeInput, main_lines: &[MainLine]) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let code = e.take("code", code(&input.code));
        let name = e.take("name", required_text(&input.name, 120));
        let description = e.take("description", optional_text(&input.description, 2000));
        let colour = e.take("colour", colour(&input.colour));
        let main_line = if input.main_line.trim().is_empty() {
            Some(None)
        } else if main_lines.iter().any(|m| m.code == input.main_line.trim()) {
            Some(Some(input.main_line.trim().to_string()))
        } else {
            e.push("main_line", ErrorCode::Unknown);
            None
        };
        let position = e.take("position", position(&input.position));
        match (code, name, description, colour, main_line, position) {
            (
                Some(code),
                Some(name),
                Some(description),
                Some(colour),
                Some(main_line),
                Some(position),
            ) => e.into_result(ThemeData {
                code,
                name,
                description,
                colour,
                main_line,
                position,
            }),
            _ => Err(e),
        }
    }
}

impl From<&ThemeData> for ThemeInput {
    fn from(d: &ThemeData) -> Self {
        ThemeInput {
            code: d.code.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            colour: d.colour.clone(),
            main_line: d.main_line.clone().unwrap_or_default(),
            position: d.position.to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MainLineInput {
    pub code: String,
    pub name: String,
    pub position: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainLineData {
    pub code: String,
    pub name: String,
    pub position: i64,
}

impl MainLineData {
    pub fn parse(input: &MainLineInput) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let code = e.take("code", code(&input.code));
        let name = e.take("name", required_text(&input.name, 200));
        let position = e.take("position", position(&input.position));
        match (code, name, position) {
            (Some(code), Some(name), Some(position)) => e.into_result(MainLineData {
                code,
                name,
                position,
            }),
            _ => Err(e),
        }
    }
}

/// A place in a list's order; empty is 0.
pub(crate) fn position(raw: &str) -> Result<i64, ErrorCode> {
    if raw.trim().is_empty() {
        Ok(0)
    } else {
        integer_in(raw, 0, 10_000)
    }
}

/// A colour as `#rrggbb`, lower case.
pub fn colour(raw: &str) -> Result<String, ErrorCode> {
    let t = raw.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    let ok = t.len() == 7 && t.starts_with('#') && t[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(t)
    } else {
        Err(ErrorCode::InvalidColour)
    }
}

/// How far apart two `#rrggbb` colours look: the distance in CIE L*a*b* (ΔE 1976). Below about
/// 20 two theme dots, or a theme dot beside a status dot, are easily mistaken for each other.
pub fn colour_distance(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (lab(a)?, lab(b)?);
    Some(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2) + (a.2 - b.2).powi(2)).sqrt())
}

/// The distance below which [`colour_distance`] calls two colours too alike.
pub const TOO_ALIKE: f64 = 20.0;

fn lab(hex: &str) -> Option<(f64, f64, f64)> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    let (r, g, b) = (channel(0)?, channel(2)?, channel(4)?);
    // sRGB to XYZ (D65), relative to the white point.
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    Some((116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)))
}

/// A beleidsagenda or drijfveer: why an institution takes on a project (krimp, diversiteit, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyDriver {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PolicyDriverInput {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDriverData {
    pub code: String,
    pub name: String,
}

impl PolicyDriverData {
    pub fn parse(input: &PolicyDriverInput) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let code = e.take("code", code(&input.code));
        let name = e.take("name", required_text(&input.name, 120));
        match (code, name) {
            (Some(code), Some(name)) => e.into_result(PolicyDriverData { code, name }),
            _ => Err(e),
        }
    }
}

code_enum!(
    /// Whether a high score on a criterion makes a project more (positief) or less attractive.
    Direction {
        Positive => "positief",
        Negative => "negatief",
    }
);

/// A weighted portfolio criterion, scored 1–5 per project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionData {
    pub code: String,
    pub name: String,
    /// Weight in hundredths (1,5 → 150).
    pub weight: Hundredths,
    pub direction: Direction,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub id: i64,
    #[serde(flatten)]
    pub data: CriterionData,
    pub version: i64,
}

impl Serialize for Hundredths {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CriterionInput {
    pub code: String,
    pub name: String,
    pub weight: String,
    pub direction: String,
    pub position: String,
}

impl CriterionData {
    pub fn parse(input: &CriterionInput) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let code = e.take("code", code(&input.code));
        let name = e.take("name", required_text(&input.name, 120));
        let weight = e.take(
            "weight",
            Hundredths::parse(&input.weight).and_then(|w| {
                if w.0 > 0 && w.0 <= 10_000 {
                    Ok(w)
                } else {
                    Err(ErrorCode::OutOfRange { min: 0, max: 100 })
                }
            }),
        );
        let direction = e.take(
            "direction",
            crate::error::choice(&input.direction, Direction::parse),
        );
        let position = e.take("position", position(&input.position));
        match (code, name, weight, direction, position) {
            (Some(code), Some(name), Some(weight), Some(direction), Some(position)) => e
                .into_result(CriterionData {
                    code,
                    name,
                    weight,
                    direction,
                    position,
                }),
            _ => Err(e),
        }
    }
}

impl From<&CriterionData> for CriterionInput {
    fn from(d: &CriterionData) -> Self {
        CriterionInput {
            code: d.code.clone(),
            name: d.name.clone(),
            weight: d.weight.to_dutch(),
            direction: d.direction.code().to_string(),
            position: d.position.to_string(),
        }
    }
}

/// The default agenda: *Strategische agenda digitalisering mbo 2018–2022*.
pub struct DefaultAgenda {
    pub main_lines: Vec<MainLineData>,
    pub themes: Vec<ThemeData>,
    pub drivers: Vec<PolicyDriverData>,
    pub criteria: Vec<CriterionData>,
}

pub fn default_agenda() -> DefaultAgenda {
    let ml = |code: &str, name: &str, position| MainLineData {
        code: code.into(),
        name: name.into(),
        position,
    };
    let th =
        |code: &str, name: &str, line: Option<&str>, colour: &str, position, description: &str| {
            ThemeData {
                code: code.into(),
                name: name.into(),
                description: description.into(),
                colour: colour.into(),
                main_line: line.map(Into::into),
                position,
            }
        };
    let dr = |code: &str, name: &str| PolicyDriverData {
        code: code.into(),
        name: name.into(),
    };
    let cr = |code: &str, name: &str, weight, direction, position| CriterionData {
        code: code.into(),
        name: name.into(),
        weight: Hundredths(weight),
        direction,
        position,
    };
    DefaultAgenda {
        main_lines: vec![
            ml("inhoud", "Inhoud van het onderwijs aanpassen", 1),
            ml(
                "flexibilisering",
                "Flexibilisering van het onderwijs realiseren",
                2,
            ),
            ml("leren", "Digitalisering van het leren faciliteren", 3),
        ],
        themes: vec![
            th(
                "llo",
                "Leven lang ontwikkelen (LLO)",
                Some("inhoud"),
                "#0072b2",
                1,
                "Onderwijs voor werkenden en werkzoekenden: flexibel, modulair en erkend.",
            ),
            th(
                "digitaal-burgerschap",
                "Digitaal burgerschap",
                Some("inhoud"),
                "#7b3294",
                2,
                "Studenten leren veilig, kritisch en verantwoord omgaan met digitale middelen.",
            ),
            th(
                "leermiddelen",
                "Leermiddelen",
                Some("flexibilisering"),
                "#00a5b5",
                3,
                "Digitale leermiddelen beschikbaar, betaalbaar en passend bij het onderwijs.",
            ),
            th(
                "eigen-dossier",
                "Eigen dossier",
                Some("flexibilisering"),
                "#e6c200",
                4,
                "De student beheert een eigen dossier met resultaten en bewijzen.",
            ),
            th(
                "onderwijslogistiek",
                "Onderwijslogistiek",
                Some("flexibilisering"),
                "#d6338a",
                5,
                "Roosters, planning en inschrijving die flexibel onderwijs mogelijk maken.",
            ),
            th(
                "docentprofessionalisering",
                "Docentprofessionalisering",
                Some("leren"),
                "#1f2f6b",
                6,
                "Docenten digitaal vaardig en zeker in het ontwerpen van onderwijs.",
            ),
            th(
                "data-ondersteund-onderwijs",
                "Data-ondersteund onderwijs",
                Some("leren"),
                "#8c6d46",
                7,
                "Data gebruiken om het leren en de begeleiding van studenten te verbeteren.",
            ),
            th(
                "innovatie",
                "Innovatie",
                None,
                "#5f6b73",
                8,
                "Een generieke lijn door alle thema's: experimenteren en vernieuwen.",
            ),
        ],
        drivers: vec![
            dr("krimp", "Krimp"),
            dr("diversiteit", "Diversiteit"),
            dr("volwassenenonderwijs", "Volwassenenonderwijs (LLO)"),
        ],
        criteria: vec![
            cr(
                "strategische-bijdrage",
                "Strategische bijdrage",
                300,
                Direction::Positive,
                1,
            ),
            cr(
                "impact-onderwijs",
                "Impact op onderwijs",
                300,
                Direction::Positive,
                2,
            ),
            cr("urgentie", "Urgentie", 200, Direction::Positive, 3),
            cr("inspanning", "Inspanning", 150, Direction::Negative, 4),
            cr("risico", "Risico", 100, Direction::Negative, 5),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_colours_are_far_apart() {
        let themes = default_agenda().themes;
        for (i, a) in themes.iter().enumerate() {
            for b in &themes[i + 1..] {
                let d = colour_distance(&a.colour, &b.colour).unwrap();
                assert!(d >= TOO_ALIKE, "{} and {}: {d:.1}", a.name, b.name);
            }
        }
        assert!(colour_distance("#1d6fa5", "#1f78b4").unwrap() < TOO_ALIKE);
        assert_eq!(colour_distance("#fff", "#ffffff"), None);
    }
}
