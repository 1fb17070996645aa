//! The note forms of the workshop's page: writing a note, changing and removing one's own, and
//! hiding one (the facilitator).

use crate::auth::Viewer;
use crate::http::extract::{Form, Id};
use crate::ui::form::param;
use crate::workshop::board::refused;
use crate::workshop::{back, facilitator, participant_of, to_join};
use crate::{AppState, Error};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use stip_core::Invalid;
use stip_core::workshop::{Note, NoteInput, Phase, Workshop};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werksessies/{id}/notities", post(add_note))
        .route("/werksessies/{id}/notities/{note}", post(edit_note))
        .route(
            "/werksessies/{id}/notities/{note}/verwijderen",
            post(remove_note),
        )
        .route(
            "/werksessies/{id}/notities/{note}/verbergen",
            post(hide_note),
        )
}

async fn add_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((w, p)) = participant_of(&state, &viewer, &headers, id).await? else {
        return Ok(to_join());
    };
    if w.phase == Phase::Results {
        return Ok(back(id, ""));
    }
    let question = param(&form, "question");
    let input = NoteInput {
        question: (!question.is_empty()).then(|| question.parse().unwrap_or(-1)),
        kind: Some(param(&form, "kind").to_string()),
        theme: Some(param(&form, "theme").to_string()),
        text: param(&form, "text").to_string(),
    };
    match input.check(&w) {
        Ok((target, text)) => {
            let note = state.store.add_note(&w, &p, &target, &text).await?;
            Ok(back(id, &format!("#notitie-{}", note.id)))
        }
        Err(e) => {
            // The form's fields carry the question's index, so the error lands at its form.
            let e = Invalid(
                e.0.into_iter()
                    .map(|mut f| {
                        if !question.is_empty() {
                            f.field = format!("{}-{question}", f.field);
                        }
                        f
                    })
                    .collect(),
            );
            let typed = param(&form, "text").to_string();
            refused(&state, &viewer, &headers, id, e, typed).await
        }
    }
}

/// The note of a path, the participant's own (403 for someone else's); `None` for someone who
/// does not take part.
async fn own_note(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    note: &str,
) -> Result<Option<(Workshop, Note)>, Error> {
    let (Ok(id), Ok(note)) = (id.parse::<i64>(), note.parse::<i64>()) else {
        return Err(Error::NotFound);
    };
    let Some((w, p)) = participant_of(state, viewer, headers, id).await? else {
        return Ok(None);
    };
    let n = state.store.workshop_note(id, note).await?;
    if n.participant_id != p.id {
        return Err(Error::Forbidden);
    }
    Ok(Some((w, n)))
}

async fn edit_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, note)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let Some((w, n)) = own_note(&state, &viewer, &headers, &id, &note).await? else {
        return Ok(to_join());
    };
    if w.phase != Phase::Results
        && let Ok(text) =
            stip_core::error::required_text(param(&form, "text"), stip_core::workshop::MAX_NOTE)
    {
        state.store.change_note(&w, n.id, Some(&text), None).await?;
    }
    Ok(back(w.id, &format!("#notitie-{}", n.id)))
}

async fn remove_note(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, note)): Path<(String, String)>,
) -> Result<Response, Error> {
    let Some((w, n)) = own_note(&state, &viewer, &headers, &id, &note).await? else {
        return Ok(to_join());
    };
    if w.phase != Phase::Results {
        state.store.delete_note(w.id, n.id).await?;
    }
    Ok(back(w.id, ""))
}

async fn hide_note(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, note)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    facilitator(&viewer)?;
    let (Ok(id), Ok(note)) = (id.parse::<i64>(), note.parse::<i64>()) else {
        return Err(Error::NotFound);
    };
    let w = state.store.workshop(id).await?;
    let hidden = param(&form, "hidden") == "ja";
    state
        .store
        .change_note(&w, note, None, Some(hidden))
        .await?;
    Ok(back(id, &format!("#notitie-{note}")))
}
