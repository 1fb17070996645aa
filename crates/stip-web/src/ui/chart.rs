//! Charts as SVG drawn by the server (issue 11): readable without JavaScript, with a `<title>`
//! and `<desc>`, every value written as text beside its mark (colour is never the only signal),
//! and each a link to what it counts. A page shows the same numbers as a table too.
//! The geometry is worked out here; the templates under `templates/chart/` draw it.

use crate::i18n::Lang;
use askama::Template;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;
use stip_core::portfolio::Project;

/// Width of a chart's drawing in SVG units; it scales to the width of the page.
const WIDTH: f64 = 400.0;

/// One bar: its label, how long it is, and what it says.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as the reader reads it ("12", "€ 1,2 mln").
    pub shown: String,
    pub href: String,
    /// A CSS class for its colour (`status-groen`), or empty.
    pub class: String,
}

/// A horizontal bar chart: a row per bar, the label above its bar, the value after it.
#[derive(Template)]
#[template(path = "chart/bars.svg", escape = "html")]
pub struct Bars {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub rows: Vec<BarRow>,
    pub height: f64,
}

pub struct BarRow {
    pub bar: Bar,
    /// The label's lines (it wraps between words, never inside one), each with its baseline.
    pub lines: Vec<(f64, String)>,
    /// Where its bar's top is.
    pub y: f64,
    pub width: f64,
}

pub const ROW: f64 = 42.0;
/// The height of one more line of a wrapped label.
const LINE: f64 = 18.0;
/// About as many characters as fit a label's line (15 px type in 400 units).
const LINE_CHARS: usize = 46;

/// `text` in lines of at most about `most` characters, broken between words (a word longer
/// than a line keeps a line of its own).
fn wrap(text: &str, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= most => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

impl Bars {
    pub fn new(id: &str, title: String, desc: String, bars: Vec<Bar>) -> Bars {
        let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
        // Room after the longest bar for its value.
        let room = WIDTH - 90.0;
        let mut top = 0.0;
        let rows = bars
            .into_iter()
            .map(|bar| {
                let lines: Vec<(f64, String)> = wrap(&bar.label, LINE_CHARS)
                    .into_iter()
                    .enumerate()
                    .map(|(i, line)| (top + 15.0 + i as f64 * LINE, line))
                    .collect();
                let extra = lines.len().saturating_sub(1) as f64 * LINE;
                let row = BarRow {
                    y: top + 21.0 + extra,
                    width: if max > 0.0 {
                        (bar.value / max * room).max(if bar.value > 0.0 { 2.0 } else { 0.0 })
                    } else {
                        0.0
                    },
                    lines,
                    bar,
                };
                top += ROW + extra;
                row
            })
            .collect::<Vec<_>>();
        Bars {
            id: id.to_string(),
            title,
            desc,
            height: top + 4.0,
            rows,
        }
    }

    pub fn svg(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// One part of a stacked bar.
pub struct Part {
    pub label: String,
    pub count: u64,
    /// A CSS class for its colour (`mix-1`).
    pub class: String,
}

/// A bar of 100 %, split into its parts.
pub struct Stack {
    pub label: String,
    pub parts: Vec<Part>,
    pub href: String,
}

pub struct StackRow {
    pub label: String,
    pub href: String,
    pub total: u64,
    pub y: f64,
    pub segments: Vec<Segment>,
}

pub struct Segment {
    pub label: String,
    pub class: String,
    pub x: f64,
    pub width: f64,
    pub percent: u64,
    pub count: u64,
}

/// Bars of 100 % side by side (an institution's mix and the network's), each part with its
/// share written in it when it fits.
#[derive(Template)]
#[template(path = "chart/stacks.svg", escape = "html")]
pub struct Stacks {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub rows: Vec<StackRow>,
    pub height: f64,
}

impl Stacks {
    pub fn new(id: &str, title: String, desc: String, stacks: Vec<Stack>) -> Stacks {
        let rows = stacks
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let total: u64 = s.parts.iter().map(|p| p.count).sum();
                let mut x = 0.0;
                let segments = s
                    .parts
                    .into_iter()
                    .filter(|p| p.count > 0)
                    .map(|p| {
                        let width = p.count as f64 / total as f64 * WIDTH;
                        let seg = Segment {
                            percent: percent(p.count, total),
                            label: p.label,
                            class: p.class,
                            x,
                            width,
                            count: p.count,
                        };
                        x += width;
                        seg
                    })
                    .collect();
                StackRow {
                    label: s.label,
                    href: s.href,
                    total,
                    y: i as f64 * (ROW + 8.0),
                    segments,
                }
            })
            .collect::<Vec<_>>();
        Stacks {
            id: id.to_string(),
            title,
            desc,
            height: rows.len() as f64 * (ROW + 8.0) + 4.0,
            rows,
        }
    }

    pub fn svg(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// Where the label column ends and the time axis starts, and the drawing's full width.
const AXIS_FROM: f64 = 270.0;
const AXIS_TO: f64 = 950.0;
const TIMELINE_WIDTH: f64 = 960.0;
const GROUP_ROW: f64 = 28.0;
const PROJECT_ROW: f64 = 36.0;
const HEAD: f64 = 24.0;

/// A project on the roadmap: where its bar is, and what it says.
pub struct TimelineBar {
    pub href: String,
    pub title: String,
    /// The title cut to fit the label column.
    pub short: String,
    /// Institution · phase · status, written under the title.
    pub detail: String,
    /// Start – end as the reader writes them.
    pub dates: String,
    pub institution: String,
    pub phase: String,
    pub status: String,
    pub start: String,
    pub end: String,
    pub class: String,
    pub y: f64,
    pub x: f64,
    pub width: f64,
    /// The bar runs on past the axis: no end date (or no start date).
    pub open_end: bool,
    pub open_start: bool,
}

pub struct TimelineGroup {
    pub label: String,
    pub y: f64,
    pub bars: Vec<TimelineBar>,
}

/// The roadmap: a row per project under its group's heading, its bar from start to end date
/// on a time axis with a line at every new year and one at today.
#[derive(Template)]
#[template(path = "chart/timeline.svg", escape = "html")]
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub groups: Vec<TimelineGroup>,
    /// (x, year)
    pub ticks: Vec<(f64, i32)>,
    pub today_x: f64,
    pub today_label: String,
    pub height: f64,
    pub width: f64,
}

impl Timeline {
    pub fn new(
        id: &str,
        title: String,
        desc: String,
        lang: Lang,
        groups: Vec<(String, Vec<Arc<Project>>)>,
        today: NaiveDate,
    ) -> Timeline {
        let dates = groups
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .flat_map(|p| [p.data.start_date, p.data.end_date])
            .flatten()
            .chain([today]);
        let (min, max) = dates.fold((today, today), |(lo, hi), d| (lo.min(d), hi.max(d)));
        let from = NaiveDate::from_ymd_opt(min.year(), 1, 1).unwrap_or(min);
        let to = NaiveDate::from_ymd_opt(max.year() + 1, 1, 1).unwrap_or(max);
        let span = (to - from).num_days().max(1) as f64;
        let x =
            |d: NaiveDate| AXIS_FROM + (d - from).num_days() as f64 / span * (AXIS_TO - AXIS_FROM);
        let mut y = HEAD;
        let mut out = Vec::new();
        for (label, projects) in groups {
            let group_y = y;
            y += GROUP_ROW;
            let bars = projects
                .iter()
                .map(|p| {
                    let d = &p.data;
                    let start = d.start_date.map_or(AXIS_FROM, x);
                    let end = d.end_date.map_or(AXIS_TO, x);
                    let status = d
                        .status
                        .map_or_else(|| lang.t("status.none"), |s| lang.label("status", s.code()));
                    let when = |d: Option<NaiveDate>| {
                        d.map(|d| crate::time::date(lang, d))
                            .unwrap_or_else(|| "…".into())
                    };
                    let bar = TimelineBar {
                        href: format!("/projecten/{}", p.id),
                        short: shorten(&d.title, 34),
                        title: d.title.clone(),
                        detail: format!(
                            "{} · {} · {}",
                            shorten(&p.institution_name, 22),
                            lang.label("phase", d.phase.code()),
                            status
                        ),
                        dates: format!("{} – {}", when(d.start_date), when(d.end_date)),
                        institution: p.institution_name.clone(),
                        phase: lang.label("phase", d.phase.code()),
                        status: status.clone(),
                        start: d
                            .start_date
                            .map(|d| crate::time::date(lang, d))
                            .unwrap_or_default(),
                        end: d
                            .end_date
                            .map(|d| crate::time::date(lang, d))
                            .unwrap_or_default(),
                        class: format!("status-{}", d.status.map_or("none", |s| s.code())),
                        y,
                        x: start,
                        width: (end - start).max(3.0),
                        open_end: d.end_date.is_none(),
                        open_start: d.start_date.is_none(),
                    };
                    y += PROJECT_ROW;
                    bar
                })
                .collect();
            out.push(TimelineGroup {
                label,
                y: group_y,
                bars,
            });
        }
        let ticks = (from.year()..=to.year())
            .filter_map(|year| NaiveDate::from_ymd_opt(year, 1, 1))
            .map(|d| (x(d), d.year()))
            .collect();
        Timeline {
            id: id.to_string(),
            title,
            desc,
            groups: out,
            ticks,
            today_x: x(today),
            today_label: lang.t("insight.today"),
            height: y + 4.0,
            width: TIMELINE_WIDTH,
        }
    }

    pub fn svg(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// A project in the value-versus-effort chart.
pub struct Bubble {
    pub href: String,
    /// Project title, theme, value, effort and budget in words: the bubble's `<title>`.
    pub title: String,
    /// The number of its main theme in the legend, written in the bubble.
    pub label: String,
    /// Its main theme's colour, always with the label.
    pub colour: String,
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// Value (up) against effort (across), each bubble as large as the project's budget.
#[derive(Template)]
#[template(path = "chart/bubbles.svg", escape = "html")]
pub struct Bubbles {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub bubbles: Vec<Bubble>,
    /// (x, label) along the effort axis; (y, label) along the value axis.
    pub x_ticks: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    pub x_label: String,
    pub y_label: String,
}

/// Plot area of the bubble and frontier charts, in SVG units.
const PLOT_LEFT: f64 = 56.0;
const PLOT_RIGHT: f64 = 620.0;
const PLOT_TOP: f64 = 16.0;
const PLOT_BOTTOM: f64 = 360.0;

/// A round step for an axis running to `max`: 1, 2 or 5 times a power of ten, about 5 steps.
fn axis_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let rough = max / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
}

/// Ticks from 0 to past `max`, each with its label; and the axis's end.
fn ticks(max: f64, label: impl Fn(f64) -> String) -> (Vec<(f64, String)>, f64) {
    let step = axis_step(max);
    let end = (max / step).ceil().max(1.0) * step;
    let n = (end / step).round() as usize;
    (
        (0..=n)
            .map(|k| (k as f64 * step, label(k as f64 * step)))
            .collect(),
        end,
    )
}

/// A project to plot: (href, title, legend label, colour, effort, value 0–100, budget).
pub struct Plotted {
    pub href: String,
    pub title: String,
    pub label: String,
    pub colour: String,
    pub effort: f64,
    pub value: f64,
    pub budget: f64,
}

impl Bubbles {
    pub fn new(
        id: &str,
        title: String,
        desc: String,
        axes: (String, String),
        effort_label: impl Fn(f64) -> String,
        projects: Vec<Plotted>,
    ) -> Bubbles {
        let max_effort = projects.iter().map(|p| p.effort).fold(0.0, f64::max);
        let max_budget = projects.iter().map(|p| p.budget).fold(0.0, f64::max);
        let (x_ticks, x_end) = ticks(max_effort, effort_label);
        let x = |v: f64| PLOT_LEFT + v / x_end * (PLOT_RIGHT - PLOT_LEFT);
        let y = |v: f64| PLOT_BOTTOM - v / 100.0 * (PLOT_BOTTOM - PLOT_TOP);
        let mut bubbles: Vec<Bubble> = projects
            .into_iter()
            .map(|p| Bubble {
                x: x(p.effort),
                y: y(p.value),
                // The area, not the radius, grows with the budget.
                r: 6.0
                    + if max_budget > 0.0 {
                        18.0 * (p.budget / max_budget).sqrt()
                    } else {
                        0.0
                    },
                href: p.href,
                title: p.title,
                label: p.label,
                colour: p.colour,
            })
            .collect();
        // Small bubbles on top of large ones, so each stays clickable.
        bubbles.sort_by(|a, b| b.r.total_cmp(&a.r));
        Bubbles {
            id: id.to_string(),
            title,
            desc,
            bubbles,
            x_ticks: x_ticks.into_iter().map(|(v, l)| (x(v), l)).collect(),
            y_ticks: (0..=5)
                .map(|k| (y(k as f64 * 20.0), (k * 20).to_string()))
                .collect(),
            x_label: axes.0,
            y_label: axes.1,
        }
    }

    pub fn svg(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// A point of the frontier: its budget level, the value within it, and what it says.
pub struct FrontierPoint {
    pub x: f64,
    pub y: f64,
    pub title: String,
}

/// The most value per budget level as a rising line, the current selection marked.
#[derive(Template)]
#[template(path = "chart/frontier.svg", escape = "html")]
pub struct Frontier {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub points: Vec<FrontierPoint>,
    pub line: String,
    pub current: Option<FrontierPoint>,
    pub current_label: String,
    pub x_ticks: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    pub x_label: String,
    pub y_label: String,
}

impl Frontier {
    /// `points` and `current` as (budget in euros, value, title).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: &str,
        title: String,
        desc: String,
        axes: (String, String),
        money: impl Fn(f64) -> String,
        number: impl Fn(f64) -> String,
        points: Vec<(f64, f64, String)>,
        current: Option<(f64, f64, String)>,
        current_label: String,
    ) -> Frontier {
        let max_budget = points
            .iter()
            .chain(current.iter())
            .map(|p| p.0)
            .fold(0.0, f64::max);
        let max_value = points
            .iter()
            .chain(current.iter())
            .map(|p| p.1)
            .fold(0.0, f64::max);
        let (x_ticks, x_end) = ticks(max_budget, money);
        let (y_ticks, y_end) = ticks(max_value, number);
        let x = |v: f64| PLOT_LEFT + v / x_end * (PLOT_RIGHT - PLOT_LEFT);
        let y = |v: f64| PLOT_BOTTOM - v / y_end * (PLOT_BOTTOM - PLOT_TOP);
        let points: Vec<FrontierPoint> = points
            .into_iter()
            .map(|(b, v, title)| FrontierPoint {
                x: x(b),
                y: y(v),
                title,
            })
            .collect();
        let line = points
            .iter()
            .map(|p| format!("{:.1},{:.1}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ");
        Frontier {
            id: id.to_string(),
            title,
            desc,
            line,
            points,
            current: current.map(|(b, v, title)| FrontierPoint {
                x: x(b),
                y: y(v),
                title,
            }),
            current_label,
            x_ticks: x_ticks.into_iter().map(|(v, l)| (x(v), l)).collect(),
            y_ticks: y_ticks.into_iter().map(|(v, l)| (y(v), l)).collect(),
            x_label: axes.0,
            y_label: axes.1,
        }
    }

    pub fn svg(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// `part` of `total` in whole percents, rounded.
pub fn percent(part: u64, total: u64) -> u64 {
    (part * 100 + total / 2).checked_div(total).unwrap_or(0)
}

/// How dark a heatmap cell is, 0 (nothing) to 5 (the most of the map).
pub fn shade(value: u64, max: u64) -> u8 {
    if value == 0 || max == 0 {
        0
    } else {
        (1 + (value * 4 / max)).min(5) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_writes_each_value_and_links_it() {
        let chart = Bars::new(
            "fase",
            "Projecten per fase".into(),
            "Hoeveel projecten in elke fase zitten.".into(),
            vec![
                Bar {
                    label: "Idee".into(),
                    value: 4.0,
                    shown: "4".into(),
                    href: "/projecten?phase=idee".into(),
                    class: String::new(),
                },
                Bar {
                    label: "Uitvoering & <meer>".into(),
                    value: 8.0,
                    shown: "8".into(),
                    href: "/projecten?phase=uitvoering".into(),
                    class: String::new(),
                },
            ],
        );
        let svg = chart.svg();
        assert!(svg.contains("<title id=\"fase-title\">Projecten per fase</title>"));
        assert!(!svg.contains("<meer>"), "labels are escaped: {svg}");
        assert!(svg.contains("Uitvoering &#38; &#60;meer&#62;"), "{svg}");
        assert!(svg.contains("href=\"/projecten?phase=idee\""));
        assert_eq!(
            chart.rows[1].width,
            WIDTH - 90.0,
            "the longest bar fills the room"
        );
        assert_eq!(chart.rows[0].width, (WIDTH - 90.0) / 2.0);
    }

    #[test]
    fn a_long_label_wraps_between_words_and_moves_the_rows_below() {
        let bar = |label: &str| Bar {
            label: label.into(),
            value: 1.0,
            shown: "1".into(),
            href: String::new(),
            class: String::new(),
        };
        let chart = Bars::new(
            "paren",
            "Paren".into(),
            String::new(),
            vec![
                bar("Data-ondersteund onderwijs + Docentprofessionalisering"),
                bar("Innovatie"),
            ],
        );
        let lines: Vec<&str> = chart.rows[0]
            .lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(
            lines,
            ["Data-ondersteund onderwijs +", "Docentprofessionalisering"]
        );
        assert_eq!(
            chart.rows[1].lines[0].0,
            ROW + LINE + 15.0,
            "the next row moves down"
        );
        assert_eq!(chart.height, 2.0 * ROW + LINE + 4.0);
        assert_eq!(
            wrap("Docentprofessionaliseringsbeleidsplannen", 10).len(),
            1
        );
    }

    #[test]
    fn shares_are_rounded_and_add_up_to_the_bar() {
        let s = Stacks::new(
            "mix",
            String::new(),
            String::new(),
            vec![Stack {
                label: "Netwerk".into(),
                href: String::new(),
                parts: vec![
                    Part {
                        label: "a".into(),
                        count: 1,
                        class: "mix-1".into(),
                    },
                    Part {
                        label: "b".into(),
                        count: 2,
                        class: "mix-2".into(),
                    },
                    Part {
                        label: "c".into(),
                        count: 0,
                        class: "mix-3".into(),
                    },
                ],
            }],
        );
        let segs = &s.rows[0].segments;
        assert_eq!(segs.len(), 2, "an empty part draws nothing");
        assert_eq!((segs[0].percent, segs[1].percent), (33, 67));
        assert!((segs[1].x + segs[1].width - WIDTH).abs() < 1e-9);
    }

    #[test]
    fn the_fullest_cell_is_the_darkest() {
        assert_eq!(shade(0, 10), 0);
        assert_eq!(shade(1, 10), 1);
        assert_eq!(shade(10, 10), 5);
    }
}
