//! The store's conformance story: every test runs on SQLite and on PostgreSQL.

use std::collections::BTreeMap;
use stip_core::access::ProjectScope;
use stip_core::agenda::default_agenda;
use stip_core::demo;
use stip_core::institution::{BrinCode, InstitutionData};
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Version};
use stip_store::portfolio::{Editor, Saved};
use stip_store::testing::TestDb;
use stip_store::{Store, StoreError};

on_both!(
    a_fresh_store_is_empty_and_takes_the_default_agenda,
    demo_data_loads_with_every_link,
    a_project_reads_back_as_it_was_saved,
    saving_bumps_the_version_and_records_who_changed_what,
    a_stale_save_is_a_conflict_and_writes_nothing,
    the_list_filters_each_field_and_counts_the_total,
    the_list_respects_visibility_scope,
    the_list_sorts_and_pages,
    brin_codes_and_emails_are_unique,
    sessions_and_tokens_find_their_user,
    deleting_a_project_removes_it_and_its_history,
    saves_made_while_the_read_model_reloads_are_kept in "multi_thread",
    saves_and_deletes_of_one_project_at_the_same_time_never_fail in "multi_thread",
    a_text_saved_again_with_windows_line_endings_is_no_change,
    history_keeps_values_and_the_visibility_of_each_version,
    history_rows_in_the_old_display_format_become_values,
    a_login_address_with_a_control_character_finds_no_account,
    the_mora_areas_ship_in_the_architectures_order,
    the_mora_filter_on_a_main_area_finds_its_sub_areas_too,
    mora_areas_are_edited_and_one_in_use_is_not_deleted,
    a_reopened_store_shows_what_was_saved,
);

fn editor() -> Editor {
    Editor {
        user_id: None,
        name: "Karin".into(),
    }
}

async fn with_agenda(store: &Store) {
    store.load_agenda(&default_agenda()).await.unwrap();
}

async fn institution(store: &Store, brin: &str, name: &str) -> i64 {
    store
        .create_institution(&InstitutionData {
            brin: BrinCode::parse(brin).unwrap(),
            name: name.into(),
            short_name: name.into(),
            region: String::new(),
            students: None,
            domains: vec![],
        })
        .await
        .unwrap()
}

fn data(title: &str) -> ProjectData {
    ProjectData {
        title: title.into(),
        summary: String::new(),
        description: String::new(),
        intended_result: String::new(),
        owner: String::new(),
        project_lead: String::new(),
        contact_person: String::new(),
        phase: Phase::Idee,
        status: Some(Status::Groen),
        status_note: String::new(),
        start_date: None,
        end_date: None,
        budget: None,
        effort: None,
        horizon: None,
        character: None,
        perspective: Perspective::default(),
        themes: vec!["llo".into()],
        drivers: vec![],
        mora_areas: vec![],
        scores: BTreeMap::new(),
        visibility: Visibility::Netwerk,
        shareable: false,
        case_summary: String::new(),
        links: vec![],
    }
}

fn text(t: &str) -> HistoryValue {
    HistoryValue::Text(t.into())
}

fn code(c: &str) -> HistoryValue {
    HistoryValue::Code(c.into())
}

fn list(filter: ProjectFilter) -> ListRequest {
    ListRequest {
        filter,
        sort: Sort::default(),
        page: 1,
        per_page: 50,
    }
}

async fn titles(store: &Store, req: &ListRequest, scope: ProjectScope) -> Vec<String> {
    store
        .list_projects(req, scope)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.data.title.clone())
        .collect()
}

async fn a_fresh_store_is_empty_and_takes_the_default_agenda() {
    let db = TestDb::current().await;
    let store = &db.store;
    assert!(store.is_empty().await.unwrap());
    assert!(store.ping().await);
    with_agenda(store).await;
    assert_eq!(store.main_lines().await.unwrap().len(), 3);
    let themes = store.themes().await.unwrap();
    assert_eq!(themes.len(), 8);
    assert_eq!(themes[0].data.main_line.as_deref(), Some("inhoud"));
    assert_eq!(
        themes[7].data.main_line, None,
        "Innovatie runs across all main lines"
    );
    assert_eq!(store.policy_drivers().await.unwrap().len(), 3);
    assert_eq!(store.criteria().await.unwrap().len(), 5);
}

async fn demo_data_loads_with_every_link() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let generated = demo::generate(9, 12, 1);
    let ids = store.load_demo(&generated, "Demo").await.unwrap();
    assert_eq!(ids.len(), 9);
    let page = store
        .list_projects(&list(ProjectFilter::default()), ProjectScope::All)
        .await
        .unwrap();
    assert_eq!(page.total, 108);
    // Every generated project comes back whole: compare them as sets of data.
    let mut stored = Vec::new();
    for p in 1..=3 {
        let req = ListRequest {
            filter: ProjectFilter::default(),
            sort: Sort::default(),
            page: p,
            per_page: 50,
        };
        stored.extend(
            store
                .list_projects(&req, ProjectScope::All)
                .await
                .unwrap()
                .items,
        );
    }
    assert_eq!(stored.len(), 108);
    for g in &generated.projects {
        let inst = &generated.institutions[g.institution];
        assert!(
            stored
                .iter()
                .any(|s| s.data == g.data && s.institution_brin == inst.brin),
            "demo project '{}' was not stored whole",
            g.data.title
        );
    }
    let horizon = store
        .institution_by_brin(&BrinCode::parse("25LN").unwrap())
        .await
        .unwrap();
    assert_eq!(horizon.data.name, "Horizon College");
}

async fn a_project_reads_back_as_it_was_saved() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let mut d = data("Dashboard studiesucces");
    d.summary = "Inzicht in uitval".into();
    d.description = "## Doel\n\nMinder uitval.".into();
    d.phase = Phase::Uitvoering;
    d.status = Some(Status::Oranje);
    d.start_date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1);
    d.end_date = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
    d.budget = Some(stip_core::number::Hundredths(1_250_050));
    d.effort = Some(Effort {
        amount: stip_core::number::Hundredths(150),
        unit: EffortUnit::Fte,
    });
    d.horizon = Some(Horizon::Middellang);
    d.character = Some(Character::Innoveren);
    d.perspective = Perspective {
        strategic_operational: Some(2),
        ict_business: Some(5),
    };
    d.themes = vec!["data-ondersteund-onderwijs".into(), "llo".into()];
    d.drivers = vec!["krimp".into()];
    d.mora_areas = vec!["bedrijfsvoering-hrm".into(), "onderwijs-uitvoeren".into()];
    d.scores = BTreeMap::from([("urgentie".to_string(), 4), ("risico".to_string(), 2)]);
    d.visibility = Visibility::Openbaar;
    d.shareable = true;
    d.case_summary = "Goed voorbeeld".into();
    d.links = vec!["https://example.org/dashboard".into()];
    let p = store.create_project(inst, &d, &editor()).await.unwrap();
    assert_eq!(p.version, 1);
    assert_eq!(p.institution_brin.as_str(), "25LN");
    let again = store.project(p.id).await.unwrap();
    assert_eq!(again.data, d);
    assert_eq!(store.project_history(p.id).await.unwrap().len(), 1);
}

async fn saving_bumps_the_version_and_records_who_changed_what() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let p = store
        .create_project(inst, &data("Eerste titel"), &editor())
        .await
        .unwrap();
    let mut d = p.data.clone();
    d.title = "Tweede titel".into();
    d.status = Some(Status::Rood);
    let Saved::Saved(saved) = store
        .update_project(
            p.id,
            stip_core::Version(1),
            &d,
            &Editor {
                user_id: None,
                name: "Maaike".into(),
            },
        )
        .await
        .unwrap()
    else {
        panic!("expected the save to succeed");
    };
    assert_eq!(saved.version, 2);
    assert_eq!(saved.data.title, "Tweede titel");
    let history = store.project_history(p.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].version, 2);
    assert_eq!(history[0].user_name, "Maaike");
    let fields: Vec<_> = history[0]
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.clone(), c.new.clone()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("title", text("Eerste titel"), text("Tweede titel")),
            ("status", code("groen"), code("rood"))
        ]
    );
}

async fn a_stale_save_is_a_conflict_and_writes_nothing() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let p = store
        .create_project(inst, &data("Origineel"), &editor())
        .await
        .unwrap();
    let mut first = p.data.clone();
    first.title = "Door Karin".into();
    assert!(matches!(
        store
            .update_project(p.id, stip_core::Version(1), &first, &editor())
            .await
            .unwrap(),
        Saved::Saved(_)
    ));
    let mut second = p.data.clone();
    second.title = "Door Jan".into();
    match store
        .update_project(p.id, stip_core::Version(1), &second, &editor())
        .await
        .unwrap()
    {
        Saved::Conflict { current, since } => {
            assert_eq!(current.data.title, "Door Karin");
            assert_eq!(since.len(), 1);
            assert_eq!(since[0].changes[0].new, text("Door Karin"));
        }
        Saved::Saved(_) => panic!("a save from a stale version must not overwrite"),
    }
    assert_eq!(store.project(p.id).await.unwrap().data.title, "Door Karin");
    assert_eq!(store.project_history(p.id).await.unwrap().len(), 2);
}

async fn the_list_filters_each_field_and_counts_the_total() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let horizon = institution(store, "25LN", "Horizon College").await;
    let davinci = institution(store, "25LK", "DaVinci College").await;
    let mut a = data("Dashboard studiesucces");
    a.themes = vec!["data-ondersteund-onderwijs".into()];
    a.phase = Phase::Uitvoering;
    a.status = Some(Status::Rood);
    a.character = Some(Character::Innoveren);
    a.horizon = Some(Horizon::Kort);
    a.perspective = Perspective {
        strategic_operational: Some(1),
        ict_business: Some(5),
    };
    a.drivers = vec!["krimp".into()];
    store.create_project(horizon, &a, &editor()).await.unwrap();
    let mut b = data("Flexibel roosteren");
    b.summary = "Met het 100% nieuwe rooster_systeem".into();
    b.themes = vec![
        "onderwijslogistiek".into(),
        "data-ondersteund-onderwijs".into(),
    ];
    store.create_project(davinci, &b, &editor()).await.unwrap();
    store
        .create_project(davinci, &data("Microcredentials"), &editor())
        .await
        .unwrap();

    let all = store
        .list_projects(&list(ProjectFilter::default()), ProjectScope::All)
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    // As typed in the URL of the list.
    let cases: &[(&str, &[&str])] = &[
        ("institution=25LN", &["Dashboard studiesucces"]),
        (
            "theme=data-ondersteund-onderwijs",
            &["Flexibel roosteren", "Dashboard studiesucces"],
        ),
        ("phase=uitvoering", &["Dashboard studiesucces"]),
        ("status=rood", &["Dashboard studiesucces"]),
        ("character=innoveren", &["Dashboard studiesucces"]),
        ("horizon=kort", &["Dashboard studiesucces"]),
        ("perspective=business", &["Dashboard studiesucces"]),
        ("perspective=ict", &[]),
        ("driver=krimp", &["Dashboard studiesucces"]),
        ("q=DASHBOARD", &["Dashboard studiesucces"]),
        // What a user types is matched literally, wildcards included.
        ("q=100%25", &["Flexibel roosteren"]),
        ("q=e_r", &[]),
        ("q=rooster_sys", &["Flexibel roosteren"]),
        (
            "theme=data-ondersteund-onderwijs&status=rood",
            &["Dashboard studiesucces"],
        ),
    ];
    for (query, expected) in cases {
        let q: ListQuery = serde_urlencoded::from_str(query).unwrap();
        let mut got = titles(store, &q.parse().unwrap(), ProjectScope::All).await;
        got.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(got, expected, "{query}");
    }
}

async fn the_list_respects_visibility_scope() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let horizon = institution(store, "25LN", "Horizon College").await;
    let davinci = institution(store, "25LK", "DaVinci College").await;
    for (title, vis) in [
        ("Eigen", Visibility::Instelling),
        ("Netwerk", Visibility::Netwerk),
        ("Openbaar", Visibility::Openbaar),
    ] {
        let mut d = data(title);
        d.visibility = vis;
        store.create_project(horizon, &d, &editor()).await.unwrap();
    }
    let req = list(ProjectFilter::default());
    let sorted = async |scope| {
        let mut t = titles(store, &req, scope).await;
        t.sort();
        t
    };
    assert_eq!(sorted(ProjectScope::Public).await, vec!["Openbaar"]);
    assert_eq!(
        sorted(ProjectScope::Network {
            own_institution: Some(davinci)
        })
        .await,
        vec!["Netwerk", "Openbaar"]
    );
    assert_eq!(
        sorted(ProjectScope::Network {
            own_institution: None
        })
        .await,
        vec!["Netwerk", "Openbaar"]
    );
    assert_eq!(
        sorted(ProjectScope::Network {
            own_institution: Some(horizon)
        })
        .await,
        vec!["Eigen", "Netwerk", "Openbaar"]
    );
    assert_eq!(
        sorted(ProjectScope::All).await,
        vec!["Eigen", "Netwerk", "Openbaar"]
    );
}

async fn the_list_sorts_and_pages() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    for (title, budget) in [
        ("bravo", Some(300)),
        ("alfa", None),
        ("charlie", Some(100)),
        ("delta", Some(200)),
    ] {
        let mut d = data(title);
        d.budget = budget.map(stip_core::number::Hundredths);
        store.create_project(inst, &d, &editor()).await.unwrap();
    }
    let req = |sort: &str, page, per_page| ListRequest {
        filter: ProjectFilter::default(),
        sort: Sort::parse(sort).unwrap(),
        page,
        per_page,
    };
    assert_eq!(
        titles(store, &req("title", 1, 50), ProjectScope::All).await,
        vec!["alfa", "bravo", "charlie", "delta"]
    );
    assert_eq!(
        titles(store, &req("-title", 1, 50), ProjectScope::All).await,
        vec!["delta", "charlie", "bravo", "alfa"]
    );
    assert_eq!(
        titles(store, &req("budget", 1, 50), ProjectScope::All).await,
        vec!["charlie", "delta", "bravo", "alfa"]
    );
    assert_eq!(
        titles(store, &req("-budget", 1, 50), ProjectScope::All).await,
        vec!["bravo", "delta", "charlie", "alfa"]
    );
    let page2 = store
        .list_projects(&req("title", 2, 3), ProjectScope::All)
        .await
        .unwrap();
    assert_eq!(page2.total, 4);
    assert_eq!(page2.page_count(), 2);
    assert_eq!(
        page2
            .items
            .iter()
            .map(|p| p.data.title.as_str())
            .collect::<Vec<_>>(),
        vec!["delta"]
    );
}

async fn brin_codes_and_emails_are_unique() {
    let db = TestDb::current().await;
    let store = &db.store;
    institution(store, "25LN", "Horizon College").await;
    let again = store
        .create_institution(&InstitutionData {
            brin: BrinCode::parse("25LN").unwrap(),
            name: "Ander".into(),
            short_name: "Ander".into(),
            region: String::new(),
            students: None,
            domains: vec![],
        })
        .await;
    match again {
        Err(StoreError::Invalid(e)) => assert_eq!(e.for_field("brin"), Some(&ErrorCode::Taken)),
        other => panic!("expected 'taken', got {other:?}"),
    }
    let email = stip_core::user::Email::parse("a@b.nl").unwrap();
    let user = stip_store::user::UserData {
        email: &email,
        name: "A",
        role: stip_core::user::Role::Lezer,
        institution_id: None,
        active: true,
    };
    store.create_user(&user, "hash").await.unwrap();
    match store.create_user(&user, "hash").await {
        Err(StoreError::Invalid(e)) => assert_eq!(e.for_field("email"), Some(&ErrorCode::Taken)),
        other => panic!("expected 'taken', got {other:?}"),
    }
    // An UPDATE runs into the constraint as an INSERT does, named by the same field.
    let other = institution(store, "30DA", "Da Vinci College").await;
    let mut renamed = store.institution(other).await.unwrap().data;
    renamed.brin = BrinCode::parse("25LN").unwrap();
    match store
        .update_institution(other, stip_core::Version(1), &renamed)
        .await
    {
        Err(StoreError::Invalid(e)) => assert_eq!(e.for_field("brin"), Some(&ErrorCode::Taken)),
        other => panic!("expected 'taken', got {other:?}"),
    }
    let driver = stip_core::agenda::PolicyDriverData {
        code: "krimp".into(),
        name: "Krimp".into(),
    };
    store.create_policy_driver(&driver).await.unwrap();
    match store.create_policy_driver(&driver).await {
        Err(StoreError::Invalid(e)) => assert_eq!(e.for_field("code"), Some(&ErrorCode::Taken)),
        other => panic!("expected 'taken', got {other:?}"),
    }
}

async fn sessions_and_tokens_find_their_user() {
    let db = TestDb::current().await;
    let store = &db.store;
    let email = stip_core::user::Email::parse("im@horizon.nl").unwrap();
    let user = stip_store::user::UserData {
        email: &email,
        name: "Karin",
        role: stip_core::user::Role::Informatiemanager,
        institution_id: None,
        active: true,
    };
    let id = store.create_user(&user, "hash").await.unwrap();
    store
        .create_session("live", id, "csrf1", "2999-01-01T00:00:00Z")
        .await
        .unwrap();
    store
        .create_session("old", id, "csrf2", "2000-01-01T00:00:00Z")
        .await
        .unwrap();
    let (u, csrf) = store.session_user("live").await.unwrap().unwrap();
    assert_eq!((u.name.as_str(), csrf.as_str()), ("Karin", "csrf1"));
    assert!(
        store.session_user("old").await.unwrap().is_none(),
        "an expired session is no session"
    );
    store.delete_session("live").await.unwrap();
    assert!(store.session_user("live").await.unwrap().is_none());
    store.create_api_token("tok", id).await.unwrap();
    assert_eq!(store.api_token_user("tok").await.unwrap().unwrap().id, id);
    assert!(store.api_token_user("nope").await.unwrap().is_none());
}

async fn deleting_a_project_removes_it_and_its_history() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let p = store
        .create_project(inst, &data("Weg ermee"), &editor())
        .await
        .unwrap();
    store.delete_project(p.id).await.unwrap();
    assert!(matches!(
        store.project(p.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.project_history(p.id).await.unwrap().is_empty());
    assert!(matches!(
        store.delete_project(p.id).await,
        Err(StoreError::NotFound)
    ));
    // The deleted project was the newest; its address must not come to show another project.
    let next = store
        .create_project(inst, &data("Nieuw"), &editor())
        .await
        .unwrap();
    assert!(
        next.id > p.id,
        "a deleted project's id {} was given to a new one ({})",
        p.id,
        next.id
    );
    assert!(matches!(
        store.project(p.id).await,
        Err(StoreError::NotFound)
    ));
}

/// An institution renamed (which reloads the read model, as projects show its name) while
/// projects are saved: every save is still in the read model afterwards, with the new name.
async fn saves_made_while_the_read_model_reloads_are_kept() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let p = store
            .create_project(inst, &data(&format!("Project {i}")), &editor())
            .await
            .unwrap();
        ids.push(p.id);
    }
    let renames = {
        let store = store.clone();
        tokio::spawn(async move {
            for round in 1..=30i64 {
                let current = store.institution(inst).await.unwrap();
                let mut d = current.data.clone();
                d.name = format!("Horizon College {round}");
                assert!(
                    store
                        .update_institution(inst, stip_core::Version(current.version), &d)
                        .await
                        .unwrap()
                );
                tokio::task::yield_now().await;
            }
        })
    };
    for id in &ids {
        let mut d = data("Bijgewerkt");
        d.summary = format!("Opgeslagen tijdens het herladen ({id})");
        let saved = store
            .update_project(*id, stip_core::Version(1), &d, &editor())
            .await
            .unwrap();
        assert!(matches!(saved, Saved::Saved(_)));
        tokio::task::yield_now().await;
    }
    renames.await.unwrap();
    for id in &ids {
        let p = store.project(*id).await.unwrap();
        assert_eq!(
            (
                p.version,
                p.data.title.as_str(),
                p.institution_name.as_str()
            ),
            (2, "Bijgewerkt", "Horizon College 30"),
            "project {id} in the read model"
        );
    }
}

/// A save and a delete of one project at the same moment, many times over, each on a fresh
/// project: whichever comes first wins, the other finds the project saved, changed or gone;
/// neither ever fails with a database error (on PostgreSQL they once deadlocked: the save
/// locked the project before its links, the delete the other way round).
async fn saves_and_deletes_of_one_project_at_the_same_time_never_fail() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let mut d = data("Samen");
    d.themes = vec!["llo".into(), "innovatie".into()];
    d.drivers = vec!["krimp".into()];
    d.scores.insert("urgentie".into(), 3);
    let mut changed = d.clone();
    changed.title = "Gewijzigd".into();
    changed.themes = vec!["innovatie".into(), "leermiddelen".into()];
    changed.drivers = vec!["diversiteit".into()];
    changed.scores.insert("risico".into(), 2);
    for _ in 0..40 {
        let p = store.create_project(inst, &d, &editor()).await.unwrap();
        let save = {
            let (store, changed) = (store.clone(), changed.clone());
            tokio::spawn(async move {
                store
                    .update_project(p.id, stip_core::Version(1), &changed, &editor())
                    .await
            })
        };
        let delete = {
            let store = store.clone();
            tokio::spawn(async move { store.delete_project(p.id).await })
        };
        match save.await.unwrap() {
            Ok(Saved::Saved(_) | Saved::Conflict { .. }) | Err(StoreError::NotFound) => {}
            Err(e) => panic!("saving while deleting failed: {e}"),
        }
        match delete.await.unwrap() {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => panic!("deleting while saving failed: {e}"),
        }
        assert!(matches!(
            store.project(p.id).await,
            Err(StoreError::NotFound)
        ));
    }
}

/// A text typed again with Windows line endings and trailing spaces is the same text: saving it
/// records no history entry and keeps the version.
async fn a_text_saved_again_with_windows_line_endings_is_no_change() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let refs = References {
        themes: &["llo"],
        drivers: &[],
        mora_areas: &[],
        criteria: &[],
    };
    let typed = |description: &str| ProjectInput {
        title: "Regels".into(),
        description: description.into(),
        phase: "idee".into(),
        status: "groen".into(),
        primary_theme: "llo".into(),
        ..Default::default()
    };
    let first = ProjectData::parse(&typed("Eerste regel\nTweede regel"), &refs).unwrap();
    let p = store.create_project(inst, &first, &editor()).await.unwrap();
    let again = ProjectData::parse(&typed("Eerste regel  \r\nTweede regel\r\n"), &refs).unwrap();
    let Saved::Saved(saved) = store
        .update_project(p.id, stip_core::Version(1), &again, &editor())
        .await
        .unwrap()
    else {
        panic!("an unchanged project saves");
    };
    assert_eq!(saved.version, 1);
    assert_eq!(store.project_history(p.id).await.unwrap().len(), 1);
}

/// History rows keep typed values (a budget as an amount, a flag as a flag) and the
/// visibility the project had at each version.
async fn history_keeps_values_and_the_visibility_of_each_version() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let mut d = data("Geheim");
    d.visibility = Visibility::Instelling;
    let p = store.create_project(inst, &d, &editor()).await.unwrap();
    d.budget = Some(stip_core::number::Hundredths(1_250_050));
    d.shareable = true;
    d.case_summary = "Voorbeeld".into();
    store
        .update_project(p.id, stip_core::Version(1), &d, &editor())
        .await
        .unwrap();
    d.visibility = Visibility::Openbaar;
    store
        .update_project(p.id, stip_core::Version(2), &d, &editor())
        .await
        .unwrap();
    let history = store.project_history(p.id).await.unwrap();
    let visibilities: Vec<_> = history.iter().map(|h| (h.version, h.visibility)).collect();
    assert_eq!(
        visibilities,
        vec![
            (3, Visibility::Openbaar),
            (2, Visibility::Instelling),
            (1, Visibility::Instelling)
        ]
    );
    let changes: BTreeMap<_, _> = history[1]
        .changes
        .iter()
        .map(|c| (c.field.as_str(), (c.old.clone(), c.new.clone())))
        .collect();
    assert_eq!(
        changes["budget"],
        (
            HistoryValue::Empty,
            HistoryValue::Euro(stip_core::number::Hundredths(1_250_050))
        )
    );
    assert_eq!(
        changes["shareable"],
        (HistoryValue::Flag(false), HistoryValue::Flag(true))
    );
}

/// A database written before the history stored values: its rows hold Dutch display text and
/// no visibility. After the migration they read back as values, each with the visibility the
/// project had at that version; the migration runs once.
async fn history_rows_in_the_old_display_format_become_values() {
    let db = TestDb::current().await;
    let store = &db.store;
    use stip_store::testing::execute;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let mut d = data("Oud");
    d.visibility = Visibility::Openbaar;
    let p = store.create_project(inst, &d, &editor()).await.unwrap();
    let old_rows = format!(
        r#"INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, changes) VALUES
        ({id}, 2, '2024-01-02T00:00:00.000000Z', NULL, 'Karin', '[{{"field":"summary","old":"","new":"Vertrouwelijk"}},{{"field":"start_date","old":"","new":"2024-09-01"}},{{"field":"budget","old":"","new":"12.500,50"}},{{"field":"effort","old":"","new":"1,50 fte"}},{{"field":"perspective_ict_business","old":"","new":"4"}},{{"field":"themes","old":"llo","new":"llo, innovatie"}},{{"field":"scores","old":"","new":"urgentie: 3, risico: 2"}},{{"field":"shareable","old":"nee","new":"ja"}},{{"field":"links","old":"","new":"https://a.nl/x\nhttps://b.nl/y"}}]'),
        ({id}, 3, '2024-01-03T00:00:00.000000Z', NULL, 'Karin', '[{{"field":"visibility","old":"instelling","new":"openbaar"}}]')"#,
        id = p.id
    );
    execute(store, &old_rows).await.unwrap();
    execute(store, "UPDATE project_history SET visibility = 'netwerk'")
        .await
        .unwrap();
    execute(store, "DELETE FROM data_migrations").await.unwrap();
    store.migrate().await.unwrap();

    let history = store.project_history(p.id).await.unwrap();
    let visibilities: Vec<_> = history.iter().map(|h| (h.version, h.visibility)).collect();
    assert_eq!(
        visibilities,
        vec![
            (3, Visibility::Openbaar),
            (2, Visibility::Instelling),
            (1, Visibility::Instelling)
        ],
        "replayed back from the project's current visibility"
    );
    let changes: BTreeMap<_, _> = history[1]
        .changes
        .iter()
        .map(|c| (c.field.as_str(), (c.old.clone(), c.new.clone())))
        .collect();
    use stip_core::number::Hundredths;
    let expected = [
        ("summary", (text(""), text("Vertrouwelijk"))),
        (
            "start_date",
            (
                HistoryValue::Empty,
                HistoryValue::Date(chrono::NaiveDate::from_ymd_opt(2024, 9, 1).unwrap()),
            ),
        ),
        (
            "budget",
            (
                HistoryValue::Empty,
                HistoryValue::Euro(Hundredths(1_250_050)),
            ),
        ),
        (
            "effort",
            (
                HistoryValue::Empty,
                HistoryValue::Effort(Effort {
                    amount: Hundredths(150),
                    unit: EffortUnit::Fte,
                }),
            ),
        ),
        (
            "perspective_ict_business",
            (HistoryValue::Empty, HistoryValue::Axis(4)),
        ),
        (
            "themes",
            (
                HistoryValue::List(vec!["llo".into()]),
                HistoryValue::List(vec!["llo".into(), "innovatie".into()]),
            ),
        ),
        (
            "scores",
            (
                HistoryValue::Scores(BTreeMap::new()),
                HistoryValue::Scores(BTreeMap::from([
                    ("risico".to_string(), 2),
                    ("urgentie".to_string(), 3),
                ])),
            ),
        ),
        (
            "shareable",
            (HistoryValue::Flag(false), HistoryValue::Flag(true)),
        ),
        (
            "links",
            (
                HistoryValue::List(vec![]),
                HistoryValue::List(vec!["https://a.nl/x".into(), "https://b.nl/y".into()]),
            ),
        ),
    ];
    for (field, values) in expected {
        assert_eq!(changes[field], values, "{field}");
    }

    // Recorded as done: migrating again leaves the rows alone.
    execute(
        store,
        "UPDATE project_history SET visibility = 'netwerk' WHERE version = 1",
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let first = store.project_history(p.id).await.unwrap().pop().unwrap();
    assert_eq!(first.visibility, Visibility::Netwerk);
}

/// A login form may send anything as the address; one with a NUL finds no account instead of
/// failing (PostgreSQL refuses NUL in a query).
async fn a_login_address_with_a_control_character_finds_no_account() {
    let db = TestDb::current().await;
    let store = &db.store;
    assert!(
        store
            .user_for_login("a\u{0}b@c.nl")
            .await
            .unwrap()
            .is_none()
    );
}

/// The read model of a store opened later is loaded from the database: it shows what the first
/// store saved, on both backends.
async fn a_reopened_store_shows_what_was_saved() {
    let db = &TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let p = store
        .create_project(inst, &data("Eerst"), &editor())
        .await
        .unwrap();
    let mut d = p.data.clone();
    d.title = "Daarna".into();
    store
        .update_project(p.id, stip_core::Version(1), &d, &editor())
        .await
        .unwrap();
    let other = store
        .create_project(inst, &data("Weg"), &editor())
        .await
        .unwrap();
    store.delete_project(other.id).await.unwrap();
    let reopened = Store::connect(&db.url).await.unwrap();
    assert_eq!(reopened.warm().await.unwrap(), 1);
    let again = reopened.project(p.id).await.unwrap();
    assert_eq!((again.data.title.as_str(), again.version), ("Daarna", 2));
    // What the first store keeps in memory after saving is exactly what the database holds.
    assert_eq!(*again, *store.project(p.id).await.unwrap());
}

#[tokio::test]
async fn test_databases_are_separate() {
    let a = TestDb::sqlite().await;
    let b = TestDb::sqlite().await;
    with_agenda(&a.store).await;
    assert!(b.store.themes().await.unwrap().is_empty());
}

/// The two backends' migrations make the same tables with the same columns, nullable alike.
#[tokio::test]
async fn the_sqlite_and_postgresql_schemas_have_the_same_tables_and_columns() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let sqlite = TestDb::sqlite().await;
    let sqlite = stip_store::testing::schema(&sqlite.store).await.unwrap();
    let postgres = stip_store::testing::schema(&pg.store).await.unwrap();
    assert!(
        sqlite
            .iter()
            .any(|(t, c, _)| t == "project_history" && c == "visibility")
    );
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only on SQLite: {only_sqlite:?}\nonly on PostgreSQL: {only_postgres:?}"
    );
}

async fn the_mora_areas_ship_in_the_architectures_order() {
    let db = TestDb::current().await;
    let store = &db.store;
    let areas: Vec<_> = store
        .mora_areas()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.data)
        .collect();
    assert_eq!(areas, stip_core::mora::default_areas());
    assert_eq!(
        areas[0].name,
        "Verbinding met maatschappij, bedrijfsleven en regio"
    );
    assert_eq!(
        areas
            .iter()
            .filter(|a| a.parent.as_deref() == Some("bedrijfsvoering"))
            .count(),
        7
    );
}

/// Projects map to areas; the list's `mora` filter on Bedrijfsvoering finds those mapped to
/// it and to its parts, a part finds only its own, and an export filters the same way.
async fn the_mora_filter_on_a_main_area_finds_its_sub_areas_too() {
    let db = TestDb::current().await;
    let store = &db.store;
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    for (title, areas) in [
        ("Nieuw HR-systeem", &["bedrijfsvoering-hrm"][..]),
        ("Bedrijfsvoering op orde", &["bedrijfsvoering"][..]),
        (
            "Lesroosters",
            &["onderwijs-uitvoeren", "tactisch-inrichten"][..],
        ),
        ("Zonder MORA", &[][..]),
    ] {
        let mut d = data(title);
        d.mora_areas = areas.iter().map(|a| a.to_string()).collect();
        store.create_project(inst, &d, &editor()).await.unwrap();
    }
    let cases: &[(&str, &[&str])] = &[
        (
            "mora=bedrijfsvoering",
            &["Bedrijfsvoering op orde", "Nieuw HR-systeem"],
        ),
        ("mora=bedrijfsvoering-hrm", &["Nieuw HR-systeem"]),
        ("mora=tactisch-inrichten", &["Lesroosters"]),
        ("mora=uitstroom", &[]),
        ("mora=bestaat-niet", &[]),
        ("mora=bedrijfsvoering&q=hr", &["Nieuw HR-systeem"]),
    ];
    for (query, expected) in cases {
        let q: ListQuery = serde_urlencoded::from_str(query).unwrap();
        let req = q.parse().unwrap();
        let mut got = titles(store, &req, ProjectScope::All).await;
        got.sort();
        assert_eq!(got, *expected, "{query}");
        let mut exported: Vec<String> = store
            .projects_for_export(&req, ProjectScope::All)
            .await
            .unwrap()
            .iter()
            .map(|p| p.data.title.clone())
            .collect();
        exported.sort();
        assert_eq!(exported, *expected, "export {query}");
    }
    // A part added later is found under its main area too.
    let areas = store.mora_areas().await.unwrap();
    store
        .create_mora_area(&stip_core::mora::MoraAreaData {
            code: "bedrijfsvoering-vastgoed".into(),
            name: "Vastgoed".into(),
            parent: Some("bedrijfsvoering".into()),
            position: 8,
        })
        .await
        .unwrap();
    assert_eq!(store.mora_areas().await.unwrap().len(), areas.len() + 1);
    let mut d = data("Gebouwenbeheer");
    d.mora_areas = vec!["bedrijfsvoering-vastgoed".into()];
    store.create_project(inst, &d, &editor()).await.unwrap();
    let q: ListQuery = serde_urlencoded::from_str("mora=bedrijfsvoering").unwrap();
    assert_eq!(
        titles(store, &q.parse().unwrap(), ProjectScope::All)
            .await
            .len(),
        3
    );
}

async fn mora_areas_are_edited_and_one_in_use_is_not_deleted() {
    let db = TestDb::current().await;
    let store = &db.store;
    use stip_core::mora::{InUse, MoraAreaData};
    with_agenda(store).await;
    let inst = institution(store, "25LN", "Horizon College").await;
    let find = async |code: &str| {
        store
            .mora_areas()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.data.code == code)
            .unwrap()
    };
    let mut d = data("Nieuw HR-systeem");
    d.mora_areas = vec!["bedrijfsvoering-hrm".into()];
    let p = store.create_project(inst, &d, &editor()).await.unwrap();

    // Renamed, with a new code: the project shows the new code at once.
    let hrm = find("bedrijfsvoering-hrm").await;
    let renamed = MoraAreaData {
        code: "bedrijfsvoering-personeel".into(),
        name: "Personeel (HRM)".into(),
        ..hrm.data.clone()
    };
    assert!(
        store
            .update_mora_area(hrm.id, Version(1), &renamed)
            .await
            .unwrap()
    );
    assert_eq!(
        store.project(p.id).await.unwrap().data.mora_areas,
        ["bedrijfsvoering-personeel"]
    );
    assert!(
        !store
            .update_mora_area(hrm.id, Version(1), &renamed)
            .await
            .unwrap(),
        "a save from a stale version is refused"
    );
    // A code is taken once; an area with parts stays a main area.
    let instroom = find("instroom").await;
    let taken = MoraAreaData {
        code: "uitstroom".into(),
        ..instroom.data.clone()
    };
    match store
        .update_mora_area(instroom.id, Version(1), &taken)
        .await
    {
        Err(StoreError::Invalid(e)) => assert_eq!(e.for_field("code"), Some(&ErrorCode::Taken)),
        other => panic!("expected 'taken', got {other:?}"),
    }
    let bv = find("bedrijfsvoering").await;
    let under = MoraAreaData {
        parent: Some("instroom".into()),
        ..bv.data.clone()
    };
    match store.update_mora_area(bv.id, Version(1), &under).await {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.for_field("parent"), Some(&ErrorCode::InvalidChoice))
        }
        other => panic!("expected a refused parent, got {other:?}"),
    }

    // In use by a project, or with parts: it stays. Unused: it goes.
    assert_eq!(
        store.delete_mora_area(hrm.id).await.unwrap(),
        Err(InUse::Projects(1))
    );
    assert_eq!(
        store.delete_mora_area(bv.id).await.unwrap(),
        Err(InUse::SubAreas(7))
    );
    let generation = store.reference_generation();
    assert_eq!(store.delete_mora_area(instroom.id).await.unwrap(), Ok(()));
    assert!(store.reference_generation() > generation, "caches reload");
    assert!(
        store
            .mora_areas()
            .await
            .unwrap()
            .iter()
            .all(|a| a.id != instroom.id)
    );
    assert!(matches!(
        store.delete_mora_area(instroom.id).await,
        Err(StoreError::NotFound)
    ));
    // Once the project lets go of it, it can go too.
    let mut without = store.project(p.id).await.unwrap().data.clone();
    without.mora_areas.clear();
    store
        .update_project(p.id, Version(1), &without, &editor())
        .await
        .unwrap();
    let history = store.project_history(p.id).await.unwrap();
    assert_eq!(
        history[0].changes[0].old,
        HistoryValue::List(vec!["bedrijfsvoering-personeel".into()])
    );
    assert_eq!(store.delete_mora_area(hrm.id).await.unwrap(), Ok(()));
}
