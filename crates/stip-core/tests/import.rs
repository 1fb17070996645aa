//! Institutions' own overviews, as LibreOffice, openpyxl and Excel's CSV write them
//! (`tests/fixtures/import`, made by its `make.py`), read into exactly the projects and the
//! problems their `expected.json` describes.

use serde_json::Value;
use std::path::PathBuf;
use stip_core::ErrorCode;
use stip_core::agenda::default_agenda;
use stip_core::exchange::ReferencePairs;
use stip_core::exchange::columns::Mapping;
use stip_core::exchange::preview::{Existing, ImportRow, Lists, Preview, preview};
use stip_core::exchange::sheet::{self, Contents, FileError, Limits};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn pairs() -> ReferencePairs {
    let a = default_agenda();
    ReferencePairs {
        themes: a
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        drivers: a
            .drivers
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        mora_areas: stip_core::mora::default_areas()
            .into_iter()
            .map(|m| (m.code, m.name))
            .collect(),
        criteria: a
            .criteria
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
    }
}

fn lists() -> Lists {
    Lists::new(&pairs())
}

fn read(name: &str) -> Result<Contents, FileError> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    sheet::read(name, &bytes, &Limits::default())
}

/// A file's bytes read as Horizon College's, against the default agenda, with no mapping.
fn read_bytes(name: &str, bytes: &[u8]) -> Preview {
    let contents =
        sheet::read(name, bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    preview(
        &contents,
        "25LN",
        &lists(),
        &Mapping::new(),
        &Existing::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fixture read as [`read_bytes`] does.
fn previewed(name: &str) -> Preview {
    read_bytes(name, &std::fs::read(fixtures().join(name)).unwrap())
}

/// The project fields of a row as `expected.json` writes them.
fn as_expected(row: &ImportRow) -> serde_json::Map<String, Value> {
    let d = row
        .outcome
        .as_ref()
        .unwrap_or_else(|p| panic!("row {}: {p:?}", row.row));
    let mut m = serde_json::Map::new();
    m.insert("title".into(), d.title.clone().into());
    m.insert("external_id".into(), row.external_id.clone().into());
    m.insert("summary".into(), d.summary.clone().into());
    m.insert("description".into(), d.description.clone().into());
    m.insert("intended_result".into(), d.intended_result.clone().into());
    m.insert("owner".into(), d.owner.clone().into());
    m.insert("project_lead".into(), d.project_lead.clone().into());
    m.insert("contact_person".into(), d.contact_person.clone().into());
    m.insert("phase".into(), d.phase.code().into());
    m.insert("status".into(), d.status.map(|s| s.code()).into());
    m.insert("status_note".into(), d.status_note.clone().into());
    m.insert(
        "start_date".into(),
        d.start_date.map(|x| x.to_string()).into(),
    );
    m.insert("end_date".into(), d.end_date.map(|x| x.to_string()).into());
    m.insert("budget_eur".into(), d.budget.map(|b| b.as_f64()).into());
    m.insert("effort".into(), d.effort.map(|e| e.amount.as_f64()).into());
    m.insert("effort_unit".into(), d.effort.map(|e| e.unit.code()).into());
    m.insert("horizon".into(), d.horizon.map(|x| x.code()).into());
    m.insert("character".into(), d.character.map(|x| x.code()).into());
    m.insert("themes".into(), d.themes.clone().into());
    m.insert("visibility".into(), d.visibility.code().into());
    m.insert("shareable".into(), d.shareable.into());
    m.insert("case_summary".into(), d.case_summary.clone().into());
    m
}

#[test]
fn every_overview_reads_into_the_projects_it_lists() {
    for (name, want) in expected() {
        if !want["error"].is_null() {
            continue;
        }
        let got = previewed(&name);
        let header = got.header.as_ref().expect("a spreadsheet has a header");
        assert_eq!(
            Some(header.row as u64),
            want["header_row"].as_u64(),
            "{name}: header row"
        );
        for (column, field) in want["columns"].as_object().unwrap() {
            let read = header
                .columns
                .iter()
                .find(|c| &c.name == column)
                .unwrap_or_else(|| panic!("{name}: no column {column}"));
            assert_eq!(
                read.field.as_ref().map(|f| f.code()).as_deref(),
                field.as_str(),
                "{name}: column {column} ({:?})",
                read.reason
            );
            if let Some(by) = want.get("reasons").and_then(|r| r[column].as_str()) {
                let reason = serde_json::to_value(&read.reason).unwrap();
                assert_eq!(reason["by"], by, "{name}: why column {column} is read so");
            }
        }
        let skipped: Vec<Value> = got
            .skipped
            .iter()
            .map(|s| serde_json::json!({"row": s.row, "why": s.why}))
            .collect();
        assert_eq!(
            Value::Array(skipped),
            want.get("skipped")
                .cloned()
                .unwrap_or(Value::Array(Vec::new())),
            "{name}: the rows that are no project"
        );
        let good: Vec<&ImportRow> = got.rows.iter().filter(|r| r.outcome.is_ok()).collect();
        let rows = want["rows"].as_array().unwrap();
        assert_eq!(
            good.iter().map(|r| r.row as u64).collect::<Vec<_>>(),
            rows.iter()
                .map(|r| r["row"].as_u64().unwrap())
                .collect::<Vec<_>>(),
            "{name}: the rows read without problems, by their numbers in the sheet"
        );
        for (row, expected_row) in good.iter().zip(rows) {
            let actual = as_expected(row);
            for (field, value) in expected_row.as_object().unwrap() {
                if matches!(field.as_str(), "row" | "match") {
                    continue;
                }
                let value = match (field.as_str(), value) {
                    // An empty text is how a project has no value there.
                    (_, Value::Null)
                        if actual.get(field) == Some(&Value::String(String::new())) =>
                    {
                        Value::String(String::new())
                    }
                    _ => value.clone(),
                };
                assert_eq!(
                    actual.get(field),
                    Some(&value),
                    "{name}, row {}, field {field}",
                    row.row
                );
            }
        }
    }
}

#[test]
fn every_problem_is_named_by_row_and_column() {
    let want = &expected()["fouten.xlsx"];
    let got = previewed("fouten.xlsx");
    let problems: Vec<(u64, String, String)> = got
        .problems()
        .map(|(row, p)| {
            let kind = match (&p.code, p.column.as_str()) {
                (ErrorCode::NotADate, _) => "date",
                (ErrorCode::NotANumber, _) => "number",
                (ErrorCode::OutOfRange { .. }, _) => "range",
                (ErrorCode::InvalidChoice, "Fase") => "phase",
                (ErrorCode::InvalidChoice, "Status") => "status",
                (ErrorCode::Unknown, _) => "theme",
                (ErrorCode::Required, _) => "required",
                (ErrorCode::EndBeforeStart, _) => "date_order",
                (other, _) => panic!("unexpected problem {other:?} in row {row}"),
            };
            (row as u64, p.column.clone(), kind.to_string())
        })
        .collect();
    let expected: Vec<(u64, String, String)> = want["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(problems, expected);
    let date = got.problems().find(|(row, _)| *row == 3).unwrap().1;
    assert_eq!(
        date.value, "31-02-2021",
        "the value as typed, for the message"
    );
}

#[test]
fn files_that_are_no_overview_are_refused_with_the_reason() {
    for (name, want) in expected() {
        let Some(error) = want["error"].as_str() else {
            continue;
        };
        let got = read(&name);
        let ok = matches!(
            (error, &got),
            ("encrypted", Err(FileError::Encrypted))
                | ("not_spreadsheet", Err(FileError::NotASpreadsheet))
                | ("zip_bomb", Err(FileError::ZipBomb { .. }))
                | ("empty", Err(FileError::Empty))
        );
        assert!(ok, "{name}: expected {error}, got {got:?}");
    }
    let too_large = sheet::read(
        "groot.csv",
        &vec![b'a'; 2048],
        &Limits {
            max_bytes: 1024,
            ..Limits::default()
        },
    );
    assert_eq!(too_large, Err(FileError::TooLarge { limit: 1024 }));
}

#[test]
fn a_project_listed_twice_in_one_file_is_refused_the_second_time() {
    let csv = "Projectnr.;Projectnaam;Fase;Thema\nA-1;Roosters;idee;Leermiddelen\nA-1;Roosters bis;idee;Leermiddelen\n;Dashboard;idee;LLO\n;dashboard;idee;LLO\n";
    let got = read_bytes("dubbel.csv", csv.as_bytes());
    let problems: Vec<(usize, &str, &ErrorCode)> = got
        .problems()
        .map(|(row, p)| (row, p.column.as_str(), &p.code))
        .collect();
    assert_eq!(
        problems,
        [
            (3, "Projectnr.", &ErrorCode::DuplicateRow { first: 2 }),
            (5, "Projectnaam", &ErrorCode::DuplicateRow { first: 4 }),
        ]
    );
}

#[test]
fn a_mapping_chosen_by_the_user_overrides_the_recognised_columns() {
    let csv = "Naam;Fase;Thema;Opmerkingen\nRoosters;idee;Leermiddelen;loopt goed\n";
    let contents = sheet::read("eigen.csv", csv.as_bytes(), &Limits::default()).unwrap();
    let mut mapping = Mapping::new();
    mapping.insert("Opmerkingen".into(), None);
    let got = preview(&contents, "25LN", &lists(), &mapping, &Existing::default()).unwrap();
    let d = got.rows[0].outcome.as_ref().unwrap();
    assert_eq!(d.status_note, "", "Opmerkingen left out");
    mapping.insert(
        "Opmerkingen".into(),
        Some(stip_core::exchange::columns::Field::Summary),
    );
    let got = preview(&contents, "25LN", &lists(), &mapping, &Existing::default()).unwrap();
    assert_eq!(got.rows[0].outcome.as_ref().unwrap().summary, "loopt goed");
}

/// No file makes the importer panic: every fixture, cut short and with bytes changed at random
/// (a fixed seed, so a failure repeats), is read to a preview or refused with a reason.
#[test]
fn no_damaged_file_makes_the_importer_panic() {
    let lists = lists();
    let mut rng = fastrand::Rng::with_seed(2021);
    for (name, _) in expected() {
        if name == "zipbom.xlsx" {
            continue;
        }
        let original = std::fs::read(fixtures().join(&name)).unwrap();
        for round in 0..150 {
            let mut bytes = original.clone();
            match round % 3 {
                0 => bytes.truncate(rng.usize(0..=bytes.len())),
                1 => {
                    for _ in 0..rng.usize(1..16) {
                        let at = rng.usize(0..bytes.len().max(1));
                        if let Some(b) = bytes.get_mut(at) {
                            *b = rng.u8(..);
                        }
                    }
                }
                _ => {
                    let at = rng.usize(0..=bytes.len());
                    let junk: Vec<u8> = (0..rng.usize(1..64)).map(|_| rng.u8(..)).collect();
                    bytes.splice(at..at, junk);
                }
            }
            if let Ok(contents) = sheet::read(&name, &bytes, &Limits::default()) {
                let _ = preview(
                    &contents,
                    "25LN",
                    &lists,
                    &Mapping::new(),
                    &Existing::default(),
                );
            }
        }
    }
}

/// The JSON Schema of the exchange format (docs/exchange) names exactly the fields Stip
/// writes, so the documentation cannot drift from the format.
#[test]
fn the_published_schema_names_every_field_of_the_format() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/exchange/portfolio-v1.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let documented: std::collections::BTreeSet<String> = schema["$defs"]["project"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let written = serde_json::to_value(stip_core::exchange::ExchangeProject::default()).unwrap();
    let written: std::collections::BTreeSet<String> =
        written.as_object().unwrap().keys().cloned().collect();
    assert_eq!(documented, written);
}

/// The templates in docs/exchange have exactly the columns Stip writes (for the default
/// agenda's criteria), and read back as a sheet with a header and no projects.
#[test]
fn the_published_templates_have_the_columns_stip_writes() {
    let criteria: Vec<(String, String)> = default_agenda()
        .criteria
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let want: Vec<String> = stip_core::exchange::write::columns(&criteria)
        .into_iter()
        .map(|(_, header)| header)
        .collect();
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/exchange");
    for name in ["portfolio-v1-sjabloon.xlsx", "portfolio-v1-sjabloon.csv"] {
        let bytes = std::fs::read(docs.join(name)).unwrap();
        let Contents::Sheets(sheets) = sheet::read(name, &bytes, &Limits::default()).unwrap()
        else {
            panic!("{name} is a spreadsheet");
        };
        let header: Vec<String> = sheets[0].rows[0].cells.iter().map(|c| c.text()).collect();
        assert_eq!(header, want, "{name}");
        assert_eq!(sheets[0].rows.len(), 1, "{name}: a header and no projects");
        if name.ends_with(".xlsx") {
            assert_eq!(sheets[1].name, "Toelichting", "every column explained");
            assert_eq!(sheets[1].rows.len(), want.len() + 1);
        }
    }
}

/// A MORA column under the names institutions give it, with the areas' names as people write
/// them: one per cell, several with `;`, names that hold a comma themselves, codes.
#[test]
fn a_mora_column_is_read_by_the_names_of_the_areas() {
    let csv = "Projectnaam;Fase;Thema;Procesgebied\n\
               Roosters;idee;Leermiddelen;\"Onderwijs ondersteunen; Tactisch inrichten\"\n\
               HR-dashboard;idee;LLO;Strategie, beleid en sturing, HRM\n\
               Alles;idee;LLO;bedrijfsvoering\n\
               Leeg;idee;LLO;\n\
               Onbekend;idee;LLO;Ruimtevaart\n";
    let got = read_bytes("mora.csv", csv.as_bytes());
    let areas = |row: usize| -> Vec<String> {
        got.rows[row - 2]
            .outcome
            .as_ref()
            .unwrap_or_else(|p| panic!("row {row}: {p:?}"))
            .mora_areas
            .clone()
    };
    assert_eq!(areas(2), ["onderwijs-ondersteunen", "tactisch-inrichten"]);
    assert_eq!(
        areas(3),
        ["bedrijfsvoering-hrm", "strategie-beleid-sturing"]
    );
    assert_eq!(areas(4), ["bedrijfsvoering"]);
    assert_eq!(areas(5), Vec::<String>::new());
    let problems: Vec<(usize, &str, &str, &ErrorCode, &str)> = got
        .problems()
        .map(|(row, p)| {
            (
                row,
                p.column.as_str(),
                p.field.as_str(),
                &p.code,
                p.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [(
            6,
            "Procesgebied",
            "mora_areas",
            &ErrorCode::Unknown,
            "Ruimtevaart"
        )]
    );
    // The standard's headers, Dutch and English, are the same column.
    for header in ["MORA-procesgebieden", "MORA process areas", "MORA"] {
        let csv = format!("Titel;Fase;Thema's;{header}\nRoosters;idee;LLO;Uitstroom\n");
        let got = read_bytes("mora.csv", csv.as_bytes());
        assert_eq!(
            got.rows[0].outcome.as_ref().unwrap().mora_areas,
            ["uitstroom"],
            "{header}"
        );
    }
}

/// An export names the codes of themes, drivers and MORA areas beside them: the codes go in the
/// code columns, the names in their own, and an import reads the codes and leaves the names
/// (or reads the names when a file kept only those).
#[test]
fn an_export_writes_codes_in_code_columns_and_names_beside_them() {
    use stip_core::exchange::columns::Reason;
    use stip_core::exchange::write::{ExportRow, csv};
    let mut data = stip_core::demo::generate(1, 1, 1).projects.remove(0).data;
    data.themes = vec!["llo".into(), "innovatie".into()];
    data.mora_areas = vec!["bedrijfsvoering-hrm".into(), "uitstroom".into()];
    data.drivers = Vec::new();
    let row = ExportRow {
        institution_brin: "25LN",
        institution_name: "Horizon College",
        external_id: None,
        data: &data,
    };
    let bytes = csv(&[row], &pairs());
    let contents = sheet::read("export.csv", &bytes, &Limits::default()).unwrap();
    let Contents::Sheets(sheets) = &contents else {
        panic!("a CSV is a sheet");
    };
    let cell = |header: &str| {
        let at = sheets[0].rows[0]
            .cells
            .iter()
            .position(|c| c.text() == header)
            .unwrap_or_else(|| panic!("no column {header}"));
        sheets[0].rows[1].cell(at).text()
    };
    assert_eq!(cell("Thema's"), "llo; innovatie");
    assert_eq!(
        cell("Thema's (namen)"),
        "Leven lang ontwikkelen (LLO); Innovatie"
    );
    assert_eq!(
        cell("MORA-procesgebieden"),
        "bedrijfsvoering-hrm; uitstroom"
    );
    assert_eq!(cell("MORA-procesgebieden (namen)"), "HRM; Uitstroom");
    assert_eq!(cell("Instelling"), "Horizon College");

    let got = preview(
        &contents,
        "25LN",
        &lists(),
        &Mapping::new(),
        &Existing::default(),
    )
    .unwrap();
    let read = got.rows[0].outcome.as_ref().unwrap();
    assert_eq!(read.themes, ["llo", "innovatie"]);
    assert_eq!(read.mora_areas, ["bedrijfsvoering-hrm", "uitstroom"]);
    let header = got.header.unwrap();
    for names in [
        "Instelling",
        "Thema's (namen)",
        "MORA-procesgebieden (namen)",
    ] {
        let column = header.columns.iter().find(|c| c.name == names).unwrap();
        assert_eq!(
            (&column.field, &column.reason),
            (&None, &Reason::Names),
            "{names}"
        );
    }

    // A file that kept only the names is read by them.
    let csv = "Titel;Fase;Thema's (namen)\nRoosters;idee;\"Innovatie; LLO\"\n";
    let got = read_bytes("namen.csv", csv.as_bytes());
    assert_eq!(
        got.rows[0].outcome.as_ref().unwrap().themes,
        ["innovatie", "llo"]
    );
}
