//! A meeting's report: its appendices (the results of the surveys attached, as far as the
//! reader may read them, and of its workshops) and the report as PDF, written by Stip itself.

use super::{carried, shown};
use crate::auth::Viewer;
use crate::http::extract::Id;
use crate::ui::layout::Chrome;
use crate::{AppState, Error};
use axum::extract::State;
use axum::response::Response;
use stip_core::access::Action;
use stip_core::meeting::Meeting;

/// A survey's results as an appendix of the report.
pub(super) struct Appendix {
    pub(super) id: i64,
    pub(super) title: String,
    /// What the lead line says: how many responses; or why the results are not shown yet.
    pub(super) lead: String,
    pub(super) anonymous: bool,
    pub(super) questions: Vec<crate::survey::QuestionView>,
}

/// The appendices of meeting `m` with the results `viewer` may read.
pub(super) async fn appendices(
    state: &AppState,
    viewer: &Viewer,
    lists: &crate::lists::Lists,
    m: &Meeting,
) -> Result<Vec<Appendix>, Error> {
    let c = viewer.chrome();
    let mut out = Vec::new();
    for id in &m.data.appendices {
        let Ok(s) = state.store.survey(*id).await else {
            continue;
        };
        let readable = crate::survey::may_read_results(viewer, &s);
        let (lead, questions) = if readable {
            let r = crate::survey::results(state, lists, &s, None).await?;
            let lead = c.t_with("survey.responses", &[("n", &r.responses.len().to_string())]);
            (
                lead,
                crate::survey::question_views(state, viewer, &s, &r).await?,
            )
        } else {
            (c.t("meeting.appendix_later"), Vec::new())
        };
        out.push(Appendix {
            id: s.id,
            title: s.data.title.clone(),
            lead,
            anonymous: s.data.anonymous,
            questions,
        });
    }
    Ok(out)
}

/// The report of meeting `m` as PDF: what the report page shows, appendices included, as far as
/// `viewer` may read them.
pub(super) async fn report_bytes(
    state: &AppState,
    viewer: &Viewer,
    m: &Meeting,
) -> Result<Vec<u8>, Error> {
    use stip_core::pdf::{Block, markdown, render};
    let lists = state.lists().await?;
    let c = viewer.chrome();
    let s = shown(state, &lists, viewer, &c, m).await?;
    let mut blocks = vec![Block::Title(format!(
        "{}: {}",
        c.t("meeting.report"),
        m.data.title
    ))];
    let mut facts = vec![format!("{}: {}", c.t("meeting.when"), s.when)];
    if !s.place.is_empty() {
        facts.push(format!("{}: {}", c.t("meeting.field.place"), s.place));
    }
    if !s.theme.is_empty() {
        facts.push(format!("{}: {}", c.t("meeting.field.theme"), s.theme));
    }
    if let Some(case) = &s.case {
        let by = if s.presenter.is_empty() {
            String::new()
        } else {
            format!(", {} {}", c.t("meeting.presented_by"), s.presenter)
        };
        let institution = if case.institution.is_empty() {
            String::new()
        } else {
            format!(" ({})", case.institution)
        };
        facts.push(format!(
            "{}: {}{institution}{by}",
            c.t("meeting.case"),
            case.title
        ));
    }
    blocks.extend(facts.into_iter().map(Block::Paragraph));
    blocks.push(Block::Heading(1, c.t("meeting.agenda")));
    if m.data.agenda.is_empty() {
        blocks.push(Block::Paragraph(c.t("meeting.no_agenda")));
    }
    for a in &m.data.agenda {
        let mut line = a.title.clone();
        if !a.time.is_empty() {
            line = format!("{}  {line}", a.time);
        }
        if !a.owner.is_empty() {
            line = format!("{line} ({})", a.owner);
        }
        blocks.push(Block::Bullet(line));
    }
    let all = state.store.meetings().await?;
    let carried_over = carried(&c, m, &all);
    if !carried_over.is_empty() {
        blocks.push(Block::Heading(2, c.t("meeting.carried")));
        for (_, from, text, owner, due) in &carried_over {
            blocks.push(Block::Bullet(action_line(&c, text, owner, due, Some(from))));
        }
    }
    blocks.push(Block::Heading(1, c.t("meeting.minutes")));
    if m.data.minutes.is_empty() {
        blocks.push(Block::Paragraph(c.t("meeting.no_minutes")));
    }
    blocks.extend(markdown(&m.data.minutes, 2));
    if !m.data.decisions.is_empty() {
        blocks.push(Block::Heading(1, c.t("meeting.decisions")));
        blocks.extend(m.data.decisions.iter().cloned().map(Block::Bullet));
    }
    if !m.data.actions.is_empty() {
        blocks.push(Block::Heading(1, c.t("meeting.actions")));
        for a in &m.data.actions {
            let due = a.due_on.map(|d| c.date(&d)).unwrap_or_default();
            let line = action_line(&c, &a.text, &a.owner, &due, None);
            blocks.push(Block::Bullet(format!(
                "{line} [{}]",
                c.t(&format!("meeting.status.{}", a.status.code()))
            )));
        }
    }
    for (n, a) in appendices(state, viewer, &lists, m)
        .await?
        .iter()
        .enumerate()
    {
        blocks.push(Block::Heading(
            1,
            format!(
                "{}: {} {}",
                c.t_with("meeting.appendix_n", &[("n", &(n + 1).to_string())]),
                c.t("meeting.results_of"),
                a.title
            ),
        ));
        blocks.push(Block::Paragraph(a.lead.clone()));
        for q in &a.questions {
            blocks.push(Block::Heading(2, format!("{}. {}", q.number, q.text)));
            blocks.push(Block::Paragraph(q.answered.clone()));
            if let Some(chart) = &q.chart {
                let max = chart.rows.iter().map(|r| r.bar.value).fold(0.0, f64::max);
                for r in &chart.rows {
                    blocks.push(Block::Bar {
                        label: r.bar.label.clone(),
                        value: r.bar.value,
                        max,
                        shown: r.bar.shown.clone(),
                    });
                }
            }
            for (who, text) in &q.texts {
                blocks.push(Block::Bullet(if who.is_empty() {
                    text.clone()
                } else {
                    format!("{text} — {who}")
                }));
            }
            for (_, title, n) in &q.projects {
                blocks.push(Block::Bullet(format!("{title} ({n}×)")));
            }
        }
    }
    let workshops = crate::workshop::meeting_workshops(state, &c, m.id).await?;
    let surveys = m.data.appendices.len();
    for (n, w) in workshops
        .iter()
        .filter(|w| !w.themes.is_empty())
        .enumerate()
    {
        blocks.push(Block::Heading(
            1,
            format!(
                "{}: {} {}",
                c.t_with(
                    "meeting.appendix_n",
                    &[("n", &(surveys + n + 1).to_string())]
                ),
                c.t("workshop.appendix"),
                w.title
            ),
        ));
        let max = w.themes.iter().map(|t| t.dots).max().unwrap_or(0) as f64;
        for t in &w.themes {
            blocks.push(Block::Bar {
                label: t.name.clone(),
                value: t.dots as f64,
                max,
                shown: t.dots.to_string(),
            });
        }
        for t in w.themes.iter().filter(|t| !t.kinds.is_empty()) {
            blocks.push(Block::Heading(2, t.name.clone()));
            for (label, _, notes) in &t.kinds {
                for text in notes {
                    blocks.push(Block::Bullet(format!("{label}: {text}")));
                }
            }
        }
        for (group, questions) in &w.groups {
            blocks.push(Block::Heading(
                2,
                format!("{}: {group}", c.t("workshop.perspectives")),
            ));
            for (question, notes) in questions {
                blocks.push(Block::Paragraph(question.clone()));
                blocks.extend(notes.iter().cloned().map(Block::Bullet));
            }
        }
        if !w.together.is_empty() {
            blocks.push(Block::Heading(2, c.t("workshop.compare.results")));
            for (names, notes) in &w.together {
                blocks.push(Block::Paragraph(names.clone()));
                blocks.extend(notes.iter().cloned().map(Block::Bullet));
            }
        }
    }
    Ok(render(&m.data.title, &blocks))
}

/// An action in one line: what, who, by when, and (carried over) from which meeting.
fn action_line(c: &Chrome, text: &str, owner: &str, due: &str, from: Option<&String>) -> String {
    let mut line = text.to_string();
    if !owner.is_empty() {
        line = format!("{line} — {owner}");
    }
    if !due.is_empty() {
        line = format!("{line}, {} {due}", c.t("meeting.due"));
    }
    if let Some(from) = from {
        line = format!("{line} ({} {from})", c.t("meeting.from"));
    }
    line
}

/// A PDF as a response.
pub(super) fn pdf_response(bytes: Vec<u8>, file: &str) -> Response {
    crate::http::download::inline("application/pdf", file, bytes)
}

pub(super) async fn report_pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ViewMeetings)?;
    let m = state.store.meeting(id).await?;
    let bytes = report_bytes(&state, &viewer, &m).await?;
    Ok(pdf_response(bytes, &format!("verslag-{id}.pdf")))
}
