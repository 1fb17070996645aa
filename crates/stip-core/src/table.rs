//! An export as a table: CSV as Dutch Excel opens it, and XLSX. Every CSV Stip writes (project
//! exports, survey responses, workshop results, positioning distributions) goes through
//! [`Table::csv`], so every one keeps a typed text from running as a spreadsheet formula.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a CSV field as a formula (or, for tab and
/// carriage return, let it hide one): `=HYPERLINK(…)`, `+SUM(1,2)`, `@cmd`, `-1+2`.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text as a CSV field: one that starts like a formula gets a leading `'`, so a spreadsheet
/// shows it as the text it is (OWASP's advice for CSV injection).
pub fn csv_text(t: &str) -> Cow<'_, str> {
    if t.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{t}"))
    } else {
        Cow::Borrowed(t)
    }
}

/// A CSV field as it was typed: [`csv_text`] undone, so a file Stip wrote reads back in as it
/// was exported.
pub fn csv_field(t: &str) -> &str {
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => t,
    }
}

/// A number as a Dutch CSV field: a decimal comma, no thousands separators.
fn csv_number(n: f64) -> String {
    n.to_string().replace('.', ",")
}

/// A cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// Rows for a spreadsheet: survey responses, workshop results.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// CSV as Dutch Excel opens it: `;`, UTF-8 with a byte order mark, CRLF, decimal comma;
    /// every text (headers too: a survey's question is typed by a person) through [`csv_text`].
    pub fn csv(&self) -> Vec<u8> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            // Writing to memory cannot fail.
            let _ = w.write_record(self.headers.iter().map(|h| csv_text(h).into_owned()));
            for row in &self.rows {
                let _ = w.write_record(row.iter().map(|c| match c {
                    Cell::Text(t) => csv_text(t).into_owned(),
                    Cell::Number(n) => csv_number(*n),
                }));
            }
            let _ = w.flush();
        }
        out
    }

    /// XLSX: numbers as numbers, long texts wrapped, the header frozen with filters.
    pub fn xlsx(&self, sheet_name: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        self.sheet(&mut book, sheet_name)?;
        book.save_to_buffer()
    }

    /// Several tables as the sheets of one workbook, each as [`Table::xlsx`] writes it; a name
    /// is cut to the 31 characters a sheet's name may have.
    pub fn workbook(sheets: &[(String, Table)]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        for (name, table) in sheets {
            let name: String = name.chars().take(31).collect();
            table.sheet(&mut book, &name)?;
        }
        book.save_to_buffer()
    }

    fn sheet(
        &self,
        book: &mut rust_xlsxwriter::Workbook,
        sheet_name: &str,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::Format;
        let header = Format::new()
            .set_bold()
            .set_background_color("#DDE4EE")
            .set_text_wrap();
        let wrap = Format::new().set_text_wrap();
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name)?;
        for (c, h) in self.headers.iter().enumerate() {
            let c = c as u16;
            sheet.write_string_with_format(0, c, h, &header)?;
            sheet.set_column_width(c, (h.chars().count() as f64 / 2.0).clamp(14.0, 50.0))?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        sheet.write_string_with_format(r, c, t, &wrap)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, *n)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(
            0,
            0,
            self.rows.len() as u32,
            self.headers.len().saturating_sub(1) as u16,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_that_starts_like_a_formula_is_written_as_text_and_read_back_as_typed() {
        for typed in [
            "=HYPERLINK(\"http://x\")",
            "+SUM(1,2)",
            "@cmd",
            "-1+2",
            "\t=1",
        ] {
            let written = csv_text(typed);
            assert_eq!(written, format!("'{typed}"));
            assert_eq!(csv_field(&written), typed);
        }
        assert_eq!(csv_text("Wifi vernieuwen"), "Wifi vernieuwen");
        assert_eq!(
            csv_field("'t Hoen"),
            "'t Hoen",
            "an apostrophe of its own stays"
        );
    }
}
