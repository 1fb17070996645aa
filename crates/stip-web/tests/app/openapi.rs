//! The OpenAPI document describes the API as it answers: the snapshot makes every change to it
//! visible in review, and the tests below pin what clients (and schemathesis) rely on.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::Value;

on_both!(
    the_openapi_document_is_the_reviewed_snapshot,
    every_error_is_documented_as_problem_json,
    the_request_schemas_mark_what_a_save_requires,
    public_reads_are_documented_as_needing_no_login,
    a_body_that_is_not_json_is_415_problem_json,
);

async fn document() -> Value {
    let app = TestApp::demo().await;
    app.anonymous().get("/api/openapi.json").await.json()
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

async fn the_openapi_document_is_the_reviewed_snapshot() {
    insta::assert_json_snapshot!("openapi", document().await);
}

async fn every_error_is_documented_as_problem_json() {
    let doc = document().await;
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            if status.as_str() >= "400" {
                let content = response["content"].as_object().unwrap();
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/problem+json"],
                    "{method} {path} {status}"
                );
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem"
                );
            }
        }
        if op.get("requestBody").is_some() {
            for status in ["413", "415", "422"] {
                assert!(
                    op["responses"].get(status).is_some(),
                    "{method} {path} documents {status}"
                );
            }
        }
    }
}

async fn the_request_schemas_mark_what_a_save_requires() {
    let doc = document().await;
    let schemas = &doc["components"]["schemas"];
    let required = |name: &str| -> Vec<String> {
        schemas[name]["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has required fields"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    for field in ["title", "phase", "themes"] {
        assert!(
            required("ProjectWrite").contains(&field.to_string()),
            "{field}"
        );
        assert!(
            required("ProjectUpdate").contains(&field.to_string()),
            "{field}"
        );
    }
    // A new project has no status until someone gives one.
    assert!(!required("ProjectWrite").contains(&"status".to_string()));
    assert!(!required("ProjectWrite").contains(&"version".to_string()));
    assert!(required("ProjectUpdate").contains(&"version".to_string()));
    assert_eq!(
        doc["paths"]["/api/v1/projects/{id}"]["put"]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"],
        "#/components/schemas/ProjectUpdate"
    );
    assert_eq!(
        schemas["ProjectWrite"]["properties"]["themes"]["minItems"],
        1
    );
    assert!(
        schemas["ProjectWrite"]["properties"]["phase"]["enum"]
            .as_array()
            .unwrap()
            .contains(&Value::from("uitvoering"))
    );
}

async fn public_reads_are_documented_as_needing_no_login() {
    let doc = document().await;
    for (method, path, op) in operations(&doc) {
        let anonymous_ok = op["security"]
            .as_array()
            .is_some_and(|alternatives| alternatives.iter().any(|a| a == &serde_json::json!({})));
        // Prioritising, surveys, meetings and workshops are for people who log in (or, in a
        // workshop, hold a participant's token): their reads too. Joining a workshop by its
        // code needs no account.
        let public_read = method == "get"
            && !path.starts_with("/api/v1/prioritisation/")
            && !path.starts_with("/api/v1/surveys")
            && !path.starts_with("/api/v1/meetings")
            && !path.starts_with("/api/v1/workshops")
            && path != "/api/v1/priorities"
            && !path.ends_with("/workgroup")
            && !path.starts_with("/api/v1/positioning")
            && !path.starts_with("/api/v1/agendas")
            && path != "/api/v1/login-settings"
            || (method.as_str(), path.as_str()) == ("post", "/api/v1/workshops/join");
        assert_eq!(anonymous_ok, public_read, "{method} {path}");
    }
    // And they are: every documented read answers without a login.
    let app = TestApp::demo().await;
    for path in ["/api/v1/institutions", "/api/v1/themes", "/api/v1/projects"] {
        let res = app.anonymous().api(Method::GET, path, None).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
    }
}

async fn a_body_that_is_not_json_is_415_problem_json() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let res = api
        .request(
            Method::POST,
            "/api/v1/projects",
            Some("text/plain"),
            String::from("{}"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(res.header("content-type"), "application/problem+json");
}

/// utoipa names a schema by its type's name and keeps one of two types named alike: a
/// workshop's `QuestionResultJson` once hid the survey's. Every type that derives `ToSchema`
/// has a name of its own.
#[test]
fn no_two_api_schemas_share_a_name() {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut derives = false;
                for line in text.lines().map(str::trim) {
                    if line.starts_with("#[derive(") && line.contains("ToSchema") {
                        derives = true;
                    } else if derives && !line.starts_with("#[") && !line.starts_with("///") {
                        let name = line
                            .trim_start_matches("pub(crate) ")
                            .trim_start_matches("pub ")
                            .trim_start_matches("struct ")
                            .trim_start_matches("enum ")
                            .split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .unwrap_or_default()
                            .to_string();
                        out.push((name, path.display().to_string()));
                        derives = false;
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.len() > 50, "{found:?}");
    found.sort();
    let twice: Vec<_> = found.windows(2).filter(|w| w[0].0 == w[1].0).collect();
    assert!(twice.is_empty(), "schemas named alike: {twice:?}");
}
