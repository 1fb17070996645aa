//! Beheer of the MORA process areas: the list in the architecture's order, the form for an area
//! (main area or a part of one), and deleting an area no project maps to.

use crate::admin::{self, Field, Kind, Managed, one};
use crate::auth::Viewer;
use crate::http::extract::Id;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use stip_core::access::Action;
use stip_core::mora::{InUse, MoraArea, MoraAreaData, MoraAreaInput};
use stip_core::{Invalid, Version};
use stip_store::StoreError;

const PATH: &str = "/beheer/mora";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH, get(list))
        .route(
            &format!("{PATH}/{{id}}/verwijderen"),
            get(delete_page).post(delete),
        )
        .merge(admin::manage::<MoraArea>())
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageMoraAreas)?;
    let c = viewer.chrome();
    let areas = state.store.mora_areas().await?;
    let name_of = |code: &str| {
        areas
            .iter()
            .find(|a| a.data.code == code)
            .map_or_else(|| code.to_string(), |a| a.data.name.clone())
    };
    let rows = areas
        .iter()
        .map(|a| {
            (
                format!("{PATH}/{}", a.id),
                vec![
                    a.data.name.clone(),
                    a.data.code.clone(),
                    a.data.parent.as_deref().map(name_of).unwrap_or_default(),
                ],
            )
        })
        .collect();
    Ok(render(&admin::ListPage {
        title: c.t("mora.title"),
        intro: c.t("mora.intro"),
        new_href: format!("{PATH}/nieuw"),
        new_label: c.t("mora.new"),
        columns: vec![c.t("field.name"), c.t("field.code"), c.t("field.parent")],
        rows,
        c,
    }))
}

impl Managed for MoraArea {
    type Input = MoraAreaInput;
    type Data = MoraAreaData;
    /// The areas as they are, to choose a main area from.
    type Context = Vec<MoraArea>;
    const ACTION: Action = Action::ManageMoraAreas;
    const PATH: &'static str = PATH;
    const BACK: &'static str = PATH;
    const LIST: &'static str = "mora.title";
    const NEW_TITLE: &'static str = "mora.new";

    async fn context(state: &AppState) -> Result<Vec<MoraArea>, StoreError> {
        state.store.mora_areas().await
    }
    fn name(input: &MoraAreaInput) -> &str {
        &input.name
    }
    fn fields(c: &Chrome, input: &MoraAreaInput, areas: &Vec<MoraArea>) -> Vec<Field> {
        // Only a main area can have parts, and an area is never a part of itself.
        let mains = areas
            .iter()
            .filter(|a| a.data.parent.is_none() && a.data.code != input.code.trim())
            .map(|a| (a.data.code.clone(), a.data.name.clone()))
            .collect();
        vec![
            Field::new(c, "code", &input.code, Kind::Text)
                .hint(c.t("hint.code"))
                .required(c),
            Field::new(c, "name", &input.name, Kind::Text).required(c),
            Field::new(
                c,
                "parent",
                &input.parent,
                Kind::Select(mains, c.t("mora.no_parent")),
            )
            .hint(c.t("mora.parent_hint")),
            Field::new(c, "position", &input.position, Kind::Number)
                .hint(c.t("mora.position_hint")),
        ]
    }
    fn parse(input: &MoraAreaInput, areas: &Vec<MoraArea>) -> Result<MoraAreaData, Invalid> {
        MoraAreaData::parse(input, areas)
    }
    async fn find(state: &AppState, id: i64) -> Result<(MoraAreaInput, i64), StoreError> {
        let area = found(state, id).await?;
        Ok((MoraAreaInput::from(&area.data), area.version))
    }
    async fn create(state: &AppState, data: &MoraAreaData) -> Result<i64, StoreError> {
        state.store.create_mora_area(data).await
    }
    async fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &MoraAreaData,
    ) -> Result<bool, StoreError> {
        state.store.update_mora_area(id, version, data).await
    }
    fn delete_link(c: &Chrome, id: i64) -> Option<(String, String)> {
        Some((format!("{PATH}/{id}/verwijderen"), c.t("mora.delete")))
    }
}

async fn found(state: &AppState, id: i64) -> Result<MoraArea, StoreError> {
    one(state.store.mora_areas().await?, |a| a.id == id)
}

#[derive(Template)]
#[template(path = "mora/delete.html")]
struct DeletePage {
    c: Chrome,
    area: MoraArea,
    /// Why it cannot be deleted, in words; `None` when it can.
    kept: Option<String>,
}

fn why_kept(c: &Chrome, why: InUse) -> String {
    match why {
        InUse::Projects(n) => c.t_with("mora.in_use_projects", &[("n", &n.to_string())]),
        InUse::SubAreas(n) => c.t_with("mora.in_use_sub_areas", &[("n", &n.to_string())]),
    }
}

/// Asks before deleting, or says why the area stays: a page of its own, so it works without
/// JavaScript.
async fn delete_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ManageMoraAreas)?;
    let c = viewer.chrome();
    let (area, in_use) = tokio::try_join!(found(&state, id), state.store.mora_area_in_use(id))?;
    let kept = in_use.map(|why| why_kept(&c, why));
    Ok(render(&DeletePage { c, area, kept }))
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ManageMoraAreas)?;
    let area = found(&state, id).await?;
    Ok(match state.store.delete_mora_area(id).await? {
        Ok(()) => Redirect::to(PATH).into_response(),
        Err(why) => {
            let c = viewer.chrome();
            let kept = Some(why_kept(&c, why));
            let mut res = render(&DeletePage { c, area, kept });
            *res.status_mut() = StatusCode::CONFLICT;
            res
        }
    })
}
