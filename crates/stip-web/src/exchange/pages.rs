//! The import pages: upload an overview, see per row what importing it does (and every problem
//! by row and column), choose which field each column holds, and confirm. Also the templates
//! to fill in, written by Stip's own export.

use super::api::{ImportCountsJson, counts};
use super::{
    FileToRead, MAX_UPLOAD, Refused, Unread, content_type, export_bytes, is_poorer, problem_line,
    read_preview, read_upload, reason_text, row_changes, skip_text, suggestion_text,
};
use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::layout::{Chrome, render};
use crate::ui::value::{change_field, change_value};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::exchange::columns::{FIELDS, Field, Mapping, Reason};
use stip_core::exchange::preview::{Options, Preview, ThemesMode};
use stip_core::institution::{BrinCode, Institution};
use stip_core::portfolio::Phase;
use stip_store::exchange::{RowPlan, StoredImport, parse_plan_code, plan_code};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/projecten/importeren",
            get(upload_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/projecten/importeren/sjabloon.xlsx", get(template_xlsx))
        .route("/projecten/importeren/sjabloon.csv", get(template_csv))
        .route("/projecten/importeren/{id}", get(show))
        .route("/projecten/importeren/{id}/koppeling", post(set_mapping))
        .route("/projecten/importeren/{id}/bevestigen", post(confirm))
}

/// At most this many rows are listed on the page; the counts cover them all.
const SHOWN_ROWS: usize = 500;

/// The institutions the viewer may import into, as (BRIN, name): all for a beheerder, their
/// own for an informatiemanager, none for anyone else.
async fn importable(state: &AppState, viewer: &Viewer) -> Result<Vec<Institution>, Error> {
    let lists = state.lists().await?;
    Ok(lists
        .institutions
        .iter()
        .filter(|i| {
            viewer.may(Action::ImportProjects {
                institution_id: i.id,
            })
        })
        .cloned()
        .collect())
}

#[derive(Template)]
#[template(path = "exchange/upload.html")]
struct UploadPage {
    c: Chrome,
    institutions: Vec<(String, String)>,
    chosen: String,
    error: Option<String>,
    /// The field the error is about: `institution` or `file`.
    error_field: &'static str,
}

fn upload_page(
    viewer: &Viewer,
    institutions: &[Institution],
    chosen: &str,
    error: Option<(&'static str, String)>,
) -> UploadPage {
    let (error_field, error) = match error {
        Some((field, message)) => (field, Some(message)),
        None => ("", None),
    };
    UploadPage {
        error_field,
        c: viewer.chrome(),
        institutions: institutions
            .iter()
            .map(|i| (i.data.brin.to_string(), i.data.name.clone()))
            .collect(),
        chosen: chosen.to_string(),
        error,
    }
}

async fn upload_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, Error> {
    viewer.require_login()?;
    let institutions = importable(&state, &viewer).await?;
    if institutions.is_empty() {
        return Err(Error::Forbidden);
    }
    let own = viewer
        .actor
        .institution_id()
        .and_then(|id| institutions.iter().find(|i| i.id == id));
    let chosen = q
        .get("institution")
        .cloned()
        .or_else(|| own.map(|i| i.data.brin.to_string()))
        .unwrap_or_default();
    Ok(render(&upload_page(&viewer, &institutions, &chosen, None)))
}

async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    // Someone who may import for no institution (anyone not logged in) is refused before the
    // upload is read.
    let institutions = importable(&state, &viewer).await?;
    if institutions.is_empty() {
        return Err(Error::Forbidden);
    }
    let upload = read_upload(&headers, body).await;
    let raw = upload
        .fields
        .get("institution")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let institution = match institutions.as_slice() {
        [only] if raw.is_empty() => Some(only),
        _ => BrinCode::parse(&raw)
            .ok()
            .and_then(|brin| institutions.iter().find(|i| i.data.brin == brin)),
    };
    let refuse = |field: &'static str, message: String| {
        let page = upload_page(&viewer, &institutions, &raw, Some((field, message)));
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
    };
    let Some(institution) = institution else {
        // An informatiemanager naming another institution is told which one is theirs.
        let own = institutions
            .iter()
            .find(|i| Some(i.id) == viewer.actor.institution_id());
        let message = match own {
            Some(own) if !raw.is_empty() => viewer.lang.t_with(
                "import.own_institution_only",
                &[("institution", &own.data.name)],
            ),
            _ => viewer.lang.t("import.page.choose_institution"),
        };
        return refuse("institution", message);
    };
    let Some((name, bytes)) = upload.file else {
        return refuse("file", viewer.lang.t("import.page.choose_file"));
    };
    let mapping = state.store.import_mapping(institution.id).await?;
    let brin = &institution.data.brin;
    // A file Stip cannot read is said at once, on the form it was chosen on.
    let read = match read_preview(
        &state,
        &viewer,
        FileToRead::uploaded(&name, &bytes),
        institution,
        &mapping,
        &Options::default(),
    )
    .await?
    {
        Ok(read) => read,
        Err(unread) => {
            let (status, message) = match unread {
                Unread::Busy => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    viewer.lang.t("import.busy"),
                ),
                Unread::Because(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
            };
            let page = upload_page(
                &viewer,
                &institutions,
                brin.as_str(),
                Some(("file", message)),
            );
            let mut res = (status, render(&page)).into_response();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, super::RETRY_AFTER_SECONDS.into());
            }
            return Ok(res);
        }
    };
    let plan = state
        .store
        .plan_import(institution.id, &read.preview)
        .await?;
    let user_id = viewer.user.as_ref().map(|u| u.id);
    let id = state
        .store
        .create_import(institution.id, user_id, &name, &bytes, &mapping, &plan)
        .await?;
    state.readers.keep(id, read.contents);
    Ok(Redirect::to(&format!("/projecten/importeren/{id}")).into_response())
}

/// The template to fill in: an export of no projects, with its explanation sheet.
async fn template(state: &AppState, format: &str) -> Result<Response, Error> {
    let bytes = export_bytes(&state.store, format, &[]).await?;
    let content_type = content_type(format).unwrap_or_default();
    Ok(crate::http::download::attachment(
        content_type,
        &format!("stip-portfolio-sjabloon.{format}"),
        bytes,
    ))
}

async fn template_xlsx(State(state): State<AppState>) -> Result<Response, Error> {
    template(&state, "xlsx").await
}

async fn template_csv(State(state): State<AppState>) -> Result<Response, Error> {
    template(&state, "csv").await
}

/// An uploaded file and its institution, if the viewer may import into it.
async fn stored_for(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(StoredImport, Institution), Error> {
    super::stored_for(state, viewer, id)
        .await?
        .ok_or(Error::NotFound)
}

/// A column of the file with the field it is read into.
struct ColumnChoice {
    index: usize,
    header: String,
    field: String,
    /// Why Stip reads the column so ("herkend aan de inhoud: …").
    reason: String,
    /// Not read: shown apart, with what it holds.
    unread: bool,
    /// The first values below the header, quoted and joined.
    examples: String,
}

/// A field an imported row sets or changes, as the page shows it.
struct ChangeView {
    field: String,
    /// Empty for a new project.
    old: String,
    new: String,
    /// A shorter text or fewer themes than the project has now.
    poorer: bool,
}

/// A row that is no project, as the page lists it.
struct SkippedView {
    row: usize,
    text: String,
    why: String,
}

/// A row of the file as the page lists it.
struct RowView {
    row: usize,
    title: String,
    status: &'static str,
    /// For a new project every field as read, for a changed one what changes.
    changes: Vec<ChangeView>,
    problems: Vec<String>,
    suggestion: Option<SuggestionView>,
}

/// A main theme proposed for a row, with the choice to take it, another, or none.
struct SuggestionView {
    /// The proposed theme's code.
    theme: String,
    /// Why, naming the projects like the row.
    text: String,
    /// The theme the row takes now (a code; empty: none yet).
    taken: String,
}

#[derive(Template)]
#[template(path = "exchange/preview.html")]
struct PreviewPage {
    c: Chrome,
    id: i64,
    institution_name: String,
    brin: String,
    file_name: String,
    uploaded_at: String,
    sheet: String,
    header_row: Option<usize>,
    columns: Vec<ColumnChoice>,
    skipped: Vec<SkippedView>,
    /// (field code, name) for every column's choice.
    fields: Vec<(String, String)>,
    counts: ImportCountsJson,
    rows: Vec<RowView>,
    /// Which rows are listed: `alle`, `fout`, `nieuw`, `gewijzigd` or `ongewijzigd`.
    shown: String,
    /// How many rows that choice has (more than are listed when over [`SHOWN_ROWS`]).
    shown_total: usize,
    /// Why the file gives no rows with this mapping.
    file_error: Option<String>,
    /// Why confirming did not write.
    error: Option<String>,
    /// The plan the page shows (see `stip_store::exchange::plan_code`), sent back on confirming
    /// so the import writes what was shown or names the rows that changed since.
    plan: String,
    /// What a confirmed import wrote.
    result: Option<ImportCountsJson>,
    mapping_saved: bool,
    /// What the person chose for reading the file, as it is read now.
    choices: Choices,
    /// Whether the file has a column of themes, so there is something to choose.
    reads_themes: bool,
    /// The file has no phase column: the page asks one phase for every row (`fase`, a code,
    /// empty until chosen), with the phases to choose from as (code, label).
    asks_phase: bool,
    phases: Vec<(String, String)>,
    /// How many rows have a proposed main theme, and how many of them take none yet.
    suggested: usize,
    suggestions_open: usize,
    /// The agenda's themes as (code, name), for a row's choice.
    themes: Vec<(String, String)>,
    /// The rows' theme choices that no listed row carries (rows not listed), kept by the form.
    kept_row_choices: Vec<(String, String)>,
}

impl PreviewPage {
    /// Whether a column with values in it is not read.
    fn has_unread(&self) -> bool {
        self.columns.iter().any(|c| c.unread)
    }

    fn filter_href(&self, rows: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("rijen", rows);
        query.extend_pairs(self.choices.pairs());
        format!("/projecten/importeren/{}?{}#rijen", self.id, query.finish())
    }

    /// Whether the page offers a choice for the whole import.
    fn has_choices(&self) -> bool {
        self.reads_themes || self.asks_phase || self.suggested > 0
    }

    /// The choices as the confirming form carries them.
    fn choice_fields(&self) -> Vec<(String, String)> {
        self.choices.pairs()
    }

    fn status_label(&self, status: &str) -> String {
        self.c.t(&format!("import.status.{status}"))
    }

    /// The choices of which rows to list, each `(key, "3 nieuw")`, all rows last.
    fn row_choices(&self) -> Vec<(&'static str, String)> {
        let n = &self.counts;
        let counted = |n: usize, status: &str| format!("{n} {}", self.status_label(status));
        let all = n.new + n.changed + n.unchanged + n.error;
        vec![
            ("nieuw", counted(n.new, "new")),
            ("gewijzigd", counted(n.changed, "changed")),
            ("ongewijzigd", counted(n.unchanged, "unchanged")),
            (
                "fout",
                self.c
                    .t_with("import.page.with_problems", &[("n", &n.error.to_string())]),
            ),
            (
                "alle",
                self.c
                    .t_with("import.page.rows_all", &[("n", &all.to_string())]),
            ),
        ]
    }

    fn shown_label(&self) -> String {
        self.row_choices()
            .into_iter()
            .find(|(key, _)| *key == self.shown)
            .map(|(_, label)| label)
            .unwrap_or_default()
    }

    fn writes_anything(&self) -> bool {
        self.counts.new + self.counts.changed > 0
    }
}

/// The choices made on the preview page for reading the file, carried by its links and forms:
/// `themas`, `fase`, `voorstellen` and `thema_<row>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Choices {
    /// `vervangen`: the file's themes replace a project's own; else they are added.
    themas: String,
    /// The phase (code) of every row without one: asked when the file has no phase column.
    fase: String,
    /// `voorstellen=overnemen`: every row with a proposed main theme and no choice of its own
    /// takes the proposal. Used once: the page then carries each row's theme.
    accept_all: bool,
    /// The main theme chosen for a row whose theme cannot be read, by row number.
    rows: BTreeMap<usize, String>,
}

impl Choices {
    fn read(fields: &BTreeMap<String, String>) -> Choices {
        let get = |name: &str| fields.get(name).map(|v| v.trim().to_string());
        Choices {
            themas: get("themas")
                .filter(|t| t == "vervangen")
                .unwrap_or_default(),
            fase: get("fase")
                .and_then(|f| Phase::parse(&f))
                .map(|p| p.code().to_string())
                .unwrap_or_default(),
            accept_all: get("voorstellen").as_deref() == Some("overnemen"),
            rows: fields
                .iter()
                .filter_map(|(name, theme)| {
                    let row = name.strip_prefix("thema_")?.parse().ok()?;
                    let theme = theme.trim();
                    (!theme.is_empty()).then(|| (row, theme.to_string()))
                })
                .collect(),
        }
    }

    fn options(&self) -> Options {
        Options {
            themes: if self.themas == "vervangen" {
                ThemesMode::Replace
            } else {
                ThemesMode::Add
            },
            defaults: Phase::parse(&self.fase)
                .map(|p| (Field::Phase, p.code().to_string()))
                .into_iter()
                .collect(),
            accept_suggestions: self.accept_all,
            row_themes: self.rows.clone(),
        }
    }

    /// What the choices are now the file is read with them: each proposed theme a row took
    /// (by the person's choice or by accepting all) as that row's own choice.
    fn as_read(&self, preview: &Preview) -> Choices {
        Choices {
            themas: self.themas.clone(),
            fase: self.fase.clone(),
            accept_all: false,
            rows: preview
                .rows
                .iter()
                .filter_map(|r| {
                    let s = r.suggestion.as_ref()?;
                    let taken = match self.rows.get(&r.row) {
                        Some(chosen) => chosen.clone(),
                        None if s.accepted => s.theme.clone(),
                        None => return None,
                    };
                    Some((r.row, taken))
                })
                .collect(),
        }
    }

    /// The choices as (name, value) pairs, for a link's query or a form's hidden fields.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = [("themas", &self.themas), ("fase", &self.fase)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        if self.accept_all {
            pairs.push(("voorstellen".into(), "overnemen".into()));
        }
        pairs.extend(
            self.rows
                .iter()
                .map(|(row, theme)| (format!("thema_{row}"), theme.clone())),
        );
        pairs
    }
}

/// The field choices of the mapping form, in the standard's order, scores last.
fn field_choices(viewer: &Viewer, criteria: &[(String, String)]) -> Vec<(String, String)> {
    let english = viewer.lang == crate::i18n::Lang::En;
    FIELDS
        .iter()
        .map(|(f, _, nl, en, _)| (f.code(), if english { en } else { nl }.to_string()))
        .chain(criteria.iter().map(|(code, name)| {
            (
                Field::Score(code.clone()).code(),
                format!("{} {name}", viewer.lang.t("field.score")),
            )
        }))
        .collect()
}

async fn preview_page(
    state: &AppState,
    viewer: &Viewer,
    stored: &StoredImport,
    institution: &Institution,
    q: &BTreeMap<String, String>,
    error: Option<String>,
) -> Result<Result<PreviewPage, Busy>, Error> {
    let brin = &institution.data.brin;
    let asked = Choices::read(q);
    let read = read_preview(
        state,
        viewer,
        FileToRead::stored(stored),
        institution,
        &stored.mapping,
        &asked.options(),
    )
    .await?;
    let (preview, file_error) = match read {
        Ok(read) => (read.preview, None),
        Err(Unread::Busy) => return Ok(Err(Busy)),
        Err(Unread::Because(message)) => (Preview::default(), Some(message)),
    };
    let plan = state.store.plan_import(institution.id, &preview).await?;
    let counts = counts(&plan);
    let choices = asked.as_read(&preview);
    let rijen = q.get("rijen").map(String::as_str).unwrap_or_default();
    let shown = match rijen {
        "alle" | "fout" | "nieuw" | "gewijzigd" | "ongewijzigd" => rijen.to_string(),
        _ if counts.error > 0 => "fout".into(),
        _ => "alle".into(),
    };
    let wanted = |plan: &RowPlan| match shown.as_str() {
        "fout" => matches!(plan, RowPlan::Problems),
        "nieuw" => matches!(plan, RowPlan::New),
        "gewijzigd" => matches!(plan, RowPlan::Changed { .. }),
        "ongewijzigd" => matches!(plan, RowPlan::Unchanged { .. }),
        _ => true,
    };
    let selected: Vec<_> = preview
        .rows
        .iter()
        .zip(&plan)
        .filter(|(_, plan)| wanted(plan))
        .collect();
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let rows: Vec<RowView> = selected
        .iter()
        .take(SHOWN_ROWS)
        .map(|(row, plan)| RowView {
            suggestion: row.suggestion.as_ref().map(|s| SuggestionView {
                theme: s.theme.clone(),
                text: suggestion_text(viewer.lang, &lists.theme_name(&s.theme), s),
                taken: choices.rows.get(&row.row).cloned().unwrap_or_default(),
            }),
            row: row.row,
            title: row.title.clone(),
            status: super::status_code(plan),
            changes: row_changes(row, plan)
                .iter()
                .map(|change| ChangeView {
                    field: change_field(&c, &change.field),
                    old: change_value(&c, &lists, &change.field, &change.old),
                    new: change_value(&c, &lists, &change.field, &change.new),
                    poorer: is_poorer(change),
                })
                .collect(),
            problems: match &row.outcome {
                Ok(_) => Vec::new(),
                Err(problems) => problems
                    .iter()
                    .map(|p| problem_line(viewer.lang, row.row, p))
                    .collect(),
            },
        })
        .collect();
    let criteria = state.store.reference_pairs().await?.criteria;
    let listed: Vec<usize> = rows
        .iter()
        .filter(|r| r.suggestion.is_some())
        .map(|r| r.row)
        .collect();
    let suggested: Vec<_> = preview
        .rows
        .iter()
        .filter(|r| r.suggestion.is_some())
        .collect();
    Ok(Ok(PreviewPage {
        suggested: suggested.len(),
        suggestions_open: suggested
            .iter()
            .filter(|r| !choices.rows.contains_key(&r.row))
            .count(),
        themes: lists
            .themes
            .iter()
            .map(|t| (t.data.code.clone(), t.data.name.clone()))
            .collect(),
        kept_row_choices: choices
            .rows
            .iter()
            .filter(|(row, _)| !listed.contains(row))
            .map(|(row, theme)| (format!("thema_{row}"), theme.clone()))
            .collect(),
        plan: plan_code(&plan),
        id: stored.id,
        institution_name: institution.data.name.clone(),
        brin: brin.to_string(),
        file_name: stored.file_name.clone(),
        uploaded_at: c.moment(&stored.created_at),
        sheet: preview.sheet.clone(),
        header_row: preview.header.as_ref().map(|h| h.row),
        columns: preview
            .header
            .iter()
            .flat_map(|h| h.columns.iter().enumerate())
            .filter(|(_, column)| !column.name.is_empty())
            .map(|(index, column)| ColumnChoice {
                index,
                header: column.name.clone(),
                field: column.field.as_ref().map(Field::code).unwrap_or_default(),
                reason: reason_text(c.lang, column),
                unread: column.field.is_none()
                    && column.reason != Reason::Names
                    && !column.examples.is_empty(),
                examples: column
                    .examples
                    .iter()
                    .map(|e| format!("‘{}’", shorten(e)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        skipped: preview
            .skipped
            .iter()
            .map(|s| SkippedView {
                row: s.row,
                text: shorten(&s.text),
                why: skip_text(c.lang, s.why),
            })
            .collect(),
        fields: field_choices(viewer, &criteria),
        counts,
        shown_total: selected.len(),
        rows,
        shown,
        file_error,
        error,
        result: stored.result.map(|r| ImportCountsJson {
            new: r.new,
            changed: r.changed,
            unchanged: r.unchanged,
            error: 0,
        }),
        mapping_saved: q.get("koppeling").is_some_and(|k| k == "bewaard"),
        reads_themes: preview
            .header
            .as_ref()
            .is_some_and(|h| h.column_of(&Field::Themes).is_some()),
        asks_phase: preview
            .header
            .as_ref()
            .is_some_and(|h| h.column_of(&Field::Phase).is_none()),
        choices,
        phases: Phase::ALL
            .iter()
            .map(|p| (p.code().to_string(), c.label("phase", p.code())))
            .collect(),
        c,
    }))
}

/// Every turn to read a file is taken: the preview cannot be shown now.
struct Busy;

/// 503 with `Retry-After`: try again shortly.
fn busy_page() -> Response {
    let status = StatusCode::SERVICE_UNAVAILABLE;
    let mut res = status.into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, super::RETRY_AFTER_SECONDS.into());
    res.extensions_mut().insert(crate::http::error::ErrorReply {
        status,
        key: "import_busy",
        invalid: None,
        conflict: None,
    });
    res
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, Error> {
    viewer.require_login()?;
    let (stored, institution) = stored_for(&state, &viewer, id).await?;
    match preview_page(&state, &viewer, &stored, &institution, &q, None).await? {
        Ok(page) => Ok(render(&page)),
        Err(Busy) => Ok(busy_page()),
    }
}

/// The mapping form: per column `col_<i>` (its header) and `map_<i>` (a field code, or empty
/// to leave the column out); `bewaren` keeps it for the institution's next import; `herstel`
/// goes back to what Stip recognises by itself.
async fn set_mapping(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, Error> {
    let (stored, institution) = stored_for(&state, &viewer, id).await?;
    if stored.result.is_some() {
        return Ok(Redirect::to(&format!("/projecten/importeren/{id}")).into_response());
    }
    let mut mapping = Mapping::new();
    if !form.contains_key("herstel") {
        for (key, header) in &form {
            let Some(index) = key.strip_prefix("col_") else {
                continue;
            };
            let chosen = form
                .get(&format!("map_{index}"))
                .map(String::as_str)
                .unwrap_or("");
            let field = match chosen {
                "" => None,
                code => Some(Field::parse(code).ok_or_else(|| {
                    Error::Invalid(stip_core::Invalid::one(
                        &format!("map_{index}"),
                        stip_core::ErrorCode::InvalidChoice,
                    ))
                })?),
            };
            mapping.insert(header.clone(), field);
        }
    }
    state.store.set_import_mapping(id, &mapping).await?;
    let keep = form
        .get("bewaren")
        .is_some_and(|v| crate::ui::form::checked(v));
    if keep {
        state
            .store
            .save_import_mapping(institution.id, &mapping)
            .await?;
    }
    let flash = if keep { "?koppeling=bewaard" } else { "" };
    Ok(Redirect::to(&format!("/projecten/importeren/{id}{flash}#kolommen")).into_response())
}

/// Confirms the import as the page showed it: the form carries the page's plan (`plan`); a
/// form without one (an old tab) confirms the plan shown at upload.
async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, Error> {
    let (stored, institution) = stored_for(&state, &viewer, id).await?;
    let seen = form.get("plan").and_then(|p| parse_plan_code(p));
    let options = Choices::read(&form).options();
    let refused =
        match super::confirm(&state, &viewer, &stored, &institution, seen, &options).await? {
            Ok(_) | Err(Refused::Already) => {
                return Ok(Redirect::to(&format!("/projecten/importeren/{id}")).into_response());
            }
            Err(Refused::Busy) => return Ok(busy_page()),
            Err(refused) => refused,
        };
    let status = match refused {
        Refused::Outdated(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let message = Some(refused.message(viewer.lang));
    match preview_page(&state, &viewer, &stored, &institution, &form, message).await? {
        Ok(page) => Ok((status, render(&page)).into_response()),
        Err(Busy) => Ok(busy_page()),
    }
}

/// A cell's text cut to a length that fits beside a column's name.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}
