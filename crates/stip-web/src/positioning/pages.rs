//! The positioning pages: `/positionering` (your place on the quadrant and the network beside
//! it), `/positionering/bewerken` (the form), `/positionering/stakeholders` (the printable
//! map), `/positionering/instellingen` (the beheerder's aspects and threshold) and
//! `/positionering/netwerk.csv` (the distributions, as anonymous as on screen).

use super::{Mirror, mirror, own_institution};
use crate::auth::Viewer;
use crate::http::extract::Form;
use crate::ui::chart::{Bar, Bars};
use crate::ui::form::{Errors, param};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use stip_core::access::Action;
use stip_core::positioning::{
    AXES, Aspect, Distribution, HIGH, LOW, Position, PositionInput, Quadrant, SettingsInput,
    Stakeholder, StakeholderInput,
};
use stip_core::table::{Cell, Table};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/positionering", get(show))
        .route("/positionering/bewerken", get(edit).post(save))
        .route("/positionering/stakeholders", get(stakeholders))
        .route(
            "/positionering/instellingen",
            get(settings).post(save_settings),
        )
        .route("/positionering/netwerk.csv", get(network_csv))
}

/// An axis or aspect as pages show it: its code, name and ends.
pub(crate) struct Item {
    pub code: String,
    pub name: String,
    pub low: String,
    pub high: String,
}

fn items(c: &Chrome, aspects: &[Aspect]) -> (Vec<Item>, Vec<Item>) {
    let axes = AXES
        .iter()
        .map(|a| Item {
            code: a.code.to_string(),
            name: c.t(a.name),
            low: c.t(a.low),
            high: c.t(a.high),
        })
        .collect();
    let aspects = aspects
        .iter()
        .map(|a| Item {
            code: a.code.clone(),
            name: a.name.clone(),
            low: a.low.clone(),
            high: a.high.clone(),
        })
        .collect();
    (axes, aspects)
}

/// One axis or aspect on the overview: your score and the network's distribution.
struct Row {
    item: Item,
    mine: Option<i64>,
    /// The network's median as the reader writes numbers (2,5).
    median: String,
    explanation: String,
    d: Distribution,
    chart: Option<Bars>,
}

fn chart(c: &Chrome, item: &Item, d: &Distribution) -> Option<Bars> {
    if !d.shown {
        return None;
    }
    let bars = (LOW..=HIGH)
        .map(|v| {
            let end = match v {
                LOW => format!(" · {}", item.low),
                HIGH => format!(" · {}", item.high),
                _ => String::new(),
            };
            let ours = d.mine == Some(v);
            let count = d.counts[(v - LOW) as usize];
            Bar {
                label: format!(
                    "{v}{end}{}",
                    if ours {
                        format!(" ({})", c.t("positioning.yours"))
                    } else {
                        String::new()
                    }
                ),
                value: count as f64,
                shown: count.to_string(),
                href: String::new(),
                class: if ours { "mine".into() } else { String::new() },
            }
        })
        .collect();
    let median = d.median.map(|m| format_median(c, m)).unwrap_or_default();
    Some(Bars::new(
        &format!("dist-{}", item.code),
        item.name.clone(),
        c.t_with(
            "positioning.chart_desc",
            &[
                ("n", &d.answered.to_string()),
                ("median", &median),
                ("low", &item.low),
                ("high", &item.high),
            ],
        ),
        bars,
    ))
}

fn format_median(c: &Chrome, m: f64) -> String {
    let s = if m.fract() == 0.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    };
    if c.lang == crate::i18n::Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// Your place on the quadrant: x is ICT (left) to business (right), y strategisch (top) to
/// operationeel (bottom); 1–5 map to the middle of five cells of 40 units.
struct Dot {
    x: i64,
    y: i64,
}

fn dot(p: &Position) -> Option<Dot> {
    let so = *p.axes.get("strategisch_operationeel")?;
    let ib = *p.axes.get("ict_business")?;
    Some(Dot {
        x: 20 + (ib - 1) * 40,
        y: 20 + (so - 1) * 40,
    })
}

struct History {
    saved_at: String,
    saved_by: String,
    scores: Vec<String>,
}

#[derive(Template)]
#[template(path = "positioning/show.html")]
struct ShowPage {
    c: Chrome,
    has_own: bool,
    may_edit: bool,
    manage: bool,
    saved_at: String,
    saved_by: String,
    dot: Option<Dot>,
    axes: Vec<Row>,
    aspects: Vec<Row>,
    stakeholders: usize,
    history: Vec<History>,
    answered: i64,
    threshold: i64,
    needed: i64,
    shown: bool,
    /// When the network's distributions were last renewed, in the reader's words.
    renewed_at: String,
}

fn rows(c: &Chrome, items: Vec<Item>, ds: Vec<Distribution>, p: Option<&Position>) -> Vec<Row> {
    items
        .into_iter()
        .zip(ds)
        .map(|(item, d)| Row {
            chart: chart(c, &item, &d),
            median: d.median.map(|m| format_median(c, m)).unwrap_or_default(),
            mine: p.and_then(|p| p.score(&item.code)),
            explanation: p
                .and_then(|p| p.explanations.get(&item.code).cloned())
                .unwrap_or_default(),
            item,
            d,
        })
        .collect()
}

async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewNetworkPositioning)?;
    let c = viewer.chrome();
    let Mirror {
        settings,
        mine,
        network,
        renewed_at,
    } = mirror(&state, &viewer).await?;
    let own = own_institution(&viewer);
    let current = mine.first();
    let (axis_items, aspect_items) = items(&c, &settings.aspects);
    let p = current.map(|s| &s.position);
    let history = mine
        .iter()
        .skip(1)
        .map(|s| History {
            saved_at: c.moment(&s.saved_at),
            saved_by: s.saved_by.clone(),
            scores: axis_items
                .iter()
                .chain(&aspect_items)
                .filter_map(|i| {
                    s.position
                        .score(&i.code)
                        .map(|v| format!("{}: {v}", i.name))
                })
                .collect(),
        })
        .collect();
    Ok(render(&ShowPage {
        has_own: own.is_some(),
        may_edit: own
            .is_some_and(|id| viewer.may(Action::PositionInstitution { institution_id: id })),
        manage: viewer.may(Action::ManagePositioning),
        saved_at: current.map(|s| c.moment(&s.saved_at)).unwrap_or_default(),
        saved_by: current.map(|s| s.saved_by.clone()).unwrap_or_default(),
        dot: p.and_then(dot),
        axes: rows(&c, axis_items, network.axes, p),
        aspects: rows(&c, aspect_items, network.aspects, p),
        stakeholders: p.map_or(0, |p| p.stakeholders.len()),
        history,
        answered: network.answered,
        threshold: network.threshold,
        needed: network.needed,
        shown: network.shown,
        renewed_at: renewed_at.map(|t| c.moment(&t)).unwrap_or_default(),
        c,
    }))
}

/// A stakeholder row of the form as typed.
#[derive(Default)]
struct StakeholderRow {
    name: String,
    power: String,
    interest: String,
    note: String,
    action: String,
}

impl StakeholderRow {
    /// Power and interest as typed, by field.
    fn scores(&self) -> [(&'static str, &str); 2] {
        [("power", &self.power), ("interest", &self.interest)]
    }
}

#[derive(Template)]
#[template(path = "positioning/edit.html")]
struct EditPage {
    c: Chrome,
    axes: Vec<Item>,
    aspects: Vec<Item>,
    /// Field name → value as typed (scores and explanations).
    values: Vec<(String, String)>,
    stakeholders: Vec<StakeholderRow>,
    errors: Errors,
}

impl EditPage {
    fn value(&self, field: &str) -> &str {
        param(&self.values, field)
    }
}

/// Empty rows after the filled ones, to add stakeholders without JavaScript.
const EMPTY_ROWS: usize = 3;

/// The page's institution, when the viewer may position it.
fn positioned(viewer: &Viewer) -> Result<i64, Error> {
    match viewer.actor.institution_id() {
        Some(id) => {
            viewer.require(Action::PositionInstitution { institution_id: id })?;
            Ok(id)
        }
        None => {
            viewer.require(Action::ManagePositioning)?;
            Err(Error::Forbidden)
        }
    }
}

async fn edit(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    let id = positioned(&viewer)?;
    let settings = state.store.positioning_settings().await?;
    let c = viewer.chrome();
    let (axes, aspects) = items(&c, &settings.aspects);
    let current = state
        .store
        .positions_of(id, 1)
        .await?
        .into_iter()
        .next()
        .map(|s| s.position)
        .unwrap_or_default();
    let mut values = Vec::new();
    for (code, v) in current.axes.iter() {
        values.push((format!("axes.{code}"), v.to_string()));
    }
    for (code, v) in current.aspects.iter() {
        values.push((format!("aspects.{code}"), v.to_string()));
    }
    for (code, t) in current.explanations.iter() {
        values.push((format!("explanations.{code}"), t.clone()));
    }
    let mut stakeholders: Vec<StakeholderRow> = current
        .stakeholders
        .iter()
        .map(|s| StakeholderRow {
            name: s.name.clone(),
            power: s.power.to_string(),
            interest: s.interest.to_string(),
            note: s.note.clone(),
            action: s.action.clone(),
        })
        .collect();
    stakeholders.extend((0..EMPTY_ROWS).map(|_| StakeholderRow::default()));
    Ok(render(&EditPage {
        axes,
        aspects,
        values,
        stakeholders,
        errors: Errors::none(viewer.lang),
        c,
    }))
}

/// A number as a form sends it (a score, the threshold): empty is not given, anything else
/// that is not a number is 0 (refused as out of range).
fn form_number(raw: &str) -> Option<i64> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.parse().unwrap_or(0))
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let id = positioned(&viewer)?;
    let settings = state.store.positioning_settings().await?;
    let (axis_items, aspect_items) = {
        let c = viewer.chrome();
        items(&c, &settings.aspects)
    };
    let field = |name: String| param(&form, &name).to_string();
    let rows: Vec<StakeholderRow> = crate::ui::form::rows(
        &form,
        "stakeholders",
        ["name", "power", "interest", "note", "action"],
    )
    .into_iter()
    .map(|[name, power, interest, note, action]| StakeholderRow {
        name,
        power,
        interest,
        note,
        action,
    })
    .collect();
    let input = PositionInput {
        axes: axis_items
            .iter()
            .map(|a| {
                (
                    a.code.clone(),
                    form_number(&field(format!("axes.{}", a.code))),
                )
            })
            .collect(),
        aspects: aspect_items
            .iter()
            .map(|a| {
                (
                    a.code.clone(),
                    form_number(&field(format!("aspects.{}", a.code))),
                )
            })
            .collect(),
        explanations: axis_items
            .iter()
            .chain(&aspect_items)
            .map(|a| (a.code.clone(), field(format!("explanations.{}", a.code))))
            .collect(),
        stakeholders: rows
            .iter()
            .map(|r| StakeholderInput {
                name: r.name.clone(),
                power: form_number(&r.power),
                interest: form_number(&r.interest),
                note: r.note.clone(),
                action: r.action.clone(),
            })
            .collect(),
    };
    match input.check(&settings.aspects) {
        Ok(position) => {
            let user = viewer.user.as_ref().ok_or(Error::NotFound)?;
            state
                .store
                .save_position(id, &position, Some(user.id), &user.name)
                .await?;
            Ok(Redirect::to("/positionering").into_response())
        }
        Err(e) => {
            let c = viewer.chrome();
            let page = EditPage {
                axes: axis_items,
                aspects: aspect_items,
                values: form
                    .iter()
                    .filter(|(k, _)| !k.starts_with("stakeholders["))
                    .cloned()
                    .collect(),
                stakeholders: rows,
                errors: Errors::new(viewer.lang, e),
                c,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// A stakeholder on the printable map: its number, where its dot is and its quadrant.
struct Placed {
    n: usize,
    s: Stakeholder,
    quadrant: Quadrant,
    x: i64,
    y: i64,
}

/// The grid is five cells of 80 units each way: interest left (1) to right (5), power bottom
/// (1) to top (5); the quadrants split it where [`Stakeholder::quadrant`] does, between 2 and 3.
/// Stakeholders in the same cell sit side by side, three to a row.
fn placed(stakeholders: &[Stakeholder]) -> Vec<Placed> {
    let mut in_cell: std::collections::HashMap<(i64, i64), i64> = Default::default();
    stakeholders
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let k = in_cell.entry((s.power, s.interest)).or_insert(0);
            let (col, row) = (*k % 3, *k / 3);
            *k += 1;
            Placed {
                n: i + 1,
                quadrant: s.quadrant(),
                x: 40 + (s.interest - 1) * 80 + (col - 1) * 24,
                y: 40 + (5 - s.power) * 80 + (row - 1) * 24 + 12,
                s: s.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "positioning/stakeholders.html")]
struct StakeholdersPage {
    c: Chrome,
    may_edit: bool,
    saved_at: String,
    placed: Vec<Placed>,
}

async fn stakeholders(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewNetworkPositioning)?;
    let Some(id) = own_institution(&viewer) else {
        return Ok(StatusCode::FORBIDDEN.into_response());
    };
    let current = state.store.positions_of(id, 1).await?.into_iter().next();
    let c = viewer.chrome();
    Ok(render(&StakeholdersPage {
        may_edit: viewer.may(Action::PositionInstitution { institution_id: id }),
        saved_at: current
            .as_ref()
            .map(|s| c.moment(&s.saved_at))
            .unwrap_or_default(),
        placed: current.map_or_else(Vec::new, |s| placed(&s.position.stakeholders)),
        c,
    }))
}

#[derive(Template)]
#[template(path = "positioning/settings.html")]
struct SettingsPage {
    c: Chrome,
    threshold: String,
    /// code, name, low, high per row.
    aspects: Vec<[String; 4]>,
    errors: Errors,
}

async fn settings(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManagePositioning)?;
    let s = state.store.positioning_settings().await?;
    let mut aspects: Vec<[String; 4]> = s
        .aspects
        .into_iter()
        .map(|a| [a.code, a.name, a.low, a.high])
        .collect();
    aspects.extend((0..EMPTY_ROWS).map(|_| Default::default()));
    Ok(render(&SettingsPage {
        c: viewer.chrome(),
        threshold: s.threshold.to_string(),
        aspects,
        errors: Errors::none(viewer.lang),
    }))
}

async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    viewer.require(Action::ManagePositioning)?;
    let field = |name: String| param(&form, &name).to_string();
    let aspects = crate::ui::form::rows(&form, "aspects", ["code", "name", "low", "high"]);
    let threshold = field("threshold".into());
    let input = SettingsInput {
        threshold: form_number(&threshold),
        aspects: aspects.clone(),
    };
    match input.check() {
        Ok(s) => {
            state.store.save_positioning_settings(&s).await?;
            Ok(Redirect::to("/positionering").into_response())
        }
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&SettingsPage {
                c: viewer.chrome(),
                threshold,
                aspects,
                errors: Errors::new(viewer.lang, e),
            }),
        )
            .into_response()),
    }
}

/// The distributions as a spreadsheet: one row per axis or aspect, never an institution.
async fn network_csv(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ViewNetworkPositioning)?;
    let c = viewer.chrome();
    let m = mirror(&state, &viewer).await?;
    let (axes, aspects) = items(&c, &m.settings.aspects);
    let mut table = Table {
        headers: vec![
            c.t("positioning.csv.item"),
            c.t("positioning.csv.low"),
            c.t("positioning.csv.high"),
            c.t("positioning.csv.answered"),
        ],
        rows: Vec::new(),
    };
    table.headers.extend((LOW..=HIGH).map(|v| v.to_string()));
    table.headers.push(c.t("positioning.median"));
    table.headers.push(c.t("positioning.csv.yours"));
    let all = axes
        .into_iter()
        .zip(m.network.axes)
        .chain(aspects.into_iter().zip(m.network.aspects));
    for (item, d) in all {
        let mut row = vec![
            Cell::Text(item.name),
            Cell::Text(item.low),
            Cell::Text(item.high),
            Cell::Number(d.answered as f64),
        ];
        if d.shown {
            row.extend(d.counts.iter().map(|n| Cell::Number(*n as f64)));
            row.push(d.median.map_or(Cell::Text(String::new()), Cell::Number));
        } else {
            row.extend((LOW..=HIGH + 1).map(|_| Cell::Text(c.t("positioning.csv.hidden"))));
        }
        row.push(
            d.mine
                .map_or(Cell::Text(String::new()), |v| Cell::Number(v as f64)),
        );
        table.rows.push(row);
    }
    Ok(crate::http::download::attachment(
        "text/csv; charset=utf-8",
        "positionering-netwerk.csv",
        table.csv(),
    ))
}
