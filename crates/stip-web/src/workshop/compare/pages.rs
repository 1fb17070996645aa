//! The comparing step's forms on the workshop's page: a participant's institution, what their
//! group could do together, and forming the groups again (the facilitator).

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::form::param;
use crate::workshop::board::refused;
use crate::workshop::{back, facilitator, participant_of, to_join};
use crate::{AppState, Error};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use stip_core::Invalid;
use stip_core::workshop::{MAX_NOTE, Participant, Phase, Workshop};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies/{id}/instelling", post(set_institution))
        .route("/werksessies/{id}/samen", post(add_together))
        .route("/werksessies/{id}/indelen", post(regroup))
}

/// The group a participant writes for and the text, checked: only while comparing, only in a
/// group, and a text of at most [`MAX_NOTE`] characters.
pub(super) fn writable(
    w: &Workshop,
    p: &Participant,
    text: &str,
) -> Result<(Vec<i64>, String), Error> {
    if w.phase != Phase::Comparing {
        return Err(Error::NotNow("workshop_not_comparing"));
    }
    let group =
        crate::workshop::groups::group_of(w, p).ok_or(Error::NotNow("workshop_no_group"))?;
    let text = stip_core::error::required_text(text, MAX_NOTE)
        .map_err(|code| Error::Invalid(Invalid::one("text", code)))?;
    Ok((group.clone(), text))
}

async fn set_institution(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((w, p)) = participant_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let lists = state.lists().await?;
    let typed = param(&form, "institution");
    match crate::ui::picker::institution(&lists, typed) {
        Ok(i) => {
            state
                .store
                .set_participant_institution(w.id, p.id, i.id)
                .await?;
            Ok(back(id, "#vergelijken"))
        }
        Err(code) => {
            let e = Invalid::one("institution", code);
            refused(&state, &viewer, &headers, id, e, typed.to_string()).await
        }
    }
}

async fn add_together(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((w, p)) = participant_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    let typed = param(&form, "text");
    match writable(&w, &p, typed) {
        Ok((group, text)) => {
            let note = state
                .store
                .add_together_note(w.id, p.id, &group, &text)
                .await?;
            Ok(back(id, &format!("#samen-{note}")))
        }
        Err(Error::Invalid(e)) => {
            let e = Invalid(
                e.0.into_iter()
                    .map(|mut f| {
                        f.field = "together".into();
                        f
                    })
                    .collect(),
            );
            refused(&state, &viewer, &headers, id, e, typed.to_string()).await
        }
        // Not comparing (any more), or in no group: the page says where things are.
        Err(_) => Ok(back(id, "")),
    }
}

async fn regroup(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    let w = state.store.workshop(id).await?;
    if w.phase == Phase::Comparing {
        state.store.regroup_workshop(id).await?;
    }
    Ok(back(id, "#vergelijken"))
}
