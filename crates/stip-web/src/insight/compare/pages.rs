//! The Vergelijken page (`/vergelijken?instelling=…&instelling=…`): choosing two or three
//! institutions, and their portfolios side by side; with `formaat=pdf` or `formaat=xlsx` the
//! same as a download.

use super::{Compared, chosen};
use crate::auth::Viewer;
use crate::http::redirect::urlencode;
use crate::insight::{Dimension, count, euros, mix_parts, value_label};
use crate::lists::Lists;
use crate::ui::chart::{Stack, Stacks, percent};
use crate::ui::form::Errors;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;
use stip_core::portfolio::{Project, Status};
use stip_core::table::{Cell, Table};
use stip_core::{ErrorCode, Invalid};

pub fn routes() -> Router<AppState> {
    Router::new().route("/vergelijken", get(compare))
}

/// The insight pages' sub-navigation carries the list's filters; this page has none.
pub struct NoFilters;

impl NoFilters {
    pub fn carried(&self) -> &'static str {
        ""
    }
}

pub struct ProjectView {
    pub id: i64,
    pub title: String,
    pub phase: String,
    pub status: Option<Status>,
    pub horizon: String,
}

pub struct CellView {
    pub institution: String,
    pub summary: String,
    pub phases: String,
    pub projects: Vec<ProjectView>,
}

pub struct ThemeView {
    pub code: String,
    pub name: String,
    pub priority: bool,
    pub cells: Vec<CellView>,
}

pub struct PairView {
    pub a: ProjectView,
    pub a_institution: String,
    pub b: ProjectView,
    pub b_institution: String,
    pub score: String,
    pub reasons: String,
    /// "Name (institution)" of each contact person of a shareable project.
    pub contacts: Vec<String>,
}

pub struct OnlyView {
    pub institution: String,
    pub themes: String,
    pub projects: Vec<ProjectView>,
}

pub struct BalanceView {
    pub code: &'static str,
    pub title: String,
    pub chart: Stacks,
    /// The chart's legend: (code or empty, label) of each value.
    pub values: Vec<(String, String)>,
    /// (value label, cells "n (p%)" per institution and the network)
    pub rows: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "insight/compare.html")]
struct ComparePage {
    c: Chrome,
    f: NoFilters,
    errors: Errors,
    /// What is in the three fields.
    typed: Vec<String>,
    /// Names to choose from, the viewer's own institution first: (name, BRIN · region).
    options: Vec<(String, String)>,
    result: Option<Shown>,
}

struct Shown {
    /// (name, "op basis van N zichtbare projecten")
    institutions: Vec<(String, String)>,
    /// The query of this comparison, for the downloads and the permalink.
    query: String,
    themes: Vec<ThemeView>,
    /// Themes none of them works on.
    untouched: String,
    pairs: Vec<PairView>,
    only: Vec<OnlyView>,
    balance: Vec<BalanceView>,
}

async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lang = viewer.lang;
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let typed: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "instelling")
        .map(|(_, v)| v.clone())
        .collect();
    let format = pairs
        .iter()
        .find(|(k, _)| k == "formaat")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let options = options(&lists, viewer.actor.institution_id());

    // Fewer than two chosen by a link (none, or one institution's "vergelijk met …"): the
    // form, the viewer's own institution first. From the form itself (its empty fields come
    // along), that is a mistake to say.
    let filled: Vec<&String> = typed.iter().filter(|t| !t.trim().is_empty()).collect();
    if filled.len() < 2 && typed.len() == filled.len() {
        let mut start: Vec<String> = viewer
            .actor
            .institution_id()
            .and_then(|id| lists.institutions.iter().find(|i| i.id == id))
            .map(|i| i.data.name.clone())
            .into_iter()
            .collect();
        for t in filled {
            let same = crate::ui::picker::institution(&lists, t)
                .is_ok_and(|i| start.first() == Some(&i.data.name));
            if !same {
                start.push(t.trim().to_string());
            }
        }
        return Ok(render(&ComparePage {
            c,
            f: NoFilters,
            errors: Errors::none(lang),
            typed: fields(start),
            options,
            result: None,
        }));
    }
    let refused = |invalid: Invalid, c: Chrome, typed: Vec<String>, options| {
        let page = ComparePage {
            c,
            f: NoFilters,
            errors: Errors::new(lang, invalid),
            typed: fields(typed),
            options,
            result: None,
        };
        (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
    };
    if !matches!(format, "" | "pdf" | "xlsx") {
        return Ok(refused(
            Invalid::one("formaat", ErrorCode::InvalidChoice),
            c,
            typed,
            options,
        ));
    }
    let chosen = match chosen(&lists, &typed) {
        Ok(chosen) => chosen,
        Err(invalid) => return Ok(refused(invalid, c, typed, options)),
    };
    let compared = Compared::build(&state, &viewer, &lists, chosen).await?;
    let query = compared
        .chosen
        .iter()
        .map(|ch| format!("instelling={}", urlencode(&ch.brin)))
        .collect::<Vec<_>>()
        .join("&");
    let file = format!(
        "vergelijking-{}",
        compared
            .chosen
            .iter()
            .map(|ch| ch.brin.to_lowercase())
            .collect::<Vec<_>>()
            .join("-")
    );
    match format {
        "pdf" => {
            let (title, blocks) = pdf(&c, &compared);
            return Ok(crate::http::download::inline(
                "application/pdf",
                &format!("{file}.pdf"),
                stip_core::pdf::render(&title, &blocks),
            ));
        }
        "xlsx" => {
            let book = Table::workbook(&xlsx(&c, &compared)).map_err(|e| {
                Error::Internal(format!("the comparison's workbook was not written: {e}"))
            })?;
            return Ok(crate::http::download::attachment(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{file}.xlsx"),
                book,
            ));
        }
        _ => {}
    }
    let shown = shown(&c, &compared, query);
    Ok(render(&ComparePage {
        c,
        f: NoFilters,
        errors: Errors::none(lang),
        typed: fields(compared.chosen.iter().map(|ch| ch.name.clone()).collect()),
        options,
        result: Some(shown),
    }))
}

/// Three fields' values.
fn fields(mut typed: Vec<String>) -> Vec<String> {
    typed.resize(3.max(typed.len()), String::new());
    typed
}

/// Every institution by name, the viewer's own first.
fn options(lists: &Lists, own: Option<i64>) -> Vec<(String, String)> {
    let mut all: Vec<_> = lists.institutions.iter().collect();
    all.sort_by_cached_key(|i| (Some(i.id) != own, i.data.name.to_lowercase()));
    crate::ui::picker::institution_options(all)
}

fn project_view(c: &Chrome, p: &Project) -> ProjectView {
    ProjectView {
        id: p.id,
        title: p.data.title.clone(),
        phase: c.label("phase", p.data.phase.code()),
        status: p.data.status,
        horizon: p
            .data
            .horizon
            .map(|h| c.label("horizon", h.code()))
            .unwrap_or_default(),
    }
}

/// "3 projecten · € 120.000" for a theme's cell.
fn cell_summary(c: &Chrome, projects: usize, budget_cents: i64) -> String {
    let n = c.t_with(
        if projects == 1 {
            "compare.projects_one"
        } else {
            "compare.projects"
        },
        &[("n", &count(c.lang, projects as u64))],
    );
    if budget_cents > 0 {
        format!("{n} · {}", euros(c.lang, budget_cents))
    } else {
        n
    }
}

/// "2 uitvoering, 1 idee · 2 groen, 1 rood": how many projects are in each phase (the most
/// first), then with each status (in the status's order).
fn phases(c: &Chrome, projects: &[Arc<Project>]) -> String {
    use std::collections::BTreeMap;
    let mut phases: BTreeMap<stip_core::portfolio::Phase, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<Status, usize> = BTreeMap::new();
    for p in projects {
        *phases.entry(p.data.phase).or_default() += 1;
        if let Some(s) = p.data.status {
            *statuses.entry(s).or_default() += 1;
        }
    }
    let mut phases: Vec<_> = phases.into_iter().collect();
    phases.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let said =
        |kind: &str, code: &str, n: usize| format!("{n} {}", c.label(kind, code).to_lowercase());
    let phases: Vec<String> = phases
        .into_iter()
        .map(|(phase, n)| said("phase", phase.code(), n))
        .collect();
    let statuses: Vec<String> = statuses
        .into_iter()
        .map(|(status, n)| said("status", status.code(), n))
        .collect();
    [phases.join(", "), statuses.join(", ")]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn reasons(
    c: &Chrome,
    lists_names: &[(String, String)],
    themes: &[String],
    words: &[String],
) -> String {
    let mut out = Vec::new();
    if !themes.is_empty() {
        let names: Vec<String> = themes
            .iter()
            .map(|code| {
                lists_names
                    .iter()
                    .find(|(c, _)| c == code)
                    .map_or(code.clone(), |(_, n)| n.clone())
            })
            .collect();
        out.push(c.t_with(
            "compare.both_themes",
            &[("themes", &c.lang.and_list(names.iter().cloned()))],
        ));
    }
    if !words.is_empty() {
        out.push(c.t_with(
            "compare.both_words",
            &[("words", &c.lang.and_list(words.iter().cloned()))],
        ));
    }
    out.join("; ")
}

fn shown(c: &Chrome, x: &Compared, query: String) -> Shown {
    let lang = c.lang;
    let names: Vec<String> = x.chosen.iter().map(|ch| ch.name.clone()).collect();
    let theme_names: Vec<(String, String)> = x
        .themes
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let institutions = x
        .chosen
        .iter()
        .zip(&x.comparison.sides)
        .map(|(ch, side)| {
            (
                ch.name.clone(),
                if side.len() == 1 {
                    c.t("compare.based_on_one")
                } else {
                    c.t_with(
                        "compare.based_on",
                        &[("n", &count(lang, side.len() as u64))],
                    )
                },
            )
        })
        .collect();
    let themes = x
        .worked_on()
        .map(|t| ThemeView {
            code: t.code.clone(),
            name: t.name.clone(),
            priority: t.priority,
            cells: t
                .cells
                .iter()
                .zip(&names)
                .map(|(cell, name)| CellView {
                    institution: name.clone(),
                    summary: cell_summary(c, cell.projects.len(), cell.budget_cents),
                    phases: phases(c, &cell.projects),
                    projects: cell.projects.iter().map(|p| project_view(c, p)).collect(),
                })
                .collect(),
        })
        .collect();
    let untouched: Vec<String> = x
        .themes
        .iter()
        .filter(|t| t.cells.iter().all(|cell| cell.projects.is_empty()))
        .map(|t| t.name.clone())
        .collect();
    let contact = |p: &Project| {
        (p.data.shareable && !p.data.contact_person.trim().is_empty())
            .then(|| format!("{} ({})", p.data.contact_person.trim(), p.institution_name))
    };
    let pairs = x
        .comparison
        .pairs
        .iter()
        .map(|p| PairView {
            a: project_view(c, &p.a),
            a_institution: p.a.institution_name.clone(),
            b: project_view(c, &p.b),
            b_institution: p.b.institution_name.clone(),
            score: c.t_with(
                "compare.alike",
                &[("percent", &format!("{:.0}", p.score * 100.0))],
            ),
            reasons: reasons(c, &theme_names, &p.themes, &p.words),
            contacts: [contact(&p.a), contact(&p.b)]
                .into_iter()
                .flatten()
                .collect(),
        })
        .collect();
    let only = x
        .chosen
        .iter()
        .zip(x.only.iter().zip(&x.only_themes))
        .map(|(ch, (projects, themes))| OnlyView {
            institution: ch.name.clone(),
            themes: lang.and_list(themes.iter().cloned()),
            projects: projects.iter().map(|p| project_view(c, p)).collect(),
        })
        .collect();
    let balance = Dimension::ALL
        .iter()
        .map(|dim| {
            let title = lang.t(&format!("insight.balance_{}", dim.code()));
            let mut stacks: Vec<Stack> = x
                .chosen
                .iter()
                .zip(&x.mixes)
                .map(|(ch, mix)| Stack {
                    label: ch.name.clone(),
                    parts: mix_parts(lang, *dim, mix),
                    href: format!("/projecten?institution={}", urlencode(&ch.brin)),
                })
                .collect();
            stacks.push(Stack {
                label: lang.t("insight.network"),
                parts: mix_parts(lang, *dim, &x.network),
                href: "/projecten".into(),
            });
            let chart = Stacks::new(
                &format!("compare-{}", dim.code()),
                title.clone(),
                lang.t(&format!("insight.balance_{}_desc", dim.code())),
                stacks,
            );
            let columns: Vec<Vec<(Option<&'static str>, u64)>> = x
                .mixes
                .iter()
                .chain([&x.network])
                .map(|mix| dim.counts(mix))
                .collect();
            let rows = dim
                .counts(&x.network)
                .iter()
                .enumerate()
                .map(|(i, (code, _))| {
                    (
                        value_label(lang, *dim, *code),
                        columns
                            .iter()
                            .map(|col| {
                                let total: u64 = col.iter().map(|(_, n)| n).sum();
                                let n = col[i].1;
                                format!("{} ({}%)", count(lang, n), percent(n, total))
                            })
                            .collect(),
                    )
                })
                .collect();
            let values = dim
                .counts(&x.network)
                .into_iter()
                .map(|(code, _)| {
                    (
                        code.unwrap_or("").to_string(),
                        value_label(lang, *dim, code),
                    )
                })
                .collect();
            BalanceView {
                code: dim.code(),
                title,
                chart,
                values,
                rows,
            }
        })
        .collect();
    Shown {
        institutions,
        query,
        themes,
        untouched: lang.and_list(untouched.iter().cloned()),
        pairs,
        only,
        balance,
    }
}

/// The comparison as a PDF's title and blocks.
fn pdf(c: &Chrome, x: &Compared) -> (String, Vec<stip_core::pdf::Block>) {
    use stip_core::pdf::Block;
    let lang = c.lang;
    let names: Vec<String> = x.chosen.iter().map(|ch| ch.name.clone()).collect();
    let title = c.t_with(
        "compare.title_of",
        &[("names", &lang.and_list(names.iter().cloned()))],
    );
    let shown = shown(c, x, String::new());
    let mut blocks = vec![Block::Title(title.clone())];
    for (name, based) in &shown.institutions {
        blocks.push(Block::Bullet(format!("{name}: {based}")));
    }
    blocks.push(Block::Heading(1, c.t("compare.per_theme")));
    for t in &shown.themes {
        let heading = if t.priority {
            format!("{} ({})", t.name, c.t("compare.priority"))
        } else {
            t.name.clone()
        };
        blocks.push(Block::Heading(2, heading));
        for cell in &t.cells {
            let mut line = format!("{}: {}", cell.institution, cell.summary);
            if !cell.phases.is_empty() {
                line.push_str(&format!(" ({})", cell.phases));
            }
            if !cell.projects.is_empty() {
                let titles: Vec<&str> = cell.projects.iter().map(|p| p.title.as_str()).collect();
                line.push_str(&format!(": {}", titles.join("; ")));
            }
            blocks.push(Block::Bullet(line));
        }
    }
    if !shown.untouched.is_empty() {
        blocks.push(Block::Paragraph(
            c.t_with("compare.untouched", &[("themes", &shown.untouched)]),
        ));
    }
    blocks.push(Block::Heading(1, c.t("compare.shared")));
    if shown.pairs.is_empty() {
        blocks.push(Block::Paragraph(c.t("compare.no_pairs")));
    }
    for p in &shown.pairs {
        let mut line = format!(
            "{} ({}) — {} ({}): {}",
            p.a.title, p.a_institution, p.b.title, p.b_institution, p.score
        );
        if !p.reasons.is_empty() {
            line.push_str(&format!("; {}", p.reasons));
        }
        if !p.contacts.is_empty() {
            line.push_str(&format!(
                ". {}",
                c.t_with("compare.contact", &[("names", &p.contacts.join(", "))])
            ));
        }
        blocks.push(Block::Bullet(line));
    }
    blocks.push(Block::Heading(1, c.t("compare.only")));
    for o in &shown.only {
        blocks.push(Block::Heading(2, o.institution.clone()));
        if !o.themes.is_empty() {
            blocks.push(Block::Paragraph(
                c.t_with("compare.only_themes", &[("themes", &o.themes)]),
            ));
        }
        for p in &o.projects {
            blocks.push(Block::Bullet(p.title.clone()));
        }
    }
    blocks.push(Block::Heading(1, c.t("compare.balance")));
    let columns: Vec<String> = names
        .iter()
        .cloned()
        .chain([lang.t("insight.network")])
        .collect();
    for b in &shown.balance {
        blocks.push(Block::Heading(2, b.title.clone()));
        for (value, cells) in &b.rows {
            let parts: Vec<String> = columns
                .iter()
                .zip(cells)
                .map(|(name, cell)| format!("{name} {cell}"))
                .collect();
            blocks.push(Block::Bullet(format!("{value}: {}", parts.join(", "))));
        }
    }
    (title, blocks)
}

/// The comparison as the sheets of a workbook: per theme, the alike pairs, what only one does,
/// and the balance.
fn xlsx(c: &Chrome, x: &Compared) -> Vec<(String, Table)> {
    let lang = c.lang;
    let text = |s: &str| Cell::Text(s.to_string());
    let mut per_theme = Table {
        headers: [
            "compare.col_theme",
            "compare.priority",
            "field.institution",
            "field.brin",
            "compare.col_projects",
            "compare.col_budget",
            "compare.col_titles",
        ]
        .iter()
        .map(|k| c.t(k))
        .collect(),
        rows: Vec::new(),
    };
    for t in &x.themes {
        for (ch, cell) in x.chosen.iter().zip(&t.cells) {
            per_theme.rows.push(vec![
                text(&t.name),
                text(&if t.priority {
                    c.t("compare.yes")
                } else {
                    String::new()
                }),
                text(&ch.name),
                text(&ch.brin),
                Cell::Number(cell.projects.len() as f64),
                Cell::Number((cell.budget_cents / 100) as f64),
                text(
                    &cell
                        .projects
                        .iter()
                        .map(|p| p.data.title.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ]);
        }
    }
    let mut pairs = Table {
        headers: [
            "compare.col_project_a",
            "compare.col_institution_a",
            "compare.col_project_b",
            "compare.col_institution_b",
            "compare.col_alike",
            "compare.col_why",
            "compare.col_contact",
        ]
        .iter()
        .map(|k| c.t(k))
        .collect(),
        rows: Vec::new(),
    };
    let shown = shown(c, x, String::new());
    for (p, v) in x.comparison.pairs.iter().zip(&shown.pairs) {
        pairs.rows.push(vec![
            text(&p.a.data.title),
            text(&p.a.institution_name),
            text(&p.b.data.title),
            text(&p.b.institution_name),
            Cell::Number((f64::from(p.score) * 100.0).round()),
            text(&v.reasons),
            text(&v.contacts.join(", ")),
        ]);
    }
    let mut only = Table {
        headers: [
            "field.institution",
            "compare.col_project",
            "compare.col_theme",
        ]
        .iter()
        .map(|k| c.t(k))
        .collect(),
        rows: Vec::new(),
    };
    for (ch, projects) in x.chosen.iter().zip(&x.only) {
        for p in projects {
            let theme = p
                .data
                .themes
                .first()
                .and_then(|code| x.themes.iter().find(|t| &t.code == code))
                .map(|t| t.name.clone())
                .unwrap_or_default();
            only.rows
                .push(vec![text(&ch.name), text(&p.data.title), text(&theme)]);
        }
    }
    let mut balance = Table {
        headers: [c.t("compare.col_dimension"), c.t("compare.col_value")]
            .into_iter()
            .chain(x.chosen.iter().map(|ch| ch.name.clone()))
            .chain([lang.t("insight.network")])
            .collect(),
        rows: Vec::new(),
    };
    for dim in Dimension::ALL {
        let title = lang.t(&format!("insight.balance_{}", dim.code()));
        let columns: Vec<_> = x
            .mixes
            .iter()
            .chain([&x.network])
            .map(|mix| dim.counts(mix))
            .collect();
        for (i, (code, _)) in dim.counts(&x.network).iter().enumerate() {
            let mut row = vec![text(&title), text(&value_label(lang, dim, *code))];
            row.extend(columns.iter().map(|col| Cell::Number(col[i].1 as f64)));
            balance.rows.push(row);
        }
    }
    vec![
        (c.t("compare.per_theme"), per_theme),
        (c.t("compare.sheet_pairs"), pairs),
        (c.t("compare.sheet_only"), only),
        (c.t("compare.balance"), balance),
    ]
}

impl ComparePage {
    fn field_label(&self, i: &usize) -> String {
        self.c
            .t_with("compare.field", &[("n", &(i + 1).to_string())])
    }
}
