//! The JSON API: tokens and sessions, the same permissions and validation as the pages,
//! 409 on conflicts, problem+json errors, and the OpenAPI document.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use stip_core::portfolio::Status;

on_both!(
    a_token_holder_creates_reads_updates_and_deletes_a_project,
    the_list_takes_the_same_filters_as_the_page_and_reports_the_total,
    anonymous_callers_get_public_projects_only,
    another_institution_gets_403_on_a_forged_save_and_404_on_a_hidden_project,
    a_stale_put_gets_409_with_the_current_project_and_the_changes,
    bad_input_is_422_problem_json_naming_each_field,
    a_session_may_use_the_api_with_its_csrf_header,
    an_unknown_token_is_refused,
    institutions_and_themes_are_listed,
    the_openapi_document_describes_every_route_and_the_api_page_shows_it,
    a_control_character_is_refused_at_its_field,
    history_written_while_a_project_was_hidden_stays_hidden,
    history_is_values_shown_in_the_readers_language,
    a_merge_patch_sets_only_its_fields_and_keeps_what_others_saved_since,
    a_bad_merge_patch_is_422_naming_the_field_and_writes_nothing,
    projects_carry_mora_areas_and_the_list_and_export_filter_on_them,
);

fn project_json() -> serde_json::Value {
    json!({
        "title": "Leermiddelenbeleid",
        "summary": "Eén beleid voor alle teams",
        "phase": "voorbereiding",
        "status": "groen",
        "start_date": "2025-09-01",
        "end_date": "2026-08-31",
        "budget_eur": 40000,
        "themes": ["leermiddelen", "docentprofessionalisering"],
        "drivers": ["krimp"],
        "scores": {"urgentie": 4},
        "visibility": "netwerk"
    })
}

async fn a_token_holder_creates_reads_updates_and_deletes_a_project() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let created = api
        .api(Method::POST, "/api/v1/projects", Some(project_json()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let p = created.json();
    assert_eq!(p["institution"], "25LN");
    assert_eq!(
        p["themes"],
        json!(["leermiddelen", "docentprofessionalisering"])
    );
    assert_eq!(p["budget_eur"], 40000.0);
    assert_eq!(p["version"], 1);
    let id = p["id"].as_i64().unwrap();
    assert_eq!(created.location(), format!("/api/v1/projects/{id}"));

    let read = api
        .api(Method::GET, &format!("/api/v1/projects/{id}"), None)
        .await
        .json();
    for field in [
        "id",
        "institution",
        "title",
        "summary",
        "phase",
        "status",
        "themes",
        "start_date",
        "end_date",
        "budget_eur",
        "visibility",
        "version",
    ] {
        assert!(read.get(field).is_some(), "a project's JSON has {field}");
    }
    assert_eq!(read["start_date"], "2025-09-01");

    let mut change = project_json();
    change["title"] = json!("Leermiddelenbeleid 2026");
    change["version"] = json!(1);
    let updated = api
        .api(Method::PUT, &format!("/api/v1/projects/{id}"), Some(change))
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()["version"], 2);

    let history = api
        .api(Method::GET, &format!("/api/v1/projects/{id}/history"), None)
        .await
        .json();
    assert_eq!(history[0]["version"], 2);
    assert_eq!(history[0]["user"], "Hanna Horizon");
    assert_eq!(
        history[0]["changes"][0],
        json!({"field": "title", "old": "Leermiddelenbeleid", "new": "Leermiddelenbeleid 2026"})
    );

    assert_eq!(
        api.api(Method::DELETE, &format!("/api/v1/projects/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.api(Method::GET, &format!("/api/v1/projects/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn the_list_takes_the_same_filters_as_the_page_and_reports_the_total() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(BEHEERDER).await);
    let all = api
        .api(Method::GET, "/api/v1/projects?per_page=5", None)
        .await
        .json();
    assert_eq!(all["total"], 28);
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert_eq!(all["per_page"], 5);
    let horizon = api
        .api(
            Method::GET,
            "/api/v1/projects?institution=25LN&sort=title",
            None,
        )
        .await
        .json();
    assert_eq!(horizon["total"], 4);
    let titles: Vec<String> = horizon["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    let bad = api
        .api(Method::GET, "/api/v1/projects?status=paars", None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "status");
}

async fn anonymous_callers_get_public_projects_only() {
    let app = TestApp::demo().await;
    let public = app.project_of("25LN", "openbaar").await;
    let network = app.project_of("25LK", "netwerk").await;
    let anon = app.anonymous();
    let list = anon
        .api(Method::GET, "/api/v1/projects?per_page=200", None)
        .await
        .json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["visibility"] == "openbaar")
    );
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == public)
    );
    assert_eq!(
        anon.api(Method::GET, &format!("/api/v1/projects/{network}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a project the caller may not see answers like one that does not exist"
    );
    assert_eq!(
        anon.api(Method::POST, "/api/v1/projects", Some(project_json()))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn another_institution_gets_403_on_a_forged_save_and_404_on_a_hidden_project() {
    let app = TestApp::demo().await;
    let network = app.project_of("25LN", "netwerk").await;
    let hidden = app.project_of("25LR", "instelling").await;
    let davinci = app.anonymous().with_bearer(&app.token(IM_DAVINCI).await);
    assert_eq!(
        davinci
            .api(Method::GET, &format!("/api/v1/projects/{network}"), None)
            .await
            .status,
        StatusCode::OK
    );
    let mut body = project_json();
    body["version"] = json!(app.store().project(network).await.unwrap().version);
    let res = davinci
        .api(
            Method::PUT,
            &format!("/api/v1/projects/{network}"),
            Some(body),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.header("content-type"), "application/problem+json");
    assert_eq!(
        davinci
            .api(Method::DELETE, &format!("/api/v1/projects/{network}"), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut other = project_json();
    other["institution"] = json!("25LN");
    assert_eq!(
        davinci
            .api(Method::POST, "/api/v1/projects", Some(other))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        davinci
            .api(Method::GET, &format!("/api/v1/projects/{hidden}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn a_stale_put_gets_409_with_the_current_project_and_the_changes() {
    let app = TestApp::demo().await;
    let hanna = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let id = hanna
        .api(Method::POST, "/api/v1/projects", Some(project_json()))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let mut first = project_json();
    first["title"] = json!("Eerste");
    first["version"] = json!(1);
    assert_eq!(
        hanna
            .api(Method::PUT, &format!("/api/v1/projects/{id}"), Some(first))
            .await
            .status,
        StatusCode::OK
    );
    let mut second = project_json();
    second["status"] = json!("rood");
    second["version"] = json!(1);
    let res = hanna
        .api(Method::PUT, &format!("/api/v1/projects/{id}"), Some(second))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let body = res.json();
    assert_eq!(body["current"]["title"], "Eerste");
    assert_eq!(body["current"]["version"], 2);
    assert_eq!(body["changes"][0]["changes"][0]["new"], "Eerste");
    assert_eq!(
        app.store().project(id).await.unwrap().data.status,
        Some(Status::Groen),
        "nothing overwritten"
    );

    let mut missing = project_json();
    missing["title"] = json!("Zonder versie");
    let res = hanna
        .api(
            Method::PUT,
            &format!("/api/v1/projects/{id}"),
            Some(missing),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "version");
}

async fn bad_input_is_422_problem_json_naming_each_field() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let mut body = project_json();
    body["title"] = json!("");
    body["start_date"] = json!("2026-01-01");
    body["end_date"] = json!("2025-01-01");
    body["themes"] = json!(["ruimtevaart"]);
    body["budget_eur"] = json!("twaalf");
    let res = api.api(Method::POST, "/api/v1/projects", Some(body)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.header("content-type"), "application/problem+json");
    let problem = res.json();
    assert_eq!(problem["status"], 422);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["title", "end_date", "primary_theme", "budget"] {
        assert!(fields.contains(&f), "{f} is named: {fields:?}");
    }
    assert_eq!(
        problem["errors"][0]["message"], "Vul een titel in.",
        "messages in Dutch by default"
    );

    let wrong_type = api
        .api(Method::POST, "/api/v1/projects", Some(json!({"title": 12})))
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.json()["errors"][0]["field"], "title");
    let bad_brin = app.anonymous().with_bearer(&app.token(BEHEERDER).await);
    let mut b = project_json();
    b["institution"] = json!("XYZ");
    let res = bad_brin
        .api(Method::POST, "/api/v1/projects", Some(b))
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "institution");
}

async fn a_session_may_use_the_api_with_its_csrf_header() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
    assert_eq!(
        s.api(Method::POST, "/api/v1/projects", Some(project_json()))
            .await
            .status,
        StatusCode::CREATED
    );
    // Without the header, a cookie alone cannot change anything.
    let res = s
        .request(
            Method::POST,
            "/api/v1/projects",
            Some("application/json"),
            project_json().to_string(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

async fn an_unknown_token_is_refused() {
    let app = TestApp::demo().await;
    let res = app
        .anonymous()
        .with_bearer("stip_bestaatniet")
        .api(Method::GET, "/api/v1/projects", None)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

async fn institutions_and_themes_are_listed() {
    let app = TestApp::demo().await;
    let anon = app.anonymous();
    let inst = anon
        .api(Method::GET, "/api/v1/institutions", None)
        .await
        .json();
    assert_eq!(inst.as_array().unwrap().len(), 7);
    assert!(
        inst.as_array()
            .unwrap()
            .iter()
            .any(|i| i["brin"] == "25LN" && i["name"] == "Horizon College")
    );
    let themes = anon.api(Method::GET, "/api/v1/themes", None).await.json();
    assert_eq!(themes.as_array().unwrap().len(), 8);
    assert_eq!(themes[0]["code"], "llo");
}

async fn the_openapi_document_describes_every_route_and_the_api_page_shows_it() {
    let app = TestApp::demo().await;
    let doc = app.anonymous().get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/api/v1/institutions", "get"),
        ("/api/v1/themes", "get"),
        ("/api/v1/mora-areas", "get"),
        ("/api/v1/projects", "get"),
        ("/api/v1/projects", "post"),
        ("/api/v1/projects/{id}", "get"),
        ("/api/v1/projects/{id}", "put"),
        ("/api/v1/projects/{id}", "delete"),
        ("/api/v1/projects/{id}/history", "get"),
    ];
    for (path, method) in expected {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/projects"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "institution",
        "theme",
        "phase",
        "status",
        "character",
        "horizon",
        "perspective",
        "driver",
        "mora",
        "q",
        "sort",
        "page",
        "per_page",
    ] {
        assert!(params.contains(&p), "filter {p} is documented");
    }
    let page = app.anonymous().get("/api").await;
    assert_eq!(page.status, StatusCode::OK);
    for (path, method) in expected {
        assert!(
            page.shows(&format!("{} {path}", method.to_uppercase())),
            "{method} {path} on the API page"
        );
    }
    assert!(page.shows("ProjectJson"));
}

/// `"a\u0000b"` in a text: refused as 422 at the field on both databases (PostgreSQL cannot
/// store NUL and answered 500; SQLite stored it), and a login with such an address is a failed
/// login, not an error.
async fn a_control_character_is_refused_at_its_field() {
    let app = &TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let mut body = project_json();
    body["summary"] = json!("a\u{0}b");
    body["title"] = json!("Titel met \u{1b}[31m escape");
    let res = api.api(Method::POST, "/api/v1/projects", Some(body)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let problem = res.json();
    let errors = problem["errors"].as_array().unwrap();
    for field in ["title", "summary"] {
        let error = errors
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("{field} is named: {errors:?}"));
        assert_eq!(error["code"], "control_character");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("onzichtbaar teken"),
            "{error}"
        );
    }
    let login = app
        .anonymous()
        .post_form("/inloggen", &[("email", "a\u{0}b@c.nl"), ("password", "x")])
        .await;
    assert!(
        !login.status.is_server_error(),
        "a NUL in the login address: {}",
        login.status
    );
}

/// The scenario: a project saved as `instelling` with a confidential summary, its
/// summary changed (still `instelling`), then made `openbaar`. Anonymous visitors see only the
/// version that made it public, without the old summary and without editors' names, in the API
/// and on the page; the institution still sees everything.
async fn history_written_while_a_project_was_hidden_stays_hidden() {
    let app = &TestApp::demo().await;
    let secret = "Vertrouwelijk: ontslag van 40 medewerkers ICT";
    let hanna = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let mut body = project_json();
    body["visibility"] = json!("instelling");
    body["summary"] = json!(secret);
    let created = hanna
        .api(Method::POST, "/api/v1/projects", Some(body.clone()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/projects/{id}");
    body["summary"] = json!("Herinrichting van de ICT-afdeling");
    body["version"] = json!(1);
    assert_eq!(
        hanna
            .api(Method::PUT, &path, Some(body.clone()))
            .await
            .status,
        StatusCode::OK
    );
    body["visibility"] = json!("openbaar");
    body["version"] = json!(2);
    assert_eq!(
        hanna.api(Method::PUT, &path, Some(body)).await.status,
        StatusCode::OK
    );

    let public = app
        .anonymous()
        .api(Method::GET, &format!("{path}/history"), None)
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(!public.body.contains("Vertrouwelijk"), "{}", public.body);
    assert!(!public.body.contains("Hanna"), "{}", public.body);
    let entries = public.json();
    assert_eq!(entries.as_array().unwrap().len(), 1, "{entries}");
    assert_eq!(entries[0]["version"], 3);
    assert_eq!(entries[0]["visibility"], "openbaar");
    assert_eq!(entries[0]["user"], "");

    let page = app.anonymous().get(&format!("/projecten/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.shows("Vertrouwelijk"));
    assert!(!page.shows("Hanna Horizon"));
    assert!(page.shows("versie 3"));
    assert!(!page.shows("versie 2"));

    let network = app.anonymous().with_bearer(&app.token(LEZER).await);
    let seen = network
        .api(Method::GET, &format!("{path}/history"), None)
        .await
        .json();
    assert_eq!(seen.as_array().unwrap().len(), 1, "{seen}");

    let own = hanna
        .api(Method::GET, &format!("{path}/history"), None)
        .await
        .json();
    assert_eq!(own.as_array().unwrap().len(), 3);
    assert_eq!(own[1]["changes"][0]["old"], secret);
    assert_eq!(own[1]["user"], "Hanna Horizon");
}

/// History keeps values: the API gives numbers and booleans, and the page writes them in the
/// reader's language.
async fn history_is_values_shown_in_the_readers_language() {
    let app = TestApp::demo().await;
    let hanna = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let mut body = project_json();
    body.as_object_mut().unwrap().remove("budget_eur");
    let id = hanna
        .api(Method::POST, "/api/v1/projects", Some(body.clone()))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    body["budget_eur"] = json!(12500.5);
    body["shareable"] = json!(true);
    body["case_summary"] = json!("Een voorbeeld voor anderen");
    body["version"] = json!(1);
    let saved = hanna
        .api(Method::PUT, &format!("/api/v1/projects/{id}"), Some(body))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    let history = hanna
        .api(Method::GET, &format!("/api/v1/projects/{id}/history"), None)
        .await
        .json();
    let change = |field: &str| {
        history[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == field)
            .cloned()
            .unwrap_or_else(|| panic!("{field} changed: {history}"))
    };
    assert_eq!(
        change("budget"),
        json!({"field": "budget", "old": null, "new": 12500.5})
    );
    assert_eq!(
        change("shareable"),
        json!({"field": "shareable", "old": false, "new": true})
    );

    let dutch = app.login(IM_HORIZON).await;
    let page = dutch.get(&format!("/projecten/{id}")).await;
    assert!(page.shows("<td></td><td>€ 12.500,50</td>"), "{}", page.body);
    assert!(page.shows("<td>nee</td><td>ja</td>"));
    let english = app.login(IM_HORIZON).await;
    english.set_cookie("stip_lang", "en");
    let page = english.get(&format!("/projecten/{id}")).await;
    assert!(page.shows("<td></td><td>€12,500.50</td>"), "{}", page.body);
    assert!(page.shows("<td>no</td><td>yes</td>"));
}

/// An integration that only updates a status sends only the status: a JSON merge patch.
async fn a_merge_patch_sets_only_its_fields_and_keeps_what_others_saved_since() {
    let app = TestApp::demo().await;
    let hanna = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let created = hanna
        .api(Method::POST, "/api/v1/projects", Some(project_json()))
        .await
        .json();
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/projects/{id}");
    let patch = |body: serde_json::Value| {
        hanna.request(
            Method::PATCH,
            &path,
            Some("application/merge-patch+json"),
            body.to_string(),
        )
    };
    // Someone else renames the project: version 1 → 2.
    let mut renamed = created.clone();
    renamed["title"] = json!("Leermiddelenbeleid 2027");
    let res = hanna.api(Method::PUT, &path, Some(renamed)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // A status update based on version 1 touches no field changed since: applied.
    let res = patch(json!({"version": 1, "status": "rood", "status_note": "Uitgesteld"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let body = res.json();
    assert_eq!(body["status"], "rood");
    assert_eq!(body["status_note"], "Uitgesteld");
    assert_eq!(body["title"], "Leermiddelenbeleid 2027", "the rename stays");
    assert_eq!(body["budget_eur"], 40000.0, "fields not in the patch stay");
    assert_eq!(body["version"], 3);
    let history = hanna
        .api(Method::GET, &format!("{path}/history"), None)
        .await
        .json();
    let fields: Vec<&str> = history[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["status", "status_note"], "only the patch's fields");

    // A patch of a field changed since its version: 409 naming it, nothing written.
    let res = patch(json!({"version": 1, "title": "Oud idee", "phase": "idee"})).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let body = res.json();
    assert_eq!(body["fields"], json!(["title"]));
    assert!(body["detail"].as_str().unwrap().contains("title"));
    assert_eq!(body["current"]["version"], 3);
    let stored = app.store().project(id).await.unwrap();
    assert_eq!(stored.data.title, "Leermiddelenbeleid 2027");
    assert_eq!(stored.version, 3, "nothing written");

    // Plain JSON is accepted too; null empties a field, and nested objects merge.
    let res = hanna
        .api(
            Method::PATCH,
            &path,
            // 3.0 is the whole number 3 in JSON.
            Some(
                json!({"version": 3.0, "status": null, "scores": {"urgentie": null, "risico": 2}}),
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let body = res.json();
    assert_eq!(
        body["status"],
        serde_json::Value::Null,
        "no status any more"
    );
    assert_eq!(body["scores"], json!({"risico": 2}));
}

async fn a_bad_merge_patch_is_422_naming_the_field_and_writes_nothing() {
    let app = TestApp::demo().await;
    let hanna = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let id = hanna
        .api(Method::POST, "/api/v1/projects", Some(project_json()))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/projects/{id}");
    for (body, field, code) in [
        (json!({"status": "rood"}), "version", "required"),
        (
            json!({"version": 1, "stauts": "rood"}),
            "stauts",
            "unknown_field",
        ),
        (
            json!({"version": 1, "status": "paars"}),
            "status",
            "invalid_choice",
        ),
        (json!({"version": 1, "title": null}), "title", "required"),
        (
            json!({"version": 1, "end_date": "2020-01-01"}),
            "end_date",
            "end_before_start",
        ),
        (
            json!({"version": 1, "institution": "00AA"}),
            "institution",
            "invalid_choice",
        ),
    ] {
        let res = hanna.api(Method::PATCH, &path, Some(body.clone())).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.body
        );
        let problem = res.json();
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        assert_eq!(problem["errors"][0]["code"], code, "{body}");
    }
    let res = hanna
        .request(
            Method::PATCH,
            &path,
            Some("text/plain"),
            String::from("{\"version\": 1}"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.store().project(id).await.unwrap().version, 1);
    let davinci = app.anonymous().with_bearer(&app.token(IM_DAVINCI).await);
    let res = davinci
        .api(
            Method::PATCH,
            &path,
            Some(json!({"version": 1, "status": "rood"})),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "another institution's project"
    );
}

/// `mora_areas` is read and written like `drivers`; an unknown code is a 422 naming the field;
/// `mora` filters the list and an export, a main area also finding its sub-areas' projects.
async fn projects_carry_mora_areas_and_the_list_and_export_filter_on_them() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let areas = app
        .anonymous()
        .api(Method::GET, "/api/v1/mora-areas", None)
        .await
        .json();
    let areas = areas.as_array().unwrap();
    assert_eq!(areas.len(), 19);
    assert_eq!(
        areas[0],
        json!({"code": "verbinding-maatschappij", "name": "Verbinding met maatschappij, bedrijfsleven en regio", "parent": null})
    );
    assert!(areas.contains(
        &json!({"code": "bedrijfsvoering-hrm", "name": "HRM", "parent": "bedrijfsvoering"})
    ));

    let mut body = project_json();
    body["title"] = json!("Strategisch personeelsplan");
    body["mora_areas"] = json!(["strategie-beleid-sturing", "bedrijfsvoering-hrm"]);
    let created = api.api(Method::POST, "/api/v1/projects", Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let p = created.json();
    assert_eq!(
        p["mora_areas"],
        json!(["bedrijfsvoering-hrm", "strategie-beleid-sturing"]),
        "a set, sorted"
    );
    let id = p["id"].as_i64().unwrap();

    let mut bad = p.clone();
    bad["mora_areas"] = json!(["bedrijfsvoering-hrm", "ruimtevaart"]);
    let res = api
        .api(Method::PUT, &format!("/api/v1/projects/{id}"), Some(bad))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let problem = res.json();
    assert_eq!(problem["errors"][0]["field"], "mora_areas");
    assert_eq!(problem["errors"][0]["code"], "unknown");
    let mut unknown = project_json();
    unknown["mora_areas"] = json!(["ruimtevaart"]);
    let res = api
        .api(Method::POST, "/api/v1/projects", Some(unknown))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "mora_areas");

    let patched = api
        .api(
            Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            Some(json!({"version": 1, "mora_areas": ["bedrijfsvoering-hrm"]})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.json()["mora_areas"], json!(["bedrijfsvoering-hrm"]));
    let history = api
        .api(Method::GET, &format!("/api/v1/projects/{id}/history"), None)
        .await
        .json();
    assert_eq!(history[0]["changes"][0]["field"], "mora_areas");
    assert_eq!(
        history[0]["changes"][0]["old"],
        json!(["bedrijfsvoering-hrm", "strategie-beleid-sturing"])
    );

    let ids = async |query: &str| -> Vec<i64> {
        let page = api
            .api(
                Method::GET,
                &format!("/api/v1/projects?per_page=200&{query}"),
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
        page.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    assert!(ids("mora=bedrijfsvoering-hrm").await.contains(&id));
    assert!(
        ids("mora=bedrijfsvoering").await.contains(&id),
        "a main area finds its sub-areas' projects"
    );
    assert!(!ids("mora=strategie-beleid-sturing").await.contains(&id));
    let all_hrm = ids("mora=bedrijfsvoering-hrm").await;
    let export = api
        .get("/api/v1/projects/export?format=json&mora=bedrijfsvoering-hrm")
        .await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    let exported = export.json();
    let exported = exported["projects"].as_array().unwrap();
    assert_eq!(exported.len(), all_hrm.len());
    assert!(exported.iter().all(|p| {
        p["mora_areas"]
            .as_array()
            .unwrap()
            .contains(&json!("bedrijfsvoering-hrm"))
    }));
    let csv = api
        .get("/api/v1/projects/export?format=csv&mora=bedrijfsvoering-hrm")
        .await;
    assert!(csv.body.contains(";MORA-procesgebieden;"));
    assert!(csv.body.contains(";HRM"), "the spreadsheet names the areas");
}
