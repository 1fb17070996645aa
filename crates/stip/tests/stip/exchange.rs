//! `stip import` and `stip export` as an operator runs them: a dry run that writes nothing, an
//! import that writes everything or nothing and names every problem by row and column, and
//! exports that read back into an empty Stip unchanged.

use crate::common::stip;
use std::path::PathBuf;
use stip_core::access::ProjectScope;
use stip_core::portfolio::ListQuery;
use stip_store::Store;
use stip_store::testing::TestDb;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = stip(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../stip-core/tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

/// A database with the agenda and the seed's institutions, and `per` demo projects each.
fn demo(db: &TestDb, per: usize) {
    let (ok, _, err) = run(&[
        "demo",
        "--database",
        &db.url,
        "--institutions",
        "7",
        "--projects-per-institution",
        &per.to_string(),
        "--seed",
        "3",
    ]);
    assert!(ok, "{err}");
}

async fn total(db: &TestDb) -> u64 {
    let fresh = Store::connect(&db.url).await.unwrap();
    let all = ListQuery::default().parse().unwrap();
    fresh
        .list_projects(&all, ProjectScope::All)
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn an_overview_is_previewed_then_imported_once() {
    let db = TestDb::sqlite().await;
    demo(&db, 0);
    let file = fixture("horizon-overzicht.xlsx");
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "import",
            file.as_str(),
            "--institution",
            "25LN",
            "--database",
            db.url.as_str(),
        ];
        a.extend_from_slice(extra);
        a
    };
    let (ok, out, err) = run(&args(&["--dry-run"]));
    assert!(ok, "{err}");
    assert!(
        out.contains("Kolomnamen in rij 3 van blad 'Projecten 2021'"),
        "{out}"
    );
    assert!(out.contains("Thema('s) → themes"), "{out}");
    assert!(
        out.contains("rij 4: nieuw — Studentdashboard studievoortgang"),
        "{out}"
    );
    assert!(
        out.contains("Proef: 12 nieuw, 0 gewijzigd, 0 ongewijzigd. Er is niets geschreven."),
        "{out}"
    );
    assert_eq!(total(&db).await, 0, "a dry run writes nothing");

    let (ok, out, err) = run(&args(&[]));
    assert!(ok, "{err}");
    assert!(
        out.contains("Ingelezen in Horizon College: 12 nieuw, 0 gewijzigd, 0 ongewijzigd."),
        "{out}"
    );
    assert_eq!(total(&db).await, 12);

    let (ok, out, _) = run(&args(&[]));
    assert!(ok);
    assert!(
        out.contains("0 nieuw, 0 gewijzigd, 12 ongewijzigd"),
        "{out}"
    );
    assert_eq!(total(&db).await, 12, "importing twice duplicates nothing");
}

#[tokio::test]
async fn a_file_with_problems_names_each_and_writes_nothing() {
    let db = TestDb::sqlite().await;
    demo(&db, 0);
    let file = fixture("fouten.xlsx");
    let (ok, _, err) = run(&[
        "import",
        &file,
        "--institution",
        "25LN",
        "--database",
        &db.url,
    ]);
    assert!(!ok, "problems exit non-zero");
    for line in [
        "rij 3, kolom 'Startdatum': '31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025.",
        "rij 4, kolom 'Budget': 'twaalf euro' is geen bedrag of getal",
        "rij 5, kolom 'Budget': Het budget kan niet negatief zijn.",
        "rij 6, kolom 'Fase': 'bijna klaar' kent Stip hier niet; kies uit idee, verkenning,",
        "rij 7, kolom 'Status': 'paars' kent Stip hier niet; kies uit groen, oranje of rood.",
        "rij 8, kolom 'Thema('s)': 'Blockchain' is geen thema van de agenda.",
        "rij 9, kolom 'Projectnaam': Vul een titel in.",
        "rij 10, kolom 'Einddatum': Vul een einddatum in die na de startdatum ligt.",
        "niets ingelezen: 8 rijen hebben een probleem",
    ] {
        assert!(err.contains(line), "missing: {line}\n{err}");
    }
    assert_eq!(total(&db).await, 0, "nothing half-written");

    for (name, reason) in [
        ("versleuteld.xlsx", "met een wachtwoord beveiligd"),
        (
            "geen-spreadsheet.xlsx",
            "geen spreadsheet die Stip kan lezen",
        ),
        ("zipbom.xlsx", "pakt uit tot meer dan"),
        ("leeg.xlsx", "Het bestand is leeg"),
    ] {
        let (ok, _, err) = run(&[
            "import",
            &fixture(name),
            "--institution",
            "25LN",
            "--database",
            &db.url,
        ]);
        assert!(!ok, "{name}");
        assert!(err.contains(reason), "{name}: {err}");
    }
    let (ok, _, err) = run(&[
        "import",
        &file,
        "--institution",
        "99ZZ",
        "--database",
        &db.url,
    ]);
    assert!(!ok);
    assert!(
        err.contains("er is geen instelling met BRIN-code 99ZZ"),
        "{err}"
    );
}

#[tokio::test]
async fn a_mapping_file_chooses_the_columns_and_is_kept() {
    let db = TestDb::sqlite().await;
    demo(&db, 0);
    let dir = tempdir();
    let mapping = dir.join("mapping.json");
    std::fs::write(
        &mapping,
        r#"{"Opmerkingen": null, "Korte omschrijving": "description"}"#,
    )
    .unwrap();
    let file = fixture("horizon-overzicht.xlsx");
    let (ok, out, err) = run(&[
        "import",
        &file,
        "--institution",
        "25LN",
        "--mapping",
        mapping.to_str().unwrap(),
        "--database",
        &db.url,
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Opmerkingen → niet ingelezen (niet importeren, zo gekozen)"),
        "{out}"
    );
    assert!(out.contains("Korte omschrijving → description"), "{out}");
    // The next import of the institution uses it without being told.
    let (ok, out, _) = run(&[
        "import",
        &file,
        "--institution",
        "25LN",
        "--dry-run",
        "--database",
        &db.url,
    ]);
    assert!(ok);
    assert!(
        out.contains("Opmerkingen → niet ingelezen (niet importeren, zo gekozen)"),
        "{out}"
    );
    assert!(out.contains("12 ongewijzigd"), "{out}");
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "stip-exchange-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn exports_read_back_into_an_empty_stip_unchanged() {
    let source = TestDb::sqlite().await;
    demo(&source, 12);
    let dir = tempdir();
    let out = |name: &str| dir.join(name).display().to_string();

    let (ok, said, err) = run(&[
        "export",
        "--format",
        "json",
        "--institution",
        "25LN",
        "-o",
        &out("horizon.json"),
        "--database",
        &source.url,
    ]);
    assert!(ok, "{err}");
    assert!(said.contains("12 projecten geschreven naar"), "{said}");
    let first = std::fs::read_to_string(out("horizon.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(doc["format"], "stip-portfolio");
    assert_eq!(doc["version"], 1);

    let target = TestDb::sqlite().await;
    demo(&target, 0);
    let (ok, said, err) = run(&[
        "import",
        &out("horizon.json"),
        "--institution",
        "25LN",
        "--database",
        &target.url,
    ]);
    assert!(ok, "{err}");
    assert!(said.contains("12 nieuw"), "{said}");
    let (ok, _, err) = run(&[
        "export",
        "--format",
        "json",
        "--institution",
        "25LN",
        "-o",
        &out("again.json"),
        "--database",
        &target.url,
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(out("again.json")).unwrap(),
        first,
        "export → import → export is identical"
    );

    // The spreadsheet exports read back the same way.
    for format in ["xlsx", "csv"] {
        let file = out(&format!("horizon.{format}"));
        let (ok, _, err) = run(&[
            "export",
            "--format",
            format,
            "--institution",
            "25LN",
            "-o",
            &file,
            "--database",
            &source.url,
        ]);
        assert!(ok, "{err}");
        let (ok, said, err) = run(&[
            "import",
            &file,
            "--institution",
            "25LN",
            "--dry-run",
            "--database",
            &target.url,
        ]);
        assert!(ok, "{format}: {err}");
        assert!(
            said.contains("0 nieuw, 0 gewijzigd, 12 ongewijzigd"),
            "{format}: {said}"
        );
    }
    let csv = std::fs::read(out("horizon.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFBRIN;Instelling;Projectnummer;Titel;"),
        "BOM and ; for Excel"
    );
    let (ok, _, err) = run(&[
        "export",
        "--format",
        "json",
        "--theme",
        "llo",
        "-o",
        &out("llo.json"),
        "--database",
        &source.url,
    ]);
    assert!(ok, "{err}");
    let llo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("llo.json")).unwrap()).unwrap();
    assert!(
        llo["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["themes"].as_array().unwrap().iter().any(|t| t == "llo"))
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_csv_export_writes_no_title_as_a_formula_and_reads_back_as_typed() {
    let db = TestDb::sqlite().await;
    demo(&db, 0);
    let dir = tempdir();
    let out = |name: &str| dir.join(name).display().to_string();
    // An overview whose titles a spreadsheet would run as formulas.
    std::fs::write(
        out("formules.csv"),
        "Titel;Fase;Thema's\r\n\
         \"=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\";idee;innovatie\r\n\
         +SUM(1,2);idee;innovatie\r\n\
         @cmd;idee;innovatie\r\n\
         -1+2;idee;innovatie\r\n",
    )
    .unwrap();
    let import = |file: &str, extra: &[&str]| {
        let mut args = vec!["import", file, "--institution", "25LN", "--database"];
        args.push(&db.url);
        args.extend_from_slice(extra);
        run(&args)
    };
    let (ok, said, err) = import(&out("formules.csv"), &[]);
    assert!(ok, "{said}{err}");
    assert!(said.contains("4 nieuw"), "{said}");

    let (ok, _, err) = run(&[
        "export",
        "--format",
        "csv",
        "-o",
        &out("export.csv"),
        "--database",
        &db.url,
    ]);
    assert!(ok, "{err}");
    let csv = std::fs::read_to_string(out("export.csv")).unwrap();
    for written in [
        ";\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\";",
        ";'+SUM(1,2);",
        ";'@cmd;",
        ";'-1+2;",
    ] {
        assert!(csv.contains(written), "{written} in {csv}");
    }
    for formula in [";=", ";+", ";@", ";-", ";\"=", ";\"+", ";\"@", ";\"-"] {
        assert!(
            !csv.contains(formula),
            "no field starts with {formula}: {csv}"
        );
    }
    // What Stip wrote reads back as it was typed.
    let (ok, said, err) = import(&out("export.csv"), &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        said.contains("0 nieuw, 0 gewijzigd, 4 ongewijzigd"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A file without a phase column: refused row by row, unless the phase is given once for the
/// whole import; a field that cannot be given for all rows is named.
#[tokio::test]
async fn a_phase_the_file_lacks_is_given_once_for_every_row() {
    let db = TestDb::sqlite().await;
    demo(&db, 0);
    let dir = tempdir();
    let file = dir.join("zonder-fase.csv");
    std::fs::write(
        &file,
        "Projectnaam;Thema\nChatbot studentzaken;Innovatie\nOpen leermateriaal;Leermiddelen\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let base = [
        "import",
        file,
        "--institution",
        "25LN",
        "--dry-run",
        "--database",
        &db.url,
    ];
    let (ok, _, err) = run(&base);
    assert!(!ok, "without a phase every row is refused");
    assert!(err.contains("Fase"), "{err}");

    let with_phase = [&base[..], &["--set", "phase=In uitvoering"]].concat();
    let (ok, out, err) = run(&with_phase);
    assert!(ok, "{err}");
    assert!(out.contains("Proef: 2 nieuw"), "{out}");

    let (ok, _, err) = run(&[&base[..], &["--set", "budget_eur=100"]].concat());
    assert!(!ok);
    assert!(
        err.contains("'budget_eur' kan niet voor alle rijen; kies uit phase, status"),
        "{err}"
    );
}

/// A file without a theme column: each row is refused with the main theme Stip proposes from
/// the projects like it, and `--accept-suggestions` takes those proposals.
#[tokio::test]
async fn rows_without_a_theme_take_the_proposed_one_only_when_asked() {
    let db = TestDb::sqlite().await;
    demo(&db, 30);
    let dir = tempdir();
    let file = dir.join("zonder-thema.csv");
    std::fs::write(
        &file,
        "Projectnaam;Omschrijving;Fase\n\
         Vroegsignalering van uitval met learning analytics;Een dashboard studiesucces met data over uitval;uitvoering\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let base = [
        "import",
        file,
        "--institution",
        "25LN",
        "--database",
        &db.url,
    ];
    let before = total(&db).await;
    let (ok, out, err) = run(&[&base[..], &["--dry-run"]].concat());
    assert!(!ok, "a row without a theme is refused: {out}");
    assert!(
        out.contains("Stip stelt ‘Data-ondersteund onderwijs’ voor"),
        "{out}"
    );
    assert!(err.contains("rij 2"), "{err}");

    let (ok, out, err) = run(&[&base[..], &["--accept-suggestions"]].concat());
    assert!(ok, "{err}");
    assert!(
        out.contains("Thema ‘Data-ondersteund onderwijs’ overgenomen"),
        "{out}"
    );
    assert_eq!(total(&db).await, before + 1);
}
