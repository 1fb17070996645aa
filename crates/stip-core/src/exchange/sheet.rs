//! A file as rows of cells: xlsx, ods and xls through calamine, CSV as Dutch Excel writes it
//! (`;` or `,`, UTF-8 or Windows-1252), or the JSON exchange format. Whatever a file holds, it
//! is read within [`Limits`]: a file that is too large, encrypted, not a spreadsheet or a zip
//! bomb is refused with the reason, never a crash.

use super::Document;
use calamine::{Data, Ods, Reader, Xls, Xlsx};
use chrono::NaiveDate;
use std::io::{Cursor, Read};

/// One cell as the file typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it in the sheet: numbers without a trailing `.0`, dates in
    /// Dutch notation.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%-d-%-m-%Y").to_string(),
            Cell::Bool(true) => "ja".into(),
            Cell::Bool(false) => "nee".into(),
        }
    }
}

/// A row with its number as the spreadsheet shows it (1 is the first row).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }

    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Contents {
    /// A workbook's sheets, or a CSV file as one sheet.
    Sheets(Vec<Sheet>),
    /// The JSON exchange format.
    Document(Document),
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the file is not a spreadsheet (xlsx, ods, xls, csv) or the JSON exchange format")]
    NotASpreadsheet,
    #[error("the file is protected with a password")]
    Encrypted,
    #[error("the file unpacks to more than {limit} bytes")]
    ZipBomb { limit: u64 },
    #[error("the file has more than {limit} filled cells")]
    TooManyCells { limit: usize },
    #[error("the file holds no rows")]
    Empty,
    #[error("the JSON is not the exchange format (line {line}, column {column}): {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    /// The spreadsheet reader gave up on it (calamine panics on some damaged files).
    #[error("the file is damaged")]
    Damaged,
}

/// How much a file may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    /// What a zipped workbook (xlsx, ods) may unpack to.
    pub max_unpacked: u64,
    /// Filled cells over all sheets.
    pub max_cells: usize,
}

/// 20 MB, as the users asked.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// What a file is read within by default. The limits bound the memory of one read (the web
/// reads at most a few at once): a workbook's parts are unpacked into memory, and each cell
/// costs some tens of bytes. 500,000 filled cells is 10,000 projects of 50 columns, far more
/// than any institution keeps.
impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_unpacked: 200 * 1024 * 1024,
            max_cells: 500_000,
        }
    }
}

/// Reads a file; `name` (its file name) tells a spreadsheet that is something else from a CSV.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Contents, FileError> {
    // calamine indexes past the end of some damaged files; such a file is refused, the process
    // goes on. (Nothing is shared with the reader, so nothing is left half-changed.)
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_unguarded(name, bytes, limits)
    }))
    .unwrap_or(Err(FileError::Damaged))
}

fn read_unguarded(name: &str, bytes: &[u8], limits: &Limits) -> Result<Contents, FileError> {
    if bytes.len() > limits.max_bytes {
        return Err(FileError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let contents = if bytes.starts_with(b"PK\x03\x04") {
        read_zipped(bytes, limits)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        read_ole(bytes, limits)?
    } else if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        return Err(FileError::NotASpreadsheet);
    } else if bytes.trim_ascii_start().starts_with(b"{") {
        Contents::Document(read_json(bytes)?)
    } else {
        Contents::Sheets(vec![read_csv(bytes, limits)?])
    };
    match &contents {
        Contents::Sheets(sheets) if sheets.iter().all(|s| s.rows.is_empty()) => {
            Err(FileError::Empty)
        }
        _ => Ok(contents),
    }
}

/// xlsx or ods, after checking what its parts unpack to.
fn read_zipped(bytes: &[u8], limits: &Limits) -> Result<Contents, FileError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileError::NotASpreadsheet)?;
    let mut unpacked: u64 = 0;
    let mut is_ods = false;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        unpacked = unpacked.saturating_add(entry.size());
        is_ods |= entry.name().is_ok_and(|n| n == "content.xml");
    }
    if unpacked > limits.max_unpacked {
        return Err(FileError::ZipBomb {
            limit: limits.max_unpacked,
        });
    }
    // A part's declared size may lie: the one part calamine reads whole (ods's content.xml) is
    // unpacked here within the limit first.
    if is_ods {
        let mut content = archive
            .by_name("content.xml")
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        let mut sink = std::io::sink();
        let read = std::io::copy(&mut (&mut content).take(limits.max_unpacked + 1), &mut sink)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        if read > limits.max_unpacked {
            return Err(FileError::ZipBomb {
                limit: limits.max_unpacked,
            });
        }
        let mut ods: Ods<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
                calamine::OdsError::Password => FileError::Encrypted,
                e => FileError::Unreadable(e.to_string()),
            })?;
        return whole_sheets(&mut ods, limits).map(Contents::Sheets);
    }
    let mut xlsx: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsxError::Password => FileError::Encrypted,
            _ => FileError::NotASpreadsheet,
        })?;
    // Cell by cell, so a sheet with one cell far away costs one cell, not the rectangle.
    let mut sheets = Vec::new();
    let mut cells = 0usize;
    for name in xlsx.sheet_names() {
        let mut reader = xlsx
            .worksheet_cells_reader(&name)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        let mut rows: std::collections::BTreeMap<u32, Vec<Cell>> = Default::default();
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| FileError::Unreadable(e.to_string()))?
        {
            let value = from_data(&Data::from(cell.get_value().clone()));
            if value == Cell::Empty {
                continue;
            }
            cells += 1;
            if cells > limits.max_cells {
                return Err(FileError::TooManyCells {
                    limit: limits.max_cells,
                });
            }
            let (row, column) = cell.get_position();
            let column = column as usize;
            // Excel has 16,384 columns; a column past that is not a sheet people made.
            if column >= 16_384 {
                continue;
            }
            let cells = rows.entry(row).or_default();
            if cells.len() <= column {
                cells.resize(column + 1, Cell::Empty);
            }
            cells[column] = value;
        }
        sheets.push(Sheet {
            name,
            rows: rows
                .into_iter()
                .map(|(row, cells)| Row {
                    number: row as usize + 1,
                    cells,
                })
                .collect(),
        });
    }
    Ok(Contents::Sheets(sheets))
}

/// xls, or an encrypted xlsx (which is an OLE container too).
fn read_ole(bytes: &[u8], limits: &Limits) -> Result<Contents, FileError> {
    match calamine::open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)) {
        Ok(mut xls) => whole_sheets(&mut xls, limits).map(Contents::Sheets),
        Err(calamine::XlsError::Password) => Err(FileError::Encrypted),
        Err(_) => match calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
            Err(calamine::XlsxError::Password) => Err(FileError::Encrypted),
            _ => Err(FileError::NotASpreadsheet),
        },
    }
}

/// Every sheet through calamine's ranges (ods and xls have no cell-by-cell reader).
fn whole_sheets<R, RS>(workbook: &mut R, limits: &Limits) -> Result<Vec<Sheet>, FileError>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let mut sheets = Vec::new();
    let mut cells = 0usize;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        let Some((top, left)) = range.start() else {
            sheets.push(Sheet {
                name,
                rows: Vec::new(),
            });
            continue;
        };
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let mut values: Vec<Cell> = vec![Cell::Empty; left as usize];
            values.extend(row.iter().map(from_data));
            while values.last().is_some_and(|c| *c == Cell::Empty) {
                values.pop();
            }
            if values.is_empty() {
                continue;
            }
            cells += values.len();
            if cells > limits.max_cells {
                return Err(FileError::TooManyCells {
                    limit: limits.max_cells,
                });
            }
            rows.push(Row {
                number: top as usize + i + 1,
                cells: values,
            });
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => dt
            .as_datetime()
            .map_or(Cell::Number(dt.as_f64()), |t| Cell::Date(t.date())),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => text(s),
        Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

fn text(s: &str) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

fn iso_date(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or_else(|| text(s), Cell::Date)
}

fn read_json(bytes: &[u8]) -> Result<Document, FileError> {
    serde_json::from_slice(bytes).map_err(|e| FileError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// A CSV file: UTF-8 (with or without BOM) or else Windows-1252; separated by whichever of
/// `;`, `,` and tab the first lines use most.
fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Sheet, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let decoded = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    let contents: &str = &decoded;
    // A binary file is not a CSV file: text has no NUL and few other control characters.
    let controls = contents
        .chars()
        .take(4096)
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if contents.contains('\0') || controls > 8 {
        return Err(FileError::NotASpreadsheet);
    }
    let separator = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|sep| {
            contents
                .lines()
                .take(10)
                .map(|l| l.bytes().filter(|b| b == sep).count())
                .sum::<usize>()
        })
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(contents.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FileError::Unreadable(e.to_string()))?;
        // A field Stip (or anyone careful) wrote with a `'` against formulas reads as typed.
        let values: Vec<Cell> = record
            .iter()
            .map(|field| text(crate::table::csv_field(field)))
            .collect();
        cells += values.len();
        if cells > limits.max_cells {
            return Err(FileError::TooManyCells {
                limit: limits.max_cells,
            });
        }
        // Each record is one row in Excel, however many lines its quoted fields span.
        rows.push(Row {
            number: i + 1,
            cells: values,
        });
    }
    Ok(Sheet {
        name: String::new(),
        rows,
    })
}
