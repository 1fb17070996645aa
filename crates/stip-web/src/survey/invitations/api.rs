//! `/api/v1/surveys/{id}/invitations`: every invitation's status and link, a response reopened,
//! a link renewed.

use crate::auth::Viewer;
use crate::auth::token::random_token;
use crate::http::extract::Id;
use crate::lists::Lists;
use crate::{AppState, Error};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::survey::{self, Survey};
use stip_store::survey::Invitation;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invitations))
        .routes(routes!(reopen_response))
        .routes(routes!(renew_link))
}

#[derive(Serialize, ToSchema)]
pub struct InvitationJson {
    pub id: i64,
    /// BRIN code of the institution.
    pub institution: String,
    pub institution_name: String,
    /// A survey per person: whom the invitation is for.
    pub person: Option<String>,
    /// `open` (nothing saved yet), `concept` (a draft) or `ingediend`; for an anonymous survey
    /// that is not closed yet `verborgen`: who submitted shows only once it closes (until then
    /// only how many, in `X-Submitted` of the list).
    pub status: String,
    /// The invitation link (a path on this server).
    #[schema(example = "/enquete/3kX9…")]
    pub link: String,
    /// Not shown for an anonymous survey that is not closed yet.
    pub saved_at: Option<String>,
    /// Not kept for an anonymous survey.
    pub submitted_at: Option<String>,
}

/// The status an anonymous survey's invitations show until it closes.
pub const HIDDEN_STATUS: &str = "verborgen";

pub fn invitation_json(
    lists: &Lists,
    names: &BTreeMap<i64, String>,
    s: &Survey,
    i: &Invitation,
) -> InvitationJson {
    let inst = lists.institutions.iter().find(|x| x.id == i.institution_id);
    let shown = crate::survey::shows_who_submitted(s);
    InvitationJson {
        id: i.id,
        institution: inst.map(|x| x.data.brin.to_string()).unwrap_or_default(),
        institution_name: inst.map(|x| x.data.name.clone()).unwrap_or_default(),
        person: i.user_id.and_then(|u| names.get(&u).cloned()),
        status: if shown {
            i.status.code().into()
        } else {
            HIDDEN_STATUS.into()
        },
        link: format!("/enquete/{}", i.token),
        saved_at: i.saved_at.clone().filter(|_| shown),
        submitted_at: i.submitted_at.clone().filter(|_| shown),
    }
}

pub async fn user_names(state: &AppState) -> Result<BTreeMap<i64, String>, Error> {
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Per institution (or person) the status of its response and its link (the regiegroep).
///
/// An anonymous survey shows per institution who submitted only once it is closed; until then
/// the header `X-Submitted` says how many did.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/invitations", tag = "surveys", operation_id = "survey_invitations",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "By institution", body = Vec<InvitationJson>,
            headers(("X-Submitted" = i64, description = "How many invitations are submitted"))),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep sees the invitations", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem)))]
pub async fn invitations(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ManageSurveys)?;
    let s = state.store.survey(id).await?;
    let lists = state.lists().await?;
    let names = user_names(&state).await?;
    let all = state.store.invitations(id).await?;
    let submitted = all
        .iter()
        .filter(|i| i.status == survey::InvitationStatus::Submitted)
        .count();
    Ok((
        [("x-submitted", submitted.to_string())],
        Json(
            all.iter()
                .map(|i| invitation_json(&lists, &names, &s, i))
                .collect::<Vec<_>>(),
        ),
    )
        .into_response())
}

/// The invitation `inv` of survey `id`, for the regiegroep.
async fn managed_invitation(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    inv: &str,
) -> Result<(Survey, Invitation), Error> {
    viewer.require(Action::ManageSurveys)?;
    let (Ok(id), Ok(inv)) = (id.parse::<i64>(), inv.parse::<i64>()) else {
        return Err(Error::NotFound);
    };
    let s = state.store.survey(id).await?;
    let i = state.store.invitation(inv).await?;
    if i.survey_id != s.id {
        return Err(Error::NotFound);
    }
    Ok((s, i))
}

/// Opens a submitted response for changes again, on the respondent's request. Not for an
/// anonymous survey: its answers no longer know whose they are.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations/{invitation}/reopen", tag = "surveys", operation_id = "reopen_response",
    params(("id" = i64, Path, description = "Survey id"), ("invitation" = i64, Path, description = "Invitation id")),
    responses((status = 200, description = "Reopened: the response is a draft again", body = InvitationJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep reopens responses", body = crate::Problem),
        (status = 404, description = "No such survey or invitation", body = crate::Problem),
        (status = 409, description = "Not submitted, or the survey is anonymous", body = crate::Problem)))]
pub async fn reopen_response(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Json<InvitationJson>, Error> {
    let (s, i) = managed_invitation(&state, &viewer, &id, &inv).await?;
    if s.data.anonymous {
        return Err(Error::NotNow("survey_anonymous_reopen"));
    }
    if !state.store.reopen_response(i.id).await? {
        return Err(Error::NotNow("survey_not_submitted"));
    }
    let lists = state.lists().await?;
    let names = user_names(&state).await?;
    let i = state.store.invitation(i.id).await?;
    Ok(Json(invitation_json(&lists, &names, &s, &i)))
}

/// Gives an invitation a new link; the old link stops working at once.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations/{invitation}/link", tag = "surveys", operation_id = "renew_invitation_link",
    params(("id" = i64, Path, description = "Survey id"), ("invitation" = i64, Path, description = "Invitation id")),
    responses((status = 200, description = "The invitation with its new link", body = InvitationJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only the regiegroep renews links", body = crate::Problem),
        (status = 404, description = "No such survey or invitation", body = crate::Problem)))]
pub async fn renew_link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Json<InvitationJson>, Error> {
    let (s, i) = managed_invitation(&state, &viewer, &id, &inv).await?;
    state
        .store
        .renew_invitation_link(i.id, random_token())
        .await?;
    let lists = state.lists().await?;
    let names = user_names(&state).await?;
    let i = state.store.invitation(i.id).await?;
    Ok(Json(invitation_json(&lists, &names, &s, &i)))
}
