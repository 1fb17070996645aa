//! Institution pages: the list, an institution's portfolio, and managing institutions (beheerder).

use crate::admin::{self, Field, Kind, Managed};
use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::lists::Lists;
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::{ProjectTable, table_for};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::institution::{BrinCode, Institution, InstitutionData, InstitutionInput};
use stip_core::{Invalid, Version};
use stip_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/instellingen", get(list))
        .route("/instellingen/{brin}", get(show))
        .route("/beheer/instellingen", get(admin_list))
        .merge(admin::manage::<Institution>())
}

#[derive(Template)]
#[template(path = "institution/list.html")]
struct ListPage {
    c: Chrome,
    institutions: Vec<Institution>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
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
    /// Where "vergelijk met …" goes: beside the viewer's own institution when it is another.
    compare_href: String,
    /// The viewer's own institution, when it is another.
    own_name: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(brin): Path<String>,
    Listing(mut query): Listing,
) -> Result<Response, Error> {
    let brin = BrinCode::parse(&brin).map_err(|_| Error::NotFound)?;
    let institution = state.store.institution_by_brin(&brin).await?;
    query.institution = brin.to_string();
    let (mut table, _) =
        table_for(&state, &viewer, query, &format!("/instellingen/{brin}")).await?;
    // The institution is in the path; links need not repeat it.
    table.query.institution.clear();
    let lists = state.lists().await?;
    let own = viewer
        .actor
        .institution_id()
        .filter(|id| *id != institution.id)
        .and_then(|id| lists.institutions.iter().find(|i| i.id == id));
    let compare_href = match own {
        Some(own) => format!(
            "/vergelijken?instelling={}&instelling={}",
            own.data.brin, institution.data.brin
        ),
        None => format!("/vergelijken?instelling={}", institution.data.brin),
    };
    let own_name = own.map(|i| i.data.name.clone());
    Ok(render(&ShowPage {
        c: viewer.chrome(),
        institution,
        table,
        compare_href,
        own_name,
        lists,
    }))
}

async fn admin_list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageInstitutions)?;
    let list = state.store.institutions().await?;
    let c = viewer.chrome();
    Ok(render(&admin::ListPage {
        title: c.t("admin.institutions"),
        intro: c.t("admin.institutions_text"),
        new_href: "/beheer/instellingen/nieuw".into(),
        new_label: c.t("admin.new_institution"),
        columns: vec![
            c.t("field.name"),
            c.t("field.brin"),
            c.t("field.region"),
            c.t("field.students"),
            c.t("field.domains"),
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
                        i.data.students.map(|s| c.number(&s)).unwrap_or_default(),
                        i.data.domains.join(" "),
                    ],
                )
            })
            .collect(),
        c,
    }))
}

impl Managed for Institution {
    type Input = InstitutionInput;
    type Data = InstitutionData;
    type Context = ();
    const ACTION: Action = Action::ManageInstitutions;
    const PATH: &'static str = "/beheer/instellingen";
    const BACK: &'static str = "/beheer/instellingen";
    const LIST: &'static str = "admin.institutions";
    const NEW_TITLE: &'static str = "admin.new_institution";

    async fn context(_: &AppState) -> Result<(), StoreError> {
        Ok(())
    }
    fn name(input: &InstitutionInput) -> &str {
        &input.name
    }
    fn fields(c: &Chrome, input: &InstitutionInput, _: &()) -> Vec<Field> {
        vec![
            Field::new(c, "brin", &input.brin, Kind::Text)
                .hint(c.t("hint.brin"))
                .required(c),
            Field::new(c, "name", &input.name, Kind::Text).required(c),
            Field::new(c, "short_name", &input.short_name, Kind::Text).required(c),
            Field::new(c, "region", &input.region, Kind::Text),
            Field::new(c, "students", &input.students, Kind::Number),
            Field::new(c, "domains", &input.domains, Kind::Text).hint(c.t("hint.domains")),
        ]
    }
    fn parse(input: &InstitutionInput, _: &()) -> Result<InstitutionData, Invalid> {
        InstitutionData::parse(input)
    }
    async fn find(state: &AppState, id: i64) -> Result<(InstitutionInput, i64), StoreError> {
        let institution = state.store.institution(id).await?;
        Ok((
            InstitutionInput::from(&institution.data),
            institution.version,
        ))
    }
    async fn create(state: &AppState, data: &InstitutionData) -> Result<i64, StoreError> {
        domains_free(state, None, data).await?;
        state.store.create_institution(data).await
    }
    async fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &InstitutionData,
    ) -> Result<bool, StoreError> {
        domains_free(state, Some(id), data).await?;
        state.store.update_institution(id, version, data).await
    }
}

/// A home organisation belongs to one institution: a domain another institution has is refused.
async fn domains_free(
    state: &AppState,
    id: Option<i64>,
    data: &InstitutionData,
) -> Result<(), StoreError> {
    let others = state.store.institutions().await?;
    let taken = others
        .iter()
        .filter(|i| Some(i.id) != id)
        .any(|i| i.data.domains.iter().any(|d| data.domains.contains(d)));
    if taken {
        return Err(StoreError::Invalid(Invalid::one(
            "domains",
            stip_core::ErrorCode::Taken,
        )));
    }
    Ok(())
}
