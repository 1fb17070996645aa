//! Import and export in the web layer (and the words the CLI prints): problems and file errors
//! as sentences in the reader's language, naming the row and the column as the file has them.

pub mod api;
mod pages;

use crate::AppState;
use crate::i18n::Lang;
use crate::identity::Viewer;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::ErrorCode;
use stip_core::access::Action;
use stip_core::exchange::columns::Mapping;
use stip_core::exchange::preview::Preview;
use stip_core::exchange::preview::{PreviewError, Problem};
use stip_core::exchange::sheet::FileError;
use stip_core::exchange::sheet::{self, Limits};
use stip_core::exchange::write::{self, ExportRow};
use stip_core::institution::Institution;
use stip_core::portfolio::Project;
use stip_core::portfolio::{Character, EffortUnit, Horizon, Phase, Status, Visibility};
use stip_store::exchange::RowPlan;
use stip_store::exchange::{ImportCounts, StoredImport};
use stip_store::{Store, StoreError};

/// The most an upload may carry: the file (20 MB) and the form around it.
pub const MAX_UPLOAD: usize = stip_core::exchange::sheet::DEFAULT_MAX_BYTES + 64 * 1024;

/// The import pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> axum::Router<crate::AppState> {
    pages::routes()
}

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

/// A `multipart/form-data` upload: the file in the field `file` (its name and bytes; none when
/// no file was chosen) and the other fields as text.
#[derive(Default)]
pub struct Upload {
    pub file: Option<(String, Bytes)>,
    pub fields: BTreeMap<String, String>,
}

pub async fn read_upload(headers: &HeaderMap, body: Bytes) -> Upload {
    let mut upload = Upload::default();
    let Some(boundary) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
    else {
        return upload;
    };
    let mut form = multer::Multipart::new(Body::from(body).into_data_stream(), boundary);
    while let Ok(Some(field)) = form.next_field().await {
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            match field.bytes().await {
                // A form sent without choosing a file has the field, empty and nameless.
                Ok(b) if b.is_empty() && file_name.is_empty() => {}
                Ok(b) if upload.file.is_none() => {
                    let file_name = if file_name.is_empty() {
                        "upload".to_string()
                    } else {
                        file_name
                    };
                    upload.file = Some((file_name, b));
                }
                _ => {}
            }
        } else if let Ok(text) = field.text().await {
            upload.fields.entry(name).or_insert(text);
        }
    }
    upload
}

/// Reads a stored or uploaded file into its preview for the institution, or the sentence why
/// it cannot be read.
pub async fn read_preview(
    state: &AppState,
    lang: Lang,
    (name, bytes): (&str, &[u8]),
    institution: &Institution,
    mapping: &Mapping,
) -> Result<Result<Preview, String>, stip_store::StoreError> {
    let contents = match sheet::read(name, bytes, &Limits::default()) {
        Ok(c) => c,
        Err(e) => return Ok(Err(file_error(lang, &e))),
    };
    let brin = institution.data.brin.as_str();
    let read = state
        .store
        .preview_import(institution.id, brin, &contents, mapping)
        .await?;
    Ok(read.map_err(|e| preview_error(lang, &e)))
}

/// An uploaded file and its institution, if `viewer` may import into it. One they may not is
/// answered like one that does not exist: `None`, as for a project one may not see.
pub async fn stored_for(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<Option<(StoredImport, Institution)>, StoreError> {
    let stored = match state.store.stored_import(id).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    if !viewer.may(Action::ImportProjects {
        institution_id: stored.institution_id,
    }) {
        return Ok(None);
    }
    let lists = state.lists().await?;
    let institution = lists
        .institutions
        .iter()
        .find(|i| i.id == stored.institution_id)
        .cloned();
    Ok(institution.map(|i| (stored, i)))
}

/// Why confirming an import wrote nothing.
pub enum Refused {
    /// It was imported already (by this request's twin, a second tab).
    Already,
    /// The file has rows with problems, or a project in it was saved since: the sentence why.
    Because(String),
}

/// Confirms an uploaded file: reads it again as it is stored, and writes it in one
/// transaction when no row has a problem.
pub async fn confirm(
    state: &AppState,
    viewer: &Viewer,
    stored: &StoredImport,
    institution: &Institution,
) -> Result<Result<ImportCounts, Refused>, StoreError> {
    if stored.result.is_some() {
        return Ok(Err(Refused::Already));
    }
    let lang = viewer.lang;
    let file = (stored.file_name.as_str(), stored.file.as_slice());
    let preview = match read_preview(state, lang, file, institution, &stored.mapping).await? {
        Ok(p) => p,
        Err(message) => return Ok(Err(Refused::Because(message))),
    };
    if preview.has_problems() {
        let n = preview.rows.iter().filter(|r| r.outcome.is_err()).count();
        let message = lang.t_with("import.has_problems", &[("n", &n.to_string())]);
        return Ok(Err(Refused::Because(message)));
    }
    match state
        .store
        .commit_import(stored, &preview, &viewer.editor())
        .await
    {
        Ok(counts) => Ok(Ok(counts)),
        Err(StoreError::ImportedAlready) => Ok(Err(Refused::Already)),
        Err(StoreError::Busy) => Ok(Err(Refused::Because(lang.t("import.saved_since")))),
        Err(e) => Err(e),
    }
}

/// The media type of an export (or template) in `format`: `xlsx`, `csv` or `json`.
pub fn content_type(format: &str) -> Option<&'static str> {
    Some(match format {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        _ => return None,
    })
}
