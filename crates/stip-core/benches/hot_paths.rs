//! In-process hot paths of a project save and of loading demo data: parsing a full project form,
//! the change history between two versions, generating the L-scale demo portfolio, and counting
//! it for the insight pages.
//! Run with `cargo bench -p stip-core`; HTTP load is measured by `bench/run`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeMap;
use std::hint::black_box;
use stip_core::agenda::default_agenda;
use stip_core::portfolio::{ProjectData, ProjectInput, References, diff};
use stip_core::prioritisation::selection::{Candidate, Problem, frontier, select};

/// A project form with every field filled, as an information manager saves it.
fn full_input(agenda: &stip_core::agenda::DefaultAgenda) -> ProjectInput {
    let description = "Wij bouwen een dashboard voor studievoortgang dat docenten en \
        studieloopbaanbegeleiders wekelijks gebruiken. **Doel**: eerder signaleren van uitval.\n\n"
        .repeat(20);
    ProjectInput {
        title: "Dashboard studievoortgang voor alle opleidingen".into(),
        summary: "Eén overzicht van voortgang, aanwezigheid en resultaten per student.".into(),
        description,
        intended_result: "Minder uitval en betere informatie voor docenten.".into(),
        owner: "College van bestuur".into(),
        project_lead: "Karin den Heijer".into(),
        contact_person: "Jan de Vries".into(),
        phase: "uitvoering".into(),
        status: "oranje".into(),
        status_note: "Vertraging door leverancier; nieuwe planning volgt.".into(),
        start_date: "2025-01-15".into(),
        end_date: "31-12-2026".into(),
        budget: "125.000,50".into(),
        effort: "1,5".into(),
        effort_unit: "fte".into(),
        horizon: "middellang".into(),
        character: "verbeteren".into(),
        perspective_strategic_operational: "2".into(),
        perspective_ict_business: "4".into(),
        primary_theme: agenda.themes[0].code.clone(),
        themes: agenda.themes[1..3].iter().map(|t| t.code.clone()).collect(),
        drivers: agenda.drivers.iter().map(|d| d.code.clone()).collect(),
        mora_areas: vec!["onderwijs-uitvoeren".into(), "bedrijfsvoering-hrm".into()],
        scores: agenda
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), (1 + i % 5).to_string()))
            .collect::<BTreeMap<_, _>>(),
        visibility: "netwerk".into(),
        shareable: true,
        case_summary: "Een voorbeeld voor andere instellingen.".into(),
        links: "https://example.org/dashboard\nhttps://example.org/plan".into(),
    }
}

fn benches(c: &mut Criterion) {
    let agenda = default_agenda();
    let themes: Vec<&str> = agenda.themes.iter().map(|t| t.code.as_str()).collect();
    let drivers: Vec<&str> = agenda.drivers.iter().map(|d| d.code.as_str()).collect();
    let criteria: Vec<&str> = agenda.criteria.iter().map(|c| c.code.as_str()).collect();
    let areas = stip_core::mora::default_areas();
    let mora_areas: Vec<&str> = areas.iter().map(|a| a.code.as_str()).collect();
    let refs = References {
        themes: &themes,
        drivers: &drivers,
        mora_areas: &mora_areas,
        criteria: &criteria,
    };
    let input = full_input(&agenda);

    c.bench_function("ProjectData::parse (full input)", |b| {
        b.iter(|| ProjectData::parse(black_box(&input), &refs).expect("valid input"))
    });

    let old = ProjectData::parse(&input, &refs).expect("valid input");
    let mut changed_input = input.clone();
    changed_input.title.push_str(" (herzien)");
    changed_input.status = "groen".into();
    changed_input.status_note = "Weer op schema.".into();
    changed_input.budget = "130.000".into();
    let new = ProjectData::parse(&changed_input, &refs).expect("valid input");
    c.bench_function("portfolio::diff (4 of 25 fields changed)", |b| {
        b.iter(|| diff(black_box(&old), black_box(&new)))
    });

    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    group.bench_function("generate(60, 250, 1) = 15,000 projects", |b| {
        b.iter(|| stip_core::demo::generate(black_box(60), black_box(250), 1))
    });
    // What a filtered insight view costs the first time after a save (issue 11): counting the
    // L portfolio afresh; after that it is kept until the next write.
    let demo = stip_core::demo::generate(60, 250, 1);
    group.bench_function("insight::Tally of 15,000 projects, counted afresh", |b| {
        b.iter(|| {
            let mut t = stip_core::insight::Tally::default();
            for p in &demo.projects {
                t.add(p.institution as i64, black_box(&p.data), None);
            }
            t
        })
    });
    group.finish();

    // Prioritising (issue 12): the best selection of 500 candidates (the issue's "a few
    // hundred"), as the demo scores them, with a budget cap of 30 % of their budgets, 25
    // requirements and, in the second, an FTE cap of 30 % too; and the frontier of 20 levels.
    let weights = stip_core::prioritisation::weights(&criteria_of(&agenda), &Default::default());
    let candidates: Vec<Candidate> = demo
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| Candidate {
            id: i as i64,
            value: stip_core::prioritisation::score(&p.data.scores, &weights)
                .score
                .map(|s| s.0),
            cost: p.data.budget.map(|b| b.0),
            fte: p.data.effort.map(|e| e.amount.0),
        })
        .filter(|c| c.value.is_some() && c.cost.is_some() && c.fte.is_some())
        .take(500)
        .collect();
    let total_cost: i64 = candidates.iter().filter_map(|c| c.cost).sum();
    let total_fte: i64 = candidates.iter().filter_map(|c| c.fte).sum();
    let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
    let budget_only = Problem {
        budget_cap: total_cost * 3 / 10,
        requires: (0..25).map(|k| (ids[k * 7], ids[k * 11 + 3])).collect(),
        candidates,
        ..Problem::default()
    };
    let with_fte = Problem {
        fte_cap: Some(total_fte * 3 / 10),
        ..budget_only.clone()
    };
    let mut group = c.benchmark_group("prioritisation");
    group.sample_size(20);
    group.bench_function("select: 500 candidates, budget cap", |b| {
        b.iter(|| select(black_box(&budget_only)).expect("feasible"))
    });
    group.bench_function("select: 500 candidates, budget and FTE caps", |b| {
        b.iter(|| select(black_box(&with_fte)).expect("feasible"))
    });
    group.bench_function("frontier: 500 candidates, 20 levels", |b| {
        b.iter(|| frontier(black_box(&budget_only), 20).expect("feasible"))
    });
    group.finish();
}

/// The default criteria as stored ones.
fn criteria_of(agenda: &stip_core::agenda::DefaultAgenda) -> Vec<stip_core::agenda::Criterion> {
    agenda
        .criteria
        .iter()
        .map(|data| stip_core::agenda::Criterion {
            id: 0,
            data: data.clone(),
            version: 1,
        })
        .collect()
}

criterion_group!(hot_paths, benches);
criterion_main!(hot_paths);
