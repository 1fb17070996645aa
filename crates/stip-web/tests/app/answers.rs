//! The main API answers as a program reads them, pinned as JSON snapshots (insta): a change to
//! a field's name, type or meaning shows up here as a diff to review. The same snapshot serves
//! SQLite and PostgreSQL, so both must answer alike; times of day are the only values that
//! differ between runs, and they are replaced by `[time]`, and so is the day the demo set a
//! status (`status_date`, the day the test runs), by `[day]`.

use crate::support::*;
use axum::http::Method;
use serde_json::Value;

on_both!(
    the_project_list_answers_as_documented,
    a_project_answers_as_documented,
    institutions_themes_and_mora_areas_answer_as_documented,
    the_network_overview_answers_as_documented,
    a_refused_save_answers_as_documented,
);

/// `value` with every field that holds a moment (`…_at`, `updated`) replaced by `[time]`, and
/// the day a status was set by `[day]`.
fn redacted(mut value: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if (k.ends_with("_at") || k == "updated") && !v.is_null() {
                        *v = Value::from("[time]");
                    } else if k == "status_date" && !v.is_null() {
                        *v = Value::from("[day]");
                    } else {
                        walk(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

async fn read(path: &str) -> Value {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let res = api.api(Method::GET, path, None).await;
    assert_eq!(res.status, 200, "GET {path}");
    redacted(res.json())
}

async fn the_project_list_answers_as_documented() {
    insta::assert_json_snapshot!(
        "project_list",
        read("/api/v1/projects?sort=title&per_page=3").await
    );
}

async fn a_project_answers_as_documented() {
    let list = read("/api/v1/projects?sort=title&per_page=1").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    insta::assert_json_snapshot!("project", read(&format!("/api/v1/projects/{id}")).await);
}

async fn institutions_themes_and_mora_areas_answer_as_documented() {
    insta::assert_json_snapshot!("institutions", read("/api/v1/institutions").await);
    insta::assert_json_snapshot!("themes", read("/api/v1/themes").await);
    insta::assert_json_snapshot!("mora_areas", read("/api/v1/mora-areas").await);
}

async fn the_network_overview_answers_as_documented() {
    insta::assert_json_snapshot!("heatmap", read("/api/v1/insight/heatmap").await);
    insta::assert_json_snapshot!("balance", read("/api/v1/insight/balance").await);
}

async fn a_refused_save_answers_as_documented() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let res = api
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(serde_json::json!({"title": "", "phase": "paars", "start_date": "2026-05-01", "end_date": "2026-01-01"})),
        )
        .await;
    assert_eq!(res.status, 422);
    insta::assert_json_snapshot!("refused_save", redacted(res.json()));
}
