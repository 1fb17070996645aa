//! `/api/v1/positioning`: the institution's own positioning, the network's anonymised
//! distributions and the beheerder's settings.

use super::{mirror, own_institution};
use crate::auth::Viewer;
use crate::http::extract::json_body;
use crate::{AppState, Error};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stip_core::access::Action;
use stip_core::positioning::{
    AXES, Distribution, PositionInput, Settings, SettingsInput, Stakeholder, StakeholderInput,
};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_mine, save_mine))
        .routes(routes!(read_network))
        .routes(routes!(read_settings, save_settings))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderJson {
    /// A name or a role.
    pub name: String,
    /// 1 (little) to 5 (much).
    pub power: i64,
    /// 1 (little) to 5 (much).
    pub interest: i64,
    #[serde(default)]
    pub note: String,
    /// The desired action.
    #[serde(default)]
    pub action: String,
}

/// The institution's positioning as sent: both axes are required, aspects may be left out.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionWrite {
    /// `strategisch_operationeel` (1 strategisch … 5 operationeel) and `ict_business` (1 ICT …
    /// 5 business).
    #[schema(example = json!({"strategisch_operationeel": 2, "ict_business": 4}))]
    pub axes: BTreeMap<String, i64>,
    /// An aspect's code (see `/api/v1/positioning/settings`) and its score 1–5.
    #[serde(default)]
    #[schema(example = json!({"mandaat": 3, "draagvlak": 4}))]
    pub aspects: BTreeMap<String, i64>,
    /// A short explanation per axis or aspect code.
    #[serde(default)]
    pub explanations: BTreeMap<String, String>,
    #[serde(default)]
    pub stakeholders: Vec<StakeholderJson>,
}

/// An earlier positioning of the institution.
#[derive(Serialize, ToSchema)]
pub struct PositionVersionJson {
    pub saved_at: String,
    pub saved_by: String,
    pub axes: BTreeMap<String, i64>,
    pub aspects: BTreeMap<String, i64>,
}

/// The institution's current positioning and its history.
#[derive(Serialize, ToSchema)]
pub struct PositionJson {
    /// When it was last saved; null while the institution has not positioned itself.
    pub saved_at: Option<String>,
    pub saved_by: Option<String>,
    pub axes: BTreeMap<String, i64>,
    pub aspects: BTreeMap<String, i64>,
    pub explanations: BTreeMap<String, String>,
    pub stakeholders: Vec<StakeholderJson>,
    /// Earlier versions, newest first.
    pub history: Vec<PositionVersionJson>,
}

/// How the network scored one axis or aspect.
#[derive(Serialize, ToSchema)]
pub struct DistributionJson {
    pub code: String,
    pub name: String,
    /// What 1 means.
    pub low: String,
    /// What 5 means.
    pub high: String,
    /// How many institutions scored it.
    pub answered: i64,
    /// Whether enough institutions did for the counts to be shown.
    pub shown: bool,
    /// How many institutions gave 1, 2, 3, 4 and 5 (all 0 when not shown).
    pub counts: Vec<i64>,
    pub median: Option<f64>,
    /// Your own institution's score.
    pub mine: Option<i64>,
}

/// The network's anonymised distributions: never an institution's name.
#[derive(Serialize, ToSchema)]
pub struct NetworkJson {
    /// Whether the distributions are shown: at least `threshold` institutions answered.
    pub shown: bool,
    /// How many institutions have positioned themselves.
    pub answered: i64,
    pub threshold: i64,
    /// How many more must answer before anything is shown.
    pub needed: i64,
    /// When the distributions were last renewed (ISO 8601, UTC); `null` before the first. They
    /// are a snapshot, renewed only once at least `threshold` institutions saved a positioning
    /// since the last one, so no single save can be read off as a difference.
    pub updated_at: Option<String>,
    pub axes: Vec<DistributionJson>,
    pub aspects: Vec<DistributionJson>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AspectJson {
    pub code: String,
    pub name: String,
    /// What 1 means.
    pub low: String,
    /// What 5 means.
    pub high: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositioningSettingsJson {
    /// From how many institutions on the network sees a distribution (at least 3).
    pub threshold: i64,
    pub aspects: Vec<AspectJson>,
}

fn stakeholder_json(s: &Stakeholder) -> StakeholderJson {
    StakeholderJson {
        name: s.name.clone(),
        power: s.power,
        interest: s.interest,
        note: s.note.clone(),
        action: s.action.clone(),
    }
}

/// The viewer's institution, or why there is none to read.
fn institution(viewer: &Viewer) -> Result<i64, Error> {
    viewer.require_login()?;
    own_institution(viewer).ok_or(Error::Forbidden)
}

/// Your institution's positioning and its history.
#[utoipa::path(get, path = "/api/v1/positioning/mine", tag = "positioning", operation_id = "read_my_positioning",
    responses((status = 200, description = "Your institution's positioning", body = PositionJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Your account belongs to no institution", body = crate::Problem)))]
pub async fn read_mine(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<PositionJson>, Error> {
    let id = institution(&viewer)?;
    let saved = state.store.positions_of(id, 50).await?;
    let mut versions = saved.into_iter();
    let current = versions.next();
    let p = current
        .as_ref()
        .map(|s| s.position.clone())
        .unwrap_or_default();
    Ok(Json(PositionJson {
        saved_at: current.as_ref().map(|s| s.saved_at.clone()),
        saved_by: current.map(|s| s.saved_by),
        axes: p.axes,
        aspects: p.aspects,
        explanations: p.explanations,
        stakeholders: p.stakeholders.iter().map(stakeholder_json).collect(),
        history: versions
            .map(|s| PositionVersionJson {
                saved_at: s.saved_at,
                saved_by: s.saved_by,
                axes: s.position.axes,
                aspects: s.position.aspects,
            })
            .collect(),
    }))
}

/// Places your institution (the informatiemanager): the previous positioning stays as history.
#[utoipa::path(put, path = "/api/v1/positioning/mine", tag = "positioning", operation_id = "save_my_positioning", request_body = PositionWrite,
    responses((status = 200, description = "Saved", body = PositionJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only your institution's informatiemanager positions it", body = crate::Problem),
        (status = 422, description = "A field is refused: `axes.ict_business`, `aspects.mandaat`, `stakeholders[0].power`", body = crate::Problem)))]
pub async fn save_mine(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PositionJson>, Error> {
    let id = institution(&viewer)?;
    viewer.require(Action::PositionInstitution { institution_id: id })?;
    let sent: PositionWrite = json_body(&headers, &body)?;
    let input = PositionInput {
        axes: sent.axes.into_iter().map(|(c, v)| (c, Some(v))).collect(),
        aspects: sent
            .aspects
            .into_iter()
            .map(|(c, v)| (c, Some(v)))
            .collect(),
        explanations: sent.explanations.into_iter().collect(),
        stakeholders: sent
            .stakeholders
            .into_iter()
            .map(|s| StakeholderInput {
                name: s.name,
                power: Some(s.power),
                interest: Some(s.interest),
                note: s.note,
                action: s.action,
            })
            .collect(),
    };
    let settings = state.store.positioning_settings().await?;
    let position = input.check(&settings.aspects).map_err(Error::Invalid)?;
    let user = viewer.user.as_ref().ok_or(Error::LoginRequired)?;
    state
        .store
        .save_position(id, &position, Some(user.id), &user.name)
        .await?;
    read_mine(State(state), viewer).await
}

fn distribution_json(d: Distribution, name: String, low: String, high: String) -> DistributionJson {
    DistributionJson {
        code: d.code,
        name,
        low,
        high,
        answered: d.answered,
        shown: d.shown,
        counts: d.counts.to_vec(),
        median: d.median,
        mine: d.mine,
    }
}

/// The network's distributions per axis and aspect, shown only when enough institutions
/// answered; your own institution's scores marked as `mine`. Never an institution's name.
#[utoipa::path(get, path = "/api/v1/positioning/network", tag = "positioning", operation_id = "read_network_positioning",
    responses((status = 200, description = "The distributions, or `shown: false` with the number still needed", body = NetworkJson),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn read_network(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<NetworkJson>, Error> {
    viewer.require(Action::ViewNetworkPositioning)?;
    let m = mirror(&state, &viewer).await?;
    let t = |key: &str| viewer.lang.t(key);
    let n = m.network;
    Ok(Json(NetworkJson {
        shown: n.shown,
        answered: n.answered,
        threshold: n.threshold,
        needed: n.needed,
        updated_at: m.renewed_at,
        axes: n
            .axes
            .into_iter()
            .zip(AXES)
            .map(|(d, a)| distribution_json(d, t(a.name), t(a.low), t(a.high)))
            .collect(),
        aspects: n
            .aspects
            .into_iter()
            .zip(&m.settings.aspects)
            .map(|(d, a)| distribution_json(d, a.name.clone(), a.low.clone(), a.high.clone()))
            .collect(),
    }))
}

fn settings_json(s: Settings) -> PositioningSettingsJson {
    PositioningSettingsJson {
        threshold: s.threshold,
        aspects: s
            .aspects
            .into_iter()
            .map(|a| AspectJson {
                code: a.code,
                name: a.name,
                low: a.low,
                high: a.high,
            })
            .collect(),
    }
}

/// The aspects every institution scores itself on, and the threshold of the distributions.
#[utoipa::path(get, path = "/api/v1/positioning/settings", tag = "positioning", operation_id = "read_positioning_settings",
    responses((status = 200, description = "The settings", body = PositioningSettingsJson),
        (status = 401, description = "Not logged in", body = crate::Problem)))]
pub async fn read_settings(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<PositioningSettingsJson>, Error> {
    viewer.require(Action::ViewNetworkPositioning)?;
    Ok(Json(settings_json(
        state.store.positioning_settings().await?,
    )))
}

/// Sets the aspects and the threshold (the beheerder). Scores on an aspect that is removed stay
/// in the history but are no longer shown.
#[utoipa::path(put, path = "/api/v1/positioning/settings", tag = "positioning", operation_id = "save_positioning_settings", request_body = PositioningSettingsJson,
    responses((status = 200, description = "Saved", body = PositioningSettingsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "Only a beheerder sets these", body = crate::Problem),
        (status = 422, description = "A field is refused: `threshold` (at least 3), `aspects[0].code`", body = crate::Problem)))]
pub async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PositioningSettingsJson>, Error> {
    viewer.require(Action::ManagePositioning)?;
    let sent: PositioningSettingsJson = json_body(&headers, &body)?;
    let input = SettingsInput {
        threshold: Some(sent.threshold),
        aspects: sent
            .aspects
            .into_iter()
            .map(|a| [a.code, a.name, a.low, a.high])
            .collect(),
    };
    let settings = input.check().map_err(Error::Invalid)?;
    state.store.save_positioning_settings(&settings).await?;
    Ok(Json(settings_json(settings)))
}
