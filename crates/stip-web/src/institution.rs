//! Instellingen: the list of institutions, an institution's portfolio, their management by the
//! beheerder, and `/api/v1/institutions`.

use crate::admin::{self, Field, Kind};
use crate::auth::Viewer;
use crate::form::{Errors, Pairs};
use crate::layout::{Chrome, render};
use crate::portfolio::{Lists, ProjectTable, table_for};
use crate::{ApiError, AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use serde::Serialize;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::institution::{BrinCode, Institution, InstitutionData, InstitutionInput};
use stip_core::portfolio::ListQuery;
use stip_store::StoreError;
use utoipa::ToSchema;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/instellingen", get(list))
        .route("/instellingen/{brin}", get(show))
        .route("/beheer/instellingen", get(admin_list))
        .route(
            "/beheer/instellingen/nieuw",
            get(admin_new).post(admin_create),
        )
        .route(
            "/beheer/instellingen/{id}",
            get(admin_edit).post(admin_update),
        )
}

pub fn api_routes() -> Router<AppState> {
    Router::new().route("/api/v1/institutions", get(api_list))
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionJson {
    #[schema(example = "25LN")]
    pub brin: String,
    pub name: String,
    pub short_name: String,
    pub region: String,
    /// Number of students.
    pub students: Option<i64>,
}

/// The institutions of the network.
#[utoipa::path(get, path = "/api/v1/institutions", tag = "institutions", responses((status = 200, body = Vec<InstitutionJson>)))]
pub async fn api_list(
    State(state): State<AppState>,
) -> Result<Json<Vec<InstitutionJson>>, ApiError> {
    let list = state.store.institutions().await?;
    Ok(Json(
        list.into_iter()
            .map(|i| InstitutionJson {
                brin: i.data.brin.to_string(),
                name: i.data.name,
                short_name: i.data.short_name,
                region: i.data.region,
                students: i.data.students,
            })
            .collect(),
    ))
}

#[derive(Template)]
#[template(path = "institution/list.html")]
struct ListPage {
    c: Chrome,
    institutions: Vec<Institution>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let institutions = state.store.institutions().await?;
    Ok(render(&ListPage {
        c: viewer.chrome(),
        institutions,
    }))
}

#[derive(Template)]
#[template(path = "institution/show.html")]
struct ShowPage {
    c: Chrome,
    institution: Institution,
    table: ProjectTable,
    lists: Arc<Lists>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(brin): Path<String>,
    Query(mut query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let brin = BrinCode::parse(&brin).map_err(|_| PageError::NotFound)?;
    let institution = state.store.institution_by_brin(&brin).await?;
    query.institution = brin.to_string();
    let (mut table, _) =
        table_for(&state, &viewer, query, &format!("/instellingen/{brin}")).await?;
    // The institution is in the path; links need not repeat it.
    table.query.institution.clear();
    let lists = state.lists().await?;
    Ok(render(&ShowPage {
        c: viewer.chrome(),
        institution,
        table,
        lists,
    }))
}

fn fields(c: &Chrome, input: &InstitutionInput) -> Vec<Field> {
    vec![
        Field::new(c, "brin", &input.brin, Kind::Text)
            .hint(c.t("hint.brin"))
            .required(c),
        Field::new(c, "name", &input.name, Kind::Text).required(c),
        Field::new(c, "short_name", &input.short_name, Kind::Text).required(c),
        Field::new(c, "region", &input.region, Kind::Text),
        Field::new(c, "students", &input.students, Kind::Number),
    ]
}

fn input_of(pairs: &Pairs) -> InstitutionInput {
    InstitutionInput {
        brin: pairs.get("brin"),
        name: pairs.get("name"),
        short_name: pairs.get("short_name"),
        region: pairs.get("region"),
        students: pairs.get("students"),
    }
}

async fn admin_list(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageInstitutions) {
        return res;
    }
    let list = match state.store.institutions().await {
        Ok(l) => l,
        Err(e) => return PageError::from(e).into_response(),
    };
    let c = viewer.chrome();
    render(&admin::ListPage {
        title: c.t("admin.institutions"),
        intro: c.t("admin.institutions_text"),
        new_href: "/beheer/instellingen/nieuw".into(),
        new_label: c.t("admin.new_institution"),
        columns: vec![
            c.t("field.name"),
            c.t("field.brin"),
            c.t("field.region"),
            c.t("field.students"),
        ],
        rows: list
            .into_iter()
            .map(|i| {
                (
                    format!("/beheer/instellingen/{}", i.id),
                    vec![
                        i.data.name,
                        i.data.brin.to_string(),
                        i.data.region,
                        i.data.students.map(|s| s.to_string()).unwrap_or_default(),
                    ],
                )
            })
            .collect(),
        c,
    })
}

fn form(
    viewer: &Viewer,
    title: String,
    action: String,
    input: &InstitutionInput,
) -> admin::FormPage {
    let c = viewer.chrome();
    let fields = fields(&c, input);
    admin::FormPage::new(c, title, action, "/beheer/instellingen", fields)
}

async fn admin_new(viewer: Viewer) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageInstitutions) {
        return res;
    }
    form(
        &viewer,
        viewer.lang.t("admin.new_institution"),
        "/beheer/instellingen/nieuw".into(),
        &InstitutionInput::default(),
    )
    .show()
}

async fn admin_create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageInstitutions) {
        return res;
    }
    let input = input_of(&Pairs(pairs));
    let refused = |invalid| {
        form(
            &viewer,
            viewer.lang.t("admin.new_institution"),
            "/beheer/instellingen/nieuw".into(),
            &input,
        )
        .refused(Errors::new(viewer.lang, invalid))
    };
    let data = match InstitutionData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return refused(invalid),
    };
    match state.store.create_institution(&data).await {
        Ok(_) => Redirect::to("/beheer/instellingen").into_response(),
        Err(StoreError::Invalid(invalid)) => refused(invalid),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn admin_edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageInstitutions) {
        return res;
    }
    let inst = match state.store.institution(id).await {
        Ok(i) => i,
        Err(e) => return PageError::from(e).into_response(),
    };
    let title = format!("{}: {}", viewer.lang.t("admin.edit"), inst.data.name);
    form(
        &viewer,
        title,
        format!("/beheer/instellingen/{id}"),
        &InstitutionInput::from(&inst.data),
    )
    .version(inst.version)
    .show()
}

async fn admin_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(res) = viewer.refusal(Action::ManageInstitutions) {
        return res;
    }
    let pairs = Pairs(pairs);
    let input = input_of(&pairs);
    let version: i64 = pairs.get("version").parse().unwrap_or(0);
    let page = |version| {
        form(
            &viewer,
            format!("{}: {}", viewer.lang.t("admin.edit"), input.name),
            format!("/beheer/instellingen/{id}"),
            &input,
        )
        .version(version)
    };
    let data = match InstitutionData::parse(&input) {
        Ok(d) => d,
        Err(invalid) => return page(version).refused(Errors::new(viewer.lang, invalid)),
    };
    match state.store.update_institution(id, version, &data).await {
        Ok(true) => Redirect::to("/beheer/instellingen").into_response(),
        Ok(false) => {
            let current = state
                .store
                .institution(id)
                .await
                .map(|i| i.version)
                .unwrap_or(version);
            page(current).conflict()
        }
        Err(StoreError::Invalid(invalid)) => {
            page(version).refused(Errors::new(viewer.lang, invalid))
        }
        Err(e) => PageError::from(e).into_response(),
    }
}
