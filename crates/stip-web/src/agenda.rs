//! The strategic agenda: theme pages (a theme's projects across institutions), the theme colours
//! stylesheet, `/api/v1/themes`, and managing main lines, themes, policy drivers and criteria.

use crate::admin::{self, Field, Kind};
use crate::auth::Viewer;
use crate::form::{Errors, Pairs};
use crate::layout::{Chrome, render};
use crate::portfolio::{Lists, ProjectTable, table_for};
use crate::{ApiError, AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use serde::Serialize;
use std::sync::Arc;
use stip_core::Invalid;
use stip_core::access::Action;
use stip_core::agenda::*;
use stip_core::portfolio::ListQuery;
use stip_store::StoreError;
use utoipa::ToSchema;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/themas", get(list))
        .route("/themas/{code}", get(show))
        .route("/static/themes.css", get(theme_css))
        .route("/beheer/agenda", get(admin_agenda))
        .route("/beheer/themas/nieuw", get(theme_new).post(theme_create))
        .route("/beheer/themas/{id}", get(theme_edit).post(theme_update))
        .route("/beheer/hoofdlijnen/nieuw", get(line_new).post(line_create))
        .route("/beheer/hoofdlijnen/{id}", get(line_edit).post(line_update))
        .route("/beheer/drijfveren", get(driver_list))
        .route(
            "/beheer/drijfveren/nieuw",
            get(driver_new).post(driver_create),
        )
        .route(
            "/beheer/drijfveren/{id}",
            get(driver_edit).post(driver_update),
        )
        .route("/beheer/criteria", get(criterion_list))
        .route(
            "/beheer/criteria/nieuw",
            get(criterion_new).post(criterion_create),
        )
        .route(
            "/beheer/criteria/{id}",
            get(criterion_edit).post(criterion_update),
        )
}

pub fn api_routes() -> Router<AppState> {
    Router::new().route("/api/v1/themes", get(api_themes))
}

#[derive(Serialize, ToSchema)]
pub struct ThemeJson {
    #[schema(example = "data-ondersteund-onderwijs")]
    pub code: String,
    pub name: String,
    pub description: String,
    #[schema(example = "#1f78b4")]
    pub colour: String,
    /// Code of the main line (hoofdlijn); empty for a line across all of them.
    pub main_line: Option<String>,
}

/// The themes of the strategic agenda, in agenda order.
#[utoipa::path(get, path = "/api/v1/themes", tag = "agenda", responses((status = 200, body = Vec<ThemeJson>)))]
pub async fn api_themes(State(state): State<AppState>) -> Result<Json<Vec<ThemeJson>>, ApiError> {
    let themes = state.store.themes().await?;
    Ok(Json(
        themes
            .into_iter()
            .map(|t| ThemeJson {
                code: t.data.code,
                name: t.data.name,
                description: t.data.description,
                colour: t.data.colour,
                main_line: t.data.main_line,
            })
            .collect(),
    ))
}

/// The theme colours as classes, so no page needs inline styles (the CSP forbids them).
async fn theme_css(State(state): State<AppState>) -> Response {
    let themes = state.store.themes().await.unwrap_or_default();
    let css: String = themes
        .iter()
        .map(|t| format!(".theme-{}{{background:{}}}\n", t.data.code, t.data.colour))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "agenda/list.html")]
struct ListPage {
    c: Chrome,
    /// (main line name, its themes); the last group holds the themes across all lines.
    groups: Vec<(String, Vec<Theme>)>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let lines = state.store.main_lines().await?;
    let themes = state.store.themes().await?;
    let mut groups: Vec<(String, Vec<Theme>)> = lines
        .iter()
        .map(|l| {
            (
                l.name.clone(),
                themes
                    .iter()
                    .filter(|t| t.data.main_line.as_deref() == Some(&l.code))
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let across: Vec<Theme> = themes
        .iter()
        .filter(|t| t.data.main_line.is_none())
        .cloned()
        .collect();
    if !across.is_empty() {
        groups.push((viewer.lang.t("agenda.across"), across));
    }
    Ok(render(&ListPage {
        c: viewer.chrome(),
        groups,
    }))
}

#[derive(Template)]
#[template(path = "agenda/show.html")]
struct ShowPage {
    c: Chrome,
    theme: Theme,
    main_line: Option<String>,
    table: ProjectTable,
    lists: Arc<Lists>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(mut query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let lists = state.lists().await?;
    let theme = lists.theme(&code).cloned().ok_or(PageError::NotFound)?;
    let main_line = match &theme.data.main_line {
        Some(line) => state
            .store
            .main_lines()
            .await?
            .into_iter()
            .find(|l| &l.code == line)
            .map(|l| l.name),
        None => None,
    };
    query.theme = code.clone();
    let (mut table, _) = table_for(&state, &viewer, query, &format!("/themas/{code}")).await?;
    table.query.theme.clear();
    Ok(render(&ShowPage {
        c: viewer.chrome(),
        theme,
        main_line,
        table,
        lists,
    }))
}

// ---- Beheer: main lines and themes (beheerder and regiegroep) ----

async fn admin_agenda(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let (lines, themes) = match (state.store.main_lines().await, state.store.themes().await) {
        (Ok(l), Ok(t)) => (l, t),
        (Err(e), _) | (_, Err(e)) => return PageError::from(e).into_response(),
    };
    render(&AdminAgendaPage {
        c: viewer.chrome(),
        lines,
        themes,
    })
}

#[derive(Template)]
#[template(path = "agenda/admin.html")]
struct AdminAgendaPage {
    c: Chrome,
    lines: Vec<MainLine>,
    themes: Vec<Theme>,
}

impl AdminAgendaPage {
    fn line_name(&self, code: &Option<String>) -> String {
        match code {
            Some(code) => self
                .lines
                .iter()
                .find(|l| &l.code == code)
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            None => self.c.t("agenda.across"),
        }
    }
}

fn theme_fields(c: &Chrome, input: &ThemeInput, lines: &[MainLine]) -> Vec<Field> {
    let options = lines
        .iter()
        .map(|l| (l.code.clone(), l.name.clone()))
        .collect();
    vec![
        Field::new(c, "code", &input.code, Kind::Text)
            .hint(c.t("hint.code"))
            .required(c),
        Field::new(c, "name", &input.name, Kind::Text).required(c),
        Field::new(c, "description", &input.description, Kind::Textarea),
        Field::new(c, "colour", &input.colour, Kind::Colour)
            .hint(c.t("hint.colour"))
            .required(c),
        Field::new(
            c,
            "main_line",
            &input.main_line,
            Kind::Select(options, c.t("agenda.across")),
        ),
        Field::new(c, "position", &input.position, Kind::Number),
    ]
}

fn theme_input(p: &Pairs) -> ThemeInput {
    ThemeInput {
        code: p.get("code"),
        name: p.get("name"),
        description: p.get("description"),
        colour: p.get("colour"),
        main_line: p.get("main_line"),
        position: p.get("position"),
    }
}

/// The response to a refused save: the form again with the messages.
fn refused(viewer: &Viewer, invalid: Invalid) -> Errors {
    Errors::new(viewer.lang, invalid)
}

async fn theme_new(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let lines = state.store.main_lines().await.unwrap_or_default();
    let c = viewer.chrome();
    let input = ThemeInput {
        colour: "#555555".into(),
        ..Default::default()
    };
    admin::FormPage::new(
        viewer.chrome(),
        c.t("admin.new_theme"),
        "/beheer/themas/nieuw".into(),
        "/beheer/agenda",
        theme_fields(&c, &input, &lines),
    )
    .show()
}

async fn theme_create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let input = theme_input(&Pairs(pairs));
    let lines = state.store.main_lines().await.unwrap_or_default();
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            c.t("admin.new_theme"),
            "/beheer/themas/nieuw".into(),
            "/beheer/agenda",
            theme_fields(&c, &input, &lines),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match ThemeData::parse(&input, &lines) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.create_theme(&data).await {
        Ok(_) => Redirect::to("/beheer/agenda").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn theme_edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let (lines, themes) = (
        state.store.main_lines().await.unwrap_or_default(),
        state.store.themes().await.unwrap_or_default(),
    );
    let Some(theme) = themes.into_iter().find(|t| t.id == id) else {
        return PageError::NotFound.into_response();
    };
    let c = viewer.chrome();
    let title = format!("{}: {}", c.t("admin.edit"), theme.data.name);
    admin::FormPage::new(
        viewer.chrome(),
        title,
        format!("/beheer/themas/{id}"),
        "/beheer/agenda",
        theme_fields(&c, &ThemeInput::from(&theme.data), &lines),
    )
    .version(theme.version)
    .show()
}

async fn theme_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let pairs = Pairs(pairs);
    let input = theme_input(&pairs);
    let version: i64 = pairs.get("version").parse().unwrap_or(0);
    let lines = state.store.main_lines().await.unwrap_or_default();
    let c = viewer.chrome();
    let title = format!("{}: {}", c.t("admin.edit"), input.name);
    let form = |version| {
        admin::FormPage::new(
            viewer.chrome(),
            title.clone(),
            format!("/beheer/themas/{id}"),
            "/beheer/agenda",
            theme_fields(&c, &input, &lines),
        )
        .version(version)
    };
    let data = match ThemeData::parse(&input, &lines) {
        Ok(d) => d,
        Err(invalid) => return form(version).refused(refused(&viewer, invalid)),
    };
    match state.store.update_theme(id, version, &data).await {
        Ok(true) => Redirect::to("/beheer/agenda").into_response(),
        Ok(false) => {
            let current = state
                .store
                .themes()
                .await
                .ok()
                .and_then(|t| t.into_iter().find(|t| t.id == id))
                .map(|t| t.version);
            form(current.unwrap_or(version)).conflict()
        }
        Err(StoreError::Invalid(invalid)) => form(version).refused(refused(&viewer, invalid)),
        Err(e) => PageError::from(e).into_response(),
    }
}

fn line_fields(c: &Chrome, input: &MainLineInput) -> Vec<Field> {
    vec![
        Field::new(c, "code", &input.code, Kind::Text)
            .hint(c.t("hint.code"))
            .required(c),
        Field::new(c, "name", &input.name, Kind::Text).required(c),
        Field::new(c, "position", &input.position, Kind::Number),
    ]
}

fn line_input(p: &Pairs) -> MainLineInput {
    MainLineInput {
        code: p.get("code"),
        name: p.get("name"),
        position: p.get("position"),
    }
}

async fn line_new(viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let c = viewer.chrome();
    admin::FormPage::new(
        viewer.chrome(),
        c.t("admin.new_main_line"),
        "/beheer/hoofdlijnen/nieuw".into(),
        "/beheer/agenda",
        line_fields(&c, &MainLineInput::default()),
    )
    .show()
}

async fn line_create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let input = line_input(&Pairs(pairs));
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            c.t("admin.new_main_line"),
            "/beheer/hoofdlijnen/nieuw".into(),
            "/beheer/agenda",
            line_fields(&c, &input),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match MainLineData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.create_main_line(&data).await {
        Ok(_) => Redirect::to("/beheer/agenda").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn line_edit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let Some(line) = state
        .store
        .main_lines()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|l| l.id == id)
    else {
        return PageError::NotFound.into_response();
    };
    let c = viewer.chrome();
    let input = MainLineInput {
        code: line.code,
        name: line.name.clone(),
        position: line.position.to_string(),
    };
    admin::FormPage::new(
        viewer.chrome(),
        format!("{}: {}", c.t("admin.edit"), line.name),
        format!("/beheer/hoofdlijnen/{id}"),
        "/beheer/agenda",
        line_fields(&c, &input),
    )
    .show()
}

async fn line_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageAgenda) {
        return res;
    }
    let input = line_input(&Pairs(pairs));
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            format!("{}: {}", c.t("admin.edit"), input.name),
            format!("/beheer/hoofdlijnen/{id}"),
            "/beheer/agenda",
            line_fields(&c, &input),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match MainLineData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.update_main_line(id, &data).await {
        Ok(()) => Redirect::to("/beheer/agenda").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

// ---- Beheer: policy drivers and criteria (beheerder) ----

fn driver_fields(c: &Chrome, input: &PolicyDriverInput) -> Vec<Field> {
    vec![
        Field::new(c, "code", &input.code, Kind::Text)
            .hint(c.t("hint.code"))
            .required(c),
        Field::new(c, "name", &input.name, Kind::Text).required(c),
    ]
}

async fn driver_list(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManagePolicyDrivers) {
        return res;
    }
    let c = viewer.chrome();
    let rows = state
        .store
        .policy_drivers()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|d| (format!("/beheer/drijfveren/{}", d.id), vec![d.name, d.code]))
        .collect();
    render(&admin::ListPage {
        title: c.t("admin.drivers"),
        intro: c.t("admin.drivers_text"),
        new_href: "/beheer/drijfveren/nieuw".into(),
        new_label: c.t("admin.new_driver"),
        columns: vec![c.t("field.name"), c.t("field.code")],
        rows,
        c,
    })
}

async fn driver_new(viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManagePolicyDrivers) {
        return res;
    }
    let c = viewer.chrome();
    admin::FormPage::new(
        viewer.chrome(),
        c.t("admin.new_driver"),
        "/beheer/drijfveren/nieuw".into(),
        "/beheer/drijfveren",
        driver_fields(&c, &PolicyDriverInput::default()),
    )
    .show()
}

async fn driver_create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManagePolicyDrivers) {
        return res;
    }
    let p = Pairs(pairs);
    let input = PolicyDriverInput {
        code: p.get("code"),
        name: p.get("name"),
    };
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            c.t("admin.new_driver"),
            "/beheer/drijfveren/nieuw".into(),
            "/beheer/drijfveren",
            driver_fields(&c, &input),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match PolicyDriverData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.create_policy_driver(&data).await {
        Ok(_) => Redirect::to("/beheer/drijfveren").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn driver_edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManagePolicyDrivers) {
        return res;
    }
    let Some(d) = state
        .store
        .policy_drivers()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.id == id)
    else {
        return PageError::NotFound.into_response();
    };
    let c = viewer.chrome();
    let input = PolicyDriverInput {
        code: d.code,
        name: d.name.clone(),
    };
    admin::FormPage::new(
        viewer.chrome(),
        format!("{}: {}", c.t("admin.edit"), d.name),
        format!("/beheer/drijfveren/{id}"),
        "/beheer/drijfveren",
        driver_fields(&c, &input),
    )
    .show()
}

async fn driver_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManagePolicyDrivers) {
        return res;
    }
    let p = Pairs(pairs);
    let input = PolicyDriverInput {
        code: p.get("code"),
        name: p.get("name"),
    };
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            format!("{}: {}", c.t("admin.edit"), input.name),
            format!("/beheer/drijfveren/{id}"),
            "/beheer/drijfveren",
            driver_fields(&c, &input),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match PolicyDriverData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.update_policy_driver(id, &data).await {
        Ok(()) => Redirect::to("/beheer/drijfveren").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

fn criterion_fields(c: &Chrome, input: &CriterionInput) -> Vec<Field> {
    let directions = Direction::ALL
        .iter()
        .map(|d| (d.code().to_string(), c.label("direction", d.code())))
        .collect();
    vec![
        Field::new(c, "code", &input.code, Kind::Text)
            .hint(c.t("hint.code"))
            .required(c),
        Field::new(c, "name", &input.name, Kind::Text).required(c),
        Field::new(c, "weight", &input.weight, Kind::Number)
            .hint(c.t("hint.weight"))
            .required(c),
        Field::new(
            c,
            "direction",
            &input.direction,
            Kind::Select(directions, String::new()),
        ),
        Field::new(c, "position", &input.position, Kind::Number),
    ]
}

fn criterion_input(p: &Pairs) -> CriterionInput {
    CriterionInput {
        code: p.get("code"),
        name: p.get("name"),
        weight: p.get("weight"),
        direction: p.get("direction"),
        position: p.get("position"),
    }
}

async fn criterion_list(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageCriteria) {
        return res;
    }
    let c = viewer.chrome();
    let rows = state
        .store
        .criteria()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|k| {
            (
                format!("/beheer/criteria/{}", k.id),
                vec![
                    k.data.name,
                    k.data.weight.to_dutch(),
                    c.label("direction", k.data.direction.code()),
                ],
            )
        })
        .collect();
    render(&admin::ListPage {
        title: c.t("admin.criteria"),
        intro: c.t("admin.criteria_text"),
        new_href: "/beheer/criteria/nieuw".into(),
        new_label: c.t("admin.new_criterion"),
        columns: vec![
            c.t("field.name"),
            c.t("field.weight"),
            c.t("field.direction"),
        ],
        rows,
        c,
    })
}

async fn criterion_new(viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageCriteria) {
        return res;
    }
    let c = viewer.chrome();
    let input = CriterionInput {
        weight: "1".into(),
        direction: "positief".into(),
        ..Default::default()
    };
    admin::FormPage::new(
        viewer.chrome(),
        c.t("admin.new_criterion"),
        "/beheer/criteria/nieuw".into(),
        "/beheer/criteria",
        criterion_fields(&c, &input),
    )
    .show()
}

async fn criterion_create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageCriteria) {
        return res;
    }
    let input = criterion_input(&Pairs(pairs));
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            c.t("admin.new_criterion"),
            "/beheer/criteria/nieuw".into(),
            "/beheer/criteria",
            criterion_fields(&c, &input),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match CriterionData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.create_criterion(&data).await {
        Ok(_) => Redirect::to("/beheer/criteria").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn criterion_edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageCriteria) {
        return res;
    }
    let Some(k) = state
        .store
        .criteria()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|k| k.id == id)
    else {
        return PageError::NotFound.into_response();
    };
    let c = viewer.chrome();
    admin::FormPage::new(
        viewer.chrome(),
        format!("{}: {}", c.t("admin.edit"), k.data.name),
        format!("/beheer/criteria/{id}"),
        "/beheer/criteria",
        criterion_fields(&c, &CriterionInput::from(&k.data)),
    )
    .show()
}

async fn criterion_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageCriteria) {
        return res;
    }
    let input = criterion_input(&Pairs(pairs));
    let c = viewer.chrome();
    let again = |invalid| {
        admin::FormPage::new(
            viewer.chrome(),
            format!("{}: {}", c.t("admin.edit"), input.name),
            format!("/beheer/criteria/{id}"),
            "/beheer/criteria",
            criterion_fields(&c, &input),
        )
        .refused(refused(&viewer, invalid))
    };
    let data = match CriterionData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return again(invalid),
    };
    match state.store.update_criterion(id, &data).await {
        Ok(()) => Redirect::to("/beheer/criteria").into_response(),
        Err(StoreError::Invalid(invalid)) => again(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}
