//! Agenda pages: themes and their projects, the theme colours stylesheet, and managing main
//! lines, themes, policy drivers and criteria (beheerder and regiegroep).

use crate::admin::{self, Field, Kind, Managed, one};
use crate::auth::Viewer;
use crate::http::extract::Listing;
use crate::lists::Lists;
use crate::ui::layout::{Chrome, render};
use crate::ui::project_list::{ProjectTable, table_for};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;
use stip_core::access::Action;
use stip_core::agenda::*;
use stip_core::{Invalid, Version};
use stip_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/themas", get(list))
        .route("/themas/{code}", get(show))
        .route("/static/themes.css", get(theme_css))
        .route("/beheer/agenda", get(admin_agenda))
        .route("/beheer/drijfveren", get(driver_list))
        .route("/beheer/criteria", get(criterion_list))
        .merge(admin::manage::<Theme>())
        .merge(admin::manage::<MainLine>())
        .merge(admin::manage::<PolicyDriver>())
        .merge(admin::manage::<Criterion>())
}

/// The theme colours as classes, so no page needs inline styles (the CSP forbids them). Made
/// from the cached reference lists, so it reads the database only after the agenda changed.
async fn theme_css(State(state): State<AppState>) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let css: String = lists
        .themes
        .iter()
        .map(|t| format!(".theme-{}{{background:{}}}\n", t.data.code, t.data.colour))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "agenda/list.html")]
struct ListPage {
    c: Chrome,
    /// The active agenda version's name, or the agenda's own title.
    title: String,
    /// (main line name, its themes); the last group holds the themes across all lines.
    groups: Vec<(String, Vec<Theme>)>,
    /// The network's priorities as a workshop saved them (for members).
    priorities: Option<Priorities>,
}

struct Priorities {
    day: String,
    /// (code, name), most dots first.
    themes: Vec<(String, String)>,
    workshop: Option<i64>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    let lines = state.store.main_lines().await?;
    let themes = state.store.themes().await?;
    let mut groups: Vec<(String, Vec<Theme>)> = lines
        .iter()
        .map(|l| {
            (
                l.name.clone(),
                themes
                    .iter()
                    .filter(|t| t.data.main_line.as_deref() == Some(&l.code))
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let across: Vec<Theme> = themes
        .iter()
        .filter(|t| t.data.main_line.is_none())
        .cloned()
        .collect();
    if !across.is_empty() {
        groups.push((viewer.lang.t("agenda.across"), across));
    }
    let c = viewer.chrome();
    let priorities = match viewer.user {
        Some(_) => state.store.network_priorities().await?.map(|p| Priorities {
            day: p
                .decided_on
                .parse::<chrono::NaiveDate>()
                .map_or(p.decided_on.clone(), |d| c.date(&d)),
            themes: p
                .themes
                .into_iter()
                .map(|code| {
                    let name = themes
                        .iter()
                        .find(|t| t.data.code == code)
                        .map_or_else(|| code.clone(), |t| t.data.name.clone());
                    (code, name)
                })
                .collect(),
            workshop: p.workshop,
        }),
        None => None,
    };
    let title = match state.store.active_agenda_name().await? {
        Some(name) => name,
        None => c.t("agenda.title"),
    };
    Ok(render(&ListPage {
        c,
        title,
        groups,
        priorities,
    }))
}

#[derive(Template)]
#[template(path = "agenda/show.html")]
struct ShowPage {
    c: Chrome,
    theme: Theme,
    main_line: Option<String>,
    table: ProjectTable,
    lists: Arc<Lists>,
    insight: ThemeInsight,
    /// Network meetings held on the theme (for those logged in), newest first.
    meetings: Vec<ThemeMeeting>,
    /// The theme's working group's name and its latest exchanges (for those logged in).
    workgroup: String,
    exchanges: Vec<crate::workgroup::ExchangeView>,
    /// The exchanges' list has no remove buttons here.
    remove_exchanges: bool,
    code: String,
}

/// A meeting on a theme page: when, and the case it presented.
struct ThemeMeeting {
    id: i64,
    title: String,
    date: String,
    /// The case as the viewer may see it.
    case: Option<crate::meeting::CaseView>,
}

/// The meetings held on theme `code`, newest first, with their cases as far as `viewer` may see
/// them; none for those not logged in.
async fn theme_meetings(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
) -> Result<Vec<ThemeMeeting>, Error> {
    if !viewer.may(Action::ViewMeetings) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for m in state.store.meetings().await?.into_iter().rev() {
        if m.data.theme.as_deref() != Some(code) {
            continue;
        }
        let case = crate::meeting::case_of(state, &viewer.actor, &m)
            .await?
            .map(|case| case.view(&viewer.chrome()));
        out.push(ThemeMeeting {
            id: m.id,
            title: m.data.title.clone(),
            date: crate::time::date(
                viewer.lang,
                m.data
                    .starts_at
                    .with_timezone(&chrono_tz::Europe::Amsterdam)
                    .date_naive(),
            ),
            case,
        });
    }
    Ok(out)
}

/// What the network does on a theme: who works on it, cases to learn from, the themes it
/// occurs with, its budget and phases.
struct ThemeInsight {
    /// (name, projects on the theme, link), the institutions with the most first.
    institutions: Vec<(String, u64, String)>,
    /// How many institutions work on the theme in all.
    institutions_total: usize,
    cases: Vec<Arc<stip_core::portfolio::Project>>,
    /// (other theme's name, projects with both, link)
    links: Vec<(String, u64, String)>,
    budget: String,
    phases: crate::ui::chart::Bars,
}

/// How many institutions a theme page names.
const THEME_INSTITUTIONS: usize = 15;

async fn theme_insight(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    code: &str,
) -> Result<ThemeInsight, Error> {
    use crate::insight::{Names, count, euros};
    use stip_core::portfolio::{ListQuery, Phase, ProjectFilter};
    let lang = viewer.lang;
    let scope = stip_core::access::project_scope(&viewer.actor);
    let filter = ProjectFilter {
        theme: Some(code.to_string()),
        ..Default::default()
    };
    let tally = state.store.insight(&filter, scope).await?;
    let names = Names::new(lists);
    // Every cell of the heatmap is on this theme (the tally is of its projects): the busiest
    // institutions first; the whole network is in the overview, filtered by the theme.
    let mut busiest: Vec<(u64, i64)> = tally
        .heatmap
        .iter()
        .filter(|((_, t), _)| t == code)
        .map(|((id, _), cell)| (cell.projects, *id))
        .collect();
    let institutions_total = busiest.len();
    busiest.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    busiest.truncate(THEME_INSTITUTIONS);
    let institutions = busiest
        .into_iter()
        .map(|(n, id)| {
            let (brin, name) = names.of(id);
            (
                name,
                n,
                format!("/projecten?institution={brin}&theme={code}"),
            )
        })
        .collect();
    let cases_query = ListQuery {
        theme: code.to_string(),
        shareable: "1".into(),
        sort: "-updated".into(),
        per_page: "10".into(),
        ..Default::default()
    };
    let cases = state
        .store
        .first_projects(&cases_query.parse().map_err(Error::Invalid)?, scope)
        .await?;
    let mut links: Vec<(String, u64, String)> = tally
        .crosslinks
        .iter()
        .filter_map(|((a, b), n)| {
            let other = if a == code {
                b
            } else if b == code {
                a
            } else {
                return None;
            };
            Some((
                lists.theme_name(other),
                *n,
                format!("/inzicht/dwarsverbanden?paar={code},{other}#paar"),
            ))
        })
        .collect();
    links.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let budget = tally.per_theme.get(code).map_or(0, |c| c.budget_cents);
    let phases = crate::ui::chart::Bars::new(
        "theme-phases",
        lang.t("insight.theme_phases"),
        lang.t("insight.phases_desc"),
        Phase::ALL
            .iter()
            .map(|p| {
                let n = tally.per_phase.get(p).copied().unwrap_or(0);
                crate::ui::chart::Bar {
                    label: lang.label("phase", p.code()),
                    value: n as f64,
                    shown: count(lang, n),
                    href: format!("/projecten?theme={code}&phase={}", p.code()),
                    class: String::new(),
                }
            })
            .collect(),
    );
    Ok(ThemeInsight {
        institutions,
        institutions_total,
        cases,
        links,
        budget: lang.t_with("insight.theme_budget", &[("amount", &euros(lang, budget))]),
        phases,
    })
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Listing(mut query): Listing,
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let theme = lists.theme(&code).cloned().ok_or(Error::NotFound)?;
    let main_line = match &theme.data.main_line {
        Some(line) => state
            .store
            .main_lines()
            .await?
            .into_iter()
            .find(|l| &l.code == line)
            .map(|l| l.name),
        None => None,
    };
    query.theme = code.clone();
    let (mut table, _) = table_for(&state, &viewer, query, &format!("/themas/{code}")).await?;
    table.query.theme.clear();
    let insight = theme_insight(&state, &viewer, &lists, &code).await?;
    let meetings = theme_meetings(&state, &viewer, &code).await?;
    let c = viewer.chrome();
    let (workgroup, exchanges) = if viewer.user.is_some() && viewer.may(Action::ViewWorkgroups) {
        let name = state
            .store
            .workgroup(&code)
            .await?
            .map(|g| g.name)
            .unwrap_or_default();
        let latest = state.store.exchanges(&code, 3).await?;
        (
            name,
            crate::workgroup::exchange_views(&state, &viewer, &c, latest).await?,
        )
    } else {
        (String::new(), Vec::new())
    };
    Ok(render(&ShowPage {
        meetings,
        workgroup,
        exchanges,
        remove_exchanges: false,
        code: code.clone(),
        c,
        theme,
        main_line,
        table,
        lists,
        insight,
    }))
}

// ---- Beheer: main lines and themes (beheerder and regiegroep) ----

async fn admin_agenda(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageAgenda)?;
    let (lines, themes) = (state.store.main_lines().await?, state.store.themes().await?);
    Ok(render(&AdminAgendaPage {
        c: viewer.chrome(),
        lines,
        themes,
    }))
}

#[derive(Template)]
#[template(path = "agenda/admin.html")]
struct AdminAgendaPage {
    c: Chrome,
    lines: Vec<MainLine>,
    themes: Vec<Theme>,
}

impl AdminAgendaPage {
    fn line_name(&self, code: &Option<String>) -> String {
        match code {
            Some(code) => self
                .lines
                .iter()
                .find(|l| &l.code == code)
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            None => self.c.t("agenda.across"),
        }
    }
}

/// The status colours of stip.css, which theme colours must not resemble (a theme dot beside a
/// status dot in the same row).
const STATUS_COLOURS: [(&str, &str); 3] = [
    ("groen", "#1a7f37"),
    ("oranje", "#b35900"),
    ("rood", "#c0152f"),
];

/// What the theme form needs: the main lines to choose from and the other themes' colours.
pub struct ThemeContext {
    lines: Vec<MainLine>,
    themes: Vec<Theme>,
}

/// A warning when `colour` looks too much like another theme's or a status colour, naming them.
fn colour_warning(c: &Chrome, input: &ThemeInput, cx: &ThemeContext) -> Option<String> {
    let alike = |other: &str| {
        stip_core::agenda::colour_distance(&input.colour.trim().to_ascii_lowercase(), other)
            .is_some_and(|d| d < stip_core::agenda::TOO_ALIKE)
    };
    let mut names: Vec<String> = cx
        .themes
        .iter()
        .filter(|t| t.data.code != input.code.trim() && alike(&t.data.colour))
        .map(|t| t.data.name.clone())
        .collect();
    names.extend(
        STATUS_COLOURS
            .iter()
            .filter(|(_, colour)| alike(colour))
            .map(|(code, _)| {
                c.t_with(
                    "agenda.status_colour",
                    &[("status", &c.label("status", code))],
                )
            }),
    );
    (!names.is_empty()).then(|| c.t_with("agenda.colour_alike", &[("names", &names.join(", "))]))
}

impl Managed for Theme {
    type Input = ThemeInput;
    type Data = ThemeData;
    type Context = ThemeContext;
    const ACTION: Action = Action::ManageAgenda;
    const PATH: &'static str = "/beheer/themas";
    const BACK: &'static str = "/beheer/agenda";
    const LIST: &'static str = "admin.agenda";
    const NEW_TITLE: &'static str = "admin.new_theme";

    async fn context(state: &AppState) -> Result<ThemeContext, StoreError> {
        Ok(ThemeContext {
            lines: state.store.main_lines().await?,
            themes: state.store.themes().await?,
        })
    }
    fn blank() -> ThemeInput {
        ThemeInput {
            colour: "#5f6b73".into(),
            ..Default::default()
        }
    }
    fn name(input: &ThemeInput) -> &str {
        &input.name
    }
    fn fields(c: &Chrome, input: &ThemeInput, cx: &ThemeContext) -> Vec<Field> {
        let options = cx
            .lines
            .iter()
            .map(|l| (l.code.clone(), l.name.clone()))
            .collect();
        vec![
            Field::new(c, "code", &input.code, Kind::Text)
                .hint(c.t("hint.code"))
                .required(c),
            Field::new(c, "name", &input.name, Kind::Text).required(c),
            Field::new(c, "description", &input.description, Kind::Textarea),
            Field::new(c, "colour", &input.colour, Kind::Colour)
                .hint(c.t("hint.colour"))
                .warning(colour_warning(c, input, cx))
                .required(c),
            Field::new(
                c,
                "main_line",
                &input.main_line,
                Kind::Select(options, c.t("agenda.across")),
            ),
            Field::new(c, "position", &input.position, Kind::Number),
        ]
    }
    fn parse(input: &ThemeInput, cx: &ThemeContext) -> Result<ThemeData, Invalid> {
        ThemeData::parse(input, &cx.lines)
    }
    async fn find(state: &AppState, id: i64) -> Result<(ThemeInput, i64), StoreError> {
        let theme = one(state.store.themes().await?, |t| t.id == id)?;
        Ok((ThemeInput::from(&theme.data), theme.version))
    }
    async fn create(state: &AppState, data: &ThemeData) -> Result<i64, StoreError> {
        state.store.create_theme(data).await
    }
    async fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &ThemeData,
    ) -> Result<bool, StoreError> {
        state.store.update_theme(id, version, data).await
    }
}

impl Managed for MainLine {
    type Input = MainLineInput;
    type Data = MainLineData;
    type Context = ();
    const ACTION: Action = Action::ManageAgenda;
    const PATH: &'static str = "/beheer/hoofdlijnen";
    const BACK: &'static str = "/beheer/agenda";
    const LIST: &'static str = "admin.agenda";
    const NEW_TITLE: &'static str = "admin.new_main_line";

    async fn context(_: &AppState) -> Result<(), StoreError> {
        Ok(())
    }
    fn name(input: &MainLineInput) -> &str {
        &input.name
    }
    fn fields(c: &Chrome, input: &MainLineInput, _: &()) -> Vec<Field> {
        vec![
            Field::new(c, "code", &input.code, Kind::Text)
                .hint(c.t("hint.code"))
                .required(c),
            Field::new(c, "name", &input.name, Kind::Text).required(c),
            Field::new(c, "position", &input.position, Kind::Number),
        ]
    }
    fn parse(input: &MainLineInput, _: &()) -> Result<MainLineData, Invalid> {
        MainLineData::parse(input)
    }
    async fn find(state: &AppState, id: i64) -> Result<(MainLineInput, i64), StoreError> {
        let line = one(state.store.main_lines().await?, |l| l.id == id)?;
        let input = MainLineInput {
            code: line.code,
            name: line.name,
            position: line.position.to_string(),
        };
        Ok((input, line.version))
    }
    async fn create(state: &AppState, data: &MainLineData) -> Result<i64, StoreError> {
        state.store.create_main_line(data).await
    }
    async fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &MainLineData,
    ) -> Result<bool, StoreError> {
        state.store.update_main_line(id, version, data).await
    }
}

// ---- Beheer: policy drivers and criteria (beheerder) ----

async fn driver_list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManagePolicyDrivers)?;
    let c = viewer.chrome();
    let list = state.store.policy_drivers().await?;
    let rows = list
        .into_iter()
        .map(|d| (format!("/beheer/drijfveren/{}", d.id), vec![d.name, d.code]))
        .collect();
    Ok(render(&admin::ListPage {
        title: c.t("admin.drivers"),
        intro: c.t("admin.drivers_text"),
        new_href: "/beheer/drijfveren/nieuw".into(),
        new_label: c.t("admin.new_driver"),
        columns: vec![c.t("field.name"), c.t("field.code")],
        rows,
        c,
    }))
}

impl Managed for PolicyDriver {
    type Input = PolicyDriverInput;
    type Data = PolicyDriverData;
    type Context = ();
    const ACTION: Action = Action::ManagePolicyDrivers;
    const PATH: &'static str = "/beheer/drijfveren";
    const BACK: &'static str = "/beheer/drijfveren";
    const LIST: &'static str = "admin.drivers";
    const NEW_TITLE: &'static str = "admin.new_driver";

    async fn context(_: &AppState) -> Result<(), StoreError> {
        Ok(())
    }
    fn name(input: &PolicyDriverInput) -> &str {
        &input.name
    }
    fn fields(c: &Chrome, input: &PolicyDriverInput, _: &()) -> Vec<Field> {
        vec![
            Field::new(c, "code", &input.code, Kind::Text)
                .hint(c.t("hint.code"))
                .required(c),
            Field::new(c, "name", &input.name, Kind::Text).required(c),
        ]
    }
    fn parse(input: &PolicyDriverInput, _: &()) -> Result<PolicyDriverData, Invalid> {
        PolicyDriverData::parse(input)
    }
    async fn find(state: &AppState, id: i64) -> Result<(PolicyDriverInput, i64), StoreError> {
        let driver = one(state.store.policy_drivers().await?, |d| d.id == id)?;
        let input = PolicyDriverInput {
            code: driver.code,
            name: driver.name,
        };
        Ok((input, driver.version))
    }
    async fn create(state: &AppState, data: &PolicyDriverData) -> Result<i64, StoreError> {
        state.store.create_policy_driver(data).await
    }
    async fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &PolicyDriverData,
    ) -> Result<bool, StoreError> {
        state.store.update_policy_driver(id, version, data).await
    }
}

async fn criterion_list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageCriteria)?;
    let c = viewer.chrome();
    let list = state.store.criteria().await?;
    let rows = list
        .into_iter()
        .map(|k| {
            (
                format!("/beheer/criteria/{}", k.id),
                vec![
                    k.data.name,
                    k.data.weight.to_dutch(),
                    c.label("direction", k.data.direction.code()),
                ],
            )
        })
        .collect();
    Ok(render(&admin::ListPage {
        title: c.t("admin.criteria"),
        intro: c.t("admin.criteria_text"),
        new_href: "/beheer/criteria/nieuw".into(),
        new_label: c.t("admin.new_criterion"),
        columns: vec![
            c.t("field.name"),
            c.t("field.weight"),
            c.t("field.direction"),
        ],
        rows,
        c,
    }))
}

impl Managed for Criterion {
    type Input = CriterionInput;
    type Data = CriterionData;
    type Context = ();
    const ACTION: Action = Action::ManageCriteria;
    const PATH: &'static str = "/beheer/criteria";
    const BACK: &'static str = "/beheer/criteria";
    const LIST: &'static str = "admin.criteria";
    const NEW_TITLE: &'static str = "admin.new_criterion";

    async fn context(_: &AppState) -> Result<(), StoreError> {
        Ok(())
    }
    fn blank() -> CriterionInput {
        CriterionInput {
            weight: "1".into(),
            direction: Direction::Positive.code().into(),
            ..Default::default()
        }
    }
    fn name(input: &CriterionInput) -> &str {
        &input.name
    }
    fn fields(c: &Chrome, input: &CriterionInput, _: &()) -> Vec<Field> {
        let directions = Direction::ALL
            .iter()
            .map(|d| (d.code().to_string(), c.label("direction", d.code())))
            .collect();
        vec![
            Field::new(c, "code", &input.code, Kind::Text)
                .hint(c.t("hint.code"))
                .required(c),
            Field::new(c, "name", &input.name, Kind::Text).required(c),
            Field::new(c, "weight", &input.weight, Kind::Number)
                .hint(c.t("hint.weight"))
                .required(c),
            Field::new(
                c,
                "direction",
                &input.direction,
                Kind::Select(directions, String::new()),
            ),
            Field::new(c, "position", &input.position, Kind::Number),
        ]
    }
    fn parse(input: &CriterionInput, _: &()) -> Result<CriterionData, Invalid> {
        CriterionData::parse(input)
    }
    async fn find(state: &AppState, id: i64) -> Result<(CriterionInput, i64), StoreError> {
        let criterion = one(state.store.criteria().await?, |k| k.id == id)?;
        Ok((CriterionInput::from(&criterion.data), criterion.version))
    }
    async fn create(state: &AppState, data: &CriterionData) -> Result<i64, StoreError> {
        state.store.create_criterion(data).await
    }
    async fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &CriterionData,
    ) -> Result<bool, StoreError> {
        state.store.update_criterion(id, version, data).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_status_colours_are_those_of_the_stylesheet() {
        let css = include_str!("../../assets/stip.css");
        for (code, colour) in super::STATUS_COLOURS {
            assert!(css.contains(&format!("--{code}: {colour};")), "{code}");
        }
    }
}
