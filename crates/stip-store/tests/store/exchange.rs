//! Importing an institution's overview and exporting it again, on SQLite and PostgreSQL: a
//! file imports in one transaction or not at all, importing it twice changes nothing, a
//! second overview changes only what it has columns for, and Stip's own JSON export reads back
//! into an empty Stip with nothing lost.

use std::path::PathBuf;
use stip_core::access::ProjectScope;
use stip_core::agenda::default_agenda;
use stip_core::exchange::columns::{Field, Mapping};
use stip_core::exchange::preview::{Options, Preview};
use stip_core::exchange::sheet::{self, Limits};
use stip_core::exchange::write::{ExportRow, json};
use stip_core::institution::{BrinCode, InstitutionData};
use stip_core::portfolio::{ListQuery, Visibility};
use stip_store::exchange::{ImportCounts, RowPlan};
use stip_store::portfolio::Editor;
use stip_store::testing::TestDb;
use stip_store::{Store, StoreError};

on_both!(
    an_overview_imports_once_and_again_changes_nothing,
    a_second_overview_changes_only_its_own_columns,
    a_file_with_problems_writes_nothing,
    a_partial_overview_is_checked_as_the_whole_project_it_makes,
    the_json_export_reads_back_into_an_empty_stip_unchanged,
    the_mapping_an_institution_chose_is_kept,
);

fn editor() -> Editor {
    Editor {
        user_id: None,
        name: "Import".into(),
    }
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

async fn read_fixture(store: &Store, name: &str) -> Preview {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../stip-core/tests/fixtures/import")
        .join(name);
    let bytes = std::fs::read(path).unwrap();
    read_bytes(store, name, &bytes, &Mapping::new()).await
}

async fn read_bytes(store: &Store, name: &str, bytes: &[u8], mapping: &Mapping) -> Preview {
    let contents = sheet::read(name, bytes, &Limits::default()).unwrap();
    let brin = BrinCode::parse("25LN").unwrap();
    let horizon = store.institution_by_brin(&brin).await.unwrap();
    store
        .preview_import(
            horizon.id,
            "25LN",
            &contents,
            mapping,
            &Options::default(),
            ProjectScope::All,
        )
        .await
        .unwrap()
        .unwrap()
}

/// The whole portfolio in the exchange format, by title (creation times differ between
/// databases; titles do not).
async fn export_json(store: &Store) -> String {
    let req = ListQuery {
        sort: "title".into(),
        ..ListQuery::default()
    }
    .parse()
    .unwrap();
    let projects = store
        .projects_for_export(&req, ProjectScope::All)
        .await
        .unwrap();
    let rows: Vec<ExportRow<'_>> = projects.iter().map(|p| ExportRow::from(&**p)).collect();
    String::from_utf8(json(&rows)).unwrap()
}

async fn an_overview_imports_once_and_again_changes_nothing() {
    let db = &TestDb::current().await;
    let store = &db.store;
    let inst = horizon(store).await;
    let file = read_fixture(store, "horizon-overzicht.xlsx").await;
    assert!(
        store
            .plan_import(inst, &file)
            .await
            .unwrap()
            .iter()
            .all(|p| *p == RowPlan::New)
    );
    let counts = store.import_projects(inst, &file, &editor()).await.unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            new: 12,
            changed: 0,
            unchanged: 0
        }
    );
    assert_eq!(store.warm().await.unwrap(), 12, "in the read model at once");
    // The same preview once more (read before the first import) would make them twice.
    assert!(matches!(
        store.import_projects(inst, &file, &editor()).await,
        Err(StoreError::Busy)
    ));
    let file = read_fixture(store, "horizon-overzicht.xlsx").await;
    let again = store.import_projects(inst, &file, &editor()).await.unwrap();
    assert_eq!(
        again,
        ImportCounts {
            new: 0,
            changed: 0,
            unchanged: 12
        },
        "the same file twice duplicates nothing"
    );
    // Another process (a running server beside `stip import`) sees them all.
    let server = Store::connect(&db.url).await.unwrap();
    assert_eq!(server.warm().await.unwrap(), 12);
}

async fn a_second_overview_changes_only_its_own_columns() {
    let db = &TestDb::current().await;
    let store = &db.store;
    let inst = horizon(store).await;
    let first = read_fixture(store, "horizon-overzicht.xlsx").await;
    store
        .import_projects(inst, &first, &editor())
        .await
        .unwrap();
    // Made instelling in Stip after the first import: the overview has no column for it.
    let req = ListQuery::default().parse().unwrap();
    let projects = store
        .projects_for_export(&req, ProjectScope::All)
        .await
        .unwrap();
    let roosteren = projects
        .iter()
        .find(|p| p.external_id.as_deref() == Some("HC-2021-003"))
        .unwrap();
    let mut own = roosteren.data.clone();
    own.visibility = Visibility::Instelling;
    store
        .update_project(
            roosteren.id,
            stip_core::Version(roosteren.version),
            &own,
            &editor(),
        )
        .await
        .unwrap();

    let second = read_fixture(store, "dubbel.csv").await;
    let plan = store.plan_import(inst, &second).await.unwrap();
    assert!(matches!(plan[0], RowPlan::Unchanged { .. }), "{plan:?}");
    match &plan[1] {
        changed @ RowPlan::Changed { id, changes, .. } => {
            assert_eq!(*id, roosteren.id);
            assert_eq!(changed.changed_fields(), ["status"]);
            assert_eq!(
                serde_json::to_value(&changes[0]).unwrap(),
                serde_json::json!({"field": "status", "old": "rood", "new": "oranje"}),
                "the old value and the new"
            );
        }
        other => panic!("row 3 changes the status: {other:?}"),
    }
    assert!(matches!(plan[2], RowPlan::Unchanged { .. }));
    let counts = store
        .import_projects(inst, &second, &editor())
        .await
        .unwrap();
    assert_eq!((counts.new, counts.changed, counts.unchanged), (0, 1, 2));
    let saved = store.project(roosteren.id).await.unwrap();
    assert_eq!(saved.data.status.map(|s| s.code()), Some("oranje"));
    assert_eq!(saved.data.visibility, Visibility::Instelling, "kept");
    assert_eq!(saved.version, 3);
    let history = store.project_history(roosteren.id).await.unwrap();
    assert_eq!(history.len(), 3, "the import's save has its history entry");
}

async fn a_file_with_problems_writes_nothing() {
    let db = &TestDb::current().await;
    let store = &db.store;
    let inst = horizon(store).await;
    let file = read_fixture(store, "fouten.xlsx").await;
    assert!(file.has_problems());
    assert!(matches!(
        store.import_projects(inst, &file, &editor()).await,
        Err(StoreError::ImportHasProblems)
    ));
    assert_eq!(store.warm().await.unwrap(), 0);
    assert_eq!(export_json(store).await.matches("\"title\"").count(), 0);
}

async fn the_json_export_reads_back_into_an_empty_stip_unchanged() {
    let db = &TestDb::current().await;
    let store = &db.store;
    let inst = horizon(store).await;
    for name in ["horizon-overzicht.xlsx", "csv-puntkomma-1252.csv"] {
        let file = read_fixture(store, name).await;
        store.import_projects(inst, &file, &editor()).await.unwrap();
    }
    // Fields no overview fills: drivers, MORA areas and scores, set in Stip.
    let p = store
        .projects_for_export(&ListQuery::default().parse().unwrap(), ProjectScope::All)
        .await
        .unwrap()[0]
        .clone();
    let mut scored = p.data.clone();
    scored.drivers = vec![default_agenda().drivers[0].code.clone()];
    scored.mora_areas = vec![
        "bedrijfsvoering-hrm".into(),
        "strategie-beleid-sturing".into(),
    ];
    scored
        .scores
        .insert(default_agenda().criteria[0].code.clone(), 4);
    store
        .update_project(p.id, stip_core::Version(p.version), &scored, &editor())
        .await
        .unwrap();
    let exported = export_json(store).await;

    let empty = TestDb::sqlite().await;
    let target = &empty.store;
    let target_inst = horizon(target).await;
    let file = read_bytes(target, "export.json", exported.as_bytes(), &Mapping::new()).await;
    assert!(
        !file.has_problems(),
        "{:?}",
        file.problems().collect::<Vec<_>>()
    );
    let counts = target
        .import_projects(target_inst, &file, &editor())
        .await
        .unwrap();
    assert_eq!(counts.new, 18);
    assert_eq!(export_json(target).await, exported, "nothing lost");
    assert!(exported.contains("\"bedrijfsvoering-hrm\""));

    // The spreadsheet writes MORA areas by name ("Strategie, beleid en sturing" has a comma of
    // its own), and reads them back as the same areas.
    let projects = store
        .projects_for_export(&ListQuery::default().parse().unwrap(), ProjectScope::All)
        .await
        .unwrap();
    let rows: Vec<ExportRow<'_>> = projects.iter().map(|p| ExportRow::from(&**p)).collect();
    let pairs = store.reference_pairs().await.unwrap();
    for (name, bytes) in [
        (
            "export.xlsx",
            stip_core::exchange::write::xlsx(&rows, &pairs).unwrap(),
        ),
        ("export.csv", stip_core::exchange::write::csv(&rows, &pairs)),
    ] {
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".csv") {
            assert!(text.contains("HRM; Strategie, beleid en sturing"), "{name}");
        }
        let again = TestDb::sqlite().await;
        let again_inst = horizon(&again.store).await;
        let file = read_bytes(&again.store, name, &bytes, &Mapping::new()).await;
        assert!(
            !file.has_problems(),
            "{name}: {:?}",
            file.problems().collect::<Vec<_>>()
        );
        again
            .store
            .import_projects(again_inst, &file, &editor())
            .await
            .unwrap();
        assert_eq!(
            export_json(&again.store).await,
            exported,
            "{name}: nothing lost"
        );
    }
}

async fn the_mapping_an_institution_chose_is_kept() {
    let db = &TestDb::current().await;
    let store = &db.store;
    let inst = horizon(store).await;
    assert!(store.import_mapping(inst).await.unwrap().is_empty());
    let mut mapping = Mapping::new();
    mapping.insert("Opmerkingen".into(), None);
    mapping.insert("Kenmerk".into(), Some(Field::ExternalId));
    store.save_import_mapping(inst, &mapping).await.unwrap();
    assert_eq!(store.import_mapping(inst).await.unwrap(), mapping);
    mapping.insert("Kenmerk".into(), Some(Field::Title));
    store.save_import_mapping(inst, &mapping).await.unwrap();
    assert_eq!(store.import_mapping(inst).await.unwrap(), mapping);
}

async fn a_partial_overview_is_checked_as_the_whole_project_it_makes() {
    let db = &TestDb::current().await;
    let store = &db.store;
    let inst = horizon(store).await;
    let csv = |text: &str| text.replace('\n', "\r\n").into_bytes();
    let first = read_bytes(
        store,
        "eerste.csv",
        &csv("Projectnummer;Titel;Fase;Thema's;Startdatum;Einddatum;Casusbeschrijving\nX-1;Roosterapp;idee;LLO;1-9-2025;31-7-2026;Hoe wij roosters delen\n"),
        &Mapping::new(),
    )
    .await;
    assert!(!first.has_problems(), "{:?}", first.rows[0].outcome);
    store
        .import_projects(inst, &first, &editor())
        .await
        .unwrap();

    // Only an end date: before the stored start date, so the project it makes is wrong.
    let end = read_bytes(
        store,
        "einde.csv",
        &csv("Projectnummer;Einddatum;Fase\nX-1;1-1-2025;uitvoering\n"),
        &Mapping::new(),
    )
    .await;
    let problems = end.rows[0].outcome.as_ref().unwrap_err();
    assert_eq!(problems[0].column, "Einddatum");
    assert_eq!(problems[0].code, stip_core::ErrorCode::EndBeforeStart);
    assert!(matches!(
        store.import_projects(inst, &end, &editor()).await,
        Err(StoreError::ImportHasProblems)
    ));

    // Shareable without a case column: the stored case description makes it whole.
    let share = read_bytes(
        store,
        "deelbaar.csv",
        &csv("Projectnummer;Deelbaar als voorbeeld\nX-1;ja\n"),
        &Mapping::new(),
    )
    .await;
    let plan = store.plan_import(inst, &share).await.unwrap();
    match &plan[0] {
        changed @ RowPlan::Changed { .. } => assert_eq!(changed.changed_fields(), ["shareable"]),
        other => panic!("the row makes the project shareable: {other:?}"),
    }
    // A new project marked shareable without any case description is refused for it.
    let new = read_bytes(
        store,
        "nieuw.csv",
        &csv("Projectnummer;Titel;Fase;Thema's;Deelbaar als voorbeeld\nX-2;Nieuw;idee;LLO;ja\n"),
        &Mapping::new(),
    )
    .await;
    let problems = new.rows[0].outcome.as_ref().unwrap_err();
    assert_eq!(problems[0].field, "case_summary");
}
