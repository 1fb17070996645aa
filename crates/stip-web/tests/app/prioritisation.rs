//! Prioritising (issue 12): scores by hand, weights per view and from pairwise comparison, the
//! best selection under a budget and its frontier, and scenarios saved, read and compared,
//! each guarded by role; through the API and the pages.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use stip_core::user::Role;

on_both!(
    scores_are_the_weighted_share_by_hand_and_a_missing_score_stays_missing,
    an_institution_weighs_its_own_portfolio_and_only_those_allowed_may,
    the_selection_is_the_best_within_the_budget_and_says_why_not_for_the_rest,
    impossible_conditions_are_refused_naming_the_cause,
    the_frontier_rises_with_the_budget_and_marks_the_current_selection,
    pairwise_comparison_gives_the_weights_and_their_consistency,
    scenarios_are_saved_read_compared_and_guarded_per_role,
    the_pages_rank_plot_select_save_and_compare,
    the_weighting_page_derives_and_saves_weights,
    a_selection_weighs_its_own_way_and_its_scenario_keeps_it,
    a_lezer_saving_a_scenario_hears_no_before_anything_about_the_body,
);

/// Scores on the five default criteria: strategische bijdrage, impact op onderwijs, urgentie,
/// inspanning (negative), risico (negative).
fn scored(p: &mut stip_core::portfolio::ProjectInput, s: [&str; 5]) {
    let codes = [
        "strategische-bijdrage",
        "impact-onderwijs",
        "urgentie",
        "inspanning",
        "risico",
    ];
    for (code, v) in codes.into_iter().zip(s) {
        if !v.is_empty() {
            p.scores.insert(code.into(), v.into());
        }
    }
}

fn item(scores: &Value, id: i64) -> &Value {
    scores["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("project {id} in {scores}"))
}

async fn scores_of(s: &Session, query: &str) -> Value {
    let res = s
        .get(&format!("/api/v1/prioritisation/scores{query}"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

async fn scores_are_the_weighted_share_by_hand_and_a_missing_score_stays_missing() {
    let app = TestApp::new().await;
    let full = app
        .add_project("25LN", "Volledig gescoord", |p| {
            scored(p, ["4", "5", "2", "4", "1"])
        })
        .await;
    let partial = app
        .add_project("25LN", "Zonder risico", |p| {
            scored(p, ["5", "5", "5", "1", ""])
        })
        .await;
    let s = app.session(Role::Lezer).await;
    let scores = scores_of(&s, "").await;
    // Weights 3, 3, 2, 1,5 and 1 (10,5 in all). Strategische bijdrage 4 → 3/10,5 × 3/4 × 100
    // = 21,43; impact 5 → 28,57; urgentie 2 → 2/10,5 × 1/4 × 100 = 4,76; inspanning 4 counts
    // as 2 → 1,5/10,5 × 1/4 × 100 = 3,57; risico 1 counts as 5 → 9,52. Together 67,86.
    let a = item(&scores, full);
    assert_eq!(a["score"], json!(67.86));
    let points: Vec<f64> = a["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["points"].as_f64().unwrap())
        .collect();
    assert_eq!(points, vec![21.43, 28.57, 4.76, 3.57, 9.52]);
    assert_eq!(a["breakdown"][0]["criterion"], "strategische-bijdrage");
    assert_eq!(a["breakdown"][0]["score"], 4);
    let b = item(&scores, partial);
    assert_eq!(b["score"], Value::Null, "a missing score is not a zero");
    assert_eq!(b["missing"], json!(["risico"]));
    assert_eq!(b["breakdown"][4]["score"], Value::Null);
    // Best first, the unscored last.
    assert_eq!(scores["items"][0]["id"], full);
    assert_eq!(scores["items"][1]["id"], partial);
    assert_eq!(scores["weighting"], "network");

    // One score: the project page says the number the ranking shows, and no total where the
    // ranking has none.
    let ranking = s.get("/prioriteren").await;
    assert!(ranking.shows("67,9"), "{}", ranking.body);
    let page = s.get(&format!("/projecten/{full}")).await;
    assert!(
        page.shows("Score met de weging van het netwerk: 67,9 van 100"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/prioriteren\""));
    let page = s.get(&format!("/projecten/{partial}")).await;
    assert!(
        page.shows("Score met de weging van het netwerk: nog geen, want niet gescoord op Risico"),
        "{}",
        page.body
    );

    let anonymous = app.anonymous().get("/api/v1/prioritisation/scores").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn an_institution_weighs_its_own_portfolio_and_only_those_allowed_may() {
    let app = TestApp::new().await;
    let id = app
        .add_project("25LN", "Volledig gescoord", |p| {
            scored(p, ["4", "5", "2", "4", "1"])
        })
        .await;
    let im = app.session(Role::Informatiemanager).await;
    let only_strategy =
        json!({"weights": {"impact-onderwijs": 0, "urgentie": 0, "inspanning": 0, "risico": 0}});
    let res = im
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LN",
            Some(only_strategy.clone()),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["own"], true);
    let version = res.json()["version"].as_i64().unwrap();

    // Horizon's portfolio is weighed Horizon's way: strategische bijdrage 4 alone → 75.
    let own = scores_of(&im, "?institution=25LN").await;
    assert_eq!(own["weighting"], "25LN");
    assert_eq!(item(&own, id)["score"], json!(75.0));
    // The network still weighs all five.
    assert_eq!(item(&scores_of(&im, "").await, id)["score"], json!(67.86));
    // The project page names both, each by whose weighting it is.
    let page = im.get(&format!("/projecten/{id}")).await;
    assert!(page.shows("Score met de weging van het netwerk: 67,9 van 100"));
    assert!(
        page.shows("Score met de weging van Horizon College: 75 van 100"),
        "{}",
        page.body
    );
    // Not the network's weights, not another institution's; a reader weighs nothing.
    let network = im
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights",
            Some(only_strategy.clone()),
        )
        .await;
    assert_eq!(network.status, StatusCode::FORBIDDEN);
    app.institution("25LK", "DaVinci College").await;
    let other = im
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LK",
            Some(only_strategy.clone()),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let lezer = app.session(Role::Lezer).await;
    let res = lezer
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LN",
            Some(only_strategy.clone()),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The regiegroep weighs for the network; a save from an old version is a conflict.
    let regie = app.session(Role::Regiegroep).await;
    let res = regie
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=network",
            Some(json!({"weights": {"risico": 5}})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let stale = regie
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LN",
            Some(json!({"weights": {"risico": 5}, "version": version - 1})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    // Every weight 0 would leave every project without a score; an unknown code is named.
    let res = im
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LN",
            Some(json!({"weights": {"strategische-bijdrage": 0, "impact-onderwijs": 0, "urgentie": 0, "inspanning": 0, "risico": 0}, "version": version})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "weights");
    let res = im
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LN",
            Some(json!({"weights": {"snelheid": 2}, "version": version})),
        )
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "weights.snelheid");
    // Another instance keeps the weightings in memory too, and forgets them at a change in the
    // log: after Horizon weighs again, its page there says the new score.
    let other = app.another_instance().await;
    let there = other.session(Role::Informatiemanager).await;
    assert!(
        there
            .get(&format!("/projecten/{id}"))
            .await
            .shows("Score met de weging van Horizon College: 75 van 100")
    );
    let current = im
        .get("/api/v1/prioritisation/weights?view=25LN")
        .await
        .json()["version"]
        .as_i64()
        .unwrap();
    let urgency_only = json!({"version": current, "weights": {"strategische-bijdrage": 0, "impact-onderwijs": 0, "urgentie": 1, "inspanning": 0, "risico": 0}});
    let res = im
        .api(
            Method::PUT,
            "/api/v1/prioritisation/weights?view=25LN",
            Some(urgency_only),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    other.store().follow_changes().await.unwrap();
    // Urgentie 2 alone → 25.
    let page = there.get(&format!("/projecten/{id}")).await;
    assert!(
        page.shows("Score met de weging van Horizon College: 25 van 100"),
        "{}",
        page.body
    );
}

/// Four ideas of Horizon College with budgets, every one scored, and one without a score.
async fn ideas(app: &TestApp) -> Vec<i64> {
    let mut ids = Vec::new();
    for (title, budget, s) in [
        ("Groot en goed", "600000", ["5", "5", "5", "1", "1"]), // 100
        ("Middel A", "400000", ["4", "4", "4", "2", "2"]),      // 75
        ("Middel B", "400000", ["4", "4", "4", "2", "2"]),      // 75
        ("Klein", "100000", ["2", "2", "2", "4", "4"]),         // 25
    ] {
        ids.push(
            app.add_project("25LN", title, |p| {
                p.budget = budget.into();
                scored(p, s);
            })
            .await,
        );
    }
    ids.push(
        app.add_project("25LN", "Nog niet gescoord", |p| p.budget = "1000".into())
            .await,
    );
    ids
}

async fn select(s: &Session, body: Value) -> crate::support::TestResponse {
    s.api(Method::POST, "/api/v1/prioritisation/selection", Some(body))
        .await
}

fn reason(res: &Value, id: i64) -> String {
    res["not_selected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .map(|n| n["reason"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn the_selection_is_the_best_within_the_budget_and_says_why_not_for_the_rest() {
    let app = TestApp::new().await;
    let ids = ideas(&app).await;
    let (big, a, b, small, unscored) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    let s = app.session(Role::Informatiemanager).await;
    // € 900.000: taking the best one first leaves 300.000 for the small one (125); both
    // middle ones and the small one (175) do better.
    let res = select(&s, json!({"project_ids": ids, "budget_cap": 900000})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = res.json();
    assert_eq!(r["selected"], json!([a, b, small]));
    assert_eq!(r["total_value"], json!(175.0));
    assert_eq!(r["total_cost"], json!(900000.0));
    assert_eq!(r["budget_left"], json!(0.0));
    assert_eq!(r["weighting"], "25LN");
    assert_eq!(reason(&r, big), "over_budget");
    assert_eq!(reason(&r, unscored), "no_score");
    let message = r["not_selected"][0]["message"].as_str().unwrap();
    assert!(message.contains("€ 600.000"), "{message}");

    // Forced in, the best one comes first; forced out, a middle one makes room for the other.
    let r = select(
        &s,
        json!({"project_ids": ids, "budget_cap": 900000, "forced_in": [big]}),
    )
    .await
    .json();
    assert_eq!(r["selected"], json!([big, small]));
    assert_eq!(r["notes"][0]["note"], "forced_in");
    let r = select(
        &s,
        json!({"project_ids": ids, "budget_cap": 900000, "forced_out": [a]}),
    )
    .await
    .json();
    assert_eq!(r["selected"], json!([big, small]));
    assert_eq!(reason(&r, a), "forced_out");

    // The small one requires the best one: now both middle ones are best without it.
    let r = select(
        &s,
        json!({"project_ids": ids, "budget_cap": 900000, "requires": [[small, big]]}),
    )
    .await
    .json();
    assert_eq!(r["selected"], json!([a, b]));
    // Forced in without a score, it counts as no value and says so.
    let r = select(
        &s,
        json!({"project_ids": ids, "budget_cap": 900000, "forced_in": [unscored]}),
    )
    .await
    .json();
    assert!(r["selected"].as_array().unwrap().contains(&json!(unscored)));
    assert!(
        r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == unscored && n["note"] == "counted_without_score")
    );

    // A project the caller may not see is refused by its place in the list.
    let secret = app
        .add_project("25LK", "Alleen voor DaVinci", |p| {
            p.visibility = "instelling".into();
            p.budget = "10".into();
        })
        .await;
    let res = select(&s, json!({"project_ids": [a, secret], "budget_cap": 1000})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "project_ids[1]");
    // Without a cap there is nothing to choose within.
    let res = select(&s, json!({"project_ids": [a]})).await;
    assert_eq!(res.json()["errors"][0]["field"], "budget_cap");
    let res = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/prioritisation/selection",
            Some(json!({"project_ids": [a], "budget_cap": 1})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

async fn impossible_conditions_are_refused_naming_the_cause() {
    let app = TestApp::new().await;
    let ids = ideas(&app).await;
    let (big, a, b) = (ids[0], ids[1], ids[2]);
    let s = app.session(Role::Regiegroep).await;
    let res = select(
        &s,
        json!({"project_ids": ids, "budget_cap": 900000, "forced_in": [big, a]}),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = res.json();
    assert_eq!(problem["errors"][0]["field"], "budget_cap");
    assert_eq!(problem["errors"][0]["code"], "forced_over_cap");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("1.000.000") && message.contains("900.000"),
        "{message}"
    );

    // A requires B and B requires A, A must be in and B must stay out.
    let res = select(
        &s,
        json!({"project_ids": ids, "budget_cap": 2000000, "forced_in": [a], "forced_out": [b], "requires": [[a, b], [b, a]]}),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = res.json();
    assert_eq!(problem["errors"][0]["field"], "requires");
    assert_eq!(problem["errors"][0]["code"], "requires_excluded");
    let res = select(
        &s,
        json!({"project_ids": [a], "budget_cap": 1, "forced_in": [b]}),
    )
    .await;
    assert_eq!(res.json()["errors"][0]["code"], "not_a_candidate");
}

async fn the_frontier_rises_with_the_budget_and_marks_the_current_selection() {
    let app = TestApp::new().await;
    let ids = ideas(&app).await;
    let s = app.session(Role::Lezer).await;
    let res = s
        .api(
            Method::POST,
            "/api/v1/prioritisation/frontier",
            Some(json!({"project_ids": ids, "steps": 5, "budget_cap": 900000})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let f = res.json();
    let points = f["points"].as_array().unwrap();
    assert_eq!(points.len(), 5);
    // From nothing to all four scored ideas (€ 1.500.000, value 275).
    assert_eq!(points[0]["budget"], json!(0.0));
    assert_eq!(points[4]["budget"], json!(1500000.0));
    assert_eq!(points[4]["value"], json!(275.0));
    for w in points.windows(2) {
        assert!(w[0]["value"].as_f64() <= w[1]["value"].as_f64());
    }
    assert_eq!(f["current"]["value"], json!(175.0));
    let res = s
        .api(
            Method::POST,
            "/api/v1/prioritisation/frontier",
            Some(json!({"project_ids": ids, "steps": 1})),
        )
        .await;
    assert_eq!(res.json()["errors"][0]["field"], "steps");
}

async fn pairwise_comparison_gives_the_weights_and_their_consistency() {
    let app = TestApp::new().await;
    let s = app.session(Role::Lezer).await;
    // Consistent: strategische bijdrage twice urgentie, urgentie twice risico.
    let res = s
        .api(
            Method::POST,
            "/api/v1/prioritisation/ahp",
            Some(json!({
                "criteria": ["strategische-bijdrage", "urgentie", "risico"],
                "comparisons": [
                    {"a": "strategische-bijdrage", "b": "urgentie", "value": 2},
                    {"a": "risico", "b": "strategische-bijdrage", "value": 0.25},
                    {"a": "urgentie", "b": "risico", "value": 2}
                ]
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let d = res.json();
    assert_eq!(d["weights"][0]["weight"], json!(0.5714));
    assert_eq!(d["weights"][1]["weight"], json!(0.2857));
    assert_eq!(d["weights"][2]["weight"], json!(0.1429));
    assert_eq!(d["consistency_ratio"], json!(0.0));
    assert_eq!(d["consistent"], true);
    // A pair left out is named; so is a judgement off Saaty's scale.
    let res = s
        .api(
            Method::POST,
            "/api/v1/prioritisation/ahp",
            Some(json!({
                "criteria": ["strategische-bijdrage", "urgentie", "risico"],
                "comparisons": [
                    {"a": "strategische-bijdrage", "b": "urgentie", "value": 12},
                    {"a": "urgentie", "b": "risico", "value": 2}
                ]
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = res.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            "strategische-bijdrage:urgentie out_of_range",
            "strategische-bijdrage:risico missing_pair"
        ]
    );
}

async fn scenarios_are_saved_read_compared_and_guarded_per_role() {
    let app = TestApp::new().await;
    let ids = ideas(&app).await;
    let (big, a, b, small) = (ids[0], ids[1], ids[2], ids[3]);
    let im = app.session(Role::Informatiemanager).await;
    let create = |name: &str, cap: i64, forced_in: Vec<i64>| json!({"name": name, "institution": "25LN", "candidates": "phase=idee", "budget_cap": cap, "forced_in": forced_in});
    let res = im
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(create("Ruim", 900000, vec![])),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let wide = res.json();
    assert_eq!(wide["result"]["selected"], json!([a, b, small]));
    let wide_id = wide["id"].as_i64().unwrap();
    let res = im
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(create("Groot eerst", 900000, vec![big])),
        )
        .await;
    let big_first = res.json()["id"].as_i64().unwrap();

    // Read back, compared: they differ on every project but the small one.
    let read = im
        .get(&format!("/api/v1/prioritisation/scenarios/{wide_id}"))
        .await
        .json();
    assert_eq!(read["name"], "Ruim");
    assert_eq!(read["institution"], "25LN");
    assert_eq!(read["result"]["total_value"], json!(175.0));
    let cmp = im
        .get(&format!(
            "/api/v1/prioritisation/scenarios/compare?ids={wide_id},{big_first}"
        ))
        .await;
    assert_eq!(cmp.status, StatusCode::OK, "{}", cmp.body);
    let cmp = cmp.json();
    assert_eq!(cmp["scenarios"][0]["total_value"], json!(175.0));
    assert_eq!(cmp["scenarios"][1]["total_value"], json!(125.0));
    let differing: Vec<i64> = cmp["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(differing, vec![big, a, b]);
    assert_eq!(cmp["scenarios"][0]["themes"][0]["theme"], "innovatie");
    assert_eq!(cmp["scenarios"][0]["themes"][0]["projects"], 3);
    let res = im
        .get(&format!(
            "/api/v1/prioritisation/scenarios/compare?ids={wide_id}"
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Changing from an old version is a conflict; from the current one it saves.
    let mut change = create("Ruim, bijgesteld", 1000000, vec![]);
    change["version"] = json!(read["version"].as_i64().unwrap() - 1);
    let res = im
        .api(
            Method::PUT,
            &format!("/api/v1/prioritisation/scenarios/{wide_id}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    change["version"] = read["version"].clone();
    let res = im
        .api(
            Method::PUT,
            &format!("/api/v1/prioritisation/scenarios/{wide_id}"),
            Some(change),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["budget_cap"], json!(1000000.0));

    // A reader cannot save one; the regiegroep cannot save Horizon's; another institution's
    // informatiemanager does not see them.
    let lezer = app.session(Role::Lezer).await;
    let res = lezer
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(create("Nee", 1, vec![])),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let regie = app.session(Role::Regiegroep).await;
    let res = regie
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(create("Nee", 1, vec![])),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let mut network = create("Netwerkthema's", 500000, vec![]);
    network["institution"] = Value::Null;
    let res = regie
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(network),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let network_id = res.json()["id"].as_i64().unwrap();
    assert_eq!(
        regie
            .get(&format!("/api/v1/prioritisation/scenarios/{wide_id}"))
            .await
            .status,
        StatusCode::OK
    );

    let davinci_id = app.institution("25LK", "DaVinci College").await;
    let davinci = app
        .session_at(Role::Informatiemanager, Some(davinci_id))
        .await;
    assert_eq!(
        davinci
            .get(&format!("/api/v1/prioritisation/scenarios/{wide_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed: Vec<i64> = davinci.get("/api/v1/prioritisation/scenarios").await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, vec![network_id]);

    // Bad input names its field and saves nothing.
    let res = im
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(json!({"name": "", "institution": "25LN", "budget_cap": -5})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = res.refused_fields();
    assert!(
        fields.contains(&"name".to_string()) && fields.contains(&"budget_cap".to_string()),
        "{fields:?}"
    );

    let res = im
        .api(
            Method::DELETE,
            &format!("/api/v1/prioritisation/scenarios/{big_first}"),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        im.get(&format!("/api/v1/prioritisation/scenarios/{big_first}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn the_pages_rank_plot_select_save_and_compare() {
    let app = TestApp::new().await;
    let ids = ideas(&app).await;
    let small = ids[3];
    app.add_project("25LN", "Met inspanning", |p| {
        p.budget = "50000".into();
        p.effort = "2".into();
        p.effort_unit = "fte".into();
        scored(p, ["3", "3", "3", "3", "3"]);
    })
    .await;
    let anonymous = app.anonymous().get("/prioriteren").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    let im = app.session(Role::Informatiemanager).await;

    let res = im.get("/prioriteren?institution=25LN").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("Groot en goed"));
    assert!(res.shows("Geen score"), "the unscored project says so");
    assert_eq!(
        res.text_of("result-count").as_deref(),
        Some("6 projecten, waarvan 1 zonder volledige score.")
    );

    let res = im
        .get("/prioriteren/waarde-inspanning?institution=25LN")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("<svg class=\"chart bubbles\""));
    assert!(res.body.contains("href=\"/projecten/"));
    assert!(
        res.shows("Niet in de grafiek"),
        "projects without effort are listed"
    );

    let res = im
        .get("/prioriteren/selectie?institution=25LN&budget=900.000")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("Gekozen (3)"), "{}", res.body);
    assert!(res.body.contains("<svg class=\"chart frontier\""));
    assert!(res.shows("Past niet in het budget dat over is"));
    // A project required by its title (as the list suggests it), carried to the scenario form
    // as its number; a part two titles share is refused at the row.
    let groot = ids[0];
    let res = im
        .get(&format!(
            "/prioriteren/selectie?institution=25LN&budget=900.000&v{small}=groot%20en%20goed"
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        !res.body.contains(&format!("id=\"e-v{small}\"")),
        "{}",
        res.body
    );
    assert!(
        res.body.contains(&format!(
            "<input type=\"hidden\" name=\"v{small}\" value=\"{groot}\">"
        )),
        "{}",
        res.body
    );
    assert!(
        res.body
            .contains("<option value=\"Groot en goed — Horizon College\">")
    );
    let res = im
        .get(&format!(
            "/prioriteren/selectie?institution=25LN&budget=900.000&v{small}=Middel"
        ))
        .await;
    assert!(
        res.body.contains(&format!("id=\"e-v{small}\"")),
        "{}",
        res.body
    );

    // Saved as a scenario, it reads back with its outcome; the page shows the chosen ones.
    let res = im
        .post_form(
            "/prioriteren/scenarios",
            &[
                ("name", "Ruim budget"),
                ("candidates", "institution=25LN"),
                ("budget", "900.000"),
                (&format!("k{small}"), "mee"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let scenario = res.location().to_string();
    let res = im.get(&scenario).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("Ruim budget"));
    assert!(res.shows("Staat op ‘moet mee’."));
    let stored = app.store().scenarios().await.unwrap();
    assert_eq!(stored[0].data.forced_in, vec![small]);
    let second = im
        .post_form(
            "/prioriteren/scenarios",
            &[
                ("name", "Krap budget"),
                ("candidates", "institution=25LN"),
                ("budget", "400.000"),
            ],
        )
        .await
        .location()
        .to_string();
    let id_of = |href: &str| href.rsplit('/').next().unwrap().to_string();
    let res = im
        .get(&format!(
            "/prioriteren/scenarios/vergelijk?id={}&id={}",
            id_of(&scenario),
            id_of(&second)
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("Projecten waarin de scenario's verschillen"));
    let api = im
        .get(&format!(
            "/api/v1/prioritisation/scenarios/compare?ids={},{}",
            id_of(&scenario),
            id_of(&second)
        ))
        .await
        .json();
    let differences = api["differences"].as_array().unwrap();
    assert!(!differences.is_empty());
    for d in differences {
        assert!(res.shows(d["title"].as_str().unwrap()), "{d}");
    }
    // With the small one forced in, € 900.000 reaches 175 (both middle ones, or the best
    // one with the 2-fte project); € 400.000 reaches 75.
    assert_eq!(api["scenarios"][0]["total_value"], json!(175.0));
    assert_eq!(api["scenarios"][1]["total_value"], json!(75.0));
    // One scenario is no comparison: back to the list with the reason.
    let res = im
        .get(&format!(
            "/prioriteren/scenarios/vergelijk?id={}",
            id_of(&scenario)
        ))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // Without a name nothing is saved and the selection says what is missing.
    let res = im
        .post_form(
            "/prioriteren/scenarios",
            &[
                ("name", ""),
                ("candidates", "institution=25LN"),
                ("budget", "900.000"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let back = im.get(res.location()).await;
    assert!(back.shows("Vul een naam in."), "{}", back.body);
    assert_eq!(app.store().scenarios().await.unwrap().len(), 2);

    // A reader sees the scenarios but cannot delete one.
    let lezer = app.session(Role::Lezer).await;
    let res = lezer
        .post_form(&format!("{scenario}/verwijderen"), &[])
        .await;
    assert_eq!(
        res.status,
        StatusCode::NOT_FOUND,
        "Horizon's scenario is not the reader's"
    );
    let res = im.post_form(&format!("{scenario}/verwijderen"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().scenarios().await.unwrap().len(), 1);
}

async fn the_weighting_page_derives_and_saves_weights() {
    let app = TestApp::new().await;
    let im = app.session(Role::Informatiemanager).await;
    let res = im.get("/prioriteren/weging?view=25LN").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("Er is nog geen eigen weging"));
    // Every pair judged equal: five equal weights of 20 and a ratio of 0.
    let mut q = String::from("/prioriteren/weging?view=25LN");
    let codes = [
        "strategische-bijdrage",
        "impact-onderwijs",
        "urgentie",
        "inspanning",
        "risico",
    ];
    for i in 0..5 {
        for j in i + 1..5 {
            q.push_str(&format!("&p_{}_{}=1", codes[i], codes[j]));
        }
    }
    let res = im.get(&q).await;
    assert!(
        res.shows("Je keuzes zijn consistent genoeg"),
        "{}",
        res.body
    );
    let mut form = vec![("view", "25LN"), ("version", ""), ("consistency", "0")];
    let weights: Vec<(String, &str)> = codes.iter().map(|c| (format!("w_{c}"), "20")).collect();
    form.extend(weights.iter().map(|(k, v)| (k.as_str(), *v)));
    let res = im.post_form("/prioriteren/weging", &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = im.get(res.location()).await;
    assert!(res.shows("De weging is opgeslagen."));
    assert!(res.shows("De gewichten komen uit een paarsgewijze vergelijking"));
    // A contradiction is flagged.
    let res = im
        .get("/prioriteren/weging?view=25LN&p_strategische-bijdrage_impact-onderwijs=9&p_strategische-bijdrage_urgentie=1/9&p_impact-onderwijs_urgentie=9")
        .await;
    assert!(
        res.shows("Vergelijk ook dit paar criteria."),
        "the other pairs are missing"
    );
    // A reader may not save.
    let lezer = app.session(Role::Lezer).await;
    let res = lezer.post_form("/prioriteren/weging", &form).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

async fn a_selection_weighs_its_own_way_and_its_scenario_keeps_it() {
    let app = TestApp::new().await;
    let id = app
        .add_project("25LN", "Volledig gescoord", |p| {
            p.budget = "1000".into();
            scored(p, ["4", "5", "2", "4", "1"])
        })
        .await;
    let im = app.session(Role::Informatiemanager).await;
    // Only strategische bijdrage counts: 4 → 75 instead of 67,86.
    let only_strategy = "w_impact-onderwijs=0&w_urgentie=0&w_inspanning=0&w_risico=0";
    let res = im
        .get(&format!(
            "/prioriteren/selectie?institution=25LN&budget=5000&{only_strategy}"
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("<td>75</td>"), "{}", res.body);
    let res = im
        .post_form(
            "/prioriteren/scenarios",
            &[
                ("name", "Alleen strategie"),
                ("candidates", "institution=25LN"),
                ("budget", "5000"),
                ("w_impact-onderwijs", "0"),
                ("w_urgentie", "0"),
                ("w_inspanning", "0"),
                ("w_risico", "0"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let scenario = res.location().to_string();
    let stored = &app.store().scenarios().await.unwrap()[0];
    assert_eq!(stored.data.weights.len(), 4);
    let api = im
        .get(&format!(
            "/api/v1/prioritisation/scenarios/{}",
            scenario.rsplit('/').next().unwrap()
        ))
        .await
        .json();
    assert_eq!(api["result"]["total_value"], json!(75.0));
    assert_eq!(api["result"]["selected"], json!([id]));
    // Changing it opens the selection with those weights filled in.
    let page = im.get(&scenario).await;
    assert!(
        page.body.contains("w_urgentie=0"),
        "the change link carries the weights"
    );
    // A weight off the scale is named and nothing is worked out.
    let res = im
        .get("/prioriteren/selectie?institution=25LN&budget=5000&w_urgentie=500")
        .await;
    assert!(
        res.shows("Kies een waarde van 0 tot en met 100."),
        "{}",
        res.body
    );
    assert!(!res.shows("Uitkomst"));
}

/// Permission first (issue 29): a lezer may save no scenario at all, so whatever they send is
/// answered 403, not 422 about its fields.
async fn a_lezer_saving_a_scenario_hears_no_before_anything_about_the_body() {
    let app = TestApp::demo().await;
    let lezer = app.login(LEZER).await;
    for body in [
        json!({"name": ""}),
        json!({"name": "Ruim", "budget_cap": "veel"}),
        json!({"name": "Ruim", "institution": "25LN", "candidates": "phase=idee"}),
    ] {
        let res = lezer
            .api(
                Method::POST,
                "/api/v1/prioritisation/scenarios",
                Some(body.clone()),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{body}: {}", res.body);
    }
    // An informatiemanager sending a faulty body hears what is wrong with it.
    let im = app.login(IM_HORIZON).await;
    let res = im
        .api(
            Method::POST,
            "/api/v1/prioritisation/scenarios",
            Some(json!({"name": ""})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
}
