//! Versions of the strategic agenda: the 2018–2022 agenda is followed by a new one. A new version
//! starts as a copy of the active one (same codes), is edited while it is a concept, and is then
//! activated with a mapping of each old theme to zero or more new ones: [`remap`] decides, per
//! project, its themes under the new agenda and whether someone should look at them again.

use crate::agenda::{MainLineData, MainLineInput, ThemeData, ThemeInput};
use crate::error::required_text;
use crate::{ErrorCode, Invalid, code_enum};
use serde::Serialize;
use std::collections::BTreeMap;

code_enum!(
    /// Where a version is in its life: a concept being prepared (projects do not use it yet),
    /// the active one projects are mapped to now, or a previous one (readable, with how
    /// projects were mapped to it).
    Status {
        Concept => "concept",
        Active => "actief",
        Previous => "vorig",
    }
);

/// A version's main lines and themes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct Content {
    pub main_lines: Vec<MainLineContent>,
    pub themes: Vec<ThemeContent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MainLineContent {
    pub code: String,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ThemeContent {
    pub code: String,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub main_line: Option<String>,
    pub position: i64,
}

impl From<&ThemeData> for ThemeContent {
    fn from(d: &ThemeData) -> Self {
        ThemeContent {
            code: d.code.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            colour: d.colour.clone(),
            main_line: d.main_line.clone(),
            position: d.position,
        }
    }
}

impl Content {
    pub fn has_theme(&self, code: &str) -> bool {
        self.themes.iter().any(|t| t.code == code)
    }
}

/// A version's content as typed or sent: rows of main lines and themes, rows left wholly empty
/// ignored.
#[derive(Debug, Clone, Default)]
pub struct ContentInput {
    pub name: String,
    pub main_lines: Vec<MainLineInput>,
    pub themes: Vec<ThemeInput>,
}

impl ContentInput {
    /// Checks the name and every row, fields named `main_lines[0].code`, `themes[2].colour`;
    /// codes must be unique and a theme's main line one of the version's.
    pub fn check(&self) -> Result<(String, Content), Invalid> {
        let mut e = Invalid::default();
        let name = e.take("name", required_text(&self.name, 120));
        let mut content = Content::default();
        let blank_line = |l: &MainLineInput| {
            l.code.trim().is_empty() && l.name.trim().is_empty() && l.position.trim().is_empty()
        };
        for (i, l) in self.main_lines.iter().enumerate() {
            if blank_line(l) {
                continue;
            }
            match MainLineData::parse(l) {
                Ok(d) if content.main_lines.iter().any(|m| m.code == d.code) => {
                    e.push(&format!("main_lines[{i}].code"), ErrorCode::Duplicate)
                }
                Ok(d) => content.main_lines.push(MainLineContent {
                    code: d.code,
                    name: d.name,
                    position: d.position,
                }),
                Err(inner) => prefixed(&mut e, &format!("main_lines[{i}]"), inner),
            }
        }
        let lines: Vec<crate::agenda::MainLine> = content
            .main_lines
            .iter()
            .map(|m| crate::agenda::MainLine {
                id: 0,
                code: m.code.clone(),
                name: m.name.clone(),
                position: m.position,
                version: 0,
            })
            .collect();
        for (i, t) in self.themes.iter().enumerate() {
            let blank = [&t.code, &t.name, &t.description, &t.colour, &t.main_line]
                .iter()
                .all(|f| f.trim().is_empty());
            if blank {
                continue;
            }
            match ThemeData::parse(t, &lines) {
                Ok(d) if content.has_theme(&d.code) => {
                    e.push(&format!("themes[{i}].code"), ErrorCode::Duplicate)
                }
                Ok(d) => content.themes.push(ThemeContent::from(&d)),
                Err(inner) => prefixed(&mut e, &format!("themes[{i}]"), inner),
            }
        }
        if content.themes.is_empty() && e.is_empty() {
            e.push("themes", ErrorCode::Required);
        }
        match name {
            Some(name) => e.into_result((name, content)),
            None => Err(e),
        }
    }
}

fn prefixed(e: &mut Invalid, prefix: &str, inner: Invalid) {
    for f in inner.0 {
        e.push(&format!("{prefix}.{}", f.field), f.code);
    }
}

/// The names of the main lines and themes that differ between `before` and `now` (added,
/// removed or changed), main lines first.
pub fn changed(before: &Content, now: &Content) -> Vec<String> {
    let mut out = Vec::new();
    for l in &now.main_lines {
        if !before.main_lines.contains(l) {
            out.push(l.name.clone());
        }
    }
    for l in &before.main_lines {
        if !now.main_lines.iter().any(|n| n.code == l.code) {
            out.push(l.name.clone());
        }
    }
    for t in &now.themes {
        if !before.themes.contains(t) {
            out.push(t.name.clone());
        }
    }
    for t in &before.themes {
        if !now.has_theme(&t.code) {
            out.push(t.name.clone());
        }
    }
    out
}

/// How each old theme carries over: old code → new codes. An old theme the mapping does not
/// name keeps its code when the new version has it, and is dropped otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub BTreeMap<String, Vec<String>>);

impl Mapping {
    /// Checks a mapping against the old and new themes: every key an old theme's code
    /// (`mapping.CODE` unknown), every target a new theme's (`mapping.CODE[1]` unknown).
    pub fn check(
        sent: &BTreeMap<String, Vec<String>>,
        old: &Content,
        new: &Content,
    ) -> Result<Mapping, Invalid> {
        let mut e = Invalid::default();
        let mut out = BTreeMap::new();
        for (from, to) in sent {
            let from = from.trim();
            if !old.has_theme(from) {
                e.push(&format!("mapping.{from}"), ErrorCode::Unknown);
                continue;
            }
            let mut targets: Vec<String> = Vec::new();
            for (i, t) in to.iter().enumerate() {
                let t = t.trim();
                if !new.has_theme(t) {
                    e.push(&format!("mapping.{from}[{i}]"), ErrorCode::Unknown);
                } else if !targets.iter().any(|x| x == t) {
                    targets.push(t.to_string());
                }
            }
            out.insert(from.to_string(), targets);
        }
        e.into_result(Mapping(out))
    }

    /// The new themes of old theme `code`.
    pub fn targets<'a>(&'a self, code: &'a str, new: &Content) -> Vec<&'a str> {
        match self.0.get(code) {
            Some(to) => to.iter().map(String::as_str).collect(),
            None if new.has_theme(code) => vec![code],
            None => Vec::new(),
        }
    }
}

code_enum!(
    /// Why a project's new themes should be looked at again: its primary theme maps to several
    /// new themes (the first became primary), or to none (another of its themes became
    /// primary).
    Review {
        PrimarySplit => "hoofdthema-gesplitst",
        PrimaryDropped => "hoofdthema-vervallen",
    }
);

/// A project's themes under the new agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remapped {
    /// Its themes, the primary first, and why to look again, if at all.
    Themes(Vec<String>, Option<Review>),
    /// None of its themes carries over.
    Orphaned,
}

/// Moves a project's themes (`old`, the primary first) by the mapping: each old theme becomes its
/// targets, in order, without repeats. The primary stays primary where its mapping gives exactly
/// one theme; where it gives several, the first becomes primary (to review); where it gives none,
/// the first theme that the others map to becomes primary (to review).
pub fn remap(old: &[String], mapping: &Mapping, new: &Content) -> Remapped {
    let mut themes: Vec<String> = Vec::new();
    for code in old {
        for t in mapping.targets(code, new) {
            if !themes.iter().any(|x| x == t) {
                themes.push(t.to_string());
            }
        }
    }
    if themes.is_empty() {
        return Remapped::Orphaned;
    }
    let primary = old
        .first()
        .map(|c| mapping.targets(c, new).len())
        .unwrap_or(0);
    let review = match primary {
        1 => None,
        0 => Some(Review::PrimaryDropped),
        _ => Some(Review::PrimarySplit),
    };
    Remapped::Themes(themes, review)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(codes: &[&str]) -> Content {
        Content {
            main_lines: vec![],
            themes: codes
                .iter()
                .map(|c| ThemeContent {
                    code: c.to_string(),
                    name: c.to_uppercase(),
                    description: String::new(),
                    colour: "#123456".into(),
                    main_line: None,
                    position: 0,
                })
                .collect(),
        }
    }

    fn mapping(pairs: &[(&str, &[&str])]) -> Mapping {
        Mapping(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
        )
    }

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_theme_the_mapping_leaves_alone_keeps_its_code_when_the_new_agenda_has_it() {
        let new = content(&["data", "llo"]);
        let m = mapping(&[]);
        assert_eq!(
            remap(&codes(&["llo", "data", "oud"]), &m, &new),
            Remapped::Themes(codes(&["llo", "data"]), None)
        );
    }

    #[test]
    fn the_primary_theme_stays_primary_where_the_mapping_allows() {
        let new = content(&["data", "leren", "llo"]);
        let m = mapping(&[
            ("dataonderwijs", &["data"]),
            ("leermiddelen", &["leren", "data"]),
        ]);
        assert_eq!(
            remap(&codes(&["dataonderwijs", "leermiddelen"]), &m, &new),
            Remapped::Themes(codes(&["data", "leren"]), None)
        );
        // Split: the first target becomes primary, to review.
        assert_eq!(
            remap(&codes(&["leermiddelen", "llo"]), &m, &new),
            Remapped::Themes(codes(&["leren", "data", "llo"]), Some(Review::PrimarySplit))
        );
    }

    #[test]
    fn a_primary_theme_mapped_to_nothing_gives_way_to_the_next_and_is_flagged() {
        let new = content(&["data"]);
        let m = mapping(&[("innovatie", &[])]);
        assert_eq!(
            remap(&codes(&["innovatie", "data"]), &m, &new),
            Remapped::Themes(codes(&["data"]), Some(Review::PrimaryDropped))
        );
        assert_eq!(remap(&codes(&["innovatie"]), &m, &new), Remapped::Orphaned);
    }

    #[test]
    fn a_mapping_names_only_old_themes_and_new_targets() {
        let old = content(&["a", "b"]);
        let new = content(&["x"]);
        let sent: BTreeMap<String, Vec<String>> = [
            ("a".to_string(), vec!["x".to_string(), "y".to_string()]),
            ("zz".to_string(), vec![]),
        ]
        .into_iter()
        .collect();
        let e = Mapping::check(&sent, &old, &new).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["mapping.a[1]", "mapping.zz"]);
    }

    #[test]
    fn a_version_needs_a_name_and_themes_with_unique_codes() {
        let theme = |code: &str| ThemeInput {
            code: code.into(),
            name: "Thema".into(),
            colour: "#336699".into(),
            ..Default::default()
        };
        let input = ContentInput {
            name: " ".into(),
            main_lines: vec![MainLineInput {
                code: "onderwijs".into(),
                name: "Onderwijs".into(),
                position: String::new(),
            }],
            themes: vec![theme("a"), ThemeInput::default(), theme("a")],
        };
        let e = input.check().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "themes[2].code"]);
    }
}
