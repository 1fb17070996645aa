//! An export as a table: CSV as Dutch Excel opens it, and XLSX.

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
    /// CSV as Dutch Excel opens it: `;`, UTF-8 with a byte order mark, CRLF.
    pub fn csv(&self) -> Vec<u8> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            // Writing to memory cannot fail.
            let _ = w.write_record(&self.headers);
            for row in &self.rows {
                let _ = w.write_record(row.iter().map(|c| match c {
                    // A typed answer that starts like a formula stays text in a spreadsheet.
                    Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                        format!("'{t}")
                    }
                    Cell::Text(t) => t.clone(),
                    Cell::Number(n) => n.to_string().replace('.', ","),
                }));
            }
            let _ = w.flush();
        }
        out
    }

    /// XLSX: numbers as numbers, long texts wrapped, the header frozen with filters.
    pub fn xlsx(&self, sheet_name: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
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
        book.save_to_buffer()
    }
}
