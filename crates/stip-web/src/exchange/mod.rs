//! Import and export in the web layer (and the words the CLI prints): problems and file errors
//! as sentences in the reader's language, naming the row and the column as the file has them.

mod api;
mod pages;

use crate::AppState;
use crate::auth::Viewer;
use crate::i18n::Lang;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::ErrorCode;
use stip_core::access::Action;
use stip_core::exchange::columns::{Column, Field, Mapping, Reason};
use stip_core::exchange::content::Skip;
use stip_core::exchange::preview::{ImportRow, PreviewError, Problem};
use stip_core::exchange::preview::{Options, Preview};
use stip_core::exchange::sheet::FileError;
use stip_core::exchange::sheet::{self, Contents, Limits};
use stip_core::exchange::suggestion::Suggestion;
use stip_core::exchange::write::{self, ExportRow};
use stip_core::institution::Institution;
use stip_core::portfolio::Project;
use stip_core::portfolio::{Character, EffortUnit, Horizon, Phase, Status, Visibility};
use stip_core::portfolio::{FieldChange, HistoryValue};
use stip_store::exchange::{Committed, ImportCounts, Outdated, OutdatedRow, RowPlan, StoredImport};
use stip_store::{Store, StoreError};
use utoipa_axum::router::OpenApiRouter;

/// The most an upload may carry: the file (20 MB) and the form around it.
pub const MAX_UPLOAD: usize = stip_core::exchange::sheet::DEFAULT_MAX_BYTES + 64 * 1024;

/// The import pages; the API's routes are joined with their OpenAPI paths in `crate::openapi`.
pub fn routes() -> OpenApiRouter<AppState> {
    api::routes().merge(pages::routes().into())
}

/// "rij 14, kolom 'Startdatum': '31-02-2021' is geen datum; …", or for a field the file has
/// no column for "rij 2 (je bestand heeft geen kolom 'Thema's'): Kies een hoofdthema."
pub fn problem_line(lang: Lang, row: usize, p: &Problem) -> String {
    lang.t_with(
        if p.in_file {
            "import.line"
        } else {
            "import.line_without_column"
        },
        &[
            ("row", &row.to_string()),
            ("column", &p.column),
            ("message", &problem_message(lang, p)),
        ],
    )
}

/// What is wrong with a value, quoting it as typed where that helps.
/// Why a column holds its field or none, as the preview says it ("herkend aan de inhoud: 34
/// van 36 waarden zijn thema's").
pub fn reason_text(lang: Lang, column: &Column) -> String {
    match &column.reason {
        Reason::Chosen if column.field.is_some() => lang.t("import.reason.chosen"),
        Reason::Chosen => lang.t("import.reason.left_out"),
        Reason::Header => lang.t("import.reason.header"),
        Reason::Content { matching, values } => lang.t_with(
            "import.reason.content",
            &[
                ("matching", &matching.to_string()),
                ("values", &values.to_string()),
                (
                    "kind",
                    &lang.t(&format!(
                        "import.kind.{}",
                        column.field.as_ref().map(Field::code).unwrap_or_default()
                    )),
                ),
            ],
        ),
        Reason::Taken => lang.t("import.reason.taken"),
        Reason::Names => lang.t("import.reason.names"),
        Reason::Unknown => lang.t("import.reason.unknown"),
    }
}

/// What importing a row does to one field, as the preview shows it: every field as read for a
/// new project (`old` empty), the fields that change for a changed one.
pub fn row_changes(row: &ImportRow, plan: &RowPlan) -> Vec<FieldChange> {
    match (plan, &row.outcome) {
        (RowPlan::Changed { changes, .. }, _) => changes.clone(),
        (RowPlan::New, Ok(data)) => {
            let mut read: Vec<FieldChange> = row
                .external_id
                .iter()
                .map(|n| FieldChange {
                    field: "external_id".into(),
                    old: HistoryValue::Empty,
                    new: HistoryValue::Text(n.clone()),
                })
                .collect();
            read.extend(
                data.history_fields()
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(field, new)| FieldChange {
                        field: field.into(),
                        old: HistoryValue::Empty,
                        new,
                    }),
            );
            read
        }
        _ => Vec::new(),
    }
}

/// Whether a change puts a poorer value in place of a richer one: a shorter text, fewer
/// themes, drivers or MORA areas. The preview marks it.
pub fn is_poorer(change: &FieldChange) -> bool {
    match (&change.old, &change.new) {
        (HistoryValue::Text(old), HistoryValue::Text(new)) => {
            new.chars().count() < old.chars().count()
        }
        (HistoryValue::Text(_) | HistoryValue::List(_), HistoryValue::Empty) => true,
        (HistoryValue::List(old), HistoryValue::List(new)) => old.iter().any(|o| !new.contains(o)),
        _ => false,
    }
}

/// Why a main theme is proposed for a row, as the preview says it: "voorstel ‘Onderwijslogistiek’,
/// het hoofdthema van vergelijkbare projecten: ‘Roosteren in de cloud’ (Horizon College), …".
pub fn suggestion_text(lang: Lang, theme_name: &str, s: &Suggestion) -> String {
    let like = s
        .like
        .iter()
        .map(|a| format!("‘{}’ ({})", a.title, a.institution))
        .collect::<Vec<_>>()
        .join(", ");
    lang.t_with(
        if s.accepted {
            "import.suggestion.taken"
        } else {
            "import.suggestion.open"
        },
        &[("theme", theme_name), ("like", &like)],
    )
}

/// Why a row is not read, as the preview says it.
pub fn skip_text(lang: Lang, skip: Skip) -> String {
    lang.t(match skip {
        Skip::Total => "import.skip.total",
        Skip::RepeatedHeader => "import.skip.repeated_header",
        Skip::Section => "import.skip.section",
    })
}

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

/// Reading uploaded files: a 19 MB workbook takes seconds and hundreds of MB to read, so each
/// is read on a thread of its own (never on the threads that serve requests), and only a few
/// at once; a request that gets no turn in time is answered 503 with `Retry-After`.
///
/// The last few files read are kept by their upload's id, as read: showing a preview again (a
/// choice made, another filter, the confirmation) does not read the file again.
pub struct Readers {
    turns: Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
    kept: std::sync::Mutex<std::collections::VecDeque<(i64, Arc<Contents>)>>,
}

/// How many read files are kept: a 15,000-row workbook is some 30 MB as read.
const KEPT_FILES: usize = 2;

/// How many files are read at once by default: memory stays within two files' worth.
pub const READERS: usize = 2;
/// How long a request waits for its turn to read by default.
pub const READER_WAIT: std::time::Duration = std::time::Duration::from_secs(20);
/// The `Retry-After` (seconds) of a request that got no turn.
pub const RETRY_AFTER_SECONDS: u64 = 30;

impl Readers {
    /// `at_once` files read at the same time; a request waits `wait` for a turn.
    pub fn new(at_once: usize, wait: std::time::Duration) -> Readers {
        Readers {
            turns: Arc::new(tokio::sync::Semaphore::new(at_once)),
            wait,
            kept: Default::default(),
        }
    }

    /// The contents of upload `id` as read before, if kept.
    fn kept(&self, id: i64) -> Option<Arc<Contents>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().find(|(k, _)| *k == id).map(|(_, c)| c.clone())
    }

    /// Keeps the contents of upload `id`, dropping the oldest kept beyond [`KEPT_FILES`].
    pub fn keep(&self, id: i64, contents: Arc<Contents>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(k, _)| *k != id);
        if kept.len() >= KEPT_FILES {
            kept.pop_front();
        }
        kept.push_back((id, contents));
    }

    /// A turn to read a file, held until dropped; `None` when no turn came free in time.
    pub async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        tokio::time::timeout(self.wait, self.turns.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }
}

impl Default for Readers {
    fn default() -> Readers {
        Readers::new(READERS, READER_WAIT)
    }
}

/// Why a file gave no preview.
pub enum Unread {
    /// Every turn to read a file was taken for too long: try again shortly.
    Busy,
    /// The file cannot be read: the sentence why.
    Because(String),
}

/// Reads a stored or uploaded file into its preview for the institution, or says why not. Every
/// file the web reads goes through here: with a turn of [`Readers`], on a blocking thread.
pub async fn read_preview(
    state: &AppState,
    viewer: &Viewer,
    file: FileToRead<'_>,
    institution: &Institution,
    mapping: &Mapping,
    options: &Options,
) -> Result<Result<Read, Unread>, stip_store::StoreError> {
    let lang = viewer.lang;
    let Some(turn) = state.readers.turn().await else {
        return Ok(Err(Unread::Busy));
    };
    let scope = stip_core::access::project_scope(&viewer.actor);
    let context = state.store.import_context(institution.id, scope).await?;
    // The contents as read before, or the file to read (only then copied).
    let source = match file.id.and_then(|id| state.readers.kept(id)) {
        Some(contents) => Ok(contents),
        None => Err((file.name.to_string(), file.bytes.to_vec())),
    };
    let brin = institution.data.brin.to_string();
    let mapping = mapping.clone();
    let options = options.clone();
    let read = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let contents = match source {
            Ok(contents) => contents,
            // The bytes are dropped once read: their memory is free before the rows are made.
            Err((name, bytes)) => match sheet::read(&name, &bytes, &Limits::default()) {
                Ok(c) => Arc::new(c),
                Err(e) => return Err(file_error(lang, &e)),
            },
        };
        let preview = context
            .preview(&contents, &brin, &mapping, &options)
            .map_err(|e| preview_error(lang, &e))?;
        Ok(Read { preview, contents })
    })
    .await
    // The reader guards itself against panics; a task that ends otherwise is a damaged file.
    .unwrap_or_else(|_| Err(file_error(lang, &FileError::Damaged)));
    if let (Ok(read), Some(id)) = (&read, file.id) {
        state.readers.keep(id, read.contents.clone());
    }
    Ok(read.map_err(Unread::Because))
}

/// A file to read into a preview: its name and bytes, and the upload it is (once stored), by
/// which it is kept as read.
pub struct FileToRead<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub id: Option<i64>,
}

impl<'a> FileToRead<'a> {
    pub fn uploaded(name: &'a str, bytes: &'a [u8]) -> Self {
        FileToRead {
            name,
            bytes,
            id: None,
        }
    }

    pub fn stored(stored: &'a StoredImport) -> Self {
        FileToRead {
            name: &stored.file_name,
            bytes: &stored.file,
            id: Some(stored.id),
        }
    }
}

/// A file read: its rows as projects, and its contents as read (to keep once it is stored).
pub struct Read {
    pub preview: Preview,
    pub contents: Arc<Contents>,
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
    /// No turn to read the file came free: try again shortly.
    Busy,
    /// The file cannot be read with its mapping: the sentence why.
    Unreadable(String),
    /// Rows have problems: how many rows, and each problem as "rij 3, kolom 'Startdatum': …".
    Problems { rows: usize, lines: Vec<String> },
    /// Rows that would do something else than their preview showed: each as a sentence.
    Outdated(Vec<String>),
}

impl Refused {
    /// The sentence that says why, with the rows.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Refused::Already => lang.t("import.committed_already"),
            Refused::Busy => lang.t("import.busy"),
            Refused::Unreadable(message) => message.clone(),
            Refused::Problems { rows, lines } => lang.t_with(
                "import.row_problems",
                &[("n", &rows.to_string()), ("rows", &lines.join(" "))],
            ),
            Refused::Outdated(lines) => {
                lang.t_with("import.outdated", &[("rows", &lines.join(" "))])
            }
        }
    }
}

/// A row that would no longer do what its preview showed, as a sentence.
fn outdated_line(lang: Lang, row: &OutdatedRow) -> String {
    let why = match row.why {
        Outdated::Deleted => "deleted",
        Outdated::MadeSince => "made_since",
        Outdated::SavedSince => "saved_since",
    };
    lang.t_with(
        "import.outdated_row",
        &[
            ("row", &row.row.to_string()),
            ("title", &row.title),
            ("why", &lang.t(&format!("import.outdated_why.{why}"))),
        ],
    )
}

/// Confirms an uploaded file: reads it again as it is stored, and writes it in one transaction
/// when no row has a problem and every row still does what `seen` (the plan its preview
/// showed; the one kept with the upload when the request carries none) says.
pub async fn confirm(
    state: &AppState,
    viewer: &Viewer,
    stored: &StoredImport,
    institution: &Institution,
    seen: Option<Vec<RowPlan>>,
    options: &Options,
) -> Result<Result<ImportCounts, Refused>, StoreError> {
    if stored.result.is_some() {
        return Ok(Err(Refused::Already));
    }
    let lang = viewer.lang;
    let file = FileToRead::stored(stored);
    let preview =
        match read_preview(state, viewer, file, institution, &stored.mapping, options).await? {
            Ok(read) => read.preview,
            Err(Unread::Busy) => return Ok(Err(Refused::Busy)),
            Err(Unread::Because(message)) => return Ok(Err(Refused::Unreadable(message))),
        };
    if preview.has_problems() {
        let lines = preview
            .rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().err().map(|p| (r.row, p)))
            .flat_map(|(row, problems)| problems.iter().map(move |p| (row, p)))
            .map(|(row, p)| problem_line(lang, row, p))
            .collect();
        let rows = preview.rows.iter().filter(|r| r.outcome.is_err()).count();
        return Ok(Err(Refused::Problems { rows, lines }));
    }
    let seen = seen.unwrap_or_else(|| stored.plan.clone());
    match state
        .store
        .commit_import(stored, &preview, &seen, &viewer.editor())
        .await
    {
        Ok(Committed::Written(counts)) => Ok(Ok(counts)),
        Ok(Committed::Outdated(rows)) => Ok(Err(Refused::Outdated(
            rows.iter().map(|r| outdated_line(lang, r)).collect(),
        ))),
        Err(StoreError::ImportedAlready) => Ok(Err(Refused::Already)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use stip_core::exchange::sheet::{Cell, Row, Sheet};

    fn contents(title: &str) -> Arc<Contents> {
        Arc::new(Contents::Sheets(vec![Sheet {
            name: String::new(),
            rows: vec![Row {
                number: 1,
                cells: vec![Cell::Text(title.into())],
            }],
        }]))
    }

    #[test]
    fn the_last_files_read_are_kept_by_their_upload() {
        let readers = Readers::default();
        assert!(readers.kept(1).is_none());
        readers.keep(1, contents("een"));
        readers.keep(2, contents("twee"));
        assert_eq!(readers.kept(1), Some(contents("een")));
        // A third file makes room by dropping the oldest.
        readers.keep(3, contents("drie"));
        assert!(readers.kept(1).is_none());
        assert_eq!(readers.kept(2), Some(contents("twee")));
        assert_eq!(readers.kept(3), Some(contents("drie")));
        // Kept again, a file is the newest.
        readers.keep(2, contents("twee"));
        readers.keep(4, contents("vier"));
        assert!(readers.kept(3).is_none());
        assert!(readers.kept(2).is_some());
    }
}
