//! `/api/v1/imports` and `/api/v1/projects/export`: an overview uploaded, previewed row by row
//! and then committed in one transaction; any list view as XLSX, CSV or JSON.

use super::{
    FileToRead, MAX_UPLOAD, Refused, Unread, confirm, content_type, export_bytes, is_poorer,
    problem_message, read_preview, read_upload, reason_text, row_changes, skip_text, status_code,
    stored_for, suggestion_text,
};
use crate::auth::Viewer;
use crate::http::error::{Problem, ProblemField};
use crate::http::extract::{Id, Listing, json_body};
use crate::i18n::Lang;
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stip_core::access::{Action, project_scope};
use stip_core::exchange::columns::Field;
use stip_core::exchange::columns::Reason;
use stip_core::exchange::content::Skip;
use stip_core::exchange::preview::Preview;
use stip_core::exchange::preview::{Options, ThemesMode};
use stip_core::institution::BrinCode;
use stip_core::portfolio::{HistoryValue, Phase};
use stip_core::{ErrorCode, Invalid};
use stip_store::exchange::RowPlan;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(commit))
        .routes(routes!(export))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// BRIN code of the institution whose portfolio the file is; an informatiemanager's own
    /// when left out.
    #[serde(default)]
    institution: Option<String>,
    /// How the file's themes meet a matched project's own: `add` (the default: none of the
    /// project's themes is dropped) or `replace`.
    #[serde(default)]
    #[param(value_type = Option<ThemesChoice>)]
    themes: Option<String>,
    /// The phase of every row without one, for a file without a phase column.
    #[serde(default)]
    #[param(schema_with = crate::http::schema::phases)]
    phase: Option<String>,
}

/// The options of an upload or a commit; an unknown phase is refused by name.
fn import_options(
    themes: Option<ThemesMode>,
    phase: Option<&str>,
    accept_suggestions: bool,
) -> Result<Options, Error> {
    let mut options = Options {
        themes: themes.unwrap_or_default(),
        accept_suggestions,
        ..Options::default()
    };
    if let Some(raw) = phase.map(str::trim).filter(|p| !p.is_empty()) {
        let phase = Phase::parse(raw)
            .ok_or_else(|| Error::Invalid(Invalid::one("phase", ErrorCode::InvalidChoice)))?;
        options
            .defaults
            .push((Field::Phase, phase.code().to_string()));
    }
    Ok(options)
}

impl ImportParams {
    /// The parameters as sent; one sent twice is refused by name, as any other bad value.
    fn from_query(query: Vec<(String, String)>) -> Result<ImportParams, Error> {
        let mut params = ImportParams {
            institution: None,
            themes: None,
            phase: None,
        };
        for (name, value) in query {
            let slot = match name.as_str() {
                "institution" => &mut params.institution,
                "themes" => &mut params.themes,
                "phase" => &mut params.phase,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(Error::Invalid(Invalid::one(
                    &name,
                    ErrorCode::InvalidChoice,
                )));
            }
        }
        Ok(params)
    }
}

/// How to write a previewed import. Every field may be left out, and so may the body.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CommitBody {
    /// Accept the suggested main themes for rows whose theme could not be read.
    pub accept_suggestions: bool,
    /// `add` (the default): a spreadsheet's themes are added to a matched project's own;
    /// `replace`: they replace them, the first the primary theme.
    #[schema(value_type = Option<ThemesChoice>)]
    pub themes: Option<ThemesMode>,
    /// The phase of every row without one, for a file without a phase column (as the
    /// upload's `phase`).
    #[schema(schema_with = crate::http::schema::phases)]
    pub phase: Option<String>,
}

/// How a spreadsheet's themes meet a matched project's own: `add` keeps every theme the
/// project has and adds the file's, `replace` puts the file's in their place.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum ThemesChoice {
    Add,
    Replace,
}

/// The upload: a form with the file in the field `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// An .xlsx, .ods, .xls or .csv overview, or a JSON document in the exchange format.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct ColumnJson {
    /// The column's header as the file has it.
    pub column: String,
    /// The field it is read into (`title`, `score:<criterion>`, …); `null`: not read.
    pub field: Option<String>,
    /// Why the column holds this field, or none.
    pub reason: ColumnReasonJson,
    /// The first values below the header (at most three).
    pub examples: Vec<String>,
}

/// Why a column holds its field, or none.
#[derive(Serialize, ToSchema)]
pub struct ColumnReasonJson {
    /// `chosen` (by a person, now or at the last import), `header` (its header names the
    /// field), `content` (its values are of the field's kind), `taken` (an earlier column
    /// holds the field), `names` (the names beside a column of codes, as an export writes
    /// them: the codes are read) or `unknown` (not recognised: not read).
    #[schema(example = "content")]
    pub by: &'static str,
    /// For `content`: how many of the values are of the field's kind …
    pub matching: Option<usize>,
    /// … of how many filled-in values read.
    pub values: Option<usize>,
    /// The reason in the request's language.
    #[schema(example = "herkend aan de inhoud: 34 van 36 waarden zijn thema's")]
    pub text: String,
}

/// A row that is no project: not read, and not refused either.
#[derive(Serialize, ToSchema)]
pub struct SkippedRowJson {
    pub row: usize,
    /// `total` (a total or subtotal), `repeated_header` or `section` (a section's heading).
    #[schema(example = "total")]
    pub why: &'static str,
    /// The row's first filled-in cell.
    pub text: String,
    /// Why, in the request's language.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct RowProblemJson {
    /// The column as the file names it.
    pub column: String,
    /// What is wrong, in the request's language.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRowJson {
    /// The row number as the spreadsheet shows it (JSON: the project's place in the list).
    pub row: usize,
    /// `new`, `changed`, `unchanged` or `error`.
    #[schema(example = "new")]
    pub status: &'static str,
    pub title: String,
    /// For `changed`: the fields that change.
    pub fields: Vec<String>,
    /// What the row does to each field: for `new` every field as read (`old` is `null`), for
    /// `changed` each field that changes, from `old` to `new`. Values as in a project's
    /// history (`GET /api/v1/projects/{id}/history`).
    pub changes: Vec<ImportChangeJson>,
    pub problems: Vec<RowProblemJson>,
    /// Values Stip proposes for the row: a main theme when the row's theme cannot be read.
    /// Taken only when accepted (`accept_suggestions` on commit); a row that needs one and
    /// has not accepted it keeps its problem.
    pub suggestions: Vec<SuggestionJson>,
}

/// A value proposed for a row, from the projects in the network most like it.
#[derive(Serialize, ToSchema)]
pub struct SuggestionJson {
    /// The field it is for: `themes`.
    #[schema(example = "themes")]
    pub field: &'static str,
    /// The proposed value: the main theme's code.
    pub value: Vec<String>,
    pub reason: SuggestionReasonJson,
    /// Whether the row takes it (it was accepted).
    pub accepted: bool,
}

/// Why a value is proposed.
#[derive(Serialize, ToSchema)]
pub struct SuggestionReasonJson {
    /// The projects most like the row that have this main theme, best first (only projects the
    /// caller may see).
    pub similar: Vec<SimilarProjectJson>,
    /// The reason in the request's language.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct SimilarProjectJson {
    pub id: i64,
    pub title: String,
    /// The institution's name.
    pub institution: String,
}

/// One field an imported row sets or changes.
#[derive(Serialize, ToSchema)]
pub struct ImportChangeJson {
    pub field: String,
    #[schema(value_type = Value)]
    pub old: HistoryValue,
    #[schema(value_type = Value)]
    pub new: HistoryValue,
    /// The new value is poorer than the old: a shorter text, or themes, drivers or MORA
    /// areas left out.
    pub poorer: bool,
}

#[derive(Serialize, ToSchema, Default)]
pub struct ImportCountsJson {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Rows with problems (a preview only).
    pub error: usize,
}

/// What importing the file would do, row by row. Nothing is written until it is committed.
#[derive(Serialize, ToSchema)]
pub struct ImportPreviewJson {
    pub id: i64,
    /// BRIN code.
    pub institution: String,
    pub file_name: String,
    /// The sheet the rows come from (empty for CSV and JSON).
    pub sheet: String,
    /// The header's row number; `null` for JSON.
    pub header_row: Option<usize>,
    pub columns: Vec<ColumnJson>,
    pub rows: Vec<ImportRowJson>,
    /// Rows that are no project (totals, a repeated header, a section's heading).
    pub skipped: Vec<SkippedRowJson>,
    pub counts: ImportCountsJson,
}

/// The institution named (or the caller's own), if the caller may import into it.
async fn institution_for(
    state: &AppState,
    viewer: &Viewer,
    raw: Option<&str>,
) -> Result<stip_core::institution::Institution, ImportRefusal> {
    viewer.require_login()?;
    let lists = state.lists().await?;
    let found = match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => {
            let brin = BrinCode::parse(raw)
                .map_err(|code| Error::Invalid(Invalid::one("institution", code)))?;
            lists
                .institutions
                .iter()
                .find(|i| i.data.brin == brin)
                .ok_or_else(|| Error::Invalid(Invalid::one("institution", ErrorCode::Unknown)))?
        }
        None => lists
            .institutions
            .iter()
            .find(|i| Some(i.id) == viewer.actor.institution_id())
            .ok_or_else(|| Error::Invalid(Invalid::one("institution", ErrorCode::Required)))?,
    };
    if !viewer.may(Action::ImportProjects {
        institution_id: found.id,
    }) {
        // An informatiemanager naming another institution is told which one is theirs.
        let own = lists
            .institutions
            .iter()
            .find(|i| Some(i.id) == viewer.actor.institution_id())
            .filter(|own| {
                viewer.may(Action::ImportProjects {
                    institution_id: own.id,
                })
            });
        return Err(match own {
            Some(own) => ImportRefusal::OtherInstitution(own.data.name.clone()),
            None => ImportRefusal::Api(Error::Forbidden),
        });
    }
    Ok(found.clone())
}

/// Why an upload is not read for the institution it names.
enum ImportRefusal {
    Api(Error),
    /// An informatiemanager named another institution than their own (its name).
    OtherInstitution(String),
}

impl From<Error> for ImportRefusal {
    fn from(e: Error) -> Self {
        ImportRefusal::Api(e)
    }
}

impl From<stip_store::StoreError> for ImportRefusal {
    fn from(e: stip_store::StoreError) -> Self {
        ImportRefusal::Api(e.into())
    }
}

impl ImportRefusal {
    fn response(self, lang: Lang) -> Response {
        match self {
            ImportRefusal::Api(e) => e.into_response(),
            ImportRefusal::OtherInstitution(own) => {
                let message = lang.t_with("import.own_institution_only", &[("institution", &own)]);
                let field = ProblemField {
                    field: "institution".into(),
                    code: "own_institution_only".into(),
                    message: message.clone(),
                    min: None,
                    max: None,
                };
                problem(
                    lang,
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    message,
                    Some(vec![field]),
                )
            }
        }
    }
}

/// 503 with `Retry-After`: every turn to read a file is taken.
fn busy(lang: Lang) -> Response {
    let mut res = problem(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        "import_busy",
        lang.t("import.busy"),
        None,
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, super::RETRY_AFTER_SECONDS.into());
    res
}

/// A 422 naming the file and why it cannot be read.
fn refused_file(lang: Lang, message: String) -> Response {
    let field = ProblemField {
        field: "file".into(),
        code: "unreadable_file".into(),
        message: message.clone(),
        min: None,
        max: None,
    };
    problem(
        lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        message,
        Some(vec![field]),
    )
}

/// A problem+json answer whose detail only this area can word.
fn problem(
    lang: Lang,
    status: StatusCode,
    key: &str,
    detail: String,
    errors: Option<Vec<ProblemField>>,
) -> Response {
    let body = Problem {
        r#type: format!("https://stip.example/problems/{key}"),
        title: lang.t(&format!("problem.{key}")),
        status: status.as_u16(),
        detail: Some(detail),
        errors,
        current: None,
        changes: None,
        fields: None,
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(body),
    )
        .into_response()
}

fn preview_json(
    lang: Lang,
    lists: &crate::lists::Lists,
    id: i64,
    brin: &BrinCode,
    file_name: &str,
    preview: &Preview,
    plan: &[RowPlan],
) -> ImportPreviewJson {
    let rows = preview
        .rows
        .iter()
        .zip(plan)
        .map(|(row, plan)| ImportRowJson {
            row: row.row,
            status: status_code(plan),
            title: row.title.clone(),
            fields: plan
                .changed_fields()
                .into_iter()
                .map(str::to_string)
                .collect(),
            changes: row_changes(row, plan)
                .into_iter()
                .map(|c| ImportChangeJson {
                    poorer: is_poorer(&c),
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
                .collect(),
            problems: match &row.outcome {
                Ok(_) => Vec::new(),
                Err(problems) => problems
                    .iter()
                    .map(|p| RowProblemJson {
                        column: p.column.clone(),
                        message: problem_message(lang, p),
                    })
                    .collect(),
            },
            suggestions: row
                .suggestion
                .iter()
                .map(|s| SuggestionJson {
                    field: "themes",
                    value: vec![s.theme.clone()],
                    reason: SuggestionReasonJson {
                        similar: s
                            .like
                            .iter()
                            .map(|a| SimilarProjectJson {
                                id: a.id,
                                title: a.title.clone(),
                                institution: a.institution.clone(),
                            })
                            .collect(),
                        text: suggestion_text(lang, &lists.theme_name(&s.theme), s),
                    },
                    accepted: s.accepted,
                })
                .collect(),
        })
        .collect();
    ImportPreviewJson {
        id,
        institution: brin.to_string(),
        file_name: file_name.to_string(),
        sheet: preview.sheet.clone(),
        header_row: preview.header.as_ref().map(|h| h.row),
        columns: preview
            .header
            .iter()
            .flat_map(|h| &h.columns)
            .filter(|c| !c.name.is_empty())
            .map(|c| ColumnJson {
                column: c.name.clone(),
                field: c.field.as_ref().map(|f| f.code()),
                reason: ColumnReasonJson {
                    by: match c.reason {
                        Reason::Chosen => "chosen",
                        Reason::Header => "header",
                        Reason::Content { .. } => "content",
                        Reason::Taken => "taken",
                        Reason::Names => "names",
                        Reason::Unknown => "unknown",
                    },
                    matching: match c.reason {
                        Reason::Content { matching, .. } => Some(matching),
                        _ => None,
                    },
                    values: match c.reason {
                        Reason::Content { values, .. } => Some(values),
                        _ => None,
                    },
                    text: reason_text(lang, c),
                },
                examples: c.examples.clone(),
            })
            .collect(),
        rows,
        skipped: preview
            .skipped
            .iter()
            .map(|s| SkippedRowJson {
                row: s.row,
                why: match s.why {
                    Skip::Total => "total",
                    Skip::RepeatedHeader => "repeated_header",
                    Skip::Section => "section",
                },
                text: s.text.clone(),
                message: skip_text(lang, s.why),
            })
            .collect(),
        counts: counts(plan),
    }
}

/// How many rows of a plan are new, changed, unchanged and wrong.
pub fn counts(plan: &[RowPlan]) -> ImportCountsJson {
    let mut counts = ImportCountsJson::default();
    for row in plan {
        match row {
            RowPlan::New => counts.new += 1,
            RowPlan::Changed { .. } => counts.changed += 1,
            RowPlan::Unchanged { .. } => counts.unchanged += 1,
            RowPlan::Problems => counts.error += 1,
        }
    }
    counts
}

/// Uploads an overview and previews it: every row with what importing it does (`new`,
/// `changed`, `unchanged`) or its problems, by row and column. Nothing is written yet; commit
/// it with `POST /api/v1/imports/{id}/commit`. An informatiemanager imports into their own
/// institution; a beheerder into any.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", operation_id = "create_import", params(ImportParams),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "Previewed; nothing written yet", body = ImportPreviewJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not import into this institution (an informatiemanager: only into their own, which `detail` names)", body = crate::Problem),
        (status = 413, description = "The file is larger than 20 MB", body = crate::Problem),
        (status = 422, description = "No file, or a file Stip cannot read (`detail` says why)", body = crate::Problem),
        (status = 503, description = "Too many files are being read: try again after `Retry-After` seconds", body = crate::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let params = ImportParams::from_query(query)?;
    let institution = match institution_for(&state, &viewer, params.institution.as_deref()).await {
        Ok(institution) => institution,
        Err(refusal) => return Ok(refusal.response(viewer.lang)),
    };
    let Some((name, bytes)) = read_upload(&headers, body).await.file else {
        return Err(Error::Invalid(Invalid::one("file", ErrorCode::Required)));
    };
    let mapping = state.store.import_mapping(institution.id).await?;
    let brin = &institution.data.brin;
    let themes = match params.themes.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("add") => Some(ThemesMode::Add),
        Some("replace") => Some(ThemesMode::Replace),
        Some(_) => {
            return Err(Error::Invalid(Invalid::one(
                "themes",
                ErrorCode::InvalidChoice,
            )));
        }
    };
    let options = import_options(themes, params.phase.as_deref(), false)?;
    let read = match read_preview(
        &state,
        &viewer,
        FileToRead::uploaded(&name, &bytes),
        &institution,
        &mapping,
        &options,
    )
    .await?
    {
        Ok(read) => read,
        Err(Unread::Busy) => return Ok(busy(viewer.lang)),
        Err(Unread::Because(message)) => return Ok(refused_file(viewer.lang, message)),
    };
    let preview = &read.preview;
    let plan = state.store.plan_import(institution.id, preview).await?;
    let user_id = viewer.user.as_ref().map(|u| u.id);
    let id = state
        .store
        .create_import(institution.id, user_id, &name, &bytes, &mapping, &plan)
        .await?;
    state.readers.keep(id, read.contents.clone());
    let lists = state.lists().await?;
    let json = preview_json(viewer.lang, &lists, id, brin, &name, preview, &plan);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/imports/{id}"))],
        Json(json),
    )
        .into_response())
}

/// Writes a previewed import: all rows in one transaction, or nothing. 422 when a row has
/// problems (fix the file and upload it again; `errors` lists them by row and column); 409
/// when it was committed already, or when a row would no longer do what the preview showed
/// (its project deleted, made by another import, or saved by someone since; `errors` names
/// the rows): preview the file again.
#[utoipa::path(post, path = "/api/v1/imports/{id}/commit", tag = "imports", operation_id = "commit_import", params(("id" = i64, Path)),
    request_body(content = Option<CommitBody>, content_type = "application/json"),
    responses((status = 200, description = "Written", body = ImportCountsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The caller may not import into this institution", body = crate::Problem),
        (status = 404, description = "No such import", body = crate::Problem),
        (status = 409, description = "Committed already, or rows changed since the preview: nothing written", body = crate::Problem),
        (status = 422, description = "Rows with problems: nothing written", body = crate::Problem),
        (status = 503, description = "Too many files are being read: try again after `Retry-After` seconds", body = crate::Problem)))]
pub async fn commit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    viewer.require_login()?;
    let body: CommitBody = if body.iter().all(u8::is_ascii_whitespace) {
        CommitBody::default()
    } else {
        json_body::<Option<CommitBody>>(&headers, &body)?.unwrap_or_default()
    };
    let options = import_options(body.themes, body.phase.as_deref(), body.accept_suggestions)?;
    let Some((stored, institution)) = stored_for(&state, &viewer, id).await? else {
        return Err(Error::NotFound);
    };
    let lang = viewer.lang;
    let counts = match confirm(&state, &viewer, &stored, &institution, None, &options).await? {
        Ok(counts) => counts,
        Err(Refused::Busy) => return Ok(busy(lang)),
        Err(Refused::Unreadable(message)) => return Ok(refused_file(lang, message)),
        Err(Refused::Problems { rows, lines }) => {
            let errors = lines
                .iter()
                .map(|line| ProblemField {
                    field: "file".into(),
                    code: "row_problem".into(),
                    message: line.clone(),
                    min: None,
                    max: None,
                })
                .collect();
            let detail = Refused::Problems { rows, lines }.message(lang);
            return Ok(problem(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                detail,
                Some(errors),
            ));
        }
        Err(refused) => {
            let errors = match &refused {
                Refused::Outdated(lines) => Some(
                    lines
                        .iter()
                        .map(|line| ProblemField {
                            field: "file".into(),
                            code: "changed_since_preview".into(),
                            message: line.clone(),
                            min: None,
                            max: None,
                        })
                        .collect(),
                ),
                _ => None,
            };
            return Ok(problem(
                lang,
                StatusCode::CONFLICT,
                "conflict",
                refused.message(lang),
                errors,
            ));
        }
    };
    Ok(Json(ImportCountsJson {
        new: counts.new,
        changed: counts.changed,
        unchanged: counts.unchanged,
        error: 0,
    })
    .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportFormat {
    /// `xlsx`, `csv` or `json` (the exchange format).
    #[param(pattern = "^(xlsx|csv|json)$")]
    format: String,
}

/// Every project of the list view (its filters and order, all pages) that the caller may see,
/// as XLSX, CSV (`;`, UTF-8 with BOM) or JSON in the exchange format.
#[utoipa::path(get, path = "/api/v1/projects/export", tag = "projects", operation_id = "export_projects",
    params(ExportFormat, crate::http::extract::ListParams), security((), ("token" = []), ("session" = [])),
    responses((status = 200, description = "The file", content(
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("text/csv"),
            ("application/json"))),
        (status = 422, description = "An unknown format or filter: `errors` names it", body = crate::Problem)))]
pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    uri: axum::http::Uri,
    Listing(query): Listing,
) -> Result<Response, Error> {
    // Read by hand, like the list's parameters: a format given twice is refused by name.
    let formats: Vec<String> = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "format")
        .map(|(_, v)| v.into_owned())
        .collect();
    let format = match formats.as_slice() {
        [] => {
            return Err(Error::Invalid(Invalid::one("format", ErrorCode::Required)));
        }
        [one] => one.trim().to_string(),
        _ => {
            return Err(Error::Invalid(Invalid::one("format", ErrorCode::Repeated)));
        }
    };
    let Some(media_type) = content_type(&format) else {
        return Err(Error::Invalid(Invalid::one(
            "format",
            ErrorCode::InvalidChoice,
        )));
    };
    let extension = format.as_str();
    let req = query.parse().map_err(Error::Invalid)?;
    let projects = state
        .store
        .projects_for_export(&req, project_scope(&viewer.actor))
        .await?;
    let bytes = export_bytes(&state.store, extension, &projects).await?;
    let file = format!(
        "stip-portfolio-{}.{extension}",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    Ok(crate::http::download::attachment(media_type, &file, bytes))
}
