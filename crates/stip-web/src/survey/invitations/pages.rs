//! The survey's overview for the regiegroep: every invitation with its status and link (who
//! submitted only once an anonymous survey closes), reopening a response and renewing a link.

use crate::auth::Viewer;
use crate::auth::token::random_token;
use crate::http::extract::Id;
use crate::survey::{
    dates, may_read_results, may_see, own_invitation, pairs, reminder, stage_label,
};
use crate::ui::form::param;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stip_core::access::Action;
use stip_core::survey::{InvitationStatus, Survey};
use stip_store::survey::Invitation;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enquetes/{id}", get(overview))
        .route("/enquetes/{id}/uitnodigingen/{inv}/heropenen", post(reopen))
        .route(
            "/enquetes/{id}/uitnodigingen/{inv}/nieuwe-link",
            post(renew_link),
        )
}

struct InvitationRow {
    id: i64,
    institution: String,
    person: String,
    status: String,
    status_code: String,
    link: String,
    moment: String,
    submitted: bool,
}

#[derive(Template)]
#[template(path = "survey/overview.html")]
struct OverviewPage {
    c: Chrome,
    s: Survey,
    stage: String,
    dates: String,
    rows: Vec<InvitationRow>,
    waiting: Vec<String>,
    submitted: usize,
    /// Whether the rows say who submitted (not for an anonymous survey until it closes).
    shown: bool,
    reminder: String,
    origin: String,
    is_concept: bool,
    message: String,
}

impl OverviewPage {
    fn respondent_label(&self) -> String {
        self.c.t(&format!(
            "survey.respondent.{}",
            self.s.data.respondent.code()
        ))
    }
}

async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let s = state.store.survey(id).await?;
    if !viewer.may(Action::ManageSurveys) {
        // Others go where they can do something with it.
        if !may_see(&viewer, &s) {
            viewer.require(Action::ManageSurveys)?;
            return Err(Error::NotFound);
        }
        if let Some(i) = own_invitation(&state, &viewer, &s).await? {
            return Ok(Redirect::to(&format!("/enquete/{}", i.token)).into_response());
        }
        if may_read_results(&viewer, &s) {
            return Ok(Redirect::to(&format!("/enquetes/{id}/resultaten")).into_response());
        }
        return Err(Error::Forbidden);
    }
    let c = viewer.chrome();
    let lists = state.lists().await?;
    let names = super::api::user_names(&state)
        .await
        .map_err(|e| Error::Internal(format!("{e:?}")))?;
    let invitations = state.store.invitations(id).await?;
    // An anonymous survey says who submitted only once it is closed; until then how many.
    let shown = crate::survey::shows_who_submitted(&s);
    let submitted = invitations
        .iter()
        .filter(|i| i.status == InvitationStatus::Submitted)
        .count();
    let rows: Vec<InvitationRow> = invitations
        .iter()
        .map(|i| {
            let inst = lists.institutions.iter().find(|x| x.id == i.institution_id);
            InvitationRow {
                id: i.id,
                institution: inst.map(|x| x.data.name.clone()).unwrap_or_default(),
                person: i
                    .user_id
                    .and_then(|u| names.get(&u).cloned())
                    .unwrap_or_default(),
                status: if shown {
                    c.t(&format!("survey.status.{}", i.status.code()))
                } else {
                    c.t("survey.status.verborgen")
                },
                status_code: if shown {
                    i.status.code().into()
                } else {
                    super::api::HIDDEN_STATUS.into()
                },
                link: format!("/enquete/{}", i.token),
                moment: i
                    .submitted_at
                    .as_deref()
                    .or(i.saved_at.as_deref())
                    .filter(|_| shown)
                    .map(|t| c.moment(t))
                    .unwrap_or_default(),
                submitted: shown && i.status == InvitationStatus::Submitted,
            }
        })
        .collect();
    let mut rows = rows;
    rows.sort_by(|a, b| {
        a.institution
            .cmp(&b.institution)
            .then(a.person.cmp(&b.person))
    });
    let waiting = rows
        .iter()
        .filter(|r| shown && !r.submitted)
        .map(|r| {
            if r.person.is_empty() {
                r.institution.clone()
            } else {
                format!("{} ({})", r.person, r.institution)
            }
        })
        .collect();
    let message = match param(&pairs(&raw), "gedaan") {
        "heropend" => c.t("survey.reopened"),
        "anoniem" => c.t("problem.survey_anonymous_reopen"),
        "niet-ingediend" => c.t("problem.survey_not_submitted"),
        "link" => c.t("survey.link_renewed"),
        _ => String::new(),
    };
    Ok(render(&OverviewPage {
        stage: stage_label(&c, &s),
        dates: dates(&c, &s),
        reminder: reminder(viewer.lang, &s),
        origin: viewer.origin.clone(),
        is_concept: s.opened_at.is_none(),
        c,
        s,
        rows,
        waiting,
        submitted,
        shown,
        message,
    }))
}

async fn invitation_of(
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

async fn reopen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Response, Error> {
    let (s, i) = invitation_of(&state, &viewer, &id, &inv).await?;
    let done = if s.data.anonymous {
        "anoniem"
    } else if state.store.reopen_response(i.id).await? {
        "heropend"
    } else {
        "niet-ingediend"
    };
    Ok(Redirect::to(&format!("/enquetes/{}?gedaan={done}#i{}", s.id, i.id)).into_response())
}

async fn renew_link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Response, Error> {
    let (s, i) = invitation_of(&state, &viewer, &id, &inv).await?;
    state
        .store
        .renew_invitation_link(i.id, random_token())
        .await?;
    Ok(Redirect::to(&format!("/enquetes/{}?gedaan=link#i{}", s.id, i.id)).into_response())
}
