//! The dot forms of the workshop's page: placing a dot on a theme and taking one back.

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::form::param;
use crate::workshop::{back, participant_of, to_join};
use crate::{AppState, Error};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use stip_core::workshop::DotRefusal;
use stip_store::workshop::Placed;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies/{id}/stippen", post(place_dot))
        .route("/werksessies/{id}/stippen/terug", post(take_back_dot))
}

async fn place_dot(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((w, p)) = participant_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let client_id = param(&form, "client_id");
    let Some(theme) = stip_core::workshop::theme_code(&w.data.themes, param(&form, "theme"))
        .filter(|_| stip_core::workshop::check_client_id(client_id))
    else {
        return Err(Error::NotFound);
    };
    // A refused dot (none left, or voting closed meanwhile) shows the page as it is now, with
    // why (a known key only, so no one puts words on the page through its address).
    let placed: Result<Placed, DotRefusal> = state.store.place_dot(&p, client_id, theme).await?;
    let why = match placed {
        Ok(_) => String::new(),
        Err(r) => format!("?geweigerd={}", r.key()),
    };
    Ok(back(id, &format!("{why}#stem-{theme}")))
}

async fn take_back_dot(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((_, p)) = participant_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let theme = param(&form, "theme");
    let mine = state
        .store
        .workshop_dots(id)
        .await?
        .into_iter()
        .rev()
        .find(|d| d.participant_id == p.id && d.theme == theme);
    if let Some(d) = mine {
        let _ = state.store.take_back_dot(&p, &d.client_id).await?;
    }
    Ok(back(id, &format!("#stem-{theme}")))
}
