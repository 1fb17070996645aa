//! Import and export in the web layer (and the words the CLI prints): problems and file errors
//! as sentences in the reader's language, naming the row and the column as the file has them.

pub mod api;

use crate::i18n::Lang;
use std::sync::Arc;
use stip_core::ErrorCode;
use stip_core::exchange::preview::{PreviewError, Problem};
use stip_core::exchange::sheet::FileError;
use stip_core::exchange::write::{self, ExportRow};
use stip_core::portfolio::Project;
use stip_core::portfolio::{Character, EffortUnit, Horizon, Phase, Status, Visibility};
use stip_store::Store;
use stip_store::exchange::RowPlan;

/// "rij 14, kolom 'Startdatum': '31-02-2021' is geen datum; …"
pub fn problem_line(lang: Lang, row: usize, p: &Problem) -> String {
    lang.t_with(
        "import.line",
        &[
            ("row", &row.to_string()),
            ("column", &p.column),
            ("message", &problem_message(lang, p)),
        ],
    )
}

/// What is wrong with a value, quoting it as typed where that helps.
pub fn problem_message(lang: Lang, p: &Problem) -> String {
    let value = p.value.as_str();
    match &p.code {
        ErrorCode::DuplicateRow { first } => {
            lang.t_with("import.duplicate_row", &[("first", &first.to_string())])
        }
        ErrorCode::OtherInstitution => lang.t_with("import.other_institution", &[("value", value)]),
        ErrorCode::NotADate if !value.is_empty() => {
            lang.t_with("import.not_a_date", &[("value", value)])
        }
        ErrorCode::NotANumber if !value.is_empty() => {
            lang.t_with("import.not_a_number", &[("value", value)])
        }
        ErrorCode::InvalidChoice if !value.is_empty() => lang.t_with(
            "import.invalid_choice",
            &[("value", value), ("choices", &choices(lang, &p.field))],
        ),
        ErrorCode::Unknown
            if !value.is_empty() && matches!(p.field.as_str(), "primary_theme" | "themes") =>
        {
            lang.t_with("import.unknown_theme", &[("value", value)])
        }
        ErrorCode::Unknown if !value.is_empty() => {
            lang.t_with("import.unknown", &[("value", value)])
        }
        code => lang.error_for(&p.field, code),
    }
}

/// The values a choice field takes, as the exchange standard writes them.
fn choices(lang: Lang, field: &str) -> String {
    let codes: Vec<&str> = match field {
        "phase" => Phase::ALL.iter().map(|x| x.code()).collect(),
        "status" => Status::ALL.iter().map(|x| x.code()).collect(),
        "horizon" => Horizon::ALL.iter().map(|x| x.code()).collect(),
        "character" => Character::ALL.iter().map(|x| x.code()).collect(),
        "visibility" => Visibility::ALL.iter().map(|x| x.code()).collect(),
        "effort_unit" => EffortUnit::ALL.iter().map(|x| x.code()).collect(),
        "shareable" => vec!["ja", "nee"],
        _ => return lang.t("import.see_explanation"),
    };
    let (last, rest) = codes.split_last().unwrap_or((&"", &[]));
    if rest.is_empty() {
        return last.to_string();
    }
    lang.t_with(
        "import.one_of",
        &[("list", &rest.join(", ")), ("last", last)],
    )
}

/// Why a file could not be read.
pub fn file_error(lang: Lang, e: &FileError) -> String {
    let mb = |bytes: u64| (bytes / (1024 * 1024)).to_string();
    match e {
        FileError::TooLarge { limit } => {
            lang.t_with("import.file.too_large", &[("mb", &mb(*limit as u64))])
        }
        FileError::NotASpreadsheet => lang.t("import.file.not_a_spreadsheet"),
        FileError::Encrypted => lang.t("import.file.encrypted"),
        FileError::ZipBomb { limit } => lang.t_with("import.file.zip_bomb", &[("mb", &mb(*limit))]),
        FileError::TooManyCells { limit } => {
            lang.t_with("import.file.too_many_cells", &[("n", &limit.to_string())])
        }
        FileError::Empty => lang.t("import.file.empty"),
        FileError::Damaged => lang.t("import.file.damaged"),
        FileError::Json {
            line,
            column,
            message,
        } => lang.t_with(
            "import.file.json",
            &[
                ("line", &line.to_string()),
                ("column", &column.to_string()),
                ("message", message),
            ],
        ),
        FileError::Unreadable(message) => {
            lang.t_with("import.file.unreadable", &[("message", message)])
        }
    }
}

pub fn preview_error(lang: Lang, e: &PreviewError) -> String {
    match e {
        PreviewError::NoHeader => lang.t("import.file.no_header"),
        PreviewError::UnsupportedFormat { format, version } => lang.t_with(
            "import.file.unsupported_format",
            &[("format", format), ("version", &version.to_string())],
        ),
    }
}

/// The API's word for what a row does: `new`, `changed`, `unchanged` or `error`.
pub fn status_code(plan: &RowPlan) -> &'static str {
    match plan {
        RowPlan::New => "new",
        RowPlan::Changed { .. } => "changed",
        RowPlan::Unchanged { .. } => "unchanged",
        RowPlan::Problems => "error",
    }
}

/// Projects as an export file in `format` (`xlsx`, `csv` or `json`).
pub async fn export_bytes(
    store: &Store,
    format: &str,
    projects: &[Arc<Project>],
) -> Result<Vec<u8>, stip_store::StoreError> {
    let rows: Vec<ExportRow<'_>> = projects
        .iter()
        .map(|p| ExportRow {
            institution_brin: p.institution_brin.as_str(),
            institution_name: &p.institution_name,
            external_id: p.external_id.as_deref(),
            data: &p.data,
        })
        .collect();
    let r = store.reference_pairs().await?;
    Ok(match format {
        "csv" => write::csv(&rows, &r),
        "json" => write::json(&rows),
        _ => write::xlsx(&rows, &r).map_err(|e| stip_store::StoreError::Corrupt(e.to_string()))?,
    })
}
