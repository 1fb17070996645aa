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
);

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
