//! Backup and restore across backends: SQLite → backup → PostgreSQL → backup → SQLite gives
//! the same data; a restore refuses a database that is not empty, and a restore that fails
//! leaves the database empty.

use serde_json::Value;
use stip_core::Version;
use stip_core::agenda::default_agenda;
use stip_store::portfolio::Editor;
use stip_store::testing::TestDb;
use stip_store::{Store, StoreError};

/// A database with something in every table: demo data, an edit (history), an account with a
/// session and a token.
async fn filled(store: &Store) {
    store.load_agenda(&default_agenda()).await.unwrap();
    let generated = stip_core::demo::generate(9, 8, 3);
    store.load_demo(&generated, "Demo").await.unwrap();
    let p = store.fetch_any_project().await;
    let mut edited = p.data.clone();
    edited.title = "Na de back-up nog steeds zo".into();
    edited.status = None;
    let editor = Editor {
        user_id: None,
        name: "Karin".into(),
    };
    store
        .update_project(p.id, Version(p.version), &edited, &editor)
        .await
        .unwrap();
    let email = stip_core::user::Email::parse("im@horizon.nl").unwrap();
    let user = stip_store::user::UserData {
        email: &email,
        name: "Karin",
        role: stip_core::user::Role::Beheerder,
        institution_id: None,
        active: true,
    };
    let id = store.create_user(&user, "hash").await.unwrap();
    store
        .create_session("sessie", id, "csrf", "2999-01-01T00:00:00Z")
        .await
        .unwrap();
    store.create_api_token("token", id).await.unwrap();
}

trait AnyProject {
    async fn fetch_any_project(&self) -> std::sync::Arc<stip_core::portfolio::Project>;
}

impl AnyProject for Store {
    async fn fetch_any_project(&self) -> std::sync::Arc<stip_core::portfolio::Project> {
        let req = stip_core::portfolio::ListQuery::default().parse().unwrap();
        let page = self
            .list_projects(&req, stip_core::access::ProjectScope::All)
            .await
            .unwrap();
        page.items[0].clone()
    }
}

fn tables(backup: &Value) -> &Value {
    &backup["tables"]
}

#[tokio::test]
async fn sqlite_to_postgres_to_sqlite_keeps_every_row() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let first = TestDb::sqlite().await;
    filled(&first.store).await;
    let from_sqlite = first.store.backup().await.unwrap();
    assert!(
        tables(&from_sqlite)["project_history"]
            .as_array()
            .unwrap()
            .len()
            > 72
    );

    pg.store.restore(&from_sqlite).await.unwrap();
    let from_postgres = pg.store.backup().await.unwrap();
    assert_eq!(
        tables(&from_postgres),
        tables(&from_sqlite),
        "SQLite → PostgreSQL"
    );

    let last = TestDb::sqlite().await;
    last.store.restore(&from_postgres).await.unwrap();
    let again = last.store.backup().await.unwrap();
    assert_eq!(tables(&again), tables(&from_sqlite), "→ SQLite again");

    // The restored database works: the read model has the projects, and new ids go on after
    // the restored ones.
    let projects = tables(&from_sqlite)["projects"].as_array().unwrap().len();
    assert_eq!(pg.store.warm().await.unwrap(), projects);
    let highest = tables(&from_sqlite)["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .max()
        .unwrap();
    for store in [&pg.store, &last.store] {
        let id = store
            .create_institution(&stip_core::institution::InstitutionData {
                brin: stip_core::institution::BrinCode::parse("99ZZ").unwrap(),
                name: "Nieuw College".into(),
                short_name: "Nieuw".into(),
                region: String::new(),
                students: None,
                domains: vec![],
            })
            .await
            .unwrap();
        assert!(id > highest);
    }
}

#[tokio::test]
async fn a_restore_refuses_a_database_in_use_and_leaves_nothing_half_done() {
    let source = TestDb::sqlite().await;
    filled(&source.store).await;
    let backup = source.store.backup().await.unwrap();

    let in_use = TestDb::sqlite().await;
    in_use.store.load_agenda(&default_agenda()).await.unwrap();
    in_use
        .store
        .create_institution(&stip_core::institution::InstitutionData {
            brin: stip_core::institution::BrinCode::parse("99ZZ").unwrap(),
            name: "In gebruik College".into(),
            short_name: "In gebruik".into(),
            region: String::new(),
            students: None,
            domains: vec![],
        })
        .await
        .unwrap();
    let before = in_use.store.backup().await.unwrap();
    assert!(matches!(
        in_use.store.restore(&backup).await,
        Err(StoreError::NotEmpty(_))
    ));
    assert_eq!(
        tables(&in_use.store.backup().await.unwrap()),
        tables(&before)
    );

    // A project of an institution the backup lacks: the restore fails at the end, and
    // everything loaded before it is gone again.
    let mut broken = backup.clone();
    broken["tables"]["institutions"] = Value::Array(vec![]);
    let empty = TestDb::sqlite().await;
    let fresh = empty.store.backup().await.unwrap();
    assert!(empty.store.restore(&broken).await.is_err());
    let after = empty.store.backup().await.unwrap();
    for (table, rows) in tables(&after).as_object().unwrap() {
        if stip_store::backup::SEEDED.contains(&table.as_str()) {
            // The shipped list the migration put there, as before the restore.
            assert_eq!(rows, &tables(&fresh)[table], "{table} is as it was");
        } else {
            assert_eq!(rows.as_array().unwrap().len(), 0, "{table} is empty again");
        }
    }
}

/// A backup made before Stip had MORA areas restores into a database that has them: the
/// shipped list stays.
#[tokio::test]
async fn a_backup_without_mora_areas_keeps_the_shipped_list() {
    let source = TestDb::sqlite().await;
    filled(&source.store).await;
    let mut backup = source.store.backup().await.unwrap();
    let tables = backup["tables"].as_object_mut().unwrap();
    tables.remove("mora_areas");
    tables.remove("project_mora_areas");
    let target = TestDb::sqlite().await;
    target.store.restore(&backup).await.unwrap();
    assert_eq!(target.store.mora_areas().await.unwrap().len(), 19);
    assert!(target.store.warm().await.unwrap() > 0);
}

/// Both backends, PostgreSQL when it is there.
async fn databases() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite().await];
    dbs.extend(TestDb::postgres().await);
    dbs
}

/// `stip serve` loads the default agenda into a new database; a restore takes that database
/// (and replaces the agenda with the backup's), but not one whose agenda someone changed.
#[tokio::test]
async fn a_restore_takes_a_database_that_only_has_the_default_agenda() {
    let source = TestDb::sqlite().await;
    filled(&source.store).await;
    let mut backup = source.store.backup().await.unwrap();
    // The backup's agenda is not the default one: the restore must replace, not merge.
    backup["tables"]["themes"][0]["name"] = Value::from("Een eigen thema");
    for target in databases().await {
        target.store.load_agenda(&default_agenda()).await.unwrap();
        target.store.restore(&backup).await.unwrap();
        let restored = target.store.backup().await.unwrap();
        assert_eq!(tables(&restored), tables(&backup));
    }

    for edited in databases().await {
        let mut agenda = default_agenda();
        agenda.themes[0].name = "Leven lang leren".into();
        edited.store.load_agenda(&agenda).await.unwrap();
        let before = edited.store.backup().await.unwrap();
        let refused = edited.store.restore(&backup).await;
        assert!(
            matches!(&refused, Err(StoreError::NotEmpty(_))),
            "{refused:?}"
        );
        assert_eq!(
            tables(&edited.store.backup().await.unwrap()),
            tables(&before)
        );
    }
}

/// A backup with a table or column this Stip does not know is refused, naming it, and nothing
/// is loaded: it is not restored without that part.
#[tokio::test]
async fn a_restore_refuses_a_table_or_column_it_does_not_know() {
    let source = TestDb::sqlite().await;
    filled(&source.store).await;
    let backup = source.store.backup().await.unwrap();
    let mut unknown_table = backup.clone();
    unknown_table["tables"]["project_budgets"] = serde_json::json!([{"id": 1}]);
    let mut unknown_column = backup.clone();
    unknown_column["tables"]["projects"][0]["budget_code"] = Value::from("K-12");
    for target in databases().await {
        let fresh = target.store.backup().await.unwrap();
        for (doc, names) in [
            (&unknown_table, "project_budgets"),
            (&unknown_column, "budget_code"),
        ] {
            let refused = target.store.restore(doc).await;
            assert!(
                matches!(&refused, Err(StoreError::Corrupt(why)) if why.contains(names)),
                "{names}: {refused:?}"
            );
            assert_eq!(
                tables(&target.store.backup().await.unwrap()),
                tables(&fresh),
                "nothing loaded"
            );
        }
    }
}
