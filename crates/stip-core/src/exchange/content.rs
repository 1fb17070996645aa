//! Which field a column holds by what is in it, when its header does not say: a column of
//! theme names is the theme column whatever it is called, and likewise phases, RAG colours,
//! MORA areas, dates and amounts. And which rows are no project at all: totals, a header
//! repeated further down, a section's heading.

use super::columns::{Field, Header, Reason};
use super::lists::Lists;
use super::sheet::{Cell, Row};
use super::values;
use serde::Serialize;

/// How many values a column needs before its contents say what it is.
const ENOUGH_VALUES: usize = 3;
/// The values read to judge a column.
const SAMPLE: usize = 200;

/// The kinds of value a column can be recognised by, in the order they are tried.
const KINDS: &[Field] = &[
    Field::Themes,
    Field::MoraAreas,
    Field::Phase,
    Field::Status,
    Field::StartDate,
    Field::EndDate,
    Field::Budget,
];

/// Gives each column that holds no field yet (and was not left out by the person) the field
/// its values in `rows` (the sheet's projects) are of, when four in five of them are.
pub(super) fn recognise_by_content(rows: &[&Row], header: &mut Header, lists: &Lists) {
    for i in 0..header.columns.len() {
        let column = &header.columns[i];
        if column.field.is_some() || matches!(column.reason, Reason::Chosen | Reason::Names) {
            continue;
        }
        let cells: Vec<&Cell> = rows
            .iter()
            .map(|r| r.cell(i))
            .filter(|c| !c.is_empty())
            .take(SAMPLE)
            .collect();
        if cells.len() < ENOUGH_VALUES {
            continue;
        }
        for kind in KINDS {
            if header.column_of(kind).is_some() {
                continue;
            }
            let matching = cells.iter().filter(|c| is_of(kind, c, lists)).count();
            if matching * 5 >= cells.len() * 4 {
                header.assign(
                    i,
                    kind.clone(),
                    Reason::Content {
                        matching,
                        values: cells.len(),
                    },
                );
                break;
            }
        }
    }
}

/// Whether a cell holds a value of the field's kind.
fn is_of(kind: &Field, cell: &Cell, lists: &Lists) -> bool {
    let text = cell.text();
    match kind {
        Field::Themes => lists.themes.knows_all(&text),
        Field::MoraAreas => lists.mora_areas.knows_all(&text),
        Field::Phase => values::is_phase(&text),
        Field::Status => values::is_status(&text),
        // A date cell or a date typed out; a bare number is too often something else.
        Field::StartDate | Field::EndDate => match cell {
            Cell::Date(_) => true,
            Cell::Text(t) => values::date(&Cell::Text(t.clone())).is_some(),
            _ => false,
        },
        // An amount that says it is money: "€ 45.000,-", "45.000 euro".
        Field::Budget => values::says_euro(&text) && values::amount(&text).is_some(),
        _ => false,
    }
}

/// Why a row is no project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// A total or subtotal ("Totaal", "Subtotaal onderwijs").
    Total,
    /// The header once more, as long lists repeat it.
    RepeatedHeader,
    /// A section's heading: one cell filled, outside the title column.
    Section,
}

/// A row that is no project, with what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    pub row: usize,
    pub why: Skip,
    /// The row's first filled cell.
    pub text: String,
}

const TOTAL_WORDS: &[&str] = &[
    "totaal",
    "subtotaal",
    "eindtotaal",
    "totalen",
    "total",
    "subtotal",
    "grandtotal",
    "som",
];

/// Which rows are no project, judged against a sheet's header (its names normalised once: a
/// long sheet asks for every row).
pub(super) struct RowsToSkip {
    title_at: Option<usize>,
    /// Each column's header, normalised; empty for a column without one.
    headers: Vec<String>,
}

impl RowsToSkip {
    pub(super) fn new(header: &Header) -> RowsToSkip {
        RowsToSkip {
            title_at: header.column_of(&Field::Title),
            headers: header
                .columns
                .iter()
                .map(|c| values::normalise(&c.name))
                .collect(),
        }
    }

    /// Whether `row` is no project, and why.
    pub(super) fn check(&self, row: &Row) -> Option<SkippedRow> {
        let filled = || row.cells.iter().enumerate().filter(|(_, c)| !c.is_empty());
        let (first_at, first_cell) = filled().next()?;
        let first = first_cell.text();
        let title_at = self.title_at;
        let word = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .map(values::normalise)
                .unwrap_or_default()
        };
        let title_text = title_at.map(|i| row.cell(i).text()).unwrap_or_default();
        let count = filled().count();
        let why = if TOTAL_WORDS.contains(&word(&first).as_str())
            && (title_at.is_none_or(|t| t == first_at) || title_text.trim().is_empty())
            || TOTAL_WORDS.contains(&word(&title_text).as_str())
        {
            Skip::Total
        } else if count >= 2 && filled().filter(|(i, c)| self.is_header(*i, c)).count() * 2 >= count
        {
            // Half or more of the filled cells are their column's header.
            Skip::RepeatedHeader
        } else if count == 1 && title_at.is_some_and(|t| t != first_at) {
            Skip::Section
        } else {
            return None;
        };
        Some(SkippedRow {
            row: row.number,
            why,
            text: first,
        })
    }

    /// Whether cell `c` of column `i` says what the column's header says.
    fn is_header(&self, i: usize, c: &Cell) -> bool {
        let Some(header) = self.headers.get(i).filter(|h| !h.is_empty()) else {
            return false;
        };
        match c {
            // A text far longer than the header cannot say the same (a description).
            Cell::Text(t) if t.len() > header.len() * 4 + 16 => false,
            c => values::normalise(&c.text()) == *header,
        }
    }
}
