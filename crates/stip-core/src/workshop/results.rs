//! A workshop's results: the themes ranked by dots with their notes, as Markdown for the
//! meeting's report and as a table.

use super::{Dot, Note, NoteKind, Workshop};
use crate::table::{Cell, Table};
use serde::Serialize;

/// A theme's place in the results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeResult {
    pub theme: String,
    pub dots: u32,
    /// Its notes, by kind in the order of [`NoteKind::ALL`].
    pub notes: Vec<(NoteKind, Vec<Note>)>,
}

/// The themes ranked by dots (ties in the workshop's order), each with its notes by kind;
/// `notes` are those the viewer may see.
pub fn results(w: &Workshop, notes: &[Note], dots: &[Dot]) -> Vec<ThemeResult> {
    let mut out: Vec<ThemeResult> = w
        .data
        .themes
        .iter()
        .map(|theme| ThemeResult {
            theme: theme.clone(),
            dots: dots.iter().filter(|d| &d.theme == theme).count() as u32,
            notes: NoteKind::ALL
                .iter()
                .map(|k| {
                    let of: Vec<Note> = notes
                        .iter()
                        .filter(|n| n.kind == Some(*k) && n.theme.as_deref() == Some(theme))
                        .cloned()
                        .collect();
                    (*k, of)
                })
                .collect(),
        })
        .collect();
    // A stable sort keeps the workshop's order among themes with as many dots.
    out.sort_by_key(|r| std::cmp::Reverse(r.dots));
    out
}

/// The results as Markdown (for the meeting's report): ranking, then each theme's notes.
/// `theme_name` gives a theme's name from its code. Typed text is escaped.
pub fn results_markdown(
    w: &Workshop,
    ranked: &[ThemeResult],
    theme_name: impl Fn(&str) -> String,
) -> String {
    use std::fmt::Write;
    let mut md = format!("## Werksessie: {}\n\n", esc(&w.data.title));
    for (i, r) in ranked.iter().enumerate() {
        let _ = writeln!(
            md,
            "{}. {} — {} {}",
            i + 1,
            esc(&theme_name(&r.theme)),
            r.dots,
            if r.dots == 1 { "stip" } else { "stippen" }
        );
    }
    for r in ranked {
        if r.notes.iter().all(|(_, n)| n.is_empty()) {
            continue;
        }
        let _ = write!(md, "\n### {}\n", esc(&theme_name(&r.theme)));
        for (kind, notes) in &r.notes {
            if notes.is_empty() {
                continue;
            }
            let _ = write!(md, "\n**{}**\n\n", kind.label());
            for n in notes {
                let _ = writeln!(md, "- {}", esc(&n.text).replace('\n', " "));
            }
        }
    }
    md
}

/// The results as a table: a row per note, and a row for each theme without notes, so the
/// ranking reads from the first columns.
pub fn results_table(
    w: &Workshop,
    ranked: &[ThemeResult],
    theme_name: impl Fn(&str) -> String,
) -> Table {
    let mut t = Table {
        headers: ["Plaats", "Thema", "Stippen", "Soort", "Notitie", "Groep"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for (i, r) in ranked.iter().enumerate() {
        let lead = || {
            vec![
                Cell::Number((i + 1) as f64),
                Cell::Text(theme_name(&r.theme)),
                Cell::Number(r.dots as f64),
            ]
        };
        let mut any = false;
        for (kind, notes) in &r.notes {
            for n in notes {
                any = true;
                let mut row = lead();
                row.push(Cell::Text(kind.label().into()));
                row.push(Cell::Text(n.text.clone()));
                row.push(Cell::Text(w.group_name(n.group).into()));
                t.rows.push(row);
            }
        }
        if !any {
            let mut row = lead();
            row.extend([
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
            ]);
            t.rows.push(row);
        }
    }
    t
}

/// Typed text as literal Markdown inside a line: every character Markdown (or HTML) could read
/// as markup there is escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\`*_[]<>#|~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::tests::{dot, workshop};

    #[test]
    fn results_rank_by_dots_and_keep_the_workshops_order_on_ties() {
        let w = workshop();
        let dots = [dot("a", "LEER"), dot("b", "LEER"), dot("c", "BURG")];
        let ranked = results(&w, &[], &dots);
        let order: Vec<(&str, u32)> = ranked.iter().map(|r| (r.theme.as_str(), r.dots)).collect();
        assert_eq!(order, [("LEER", 2), ("BURG", 1), ("LLO", 0)]);
        let w2 = workshop();
        let tie = results(&w2, &[], &[]);
        assert_eq!(tie[0].theme, "LLO");
    }
}
