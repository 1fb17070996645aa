//! Projects out, in the exchange standard: XLSX with typed cells (dates as dates, money as
//! euros), CSV as Dutch Excel opens it (`;`, UTF-8 with BOM), and the JSON format. The columns
//! are the standard's Dutch headers, so an export reads back in as it is.

use super::columns::{FIELDS, Field, NAMED, names_header};
use super::{Document, ExchangeProject, FORMAT, ReferencePairs, VERSION};
use crate::number::Hundredths;
use crate::portfolio::{Character, EffortUnit, Horizon, Phase, ProjectData, Status, Visibility};
use crate::table::{Cell, Table};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// One project to write.
pub struct ExportRow<'a> {
    pub institution_brin: &'a str,
    pub institution_name: &'a str,
    pub external_id: Option<&'a str>,
    pub data: &'a ProjectData,
}

impl<'a> From<&'a crate::portfolio::Project> for ExportRow<'a> {
    fn from(p: &'a crate::portfolio::Project) -> Self {
        ExportRow {
            institution_brin: p.institution_brin.as_str(),
            institution_name: &p.institution_name,
            external_id: p.external_id.as_deref(),
            data: &p.data,
        }
    }
}

/// A column of an export: a field of the standard (codes for the reference lists), or the
/// names of a field's codes, beside it.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportColumn {
    Field(Field),
    Names(Field),
}

/// The columns of an export: BRIN and institution name, then every field in the standard's
/// order, a score column per criterion after the drivers; the themes, drivers and MORA areas
/// as codes, each followed by their names. `criteria` are `(code, name)`.
pub fn columns(criteria: &[(String, String)]) -> Vec<(ExportColumn, String)> {
    let mut columns = Vec::new();
    for (field, _, nl, ..) in FIELDS {
        if *field == Field::PrimaryTheme {
            continue;
        }
        columns.push((ExportColumn::Field(field.clone()), nl.to_string()));
        if NAMED.contains(field) {
            columns.push((ExportColumn::Names(field.clone()), names_header(field)));
        }
        if *field == Field::Drivers {
            for (code, name) in criteria {
                let f = Field::Score(code.clone());
                columns.push((ExportColumn::Field(f.clone()), f.dutch(name)));
            }
        }
    }
    columns
}

/// A value as one cell.
enum Value {
    Text(String),
    Date(NaiveDate),
    Euro(Hundredths),
    Number(f64),
}

/// A value as one cell: codes in a field's column, their names (`lists`) in a names column.
fn value(row: &ExportRow<'_>, column: &ExportColumn, lists: &ReferencePairs) -> Value {
    let d = row.data;
    let text = |s: &str| Value::Text(s.to_string());
    let names = |codes: &[String], list: &[(String, String)]| {
        Value::Text(
            codes
                .iter()
                .map(|code| {
                    list.iter()
                        .find(|(c, _)| c == code)
                        .map_or(code.as_str(), |(_, name)| name.as_str())
                })
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let field = match column {
        ExportColumn::Field(field) => field,
        ExportColumn::Names(Field::Themes) => return names(&d.themes, &lists.themes),
        ExportColumn::Names(Field::Drivers) => return names(&d.drivers, &lists.drivers),
        ExportColumn::Names(Field::MoraAreas) => return names(&d.mora_areas, &lists.mora_areas),
        ExportColumn::Names(_) => return text(row.institution_name),
    };
    match field {
        Field::Institution => text(row.institution_brin),
        Field::ExternalId => text(row.external_id.unwrap_or_default()),
        Field::Title => text(&d.title),
        Field::Summary => text(&d.summary),
        Field::Description => text(&d.description),
        Field::IntendedResult => text(&d.intended_result),
        Field::Owner => text(&d.owner),
        Field::ProjectLead => text(&d.project_lead),
        Field::ContactPerson => text(&d.contact_person),
        Field::Phase => text(d.phase.code()),
        Field::Status => text(d.status.map_or("", Status::code)),
        Field::StatusNote => text(&d.status_note),
        Field::StartDate => d.start_date.map_or(text(""), Value::Date),
        Field::EndDate => d.end_date.map_or(text(""), Value::Date),
        Field::Budget => d.budget.map_or(text(""), Value::Euro),
        Field::Effort => d
            .effort
            .map_or(text(""), |e| Value::Number(e.amount.as_f64())),
        Field::EffortUnit => text(d.effort.map_or("", |e| e.unit.code())),
        Field::Horizon => text(d.horizon.map_or("", Horizon::code)),
        Field::Character => text(d.character.map_or("", Character::code)),
        Field::PerspectiveStrategicOperational => d
            .perspective
            .strategic_operational
            .map_or(text(""), |v| Value::Number(f64::from(v))),
        Field::PerspectiveIctBusiness => d
            .perspective
            .ict_business
            .map_or(text(""), |v| Value::Number(f64::from(v))),
        Field::Themes => Value::Text(d.themes.join("; ")),
        Field::PrimaryTheme => text(d.primary_theme().unwrap_or_default()),
        Field::Drivers => Value::Text(d.drivers.join("; ")),
        Field::MoraAreas => Value::Text(d.mora_areas.join("; ")),
        Field::Score(code) => d
            .scores
            .get(code)
            .map_or(text(""), |v| Value::Number(f64::from(*v))),
        Field::Visibility => text(d.visibility.code()),
        Field::Shareable => text(if d.shareable { "ja" } else { "nee" }),
        Field::CaseSummary => text(&d.case_summary),
        Field::Links => Value::Text(d.links.join("\n")),
    }
}

/// CSV as Dutch Excel opens it, through the one CSV writer ([`crate::table::Table::csv`]):
/// `;`-separated, UTF-8 with a byte order mark, CRLF, decimal comma, ISO dates, and no text
/// that a spreadsheet would run as a formula.
pub fn csv(rows: &[ExportRow<'_>], lists: &ReferencePairs) -> Vec<u8> {
    let columns = columns(&lists.criteria);
    let table = Table {
        headers: columns.iter().map(|(_, h)| h.clone()).collect(),
        rows: rows
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|(column, _)| match value(row, column, lists) {
                        Value::Text(t) => Cell::Text(t),
                        Value::Date(d) => Cell::Text(d.to_string()),
                        Value::Euro(h) => Cell::Number(h.as_f64()),
                        Value::Number(n) => Cell::Number(n),
                    })
                    .collect()
            })
            .collect(),
    };
    table.csv()
}

/// JSON in the exchange format.
pub fn json(rows: &[ExportRow<'_>]) -> Vec<u8> {
    let doc = Document {
        format: FORMAT.into(),
        version: VERSION,
        projects: rows
            .iter()
            .map(|r| ExchangeProject::new(r.institution_brin, r.external_id, r.data))
            .collect(),
    };
    // The document holds only strings, numbers and lists: it always serialises.
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// XLSX: typed cells, the header frozen with filters, readable column widths, and a second
/// sheet explaining every column and its allowed values.
pub fn xlsx(rows: &[ExportRow<'_>], lists: &ReferencePairs) -> Result<Vec<u8>, XlsxError> {
    let columns = columns(&lists.criteria);
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDE4EE");
    let date = Format::new()
        .set_num_format("d-m-yyyy")
        .set_align(FormatAlign::Left);
    let euro = Format::new().set_num_format("€ #,##0.00");
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Projecten")?;
    for (c, (_, h)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, h, &header)?;
        let width = match h.as_str() {
            "Titel" | "Samenvatting" | "Beschrijving" | "Beoogd resultaat"
            | "Toelichting status" | "Casusbeschrijving" => 40.0,
            "Thema's" | "MORA-procesgebieden" | "Beleidsdrijvers" | "Links" | "Instelling" => 30.0,
            _ if h.ends_with("(namen)") => 40.0,
            _ => (h.chars().count() as f64 + 2.0).max(12.0),
        };
        sheet.set_column_width(c, width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, (column, _)) in columns.iter().enumerate() {
            let c = c as u16;
            match value(row, column, lists) {
                Value::Text(t) if t.is_empty() => {}
                Value::Text(t) if t.contains('\n') => {
                    sheet.write_string_with_format(r, c, &t, &wrap)?;
                }
                Value::Text(t) => {
                    sheet.write_string(r, c, &t)?;
                }
                Value::Date(d) => {
                    let x =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    sheet.write_datetime_with_format(r, c, &x, &date)?;
                }
                Value::Euro(h) => {
                    sheet.write_number_with_format(r, c, h.as_f64(), &euro)?;
                }
                Value::Number(n) => {
                    sheet.write_number(r, c, n)?;
                }
            }
        }
    }
    let last_column = columns.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, last_column)?;
    explanation(book.add_worksheet(), &columns, lists)?;
    book.save_to_buffer()
}

/// The "Toelichting" sheet: what every column holds and which values it takes.
fn explanation(
    sheet: &mut rust_xlsxwriter::Worksheet,
    columns: &[(ExportColumn, String)],
    lists: &ReferencePairs,
) -> Result<(), XlsxError> {
    sheet.set_name("Toelichting")?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    sheet.set_column_width(0, 34.0)?;
    sheet.set_column_width(1, 90.0)?;
    sheet.write_string_with_format(0, 0, "Kolom", &bold)?;
    sheet.write_string_with_format(0, 1, "Wat erin staat en welke waarden", &bold)?;
    for (r, (column, header)) in columns.iter().enumerate() {
        let text = match column {
            ExportColumn::Field(field) => describe(Some(field), lists),
            ExportColumn::Names(Field::Institution) => describe(None, lists),
            ExportColumn::Names(field) => format!(
                "De namen bij de codes in de kolom {}; alleen ter informatie, wordt bij inlezen niet gebruikt.",
                field.dutch("")
            ),
        };
        sheet.write_string(r as u32 + 1, 0, header)?;
        sheet.write_string_with_format(r as u32 + 1, 1, &text, &wrap)?;
    }
    Ok(())
}

/// What a column of the standard holds, in Dutch, with its allowed values.
pub fn describe(field: Option<&Field>, lists: &ReferencePairs) -> String {
    let codes = |all: Vec<&str>| all.join(", ");
    let listed = |list: &[(String, String)]| {
        list.iter()
            .map(|(c, n)| format!("{c} ({n})"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let Some(field) = field else {
        return "Naam van de instelling; alleen ter informatie, wordt bij inlezen niet gebruikt."
            .into();
    };
    match field {
        Field::Institution => "BRIN-code van de instelling, bijvoorbeeld 25LN. Bij inlezen moet die gelijk zijn aan de instelling waarin je inleest.".into(),
        Field::ExternalId => "Het eigen projectnummer van de instelling. Een project met hetzelfde nummer wordt bij opnieuw inlezen bijgewerkt; zonder nummer zoekt Stip op titel.".into(),
        Field::Title => "Titel van het project (verplicht, hoogstens 200 tekens).".into(),
        Field::Summary => "Korte samenvatting (hoogstens 2.000 tekens).".into(),
        Field::Description => "Uitgebreide beschrijving, in Markdown.".into(),
        Field::IntendedResult => "Wat het project moet opleveren.".into(),
        Field::Owner => "Opdrachtgever.".into(),
        Field::ProjectLead => "Projectleider.".into(),
        Field::ContactPerson => "Contactpersoon voor andere instellingen.".into(),
        Field::Phase => format!("Verplicht. Een van: {}.", codes(Phase::ALL.iter().map(|p| p.code()).collect())),
        Field::Status => format!("Leeg (nog geen status) of een van: {}.", codes(Status::ALL.iter().map(|p| p.code()).collect())),
        Field::StatusNote => "Toelichting bij de status.".into(),
        Field::StartDate | Field::EndDate => "Datum, bijvoorbeeld 31-12-2025 of 2025-12-31. De einddatum ligt niet vóór de startdatum.".into(),
        Field::Budget => "Bedrag in euro's, nul of meer, bijvoorbeeld 12500 of € 12.500,00.".into(),
        Field::Effort => "Inzet, nul of meer, in de eenheid van de volgende kolom.".into(),
        Field::EffortUnit => format!("Een van: {} (standaard fte).", codes(EffortUnit::ALL.iter().map(|p| p.code()).collect())),
        Field::Horizon => format!("Leeg of een van: {} (kort < 1 jaar, middellang 1–3 jaar, lang > 3 jaar).", codes(Horizon::ALL.iter().map(|p| p.code()).collect())),
        Field::Character => format!("Leeg of een van: {}.", codes(Character::ALL.iter().map(|p| p.code()).collect())),
        Field::PerspectiveStrategicOperational => "Leeg of 1 tot en met 5: 1 = strategisch … 5 = operationeel.".into(),
        Field::PerspectiveIctBusiness => "Leeg of 1 tot en met 5: 1 = ICT … 5 = business.".into(),
        Field::Themes | Field::PrimaryTheme => format!("Verplicht. Eén of meer thema's, gescheiden door ';', het hoofdthema eerst; code of naam: {}.", listed(&lists.themes)),
        Field::MoraAreas => format!("Nul of meer procesgebieden van de MORA (MBO Referentie Architectuur), gescheiden door ';'; code of naam: {}. Kies een hoofdgebied (zoals bedrijfsvoering) of een deelgebied ervan (zoals bedrijfsvoering-hrm).", listed(&lists.mora_areas)),
        Field::Drivers => format!("Nul of meer beleidsdrijvers, gescheiden door ';'; code of naam: {}.", listed(&lists.drivers)),
        Field::Score(_) => "Leeg of een score van 1 tot en met 5 (5 is altijd het beste).".into(),
        Field::Visibility => format!("Een van: {} (standaard netwerk).", codes(Visibility::ALL.iter().map(|p| p.code()).collect())),
        Field::Shareable => "ja of nee: mag het project als voorbeeld gedeeld worden? Bij ja is een casusbeschrijving verplicht.".into(),
        Field::CaseSummary => "Beschrijving van de casus voor andere instellingen.".into(),
        Field::Links => "Links (https://…), één per regel.".into(),
    }
}
