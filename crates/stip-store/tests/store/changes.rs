//! Two processes on one database: each learns of the other's writes through the change log,
//! and a save is decided by the database, never by what a process holds in memory. Each story
//! runs on SQLite and on PostgreSQL, with two `Store`s (as two processes have) on one database.

use std::collections::BTreeMap;
use std::time::Duration;
use stip_core::Version;
use stip_core::access::ProjectScope;
use stip_core::agenda::default_agenda;
use stip_core::institution::{BrinCode, InstitutionData};
use stip_core::portfolio::*;
use stip_store::portfolio::{Editor, Saved};
use stip_store::testing::TestDb;
use stip_store::{Store, StoreError};

on_both!(
    writes_through_one_process_reach_the_other,
    a_stale_copy_in_memory_never_decides_a_save,
    reference_lists_and_logouts_reach_the_other_process,
    a_bulk_load_by_another_process_is_seen_whole,
    a_process_behind_the_pruned_log_reloads_everything,
);

/// PostgreSQL commits transactions in any order: an entry can appear after a later one was
/// applied, and a process can start between the two. Neither passes it over. (SQLite has one
/// writer at a time, so its entries always appear in order.)
#[tokio::test]
async fn a_save_that_commits_after_a_later_one_is_not_passed_over() {
    use sqlx::{Connection, PgConnection};
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let a = &db.store;
    let inst = horizon(a).await;
    let slow = a
        .create_project(inst, &data("Langzaam"), &editor())
        .await
        .unwrap();
    let quick = a
        .create_project(inst, &data("Snel"), &editor())
        .await
        .unwrap();
    let running = other(&db).await;
    let mut writer = PgConnection::connect(&db.url).await.unwrap();
    let mut late = writer.begin().await.unwrap();
    sqlx::query(
        "UPDATE projects SET title = 'Laat opgeslagen', version = version + 1 WHERE id = $1",
    )
    .bind(slow.id)
    .execute(&mut *late)
    .await
    .unwrap();
    let mut edited = quick.data.clone();
    edited.title = "Snel opgeslagen".into();
    a.update_project(quick.id, Version(1), &edited, &editor())
        .await
        .unwrap();
    running.follow_changes().await.unwrap();
    assert_eq!(
        running.project(quick.id).await.unwrap().data.title,
        "Snel opgeslagen"
    );
    // A process that starts now reads the database without the late save.
    let started = other(&db).await;
    assert_eq!(
        started.project(slow.id).await.unwrap().data.title,
        "Langzaam"
    );

    late.commit().await.unwrap();
    for store in [&running, &started] {
        store.follow_changes().await.unwrap();
        let seen = store.project(slow.id).await.unwrap();
        assert_eq!(
            (seen.data.title.as_str(), seen.version),
            ("Laat opgeslagen", 2)
        );
    }
}

fn editor() -> Editor {
    Editor {
        user_id: None,
        name: "Karin".into(),
    }
}

/// A second process on the same database, its read model loaded.
async fn other(db: &TestDb) -> Store {
    let store = Store::connect(&db.url).await.expect("a second process");
    store.warm().await.unwrap();
    store
}

async fn horizon(store: &Store) -> i64 {
    store.load_agenda(&default_agenda()).await.unwrap();
    store
        .create_institution(&InstitutionData {
            brin: BrinCode::parse("25LN").unwrap(),
            name: "Horizon College".into(),
            short_name: "Horizon".into(),
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
        status: None,
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

async fn network_titles(store: &Store) -> Vec<String> {
    let req = ListQuery::default().parse().unwrap();
    let scope = ProjectScope::Network {
        own_institution: None,
    };
    let page = store.list_projects(&req, scope).await.unwrap();
    page.items.iter().map(|p| p.data.title.clone()).collect()
}

/// The probe's findings: a project made, saved, hidden and deleted through A, each seen by B.
async fn writes_through_one_process_reach_the_other() {
    let db = &TestDb::current().await;
    let a = &db.store;
    let inst = horizon(a).await;
    let b = other(db).await;

    let p = a
        .create_project(inst, &data("Nieuw via A"), &editor())
        .await
        .unwrap();
    assert!(b.follow_changes().await.unwrap() > 0);
    assert_eq!(
        b.project(p.id).await.unwrap().data.title,
        "Nieuw via A",
        "created on A"
    );
    assert_eq!(network_titles(&b).await, ["Nieuw via A"]);

    let mut saved = p.data.clone();
    saved.title = "Bewerkt via A".into();
    saved.visibility = Visibility::Instelling;
    a.update_project(p.id, Version(1), &saved, &editor())
        .await
        .unwrap();
    b.follow_changes().await.unwrap();
    let seen = b.project(p.id).await.unwrap();
    assert_eq!(
        (seen.data.title.as_str(), seen.version),
        ("Bewerkt via A", 2)
    );
    assert!(
        network_titles(&b).await.is_empty(),
        "made instelling on A: hidden from the network on B"
    );

    a.delete_project(p.id).await.unwrap();
    b.follow_changes().await.unwrap();
    assert!(
        matches!(b.project(p.id).await, Err(StoreError::NotFound)),
        "deleted on A"
    );
    assert_eq!(b.applied_change(), a.newest_change().await.unwrap());
    assert_eq!(b.follow_changes().await.unwrap(), 0, "nothing new");
}

/// B has not followed A's save yet: its stale copy must neither swallow a stale save (200
/// without writing) nor refuse a correct one (409 again and again).
async fn a_stale_copy_in_memory_never_decides_a_save() {
    let db = &TestDb::current().await;
    let a = &db.store;
    let inst = horizon(a).await;
    let p = a
        .create_project(inst, &data("Origineel"), &editor())
        .await
        .unwrap();
    let b = other(db).await;
    let mut by_a = p.data.clone();
    by_a.title = "Door A".into();
    a.update_project(p.id, Version(1), &by_a, &editor())
        .await
        .unwrap();

    // B's copy is version 1; sending it back unchanged from version 1 is stale.
    let stale = b
        .update_project(p.id, Version(1), &p.data, &editor())
        .await
        .unwrap();
    assert!(matches!(stale, Saved::Conflict { .. }), "not a silent 200");
    // A correct save from version 2, which B's memory has not seen, is saved.
    let mut by_b = by_a.clone();
    by_b.status_note = "Door B".into();
    match b
        .update_project(p.id, Version(2), &by_b, &editor())
        .await
        .unwrap()
    {
        Saved::Saved(saved) => assert_eq!(saved.version, 3),
        Saved::Conflict { .. } => panic!("a save from the current version is not a conflict"),
    }
    let stored = a.project_history(p.id).await.unwrap();
    assert_eq!(stored.len(), 3);
    a.follow_changes().await.unwrap();
    assert_eq!(a.project(p.id).await.unwrap().data.status_note, "Door B");
}

async fn reference_lists_and_logouts_reach_the_other_process() {
    let db = &TestDb::current().await;
    let a = &db.store;
    horizon(a).await;
    let b = other(db).await;
    let generation = b.reference_generation();
    let theme = stip_core::agenda::ThemeData {
        code: "nieuw".into(),
        name: "Nieuw thema".into(),
        description: String::new(),
        colour: "#123456".into(),
        main_line: None,
        position: 99,
    };
    a.create_theme(&theme).await.unwrap();
    b.follow_changes().await.unwrap();
    assert!(b.reference_generation() > generation, "B's lists reload");
    assert!(
        b.themes()
            .await
            .unwrap()
            .iter()
            .any(|t| t.data.code == "nieuw")
    );
    // A MORA area renamed on A: B's lists and the projects it holds show the new code.
    let inst = a
        .institution_by_brin(&BrinCode::parse("25LN").unwrap())
        .await
        .unwrap()
        .id;
    let mut d = data("Nieuw HR-systeem");
    d.mora_areas = vec!["bedrijfsvoering-hrm".into()];
    let p = a.create_project(inst, &d, &editor()).await.unwrap();
    b.follow_changes().await.unwrap();
    let hrm = a
        .mora_areas()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.data.code == "bedrijfsvoering-hrm")
        .unwrap();
    let generation = b.reference_generation();
    let renamed = stip_core::mora::MoraAreaData {
        code: "bedrijfsvoering-personeel".into(),
        ..hrm.data.clone()
    };
    assert!(
        a.update_mora_area(hrm.id, Version(1), &renamed)
            .await
            .unwrap()
    );
    b.follow_changes().await.unwrap();
    assert!(b.reference_generation() > generation, "B's lists reload");
    assert_eq!(
        b.project(p.id).await.unwrap().data.mora_areas,
        ["bedrijfsvoering-personeel"]
    );

    let email = stip_core::user::Email::parse("im@horizon.nl").unwrap();
    let user = stip_store::user::UserData {
        email: &email,
        name: "Karin",
        role: stip_core::user::Role::Informatiemanager,
        institution_id: None,
        active: true,
    };
    let id = a.create_user(&user, "hash").await.unwrap();
    a.create_session("s", id, "csrf", "2999-01-01T00:00:00Z")
        .await
        .unwrap();
    assert!(
        b.session_user("s").await.unwrap().is_some(),
        "B knows the session now"
    );
    a.delete_session("s").await.unwrap();
    b.follow_changes().await.unwrap();
    assert!(
        b.session_user("s").await.unwrap().is_none(),
        "logged out on A: refused on B"
    );

    // Deactivated on A: the account's other session and its token are refused on B.
    a.create_session("t", id, "csrf", "2999-01-01T00:00:00Z")
        .await
        .unwrap();
    a.create_api_token("token", id).await.unwrap();
    assert!(b.session_user("t").await.unwrap().is_some());
    assert!(b.api_token_user("token").await.unwrap().is_some());
    let inactive = stip_store::user::UserData {
        active: false,
        ..user
    };
    assert!(
        a.update_user(id, Version(1), &inactive, None)
            .await
            .unwrap()
    );
    b.follow_changes().await.unwrap();
    assert!(
        b.session_user("t").await.unwrap().is_none(),
        "deactivated on A"
    );
    assert!(b.api_token_user("token").await.unwrap().is_none());
}

/// `stip demo` into the database of a running server: the server shows them all.
async fn a_bulk_load_by_another_process_is_seen_whole() {
    let db = &TestDb::current().await;
    let a = &db.store;
    a.load_agenda(&default_agenda()).await.unwrap();
    let b = other(db).await;
    assert_eq!(b.warm().await.unwrap(), 0);
    let generated = stip_core::demo::generate(9, 150, 1);
    a.load_demo(&generated, "Demo").await.unwrap();
    b.follow_changes().await.unwrap();
    assert_eq!(b.warm().await.unwrap(), 1350);
}

async fn a_process_behind_the_pruned_log_reloads_everything() {
    let db = &TestDb::current().await;
    let a = &db.store;
    let inst = horizon(a).await;
    let b = other(db).await;
    let p = a
        .create_project(inst, &data("Gemist"), &editor())
        .await
        .unwrap();
    a.create_project(inst, &data("Laatste"), &editor())
        .await
        .unwrap();
    // Everything but the newest entry is older than no time at all.
    assert!(a.prune_changes(Duration::ZERO).await.unwrap() > 0);
    b.follow_changes().await.unwrap();
    assert_eq!(
        b.project(p.id).await.unwrap().data.title,
        "Gemist",
        "reloaded"
    );
    assert_eq!(b.warm().await.unwrap(), 2);
    assert_eq!(b.applied_change(), a.newest_change().await.unwrap());
}
