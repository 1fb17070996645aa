//! The API contract at the edge: every refusal names the field and says what was wrong, a project
//! read can be written back, ids that cannot exist are 404, and forms are read as UTF-8 or not at all.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

on_both!(
    an_unknown_field_is_refused_under_the_name_it_was_sent_as,
    a_value_of_the_wrong_type_says_what_belongs_there,
    json_that_does_not_parse_is_named_with_line_and_column,
    a_negative_effort_is_refused_like_a_negative_budget,
    a_project_read_from_the_api_can_be_written_back_with_one_change,
    an_id_beyond_two_to_the_63_is_not_found_like_any_missing_id,
    a_page_parameter_given_twice_is_refused_by_name,
    page_numbers_are_whole_numbers_with_their_own_message,
    a_form_with_bytes_that_are_not_utf8_is_refused_not_mangled,
    an_anonymous_write_is_401_whatever_the_id,
);

fn project_json() -> Value {
    json!({
        "title": "Leermiddelenbeleid",
        "phase": "voorbereiding",
        "status": "groen",
        "themes": ["leermiddelen"],
        "visibility": "netwerk"
    })
}

/// The one error of a 422 problem: (field, code, message).
fn only_error(res: &TestResponse) -> (String, String, String) {
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "422 expected: {}",
        res.body
    );
    assert_eq!(res.header("content-type"), "application/problem+json");
    let p = res.json();
    let errors = p["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{}", res.body);
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    (
        s(&errors[0]["field"]),
        s(&errors[0]["code"]),
        s(&errors[0]["message"]),
    )
}

async fn post(app: &TestApp, body: &str) -> TestResponse {
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    api.request(
        Method::POST,
        "/api/v1/projects",
        Some("application/json"),
        body.to_string(),
    )
    .await
}

async fn an_unknown_field_is_refused_under_the_name_it_was_sent_as() {
    let app = TestApp::demo().await;
    let mut body = project_json();
    body["evil"] = json!(1);
    let res = post(&app, &body.to_string()).await;
    let (field, code, message) = only_error(&res);
    assert_eq!((field.as_str(), code.as_str()), ("evil", "unknown_field"));
    assert!(!message.contains("Kies een van"), "{message}");
    let detail = res.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.starts_with("evil: "), "no i18n key leaks: {detail}");
    assert!(!detail.contains("field."), "{detail}");
}

async fn a_value_of_the_wrong_type_says_what_belongs_there() {
    let app = TestApp::demo().await;
    for (field, value, code, message) in [
        ("title", json!(12), "expected_text", "Vul een tekst in."),
        (
            "themes",
            json!("leermiddelen"),
            "expected_list",
            "Vul een lijst in",
        ),
        (
            "shareable",
            json!("ja"),
            "expected_boolean",
            "Vul true of false in.",
        ),
        (
            "version",
            json!("een"),
            "expected_number",
            "Vul een getal in.",
        ),
        (
            "scores",
            json!([1]),
            "expected_object",
            "Stuur hier een JSON-object",
        ),
    ] {
        let mut body = project_json();
        body[field] = value;
        let res = post(&app, &body.to_string()).await;
        let (f, c, m) = only_error(&res);
        assert_eq!((f.as_str(), c.as_str()), (field, code), "{}", res.body);
        assert!(m.starts_with(message), "{field}: {m}");
    }
    let mut body = project_json();
    body["themes"] = json!(["leermiddelen", 7]);
    let (f, c, _) = only_error(&post(&app, &body.to_string()).await);
    assert_eq!((f.as_str(), c.as_str()), ("themes[1]", "expected_text"));
}

async fn json_that_does_not_parse_is_named_with_line_and_column() {
    let app = TestApp::demo().await;
    let res = post(&app, "{\n  \"title\": \"x\",\n  oops\n}").await;
    let (field, code, message) = only_error(&res);
    assert_eq!((field.as_str(), code.as_str()), ("body", "malformed_json"));
    assert!(message.contains("regel 3"), "{message}");
    assert!(message.contains("kolom 3"), "{message}");
}

async fn a_negative_effort_is_refused_like_a_negative_budget() {
    let app = TestApp::demo().await;
    for (field, value) in [("effort", json!(-2)), ("effort", json!("-1,5"))] {
        let mut body = project_json();
        body[field] = value;
        body["effort_unit"] = json!("fte");
        let (f, c, _) = only_error(&post(&app, &body.to_string()).await);
        assert_eq!((f.as_str(), c.as_str()), ("effort", "out_of_range"));
    }
}

async fn a_project_read_from_the_api_can_be_written_back_with_one_change() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let id = app.project_of("25LN", "netwerk").await;
    let path = format!("/api/v1/projects/{id}");
    let mut project = api.api(Method::GET, &path, None).await.json();
    for read_only in ["id", "institution_name", "created_at", "updated_at"] {
        assert!(project.get(read_only).is_some(), "{read_only} is shown");
    }
    project["phase"] = json!("afgerond");
    let saved = api.api(Method::PUT, &path, Some(project.clone())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["phase"], "afgerond");
    assert_eq!(saved.json()["id"], id, "the id sent back is not a new id");

    // Read-only values are ignored, not written; an unknown field is still refused.
    let mut again = saved.json();
    again["id"] = json!(1);
    again["created_at"] = json!("1999-01-01");
    let res = api.api(Method::PUT, &path, Some(again.clone())).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["created_at"], project["created_at"]);
    again["version"] = res.json()["version"].clone();
    again["colour"] = json!("rood");
    let (f, c, _) = only_error(&api.api(Method::PUT, &path, Some(again)).await);
    assert_eq!((f.as_str(), c.as_str()), ("colour", "unknown_field"));
}

async fn an_id_beyond_two_to_the_63_is_not_found_like_any_missing_id() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    for path in [
        "/api/v1/projects/99999999999999999999",
        "/api/v1/projects/99999999999999999999/history",
        "/api/v1/projects/abc",
    ] {
        let res = api.api(Method::GET, path, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(res.header("content-type"), "application/problem+json");
    }
    let res = api
        .api(
            Method::PUT,
            "/api/v1/projects/99999999999999999999",
            Some(project_json()),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let page = app
        .login(IM_HORIZON)
        .await
        .get("/projecten/99999999999999999999")
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.header("content-type").starts_with("text/html"));
}

async fn a_page_parameter_given_twice_is_refused_by_name() {
    let app = TestApp::demo().await;
    let res = app.anonymous().get("/api/v1/projects?page=1&page=2").await;
    let (field, code, message) = only_error(&res);
    assert_eq!((field.as_str(), code.as_str()), ("page", "repeated"));
    assert_eq!(message, "Geef deze parameter maar één keer mee.");

    let list = app.anonymous().get("/projecten?page=1&page=2").await;
    assert_eq!(list.status, StatusCode::OK, "the list is shown");
    assert!(
        list.shows("Pagina: Geef deze parameter maar één keer mee."),
        "the message is shown at the filter"
    );
}

async fn page_numbers_are_whole_numbers_with_their_own_message() {
    let app = TestApp::demo().await;
    for (query, field) in [
        ("per_page=1.5", "per_page"),
        ("page=COM1", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
    ] {
        let res = app
            .anonymous()
            .get(&format!("/api/v1/projects?{query}"))
            .await;
        let (f, c, m) = only_error(&res);
        assert_eq!(
            (f.as_str(), c.as_str()),
            (field, "not_a_page_number"),
            "{query}"
        );
        assert_eq!(m, "Vul een paginanummer in: een heel getal vanaf 1.");
    }
    let res = app.anonymous().get("/api/v1/projects?per_page=15").await;
    assert_eq!(res.json()["per_page"], 15);
}

async fn a_form_with_bytes_that_are_not_utf8_is_refused_not_mangled() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    let mut body = serde_urlencoded::to_string(full_project_form()).unwrap();
    body = body.replace("title=Dashboard", "title=Caf%E9+Dashboard");
    let body = format!("csrf={csrf}&{body}");
    let before = app
        .store()
        .list_projects(&all_projects(), stip_core::access::ProjectScope::All)
        .await
        .unwrap()
        .total;
    let res = s
        .request(
            Method::POST,
            "/projecten",
            Some("application/x-www-form-urlencoded"),
            body,
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.shows("Onleesbare tekens"), "{}", res.body);
    let after = app
        .store()
        .list_projects(&all_projects(), stip_core::access::ProjectScope::All)
        .await
        .unwrap()
        .total;
    assert_eq!(before, after, "nothing saved");

    // Checkboxes still arrive as lists.
    let res = s.post_form("/projecten", &full_project_form()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let path = res.location().split('?').next().unwrap();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let p = app.store().project(id).await.unwrap();
    assert_eq!(
        p.data.themes,
        ["data-ondersteund-onderwijs", "llo", "innovatie"]
    );
    assert_eq!(
        p.data.drivers.len(),
        2,
        "both drivers: {:?}",
        p.data.drivers
    );
}

async fn an_anonymous_write_is_401_whatever_the_id() {
    let app = TestApp::demo().await;
    let hidden = app.project_of("25LN", "instelling").await;
    for path in [
        format!("/api/v1/projects/{hidden}"),
        "/api/v1/projects/987654".to_string(),
    ] {
        for method in [Method::PUT, Method::DELETE] {
            let res = app
                .anonymous()
                .api(method.clone(), &path, Some(project_json()))
                .await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        }
    }
}
