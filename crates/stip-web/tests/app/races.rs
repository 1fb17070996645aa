//! Races forced with barriers on the multi-threaded runtime (issue 29, defects 4–6): many saves
//! of one project at once, on two instances; an agenda activation while projects on the theme it
//! renames are created and patched; a concept edited at the moment it is activated. Never a 500;
//! a save that loses is merged (200), or a 409 that says what changed, or a 503 to try again.
//! Each test prints its numbers (`--nocapture`).

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use std::sync::Arc;
use stip_core::user::Role;
use tokio::sync::Barrier;

on_both!(
    many_saves_of_one_project_at_once_are_merged_or_refused_never_a_500 in "multi_thread",
    project_writes_during_an_activation_wait_for_it_and_end_up_mapped in "multi_thread",
    a_concept_edited_while_it_is_activated_is_activated_with_the_edit_or_refused in "multi_thread",
);

/// What the racing requests got.
#[derive(Debug, Default)]
struct Tally {
    saved: usize,
    /// Saved after merging with saves that came in between.
    merged: usize,
    conflicts: usize,
    busy: usize,
    /// Anything else: status and body.
    failures: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.saved += other.saved;
        self.merged += other.merged;
        self.conflicts += other.conflicts;
        self.busy += other.busy;
        self.failures.extend(other.failures);
    }

    /// A 503 is a problem+json that says when to try again; anything but these is a failure.
    fn busy_or_failure(&mut self, res: &TestResponse, what: &str) {
        if res.status == StatusCode::SERVICE_UNAVAILABLE && !res.header("retry-after").is_empty() {
            self.busy += 1;
        } else {
            self.failures
                .push(format!("{what}: {} {}", res.status, res.body));
        }
    }
}

/// The scenario: GET-then-PATCH loops of one project by many writers on two instances,
/// each patching one field (two writers per field, so some conflicts are real), and two people
/// saving the edit form. Every save that answers 200 is in the project (one version each), a
/// 409 names the writer's field, a 503 says when to try again, and nothing else is answered.
async fn many_saves_of_one_project_at_once_are_merged_or_refused_never_a_500() {
    const FIELDS: [&str; 6] = [
        "summary",
        "intended_result",
        "owner",
        "project_lead",
        "contact_person",
        "status_note",
    ];
    const WRITERS: usize = 12;
    const FORMS: usize = 2;
    const ROUNDS: usize = 6;
    let app = Arc::new(TestApp::demo().await);
    let other = Arc::new(app.another_instance().await);
    let id = app.project_of("25LN", "netwerk").await;
    let token = app.token(IM_HORIZON).await;
    let path = format!("/api/v1/projects/{id}");
    let reader = app.anonymous().with_bearer(&token);
    let before = reader.get(&path).await.json()["version"].as_i64().unwrap();
    let barrier = Arc::new(Barrier::new(WRITERS + FORMS));
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let instance = if w % 2 == 0 { &app } else { &other };
        let s = instance.anonymous().with_bearer(&token);
        let (barrier, path) = (barrier.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let field = FIELDS[w % FIELDS.len()];
            let mut t = Tally::default();
            barrier.wait().await;
            for round in 0..ROUNDS {
                let version = s.get(&path).await.json()["version"].as_i64().unwrap();
                let patch =
                    json!({"version": version, field: format!("schrijver {w}, ronde {round}")});
                let res = s.api(Method::PATCH, &path, Some(patch)).await;
                match res.status {
                    StatusCode::OK => {
                        t.saved += 1;
                        if res.json()["version"].as_i64().unwrap() > version + 1 {
                            t.merged += 1;
                        }
                    }
                    StatusCode::CONFLICT if res.json()["fields"] == json!([field]) => {
                        t.conflicts += 1
                    }
                    _ => t.busy_or_failure(&res, "PATCH"),
                }
            }
            t
        }));
    }
    for f in 0..FORMS {
        let instance = if f % 2 == 0 {
            app.clone()
        } else {
            other.clone()
        };
        let s = instance.session_of(IM_HORIZON).await;
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let mut t = Tally::default();
            barrier.wait().await;
            for round in 0..ROUNDS {
                let mut form = edit_form_of(&instance, id).await;
                set(&mut form, "title", &format!("Formulier {f}, ronde {round}"));
                let res = s
                    .post_form(&format!("/projecten/{id}"), &fields(&form))
                    .await;
                match res.status {
                    StatusCode::SEE_OTHER => {
                        t.saved += 1;
                        if res.location().contains("samengevoegd=1") {
                            t.merged += 1;
                        }
                    }
                    StatusCode::CONFLICT => t.conflicts += 1,
                    _ => t.busy_or_failure(&res, "form"),
                }
            }
            t
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        all.add(task.await.unwrap());
    }
    // The first instance reads the other's saves from the change log.
    app.store().follow_changes().await.unwrap();
    let after = reader.get(&path).await.json()["version"].as_i64().unwrap();
    eprintln!(
        "{:?}: {} saves, {} saved ({} merged with saves in between), {} conflicts (409), {} busy (503), {} failures",
        Backend::current(),
        (WRITERS + FORMS) * ROUNDS,
        all.saved,
        all.merged,
        all.conflicts,
        all.busy,
        all.failures.len()
    );
    assert!(all.failures.is_empty(), "{:#?}", all.failures);
    assert_eq!(
        after - before,
        all.saved as i64,
        "every save answered as saved is a version of the project"
    );
}

/// The scenario: a concept that renames a theme's code is activated on one instance
/// while, on the other, people create projects on the old code and patch only the status note
/// of projects on it. The activation and those writes take turns: each answers as if it came
/// a moment before or after the other: the activation 200, every create 201, every patch 200,
/// and every project ends on the new code with its primary theme valid.
async fn project_writes_during_an_activation_wait_for_it_and_end_up_mapped() {
    const ROUNDS: usize = 3;
    const CREATORS: usize = 4;
    const PATCHERS: usize = 4;
    let app = TestApp::demo().await;
    let other = app.another_instance().await;
    let beheerder = Arc::new(app.anonymous().with_bearer(&app.token(BEHEERDER).await));
    let im = app.token(IM_HORIZON).await;
    let mut all = Tally::default();
    let mut code = "llo".to_string();
    for round in 1..=ROUNDS {
        let new_code = format!("llo-{round}");
        // Both instances know everything written before the round; during it, the second one
        // learns nothing more (its lists still have the old code, as in the moment before it
        // follows the change log).
        app.store().follow_changes().await.unwrap();
        let a = app.anonymous().with_bearer(&im);
        let mut targets = Vec::new();
        for p in 0..PATCHERS {
            let made = a
                .api(
                    Method::POST,
                    "/api/v1/projects",
                    Some(
                        json!({"title": format!("Op het thema, {round}.{p}"), "phase": "idee",
                        "themes": [code, "innovatie"], "visibility": "netwerk"}),
                    ),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
            targets.push(made.json()["id"].as_i64().unwrap());
        }
        other.store().follow_changes().await.unwrap();
        let concept = beheerder
            .api(
                Method::POST,
                "/api/v1/agendas",
                Some(json!({"name": format!("Agenda {round}")})),
            )
            .await
            .json();
        let agenda = concept["id"].as_i64().unwrap();
        let mut content = json!({"name": concept["name"], "main_lines": concept["main_lines"],
            "themes": concept["themes"]});
        for t in content["themes"].as_array_mut().unwrap() {
            if t["code"] == json!(code) {
                t["code"] = json!(new_code);
            }
        }
        let saved = beheerder
            .api(
                Method::PUT,
                &format!("/api/v1/agendas/{agenda}"),
                Some(content),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

        let barrier = Arc::new(Barrier::new(1 + CREATORS + PATCHERS));
        let mut tasks = Vec::new();
        {
            let (barrier, beheerder) = (barrier.clone(), beheerder.clone());
            let mapping = json!({"mapping": {code.clone(): [new_code.clone()]}});
            tasks.push(tokio::spawn(async move {
                let mut t = Tally::default();
                barrier.wait().await;
                let res = beheerder
                    .api(
                        Method::POST,
                        &format!("/api/v1/agendas/{agenda}/activate"),
                        Some(mapping),
                    )
                    .await;
                if res.status != StatusCode::OK {
                    t.failures
                        .push(format!("activate: {} {}", res.status, res.body));
                }
                (t, Vec::new())
            }));
        }
        for c in 0..CREATORS {
            let s = other.anonymous().with_bearer(&im);
            let (barrier, code) = (barrier.clone(), code.clone());
            tasks.push(tokio::spawn(async move {
                let mut t = Tally::default();
                let mut made = Vec::new();
                barrier.wait().await;
                for n in 0..2 {
                    let res = s
                        .api(
                            Method::POST,
                            "/api/v1/projects",
                            Some(json!({"title": format!("Nieuw tijdens activering {c}.{n}"),
                                "phase": "idee", "themes": [code], "visibility": "netwerk"})),
                        )
                        .await;
                    if res.status == StatusCode::CREATED {
                        t.saved += 1;
                        made.push(res.json()["id"].as_i64().unwrap());
                    } else {
                        t.failures
                            .push(format!("create: {} {}", res.status, res.body));
                    }
                }
                (t, made)
            }));
        }
        for (p, &target) in targets.iter().enumerate() {
            let instance = if p % 2 == 0 { &app } else { &other };
            let s = instance.anonymous().with_bearer(&im);
            let path = format!("/api/v1/projects/{target}");
            let version = s.get(&path).await.json()["version"].as_i64().unwrap();
            let barrier = barrier.clone();
            tasks.push(tokio::spawn(async move {
                let mut t = Tally::default();
                barrier.wait().await;
                let mut version = version;
                for n in 0..2 {
                    let note = format!("Stand {n}");
                    let res = s
                        .api(
                            Method::PATCH,
                            &path,
                            Some(json!({"version": version, "status_note": note})),
                        )
                        .await;
                    if res.status == StatusCode::OK {
                        t.saved += 1;
                        let p = res.json();
                        if p["version"].as_i64().unwrap() > version + 1 {
                            t.merged += 1;
                        }
                        version = p["version"].as_i64().unwrap();
                    } else {
                        t.failures
                            .push(format!("patch: {} {}", res.status, res.body));
                        version = s.get(&path).await.json()["version"].as_i64().unwrap();
                    }
                }
                (t, vec![target])
            }));
        }
        let mut written = Vec::new();
        for task in tasks {
            let (t, ids) = task.await.unwrap();
            all.add(t);
            written.extend(ids);
        }
        assert!(
            all.failures.is_empty(),
            "round {round}: {:#?}",
            all.failures
        );

        // Every project written during the round is on the new code, and no project has a
        // primary theme other than its first theme.
        app.store().follow_changes().await.unwrap();
        for id in &written {
            let p = beheerder
                .get(&format!("/api/v1/projects/{id}"))
                .await
                .json();
            assert_eq!(p["themes"][0], json!(new_code), "{p}");
        }
        for target in &targets {
            let p = beheerder
                .get(&format!("/api/v1/projects/{target}"))
                .await
                .json();
            assert_eq!(p["status_note"], "Stand 1", "no patch is lost: {p}");
        }
        let mismatched = stip_store::testing::scalar(
            app.store(),
            "SELECT COUNT(*) FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_themes pt
             WHERE pt.project_id = p.id AND pt.position = 0 AND pt.theme_id = p.primary_theme_id)",
        )
        .await
        .unwrap();
        assert_eq!(
            mismatched, 0,
            "every primary theme is the project's first theme"
        );
        code = new_code;
    }
    eprintln!(
        "{:?}: {ROUNDS} activations, each with {CREATORS}×2 creates and {PATCHERS}×2 patches: {} written ({} patches merged with the activation), {} failures",
        Backend::current(),
        all.saved,
        all.merged,
        all.failures.len()
    );
    assert!(all.failures.is_empty(), "{:#?}", all.failures);
}

/// The scenario: `PUT /api/v1/agendas/{id}` and `POST …/activate` at the same moment.
/// The PUT that answers 200 is in the activated version; otherwise it is a 409.
async fn a_concept_edited_while_it_is_activated_is_activated_with_the_edit_or_refused() {
    const ROUNDS: usize = 12;
    let app = TestApp::new().await;
    let beheerder = Arc::new(app.session(Role::Beheerder).await);
    let (mut edited, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let concept = beheerder
            .api(
                Method::POST,
                "/api/v1/agendas",
                Some(json!({"name": format!("Concept {round}")})),
            )
            .await
            .json();
        let id = concept["id"].as_i64().unwrap();
        let name = format!("Bewerkt {round}");
        let theme_name = format!("Leven lang ontwikkelen ({round})");
        let mut themes = concept["themes"].clone();
        themes[0]["name"] = json!(theme_name);
        let content = json!({"name": name, "main_lines": concept["main_lines"], "themes": themes});
        let barrier = Arc::new(Barrier::new(2));
        let put = {
            let (barrier, s) = (barrier.clone(), beheerder.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                s.api(Method::PUT, &format!("/api/v1/agendas/{id}"), Some(content))
                    .await
            })
        };
        let activate = {
            let (barrier, s) = (barrier.clone(), beheerder.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                s.api(
                    Method::POST,
                    &format!("/api/v1/agendas/{id}/activate"),
                    Some(json!({"mapping": {}})),
                )
                .await
            })
        };
        let (put, activate) = (put.await.unwrap(), activate.await.unwrap());
        assert_eq!(activate.status, StatusCode::OK, "{}", activate.body);
        let active = beheerder.get(&format!("/api/v1/agendas/{id}")).await.json();
        assert_eq!(active["status"], "actief");
        let has_edit =
            active["name"] == json!(name) && active["themes"][0]["name"] == json!(theme_name);
        match put.status {
            StatusCode::OK if has_edit => edited += 1,
            StatusCode::CONFLICT => {
                refused += 1;
                assert_eq!(active["name"], json!(format!("Concept {round}")));
            }
            other => failures.push(format!(
                "round {round}: PUT {other}, activated version has the edit: {has_edit}"
            )),
        }
    }
    eprintln!(
        "{:?}: {ROUNDS} rounds: {edited} edits activated, {refused} refused (409), {} lost",
        Backend::current(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
