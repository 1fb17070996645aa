//! Import and export through the API: an informatiemanager uploads their overview, sees per
//! row what it will do and every problem by row and column, commits it once; any list view
//! comes out as XLSX, CSV or JSON with only what the caller may see.

use crate::support::*;
use axum::http::{Method, StatusCode};

on_both!(
    an_overview_is_previewed_then_committed_once,
    a_file_with_problems_is_previewed_with_them_and_never_committed,
    only_the_institutions_own_people_and_beheerders_import,
    an_unreadable_file_is_422_saying_why,
    any_list_view_exports_with_only_what_the_caller_may_see,
    the_import_page_previews_a_file_and_imports_it_once_on_confirmation,
    the_import_page_names_every_problem_by_row_and_column_and_writes_nothing,
    a_column_mapped_by_hand_is_used_and_kept_for_the_next_import,
    the_import_page_takes_files_up_to_20_mb_and_says_so_above_it,
    the_import_page_says_what_is_missing_and_is_only_for_who_may_import,
    every_list_page_links_its_view_as_xlsx_csv_and_json,
);

/// Uploads a fixture on the import page as `s`; the answer (a redirect to the preview).
async fn upload_page(s: &Session, file: &str, institution: &str) -> TestResponse {
    let csrf = s.csrf().await;
    s.upload_with(
        "/projecten/importeren",
        &[("csrf", &csrf), ("institution", institution)],
        file,
        &fixture(file),
    )
    .await
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../stip-core/tests/fixtures/import")
        .join(name);
    std::fs::read(path).unwrap()
}

async fn an_overview_is_previewed_then_committed_once() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let before = app.store().warm().await.unwrap();
    let res = api
        .upload(
            "/api/v1/imports",
            "horizon-overzicht.xlsx",
            &fixture("horizon-overzicht.xlsx"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let preview = res.json();
    assert_eq!(preview["institution"], "25LN", "their own institution");
    assert_eq!(preview["header_row"], 3);
    assert_eq!(preview["rows"].as_array().unwrap().len(), 12);
    assert_eq!(preview["rows"][0]["row"], 4);
    assert_eq!(preview["rows"][0]["status"], "new");
    assert_eq!(preview["counts"]["new"], 12);
    assert!(
        preview["columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["column"] == "Thema('s)" && c["field"] == "themes")
    );
    assert_eq!(
        app.store().warm().await.unwrap(),
        before,
        "nothing written yet"
    );

    let id = preview["id"].as_i64().unwrap();
    let commit = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(commit.status, StatusCode::OK, "{}", commit.body);
    assert_eq!(commit.json()["new"], 12);
    assert_eq!(app.store().warm().await.unwrap(), before + 12);
    let again = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "committed once");

    // The same file again: every row unchanged.
    let res = api
        .upload(
            "/api/v1/imports",
            "horizon-overzicht.xlsx",
            &fixture("horizon-overzicht.xlsx"),
        )
        .await;
    assert_eq!(res.json()["counts"]["unchanged"], 12, "{}", res.body);
}

async fn a_file_with_problems_is_previewed_with_them_and_never_committed() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let before = app.store().warm().await.unwrap();
    let res = api
        .upload("/api/v1/imports", "fouten.xlsx", &fixture("fouten.xlsx"))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let preview = res.json();
    let row3 = &preview["rows"][1];
    assert_eq!(row3["row"], 3);
    assert_eq!(row3["status"], "error");
    assert_eq!(row3["problems"][0]["column"], "Startdatum");
    assert_eq!(
        row3["problems"][0]["message"],
        "'31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025."
    );
    assert_eq!(preview["counts"]["error"], 8);
    let id = preview["id"].as_i64().unwrap();
    let commit = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(commit.status, StatusCode::CONFLICT);
    assert!(
        commit.json()["detail"]
            .as_str()
            .unwrap()
            .contains("8 rijen"),
        "{}",
        commit.body
    );
    assert_eq!(
        app.store().warm().await.unwrap(),
        before,
        "nothing half-written"
    );
}

async fn only_the_institutions_own_people_and_beheerders_import() {
    let app = TestApp::demo().await;
    let file = fixture("horizon-overzicht.xlsx");
    let im = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let res = im
        .upload("/api/v1/imports?institution=25LJ", "h.xlsx", &file)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "another institution");
    for who in [LEZER, REGIEGROEP] {
        let s = app.anonymous().with_bearer(&app.token(who).await);
        let res = s
            .upload("/api/v1/imports?institution=25LN", "h.xlsx", &file)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
    }
    let res = app
        .anonymous()
        .upload("/api/v1/imports?institution=25LN", "h.xlsx", &file)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let admin = app.anonymous().with_bearer(&app.token(BEHEERDER).await);
    let res = admin
        .upload("/api/v1/imports?institution=25LN", "h.xlsx", &file)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // Another institution's informatiemanager cannot commit it: for them it does not exist.
    let id = res.json()["id"].as_i64().unwrap();
    let other = app.anonymous().with_bearer(&app.token(IM_DAVINCI).await);
    let res = other
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

async fn an_unreadable_file_is_422_saying_why() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    for (name, says) in [
        ("versleuteld.xlsx", "met een wachtwoord beveiligd"),
        ("geen-spreadsheet.xlsx", "geen spreadsheet"),
        ("zipbom.xlsx", "pakt uit tot meer dan"),
    ] {
        let res = api.upload("/api/v1/imports", name, &fixture(name)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(res.header("content-type"), "application/problem+json");
        let problem = res.json();
        assert_eq!(problem["errors"][0]["field"], "file");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{name}: {}",
            res.body
        );
    }
    let res = api
        .post_multipart("/api/v1/imports", &[("iets", "anders")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "file");
}

async fn any_list_view_exports_with_only_what_the_caller_may_see() {
    let app = TestApp::demo().await;
    let admin = app.anonymous().with_bearer(&app.token(BEHEERDER).await);
    let res = admin
        .get("/api/v1/projects/export?format=json&institution=25LN&theme=llo")
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/json");
    assert!(
        res.header("content-disposition")
            .starts_with("attachment; filename=\"stip-portfolio-")
    );
    let doc = res.json();
    assert_eq!(doc["format"], "stip-portfolio");
    let listed = admin
        .get("/api/v1/projects?institution=25LN&theme=llo&per_page=200")
        .await
        .json();
    assert_eq!(
        doc["projects"].as_array().unwrap().len() as u64,
        listed["total"].as_u64().unwrap()
    );

    let csv = admin.get("/api/v1/projects/export?format=csv").await;
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(
        csv.body
            .starts_with("\u{feff}BRIN;Instelling;Projectnummer;Titel;")
    );
    let xlsx = admin.get("/api/v1/projects/export?format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );

    // Anonymous: public projects only, as the list shows them.
    let public = app
        .anonymous()
        .get("/api/v1/projects/export?format=json")
        .await
        .json();
    assert!(
        public["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["visibility"] == "openbaar")
    );
    for (query, code) in [
        ("format=pdf", "invalid_choice"),
        ("format=json&format=csv", "repeated"),
        ("theme=llo", "required"),
    ] {
        let bad = admin.get(&format!("/api/v1/projects/export?{query}")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let problem = bad.json();
        assert_eq!(problem["errors"][0]["field"], "format", "{query}");
        assert_eq!(problem["errors"][0]["code"], code, "{query}");
    }
}

async fn the_import_page_previews_a_file_and_imports_it_once_on_confirmation() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let form = s.get("/projecten/importeren").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.shows("Projecten importeren"));
    assert!(form.shows("Horizon College"), "their own institution");
    assert!(form.shows("sjabloon.xlsx"), "the template is offered");

    let before = app.store().warm().await.unwrap();
    let res = upload_page(&s, "horizon-overzicht.xlsx", "").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let preview_href = res.location().to_string();
    assert!(preview_href.starts_with("/projecten/importeren/"));
    let page = s.get(&preview_href).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("12 nieuw"), "{}", page.body);
    assert!(page.shows("kolomnamen in rij 3"));
    assert!(
        page.shows("<label for=\"f-map_"),
        "every column has a labelled field choice"
    );
    assert!(page.shows(">Importeren</button>"));
    assert_eq!(
        app.store().warm().await.unwrap(),
        before,
        "nothing written yet"
    );

    let done = s
        .post_form(&format!("{preview_href}/bevestigen"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.store().warm().await.unwrap(), before + 12);
    let page = s.get(&preview_href).await;
    assert!(page.shows("Geïmporteerd"));
    assert!(page.shows("12 nieuw, 0 gewijzigd, 0 ongewijzigd."));
    assert!(!page.shows(">Importeren</button>"), "not offered twice");
    // Confirming again (a second tab, a double click) writes nothing more.
    s.post_form(&format!("{preview_href}/bevestigen"), &[])
        .await;
    assert_eq!(app.store().warm().await.unwrap(), before + 12);

    // The same file again: nothing changes, and the page says so.
    let again = upload_page(&s, "horizon-overzicht.xlsx", "25LN").await;
    let page = s.get(again.location()).await;
    assert!(page.shows("12 ongewijzigd"));
    assert!(page.shows("Er verandert niets"));
}

async fn the_import_page_names_every_problem_by_row_and_column_and_writes_nothing() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let before = app.store().warm().await.unwrap();
    let res = upload_page(&s, "fouten.xlsx", "25LN").await;
    let href = res.location().to_string();
    let page = s.get(&href).await;
    assert!(page.shows("8 met een probleem"), "{}", page.body);
    assert!(page.shows(
        "rij 3, kolom 'Startdatum': '31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025."
    ));
    assert!(!page.shows(">Importeren</button>"), "nothing to confirm");
    assert!(page.shows("Verbeterd bestand inlezen"));
    // Confirming anyway (an old tab) writes nothing and says why.
    let res = s.post_form(&format!("{href}/bevestigen"), &[]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.shows("Er is niets opgeslagen"));
    assert!(res.shows("8 rijen hebben een probleem"));
    assert_eq!(app.store().warm().await.unwrap(), before);
    // All rows, not only those with problems, when asked.
    let all = s.get(&format!("{href}?rijen=alle")).await;
    assert!(all.shows("Wifi vernieuwen"));
}

/// The index of the column headed `header` in the page's mapping form.
fn column_index(page: &TestResponse, header: &str) -> String {
    let marker = format!("\">{header}</label><input type=\"hidden\" name=\"col_");
    let decoded = html_decode(&page.body);
    let at = decoded
        .find(&marker)
        .unwrap_or_else(|| panic!("no column {header}"));
    let rest = &decoded[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn a_column_mapped_by_hand_is_used_and_kept_for_the_next_import() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let res = upload_page(&s, "fouten.xlsx", "25LN").await;
    let href = res.location().to_string();
    let page = s.get(&href).await;
    // Leaving out the columns with wrong values leaves fewer rows with problems.
    let mut fields = Vec::new();
    for header in ["Startdatum", "Budget"] {
        let i = column_index(&page, header);
        fields.push((format!("col_{i}"), header.to_string()));
        fields.push((format!("map_{i}"), String::new()));
    }
    fields.push(("bewaren".into(), "1".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = s.post_form(&format!("{href}/koppeling"), &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = s.get(res.location()).await;
    assert!(page.shows("4 met een probleem"), "{}", page.body);
    assert!(page.shows("De koppeling is bewaard voor de volgende import van Horizon College."));
    assert!(!page.shows("kolom 'Startdatum'"));

    // The next upload for the institution starts from the kept mapping.
    let next = upload_page(&s, "fouten.xlsx", "25LN").await;
    let page = s.get(next.location()).await;
    assert!(page.shows("4 met een probleem"));
    // Back to what Stip recognises by itself.
    let next_href = next.location().to_string();
    let res = s
        .post_form(&format!("{next_href}/koppeling"), &[("herstel", "1")])
        .await;
    let page = s.get(res.location()).await;
    assert!(page.shows("8 met een probleem"));
}

async fn the_import_page_takes_files_up_to_20_mb_and_says_so_above_it() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    // 5 MB: more than any other form may carry, so read, and refused for what it is.
    let big = vec![b'x'; 5 * 1024 * 1024];
    let res = s
        .upload_with(
            "/projecten/importeren",
            &[("csrf", &csrf)],
            "groot.xlsx",
            &big,
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &res.body[..res.body.len().min(300)]
    );
    assert!(res.shows("geen spreadsheet"));
    assert_eq!(
        res.text_of("e-file")
            .as_deref()
            .map(|t| t.contains("geen spreadsheet")),
        Some(true)
    );
    let huge = vec![b'x'; 21 * 1024 * 1024];
    let res = s
        .upload_with(
            "/projecten/importeren",
            &[("csrf", &csrf)],
            "te-groot.xlsx",
            &huge,
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        res.shows("hoogstens 20 MB"),
        "{}",
        &res.body[..res.body.len().min(2000)]
    );
}

async fn the_import_page_says_what_is_missing_and_is_only_for_who_may_import() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    let res = s
        .post_multipart(
            "/projecten/importeren",
            &[("csrf", &csrf), ("institution", "25LN")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-file").as_deref(),
        Some("Kies een bestand om in te lezen.")
    );
    assert!(
        res.shows("<title>Fout: "),
        "the title says the form has an error"
    );

    // A beheerder chooses the institution; without one, that is what is said.
    let admin = app.login(BEHEERDER).await;
    let form = admin.get("/projecten/importeren").await;
    assert!(form.shows("<select id=\"f-institution\""));
    let res = upload_page(&admin, "horizon-overzicht.xlsx", "").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-institution").as_deref(),
        Some("Kies de instelling van wie dit overzicht is.")
    );
    let res = upload_page(&admin, "horizon-overzicht.xlsx", "25LN").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let href = res.location().to_string();
    // Someone of another institution does not see it; a lezer may not import at all.
    let other = app.login(IM_DAVINCI).await;
    assert_eq!(other.get(&href).await.status, StatusCode::NOT_FOUND);
    let lezer = app.login(LEZER).await;
    assert_eq!(
        lezer.get("/projecten/importeren").await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = app.anonymous().get("/projecten/importeren").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/inloggen"));
}

async fn every_list_page_links_its_view_as_xlsx_csv_and_json() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    for (page, expect) in [
        (
            "/projecten?phase=uitvoering",
            "/api/v1/projects/export?format=xlsx&phase=uitvoering",
        ),
        (
            "/instellingen/25LN",
            "/api/v1/projects/export?format=csv&institution=25LN",
        ),
        (
            "/themas/llo",
            "/api/v1/projects/export?format=json&theme=llo",
        ),
    ] {
        let res = s.get(page).await;
        assert!(
            html_decode(&res.body).contains(&format!("href=\"{expect}")),
            "{page} links {expect}: {}",
            res.body
                .find("export-links")
                .map_or("", |i| &res.body[i..i + 600])
        );
    }
    let res = s
        .get("/api/v1/projects/export?format=xlsx&phase=uitvoering")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
}
