//! From a file's rows to projects: every row becomes the project it describes or the problems
//! that keep it from being one, each named by the row number and the column header the user
//! sees ("rij 14, kolom 'Startdatum'"). Rows go through the same parser as the project form.

use super::columns::{Field, Header, Mapping, fill_examples, find_header};
use super::content::{RowsToSkip, SkippedRow, recognise_by_content};
pub use super::lists::Lists;
use super::sheet::{Cell, Contents, Row};
use super::suggestion::{Suggest, Suggestion, no_suggestions, suggest_theme};
use super::values::{self, Edge};
use super::{Document, ExchangeProject, FORMAT, VERSION};
use crate::ErrorCode;
use crate::portfolio::{ProjectData, ProjectInput, References};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Why a value in a row was refused: the column as the file names it, what was wrong, and the
/// value as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub column: String,
    /// The project field it is about, by its form name (`phase`, `primary_theme`, `score_x`).
    pub field: String,
    pub code: ErrorCode,
    pub value: String,
    /// Whether the file has the column: a required field without one is refused as missing
    /// from the file, not as a cell left empty.
    #[serde(skip)]
    pub in_file: bool,
}

/// One row of the file and what it becomes.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The row number as the spreadsheet shows it (for JSON: the project's place in the list).
    pub row: usize,
    /// The institution's own project number, when the file has one.
    pub external_id: Option<String>,
    pub title: String,
    /// The stored project the row describes, if any (see [`Existing`]).
    pub matched: Option<i64>,
    /// The project as it will be: for a matched row the stored project with the values of the
    /// file's columns, checked as a whole like a save of the form.
    pub outcome: Result<ProjectData, Vec<Problem>>,
    /// A main theme proposed for a row whose theme could not be read.
    pub suggestion: Option<Suggestion>,
}

/// The institution's projects as stored, which rows find theirs among: by the institution's
/// own project number, else by title among the projects without one.
#[derive(Default)]
pub struct Existing<'a> {
    by_number: HashMap<&'a str, (i64, &'a ProjectData)>,
    by_title: HashMap<String, (i64, &'a ProjectData)>,
}

impl<'a> Existing<'a> {
    /// From `(id, project number, data)` per stored project.
    pub fn new(
        projects: impl IntoIterator<Item = (i64, Option<&'a str>, &'a ProjectData)>,
    ) -> Self {
        let mut existing = Existing::default();
        for (id, number, data) in projects {
            match number {
                Some(n) => existing.by_number.insert(n, (id, data)),
                None => existing.by_title.insert(title_key(&data.title), (id, data)),
            };
        }
        existing
    }

    /// The stored project a row with this project number and title describes.
    pub fn find(&self, number: Option<&str>, title: &str) -> Option<(i64, &'a ProjectData)> {
        number
            .and_then(|n| self.by_number.get(n))
            .or_else(|| self.by_title.get(&title_key(title)))
            .copied()
    }
}

/// Titles match whatever their case or surrounding spaces.
pub fn title_key(title: &str) -> String {
    title.trim().to_lowercase()
}

/// A file read into rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Preview {
    /// The sheet the rows come from (empty for CSV and JSON).
    pub sheet: String,
    /// Where the header is and what each column holds; `None` for JSON.
    pub header: Option<Header>,
    pub rows: Vec<ImportRow>,
    /// Rows that are no project (totals, a repeated header, a section's heading): not read,
    /// and not refused either.
    pub skipped: Vec<SkippedRow>,
}

impl Preview {
    pub fn problems(&self) -> impl Iterator<Item = (usize, &Problem)> {
        self.rows.iter().flat_map(|r| {
            match &r.outcome {
                Ok(_) => [].iter(),
                Err(p) => p.iter(),
            }
            .map(move |p| (r.row, p))
        })
    }

    pub fn has_problems(&self) -> bool {
        self.rows.iter().any(|r| r.outcome.is_err())
    }
}

/// Why a file gives no rows at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PreviewError {
    #[error("no sheet has a header row naming at least two known columns")]
    NoHeader,
    #[error("a JSON document of format '{format}' version {version}, not stip-portfolio version 1")]
    UnsupportedFormat { format: String, version: u32 },
}

/// How a spreadsheet's themes meet the themes a matched project has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemesMode {
    /// The file's themes are added to the project's own: a spreadsheet with one theme per
    /// project never drops the others silently.
    #[default]
    Add,
    /// The file's themes are the project's themes, the first the primary one.
    Replace,
}

/// What the person chose for reading a file, besides its columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub themes: ThemesMode,
    /// A value for every row without one, per field: a file without a phase column is given
    /// its phase once for the whole import (see [`DEFAULTABLE`]).
    pub defaults: Vec<(Field, String)>,
    /// Every row whose theme cannot be read takes its suggested main theme.
    pub accept_suggestions: bool,
    /// The main theme the person chose for a row (by its number) whose theme cannot be read.
    pub row_themes: BTreeMap<usize, String>,
}

/// The fields a value for every row can be given for.
pub const DEFAULTABLE: &[Field] = &[
    Field::Phase,
    Field::Status,
    Field::Themes,
    Field::Horizon,
    Field::Character,
    Field::Visibility,
    Field::Owner,
    Field::ProjectLead,
    Field::ContactPerson,
];

/// Gives `input` the value of `field` when it has none; `value` is read as a cell would be.
fn fill_in(input: &mut ProjectInput, field: &Field, value: &str, lists: &Lists) {
    let slot = match field {
        Field::Phase => &mut input.phase,
        Field::Status => &mut input.status,
        Field::Themes | Field::PrimaryTheme => &mut input.primary_theme,
        Field::Horizon => &mut input.horizon,
        Field::Character => &mut input.character,
        Field::Visibility => &mut input.visibility,
        Field::Owner => &mut input.owner,
        Field::ProjectLead => &mut input.project_lead,
        Field::ContactPerson => &mut input.contact_person,
        _ => return,
    };
    if !slot.trim().is_empty() {
        return;
    }
    *slot = match field {
        Field::Phase => values::phase(value),
        Field::Status => values::status(value),
        Field::Themes | Field::PrimaryTheme => lists
            .themes
            .code(value)
            .map_or_else(|| value.trim().to_string(), str::to_string),
        Field::Horizon => values::horizon(value),
        Field::Character => values::character(value),
        Field::Visibility => values::visibility(value),
        _ => value.trim().to_string(),
    };
}

/// Reads `contents` as projects of the institution with BRIN code `institution`, whose
/// stored projects are `existing`.
pub fn preview(
    contents: &Contents,
    institution: &str,
    lists: &Lists,
    mapping: &Mapping,
    existing: &Existing<'_>,
) -> Result<Preview, PreviewError> {
    preview_with(
        contents,
        institution,
        lists,
        mapping,
        existing,
        &Options::default(),
        &no_suggestions,
    )
}

/// [`preview`] with the person's `options`, and main themes proposed by `suggest` for rows
/// whose theme cannot be read.
pub fn preview_with(
    contents: &Contents,
    institution: &str,
    lists: &Lists,
    mapping: &Mapping,
    existing: &Existing<'_>,
    options: &Options,
    suggest: Suggest<'_>,
) -> Result<Preview, PreviewError> {
    let mut preview = match contents {
        Contents::Document(doc) => {
            from_document(doc, institution, lists, existing, options, suggest)?
        }
        Contents::Sheets(sheets) => {
            // The sheet whose header names the most fields: a workbook's explanation sheet
            // has none.
            let (sheet, header) = sheets
                .iter()
                .filter_map(|s| find_header(s, &lists.criteria, mapping).map(|h| (s, h)))
                .max_by_key(|(_, h)| {
                    // Ties go to the first sheet.
                    (h.known(), usize::MAX - h.row)
                })
                .ok_or(PreviewError::NoHeader)?;
            let mut header = header;
            let mut data = Vec::new();
            let mut skipped = Vec::new();
            let rows_to_skip = RowsToSkip::new(&header);
            for r in sheet
                .rows
                .iter()
                .filter(|r| r.number > header.row && !r.is_empty())
            {
                match rows_to_skip.check(r) {
                    Some(s) => skipped.push(s),
                    None => data.push(r),
                }
            }
            recognise_by_content(&data, &mut header, lists);
            fill_examples(&mut header, &data);
            let rows = data
                .iter()
                .map(|r| from_row(r, &header, institution, lists, existing, options, suggest))
                .collect();
            Preview {
                sheet: sheet.name.clone(),
                header: Some(header),
                rows,
                skipped,
            }
        }
    };
    mark_duplicates(&mut preview, lists);
    Ok(preview)
}

/// A project listed twice in one file would be written twice: the second is refused.
fn mark_duplicates(preview: &mut Preview, lists: &Lists) {
    let column = |field: &Field| match &preview.header {
        Some(h) => h
            .column_of(field)
            .map_or_else(|| lists.header_of(field), |i| h.columns[i].name.clone()),
        None => field.code(),
    };
    let (id_column, title_column) = (column(&Field::ExternalId), column(&Field::Title));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &mut preview.rows {
        let (key, column, value) = match &row.external_id {
            Some(id) => (format!("id:{id}"), &id_column, id.clone()),
            None => (
                format!("title:{}", row.title.trim().to_lowercase()),
                &title_column,
                row.title.clone(),
            ),
        };
        if row.title.trim().is_empty() && row.external_id.is_none() {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            let problem = Problem {
                column: column.clone(),
                field: if row.external_id.is_some() {
                    "external_id"
                } else {
                    "title"
                }
                .into(),
                code: ErrorCode::DuplicateRow { first: *first },
                value,
                in_file: true,
            };
            match &mut row.outcome {
                Ok(_) => row.outcome = Err(vec![problem]),
                Err(problems) => problems.push(problem),
            }
        } else {
            seen.insert(key, row.row);
        }
    }
}

fn from_row(
    row: &Row,
    header: &Header,
    institution: &str,
    lists: &Lists,
    existing: &Existing<'_>,
    options: &Options,
    suggest: Suggest<'_>,
) -> ImportRow {
    let cell_of = |field: &Field| header.column_of(field).map(|i| row.cell(i).text());
    let external_id = cell_of(&Field::ExternalId).filter(|t| !t.is_empty());
    let matched = existing.find(
        external_id.as_deref(),
        &cell_of(&Field::Title).unwrap_or_default(),
    );
    // A matched row starts from the stored project: the file's columns change what they hold,
    // and what only Stip knows stays.
    let mut input = matched.map_or_else(ProjectInput::default, |(_, d)| ProjectInput::from(d));
    // The project's own themes, kept when the file's are added to them.
    let own_themes: Vec<String> = match options.themes {
        ThemesMode::Add => std::iter::once(input.primary_theme.clone())
            .chain(input.themes.iter().cloned())
            .filter(|t| !t.is_empty())
            .collect(),
        ThemesMode::Replace => Vec::new(),
    };
    if header.column_of(&Field::Themes).is_some() {
        input.themes.clear();
        if header.column_of(&Field::PrimaryTheme).is_none() {
            input.primary_theme.clear();
        }
    }
    let mut early = Vec::new();
    let mut explicit_unit = false;
    for (i, c) in header.columns.iter().enumerate() {
        let (column, Some(field)) = (&c.name, &c.field) else {
            continue;
        };
        let cell = row.cell(i);
        let text = cell.text();
        match field {
            Field::Institution => {
                if !text.is_empty() && !text.eq_ignore_ascii_case(institution.trim()) {
                    early.push(Problem {
                        column: column.clone(),
                        field: "institution".into(),
                        code: ErrorCode::OtherInstitution,
                        value: text,
                        in_file: true,
                    });
                }
            }
            Field::ExternalId => {}
            Field::Title => input.title = text,
            Field::Summary => input.summary = text,
            Field::Description => input.description = text,
            Field::IntendedResult => input.intended_result = text,
            Field::Owner => input.owner = text,
            Field::ProjectLead => input.project_lead = text,
            Field::ContactPerson => input.contact_person = text,
            Field::Phase => input.phase = values::phase(&text),
            Field::Status => input.status = values::status(&text),
            Field::StatusNote => input.status_note = text,
            Field::StartDate => input.start_date = values::date_text(cell, Edge::Start),
            Field::EndDate => input.end_date = values::date_text(cell, Edge::End),
            Field::Budget => input.budget = values::amount_text(cell),
            Field::Effort => {
                let (amount, unit) = values::effort(cell);
                input.effort = amount;
                if let Some(unit) = unit
                    && !explicit_unit
                {
                    input.effort_unit = unit;
                }
            }
            Field::EffortUnit => {
                if !text.is_empty() {
                    input.effort_unit = values::effort_unit(&text);
                    explicit_unit = true;
                }
            }
            Field::Horizon => input.horizon = values::horizon(&text),
            Field::Character => input.character = values::character(&text),
            Field::PerspectiveStrategicOperational => {
                input.perspective_strategic_operational = values::number_text(cell)
            }
            Field::PerspectiveIctBusiness => {
                input.perspective_ict_business = values::number_text(cell)
            }
            Field::Themes => {
                let mut codes = lists.themes.codes(&text);
                if header.column_of(&Field::PrimaryTheme).is_none() && !codes.is_empty() {
                    input.primary_theme = codes.remove(0);
                }
                input.themes.extend(codes);
            }
            Field::PrimaryTheme => {
                input.primary_theme = lists
                    .themes
                    .code(&text)
                    .map_or_else(|| text.clone(), str::to_string)
            }
            Field::Drivers => input.drivers = lists.drivers.codes(&text),
            Field::MoraAreas => input.mora_areas = lists.mora_areas.codes(&text),
            Field::Score(code) => {
                input.scores.insert(code.clone(), values::number_text(cell));
            }
            Field::Visibility => input.visibility = values::visibility(&text),
            Field::Shareable => match values::yes_no(cell) {
                Some(b) => input.shareable = b,
                None => early.push(Problem {
                    column: column.clone(),
                    field: "shareable".into(),
                    code: ErrorCode::InvalidChoice,
                    value: text,
                    in_file: true,
                }),
            },
            Field::CaseSummary => input.case_summary = text,
            Field::Links => {
                input.links = text
                    .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }
    for (field, value) in &options.defaults {
        fill_in(&mut input, field, value, lists);
    }
    if !own_themes.is_empty() {
        let read: Vec<String> = std::iter::once(input.primary_theme.clone())
            .chain(input.themes.iter().cloned())
            .filter(|t| !t.is_empty())
            .collect();
        input.primary_theme = own_themes[0].clone();
        input.themes = own_themes[1..].to_vec();
        for t in read {
            if !own_themes.contains(&t) {
                input.themes.push(t);
            }
        }
    }
    let suggestion = suggest_theme(
        &mut input,
        options.row_themes.get(&row.number),
        options.accept_suggestions,
        lists,
        suggest,
    );
    let title = input.title.clone();
    let outcome = parse(&input, lists, early, |form_field| {
        // The column a form field's error belongs to, and the value as typed there.
        let field = field_of(form_field, header)?;
        let (i, column) = match header.column_of(&field) {
            Some(i) => (Some(i), header.columns[i].name.clone()),
            None => (None, lists.header_of(&field)),
        };
        let value = i.map(|i| row.cell(i).text()).unwrap_or_default();
        Some((column, value, i.is_some()))
    });
    ImportRow {
        row: row.number,
        external_id,
        title,
        matched: matched.map(|(id, _)| id),
        outcome,
        suggestion,
    }
}

/// The field behind a form field's name; the primary theme lives in the themes column unless
/// the file has a column for it alone.
fn field_of(form_field: &str, header: &Header) -> Option<Field> {
    match form_field {
        "primary_theme" if header.column_of(&Field::PrimaryTheme).is_some() => {
            Some(Field::PrimaryTheme)
        }
        "primary_theme" | "themes" => Some(Field::Themes),
        "budget" => Some(Field::Budget),
        f => match f.strip_prefix("score_") {
            Some(code) => Some(Field::Score(code.to_string())),
            None => Field::parse(f),
        },
    }
}

fn parse(
    input: &ProjectInput,
    lists: &Lists,
    mut problems: Vec<Problem>,
    locate: impl Fn(&str) -> Option<(String, String, bool)>,
) -> Result<ProjectData, Vec<Problem>> {
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let (themes, drivers, mora_areas, criteria) = (
        strs(&lists.theme_codes),
        strs(&lists.driver_codes),
        strs(&lists.mora_codes),
        strs(&lists.criterion_codes),
    );
    let refs = References {
        themes: &themes,
        drivers: &drivers,
        mora_areas: &mora_areas,
        criteria: &criteria,
    };
    match ProjectData::parse(input, &refs) {
        Ok(data) if problems.is_empty() => Ok(data),
        Ok(_) => Err(problems),
        Err(invalid) => {
            for e in invalid.0 {
                let (column, value, in_file) =
                    locate(&e.field).unwrap_or_else(|| (e.field.clone(), String::new(), true));
                problems.push(Problem {
                    column,
                    field: e.field,
                    code: e.code,
                    value,
                    in_file,
                });
            }
            Err(problems)
        }
    }
}

fn from_document(
    doc: &Document,
    institution: &str,
    lists: &Lists,
    existing: &Existing<'_>,
    options: &Options,
    suggest: Suggest<'_>,
) -> Result<Preview, PreviewError> {
    if doc.format != FORMAT || doc.version != VERSION {
        return Err(PreviewError::UnsupportedFormat {
            format: doc.format.clone(),
            version: doc.version,
        });
    }
    let rows = doc
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut early = Vec::new();
            if !p
                .institution
                .trim()
                .eq_ignore_ascii_case(institution.trim())
            {
                early.push(Problem {
                    column: "institution".into(),
                    field: "institution".into(),
                    code: ErrorCode::OtherInstitution,
                    value: p.institution.clone(),
                    in_file: true,
                });
            }
            let mut input = input_of(p);
            let suggestion = suggest_theme(
                &mut input,
                options.row_themes.get(&(i + 1)),
                options.accept_suggestions,
                lists,
                suggest,
            );
            let outcome = parse(&input, lists, early, |form_field| {
                let column = match form_field {
                    "budget" => "budget_eur".to_string(),
                    "primary_theme" => "themes".to_string(),
                    f => f.replace("score_", "scores."),
                };
                Some((column, String::new(), true))
            });
            // A document has every field: it replaces a matched project whole.
            let external_id = p.external_id.clone().filter(|x| !x.trim().is_empty());
            let matched = existing.find(external_id.as_deref(), &p.title);
            ImportRow {
                row: i + 1,
                external_id,
                title: p.title.clone(),
                matched: matched.map(|(id, _)| id),
                outcome,
                suggestion,
            }
        })
        .collect();
    Ok(Preview {
        sheet: String::new(),
        header: None,
        rows,
        skipped: Vec::new(),
    })
}

/// An exchange project as the form would have it typed.
fn input_of(p: &ExchangeProject) -> ProjectInput {
    let amount = |v: Option<f64>| {
        v.map(|v| values::number_text(&Cell::Number(v)))
            .unwrap_or_default()
    };
    let mut themes = p.themes.clone();
    let primary = if themes.is_empty() {
        String::new()
    } else {
        themes.remove(0)
    };
    ProjectInput {
        title: p.title.clone(),
        summary: p.summary.clone(),
        description: p.description.clone(),
        intended_result: p.intended_result.clone(),
        owner: p.owner.clone(),
        project_lead: p.project_lead.clone(),
        contact_person: p.contact_person.clone(),
        phase: p.phase.clone(),
        status: p.status.clone().unwrap_or_default(),
        status_note: p.status_note.clone(),
        start_date: p.start_date.clone().unwrap_or_default(),
        end_date: p.end_date.clone().unwrap_or_default(),
        budget: amount(p.budget_eur),
        effort: amount(p.effort),
        effort_unit: p.effort_unit.clone().unwrap_or_default(),
        horizon: p.horizon.clone().unwrap_or_default(),
        character: p.character.clone().unwrap_or_default(),
        perspective_strategic_operational: p
            .perspective_strategic_operational
            .map(|v| v.to_string())
            .unwrap_or_default(),
        perspective_ict_business: p
            .perspective_ict_business
            .map(|v| v.to_string())
            .unwrap_or_default(),
        primary_theme: primary,
        themes,
        drivers: p.drivers.clone(),
        mora_areas: p.mora_areas.clone(),
        scores: p
            .scores
            .iter()
            .map(|(c, s)| (c.clone(), s.to_string()))
            .collect(),
        visibility: p.visibility.clone(),
        shareable: p.shareable,
        case_summary: p.case_summary.clone(),
        links: p.links.join("\n"),
    }
}
