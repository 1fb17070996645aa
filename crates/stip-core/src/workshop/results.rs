//! A workshop's results: the themes ranked by dots with their notes, and what each perspective
//! group wrote per question in phase 1; as Markdown for the meeting's report and as a table.

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

/// What a perspective group wrote in phase 1, per question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    /// The group's name ("Strategisch").
    pub name: String,
    /// Every question of the workshop, in order, with the group's notes on it.
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub text: String,
    pub notes: Vec<Note>,
}

impl GroupResult {
    /// The questions the group wrote notes on, each with its number (1 for the first).
    pub fn answered(&self) -> impl Iterator<Item = (usize, &QuestionResult)> {
        self.questions
            .iter()
            .enumerate()
            .filter(|(_, q)| !q.notes.is_empty())
            .map(|(i, q)| (i + 1, q))
    }

    pub fn has_notes(&self) -> bool {
        self.answered().next().is_some()
    }
}

/// Phase 1's output: every group of the workshop, in order, with its notes per question;
/// `notes` are those the viewer may see.
pub fn perspectives(w: &Workshop, notes: &[Note]) -> Vec<GroupResult> {
    w.data
        .groups
        .iter()
        .enumerate()
        .map(|(g, name)| GroupResult {
            name: name.clone(),
            questions: w
                .data
                .questions
                .iter()
                .enumerate()
                .map(|(q, text)| QuestionResult {
                    text: text.clone(),
                    notes: notes
                        .iter()
                        .filter(|n| n.group == g && n.question == Some(q))
                        .cloned()
                        .collect(),
                })
                .collect(),
        })
        .collect()
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
    groups: &[GroupResult],
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
    if groups.iter().any(GroupResult::has_notes) {
        md.push_str("\n### Groepswerk per perspectief\n");
        for g in groups.iter().filter(|g| g.has_notes()) {
            let _ = write!(md, "\n#### {}\n", esc(&g.name));
            for (number, q) in g.answered() {
                let _ = write!(md, "\n**{number}. {}**\n\n", esc(&q.text));
                for n in &q.notes {
                    let _ = writeln!(md, "- {}", esc(&n.text).replace('\n', " "));
                }
            }
        }
    }
    md
}

/// The results as a table: a row per note, and a row for each theme without notes, so the
/// ranking reads from the first columns; then a row per note of the groups' work in phase 1,
/// with its question.
pub fn results_table(
    w: &Workshop,
    ranked: &[ThemeResult],
    groups: &[GroupResult],
    theme_name: impl Fn(&str) -> String,
) -> Table {
    let mut t = Table {
        headers: [
            "Plaats", "Thema", "Stippen", "Soort", "Notitie", "Groep", "Vraag",
        ]
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
                row.push(Cell::Text(String::new()));
                t.rows.push(row);
            }
        }
        if !any {
            let mut row = lead();
            row.extend([
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
            ]);
            t.rows.push(row);
        }
    }
    for g in groups {
        for (number, q) in g.answered() {
            for n in &q.notes {
                t.rows.push(vec![
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Text("Groepswerk".into()),
                    Cell::Text(n.text.clone()),
                    Cell::Text(g.name.clone()),
                    Cell::Text(format!("{number}. {}", q.text)),
                ]);
            }
        }
    }
    t
}

/// What the duos and trios of the comparing step wrote, per group (its institutions' names
/// and the texts): appended to the results as Markdown, under its own heading.
pub fn together_markdown(groups: &[(String, Vec<String>)]) -> String {
    use std::fmt::Write;
    if groups.is_empty() {
        return String::new();
    }
    let mut md = String::from("\n### Wat kunnen we samen?\n");
    for (names, notes) in groups {
        let _ = writeln!(md, "\n#### {}\n", esc(names));
        for n in notes {
            let _ = writeln!(md, "- {}", esc(n));
        }
    }
    md
}

/// The same as rows of [`results_table`]: kind "Samen", the group in the group's column.
pub fn together_rows(t: &mut Table, groups: &[(String, Vec<String>)]) {
    for (names, notes) in groups {
        for n in notes {
            t.rows.push(vec![
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text("Samen".into()),
                Cell::Text(n.clone()),
                Cell::Text(names.clone()),
                Cell::Text("Wat kunnen we samen?".into()),
            ]);
        }
    }
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

    fn note(id: i64, group: usize, question: Option<usize>, text: &str) -> Note {
        Note {
            id,
            participant_id: 7,
            author: "Anouk".into(),
            group,
            question,
            kind: None,
            theme: None,
            text: text.into(),
            hidden: false,
            created_at: String::new(),
        }
    }

    #[test]
    fn phase_one_is_kept_per_group_and_question_in_every_output() {
        let w = workshop();
        let notes = [
            note(1, 0, Some(0), "Het roosterproject van de teams"),
            note(2, 2, Some(2), "Samen inkopen"),
            note(3, 2, Some(0), "Een *eigen* datawarehouse"),
        ];
        let groups = perspectives(&w, &notes);
        assert_eq!(groups.len(), 4);
        assert_eq!(groups[0].name, "Strategisch");
        assert_eq!(
            groups[0].questions[0].notes[0].text,
            "Het roosterproject van de teams"
        );
        assert!(groups[1].questions.iter().all(|q| q.notes.is_empty()));
        assert_eq!(groups[2].questions[0].notes[0].id, 3);
        assert_eq!(groups[2].questions[2].notes[0].id, 2);

        let md = results_markdown(&w, &results(&w, &notes, &[]), &groups, str::to_string);
        let part = &md[md.find("### Groepswerk per perspectief").unwrap()..];
        assert!(
            part.contains("#### Strategisch\n\n**1. Wat speelt er"),
            "{md}"
        );
        assert!(part.contains("- Een \\*eigen\\* datawarehouse"), "{md}");
        assert!(
            !part.contains("#### Operationeel"),
            "a group without notes is left out"
        );

        let table = results_table(&w, &results(&w, &notes, &[]), &groups, str::to_string);
        let ict: Vec<_> = table
            .rows
            .iter()
            .filter(|r| r[5] == Cell::Text("ICT".into()))
            .collect();
        assert_eq!(ict.len(), 2);
        assert_eq!(ict[1][4], Cell::Text("Samen inkopen".into()));
        assert!(matches!(&ict[1][6], Cell::Text(q) if q.starts_with("3. Wat moet het netwerk")));
    }
}
