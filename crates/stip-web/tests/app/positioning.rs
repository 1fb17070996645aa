//! Positionering (issue 16, first part): an institution's own place on the axes, its aspects and
//! its stakeholder map, and the network's distributions shown only from the threshold on
//! (k-anonymity), never with an institution's name: not in the API, the page or the export.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use stip_core::user::Role;

on_both!(
    the_network_sees_distributions_only_from_five_institutions_and_never_a_name,
    each_role_reads_and_writes_only_what_is_theirs,
    a_stakeholder_map_round_trips_and_keeps_its_history,
    the_pages_plot_an_institution_and_the_beheerder_sets_the_threshold,
    the_network_is_a_snapshot_renewed_only_after_the_threshold_of_new_saves,
    positionings_saved_at_once_renew_only_in_whole_steps in "multi_thread",
);

const MINE: &str = "/api/v1/positioning/mine";
const NETWORK: &str = "/api/v1/positioning/network";
const SETTINGS: &str = "/api/v1/positioning/settings";

/// Institutions with names no page would otherwise show.
const NAMES: [&str; 5] = [
    "Albatros College",
    "Berkenhof Opleidingen",
    "Cederdal ROC",
    "Duinrand Vakschool",
    "Eikenlaan College",
];

fn position(so: i64, ib: i64, mandaat: i64) -> serde_json::Value {
    json!({
        "axes": {"strategisch_operationeel": so, "ict_business": ib},
        "aspects": {"mandaat": mandaat, "draagvlak": 3},
        "stakeholders": [{"name": "College van bestuur", "power": 5, "interest": 3, "note": ""}],
    })
}

async fn the_network_sees_distributions_only_from_five_institutions_and_never_a_name() {
    let app = TestApp::new().await;
    let mut ims = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        let id = app.institution(&format!("0{}AA", i + 1), name).await;
        ims.push(app.session_at(Role::Informatiemanager, Some(id)).await);
    }
    let reader = app.session(Role::Lezer).await;
    for (i, im) in ims.iter().take(4).enumerate() {
        let v = i as i64 + 1;
        let saved = im
            .api(Method::PUT, MINE, Some(position(v, 5 - i as i64, v)))
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }

    // Four answered: nothing but how many, and how many more are needed.
    let four = ims[0].get(NETWORK).await;
    assert_eq!(four.status, StatusCode::OK, "{}", four.body);
    let n = four.json();
    assert_eq!(n["shown"], false);
    assert_eq!(n["answered"], 4);
    assert_eq!(n["needed"], 1);
    for d in n["axes"]
        .as_array()
        .unwrap()
        .iter()
        .chain(n["aspects"].as_array().unwrap())
    {
        assert_eq!(d["shown"], false);
        assert_eq!(d["counts"], json!([0, 0, 0, 0, 0]));
        assert_eq!(d["median"], json!(null));
    }
    // Their own score they do see.
    assert_eq!(n["axes"][0]["mine"], 1);
    let page = reader.get("/positionering").await;
    assert!(page.shows("er zijn er nog 1 nodig"), "{}", page.body);
    assert!(!page.body.contains("dist-strategisch_operationeel"));
    let csv = reader.get("/positionering/netwerk.csv").await;
    assert!(csv.body.contains("te weinig antwoorden"), "{}", csv.body);

    // The fifth: distributions per axis and aspect, with counts and median.
    ims[4].api(Method::PUT, MINE, Some(position(3, 3, 3))).await;
    let five = ims[1].get(NETWORK).await;
    let n = five.json();
    assert_eq!(n["shown"], true);
    assert_eq!(n["answered"], 5);
    assert_eq!(n["needed"], 0);
    let so = &n["axes"][0];
    assert_eq!(so["code"], "strategisch_operationeel");
    assert_eq!(so["counts"], json!([1, 1, 2, 1, 0]));
    assert_eq!(so["median"], 3.0);
    assert_eq!(so["mine"], 2);
    assert_eq!(n["axes"][1]["counts"], json!([0, 1, 2, 1, 1]));
    let mandaat = &n["aspects"][0];
    assert_eq!(mandaat["code"], "mandaat");
    assert_eq!(mandaat["counts"], json!([1, 1, 2, 1, 0]));
    assert_eq!(n["aspects"][1]["counts"], json!([0, 0, 5, 0, 0]));
    // An aspect nobody scored is not shown, though the whole is.
    assert_eq!(n["aspects"][2]["shown"], false);

    // No institution's name anywhere the network looks: the API, the page, the export.
    let page = ims[1].get("/positionering").await;
    assert!(page.body.contains("dist-strategisch_operationeel"));
    assert!(page.shows("jullie score"));
    let csv = ims[1].get("/positionering/netwerk.csv").await;
    assert!(csv.body.contains("Mandaat"), "{}", csv.body);
    for body in [
        &five.body,
        &page.body,
        &csv.body,
        &reader.get(NETWORK).await.body,
    ] {
        for name in NAMES {
            assert!(!body.contains(name), "{name} in {body}");
        }
    }
    // A reader without an institution sees the same distributions, with nothing marked.
    let theirs = reader.get(NETWORK).await.json();
    assert_eq!(theirs["axes"][0]["counts"], json!([1, 1, 2, 1, 0]));
    assert_eq!(theirs["axes"][0]["mine"], json!(null));
}

async fn each_role_reads_and_writes_only_what_is_theirs() {
    let app = TestApp::new().await;
    let horizon = app.institution("25LN", "Horizon College").await;
    let davinci = app.institution("25LK", "DaVinci College").await;
    let im = app.session_at(Role::Informatiemanager, Some(horizon)).await;
    let colleague = app.session_at(Role::Lezer, Some(horizon)).await;
    let other = app.session_at(Role::Informatiemanager, Some(davinci)).await;
    let beheerder = app.session(Role::Beheerder).await;
    let regie = app.session(Role::Regiegroep).await;

    let saved = im.api(Method::PUT, MINE, Some(position(2, 4, 3))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // A reader of the same institution reads it, and may not change it.
    assert_eq!(colleague.get(MINE).await.json()["axes"]["ict_business"], 4);
    assert_eq!(
        colleague
            .api(Method::PUT, MINE, Some(position(1, 1, 1)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Another institution sees its own (nothing yet), never Horizon's.
    let theirs = other.get(MINE).await.json();
    assert_eq!(theirs["saved_at"], json!(null));
    assert_eq!(theirs["axes"], json!({}));
    // Without an institution there is no "mine": not even the beheerder reads another's.
    for s in [&beheerder, &regie] {
        assert_eq!(s.get(MINE).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            s.api(Method::PUT, MINE, Some(position(1, 1, 1)))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(s.get(NETWORK).await.status, StatusCode::OK);
    }
    let anonymous = app.anonymous();
    for path in [MINE, NETWORK, SETTINGS] {
        assert_eq!(anonymous.get(path).await.status, StatusCode::UNAUTHORIZED);
    }
    assert!(
        anonymous
            .get("/positionering")
            .await
            .status
            .is_redirection()
    );

    // The settings are the beheerder's; the threshold is never below three.
    let new_settings = json!({"threshold": 3, "aspects": [
        {"code": "mandaat", "name": "Mandaat", "low": "beperkt", "high": "ruim"},
        {"code": "budget", "name": "Eigen budget", "low": "geen", "high": "ruim"}]});
    assert_eq!(
        regie
            .api(Method::PUT, SETTINGS, Some(new_settings.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let low = beheerder
        .api(
            Method::PUT,
            SETTINGS,
            Some(json!({"threshold": 2, "aspects": []})),
        )
        .await;
    assert_eq!(low.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(low.json()["errors"][0]["field"], "threshold");
    let set = beheerder
        .api(Method::PUT, SETTINGS, Some(new_settings))
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        im.get(SETTINGS).await.json()["aspects"][1]["code"],
        "budget"
    );
    // An aspect the beheerder did not configure is refused by name.
    let unknown = im
        .api(
            Method::PUT,
            MINE,
            Some(json!({"axes": {"strategisch_operationeel": 1, "ict_business": 1}, "aspects": {"draagvlak": 2}})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["errors"][0]["field"], "aspects.draagvlak");
}

async fn a_stakeholder_map_round_trips_and_keeps_its_history() {
    let app = TestApp::new().await;
    let horizon = app.institution("25LN", "Horizon College").await;
    let im = app.session_at(Role::Informatiemanager, Some(horizon)).await;
    let sent = json!({
        "axes": {"strategisch_operationeel": 2, "ict_business": 4},
        "aspects": {"mandaat": 2, "termijn": 4},
        "explanations": {"mandaat": "Alleen adviserend", "ict_business": "Zit bij de business"},
        "stakeholders": [
            {"name": "College van bestuur", "power": 5, "interest": 2, "note": "Weinig tijd", "action": "Tevreden houden met een kwartaalnotitie"},
            {"name": "Teamleiders", "power": 2, "interest": 5, "note": ""},
            {"name": "Functioneel beheer", "power": 2, "interest": 5, "note": "Zelfde cel"},
        ],
    });
    let saved = im.api(Method::PUT, MINE, Some(sent.clone())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let read = im.get(MINE).await.json();
    assert_eq!(read["axes"], sent["axes"]);
    assert_eq!(read["aspects"], sent["aspects"]);
    assert_eq!(read["explanations"], sent["explanations"]);
    let mut expected = sent["stakeholders"].clone();
    expected[1]["action"] = json!("");
    expected[2]["action"] = json!("");
    assert_eq!(read["stakeholders"], expected);
    assert_eq!(read["history"], json!([]));

    // Refused by field (the second stakeholder's power); nothing changes.
    let mut wrong = sent.clone();
    wrong["stakeholders"][1]["power"] = json!(7);
    wrong["axes"]["ict_business"] = json!(0);
    let refused = im.api(Method::PUT, MINE, Some(wrong)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = refused.json()["errors"].clone();
    let fields: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["axes.ict_business", "stakeholders[1].power"]);
    assert_eq!(im.get(MINE).await.json()["stakeholders"], expected);

    // A second save keeps the first as history.
    let mut moved = sent.clone();
    moved["axes"]["strategisch_operationeel"] = json!(4);
    im.api(Method::PUT, MINE, Some(moved)).await;
    let read = im.get(MINE).await.json();
    assert_eq!(read["axes"]["strategisch_operationeel"], 4);
    assert_eq!(read["history"][0]["axes"]["strategisch_operationeel"], 2);

    // The printable map: every stakeholder numbered, with its quadrant and what to do.
    let map = im.get("/positionering/stakeholders").await;
    assert_eq!(map.status, StatusCode::OK);
    for text in [
        "College van bestuur",
        "Tevreden houden met een kwartaalnotitie",
        "Functioneel beheer",
    ] {
        assert!(map.shows(text), "{text} not on the map");
    }
    assert_eq!(map.body.matches("<td>Tevreden houden</td>").count(), 1);
    assert_eq!(map.body.matches("<td>Informeren</td>").count(), 2);
    assert_eq!(map.body.matches("class=\"stakeholder-dot\"").count(), 3);
}

async fn the_pages_plot_an_institution_and_the_beheerder_sets_the_threshold() {
    let app = TestApp::new().await;
    let horizon = app.institution("25LN", "Horizon College").await;
    let im = app.session_at(Role::Informatiemanager, Some(horizon)).await;
    let form = im.get("/positionering/bewerken").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.shows("Bestuurlijk draagvlak"));
    // An axis left open and a stakeholder without a name are named; nothing is saved.
    let refused = im
        .post_form(
            "/positionering/bewerken",
            &[
                ("axes.strategisch_operationeel", "2"),
                ("stakeholders[0].name", ""),
                ("stakeholders[0].power", "4"),
                ("stakeholders[0].interest", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.shows("ICT of business"), "{}", refused.body);
    assert!(refused.shows("Stakeholder 1: Naam of rol"));
    assert_eq!(im.get(MINE).await.json()["saved_at"], json!(null));

    let saved = im
        .post_form(
            "/positionering/bewerken",
            &[
                ("axes.strategisch_operationeel", "2"),
                ("axes.ict_business", "5"),
                ("aspects.draagvlak", "4"),
                ("explanations.draagvlak", "Het CvB staat erachter"),
                ("stakeholders[0].name", "Teamleiders"),
                ("stakeholders[0].power", "2"),
                ("stakeholders[0].interest", "4"),
                ("stakeholders[1].name", ""),
            ],
        )
        .await;
    assert!(saved.status.is_redirection(), "{}", saved.body);
    let page = im.get("/positionering").await;
    assert!(page.shows("Het CvB staat erachter"));
    assert!(page.shows("Stakeholderkaart (1 stakeholder)"));
    assert_eq!(
        im.get(MINE).await.json()["aspects"],
        json!({"draagvlak": 4})
    );

    // The beheerder lowers the threshold to three; two is refused at its field.
    let beheerder = app.session(Role::Beheerder).await;
    let low = beheerder
        .post_form(
            "/positionering/instellingen",
            &[
                ("threshold", "2"),
                ("aspects[0].code", "mandaat"),
                ("aspects[0].name", "Mandaat"),
                ("aspects[0].low", "beperkt"),
                ("aspects[0].high", "ruim"),
            ],
        )
        .await;
    assert_eq!(low.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(low.shows("Minimaal aantal instellingen"), "{}", low.body);
    let set = beheerder
        .post_form(
            "/positionering/instellingen",
            &[
                ("threshold", "3"),
                ("aspects[0].code", "mandaat"),
                ("aspects[0].name", "Mandaat"),
                ("aspects[0].low", "beperkt"),
                ("aspects[0].high", "ruim"),
            ],
        )
        .await;
    assert!(set.status.is_redirection(), "{}", set.body);
    let n = im.get(NETWORK).await.json();
    assert_eq!(n["threshold"], 3);
    assert_eq!(n["needed"], 2);
    assert_eq!(n["aspects"].as_array().unwrap().len(), 1);
    assert_eq!(
        im.get("/positionering/instellingen").await.status,
        StatusCode::FORBIDDEN
    );
}

// ---- Issue 29: the network cannot be read off by difference ---------------------------------

/// Institutions that plot themselves, every other one through a second instance on the same
/// database: their informatiemanagers.
async fn plotters(app: &TestApp, other: &TestApp, n: usize) -> Vec<Session> {
    let mut ims = Vec::new();
    for i in 0..n {
        let id = app
            .institution(&format!("{}PA", 10 + i), &format!("Plot College {i}"))
            .await;
        let on = if i % 2 == 0 { app } else { other };
        ims.push(on.session_at(Role::Informatiemanager, Some(id)).await);
    }
    ims
}

async fn save_mine(im: &Session, p: serde_json::Value) {
    let saved = im.api(Method::PUT, MINE, Some(p)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

/// The attack: save the distributions, let one institution save, read again. Nothing
/// moves (not in the API, the page or the export, on either instance) until five institutions
/// saved since the last renewal; then everything moves at once, and the page says when.
async fn the_network_is_a_snapshot_renewed_only_after_the_threshold_of_new_saves() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let ims = plotters(&app, &other, 11).await;
    let reader = app.session(Role::Lezer).await;
    let reader_b = other.session(Role::Lezer).await;
    for (i, im) in ims.iter().take(10).enumerate() {
        save_mine(im, position(1 + i as i64 % 3, 1 + i as i64 % 2, 2)).await;
    }
    let (a, b) = (&reader, &reader_b);
    let shown = move || async move {
        let csv = a.get("/positionering/netwerk.csv").await;
        let page = a.get("/positionering").await;
        (
            a.get(NETWORK).await.json(),
            b.get(NETWORK).await.json(),
            csv.body,
            page.text_of("renewed"),
        )
    };
    let before = shown().await;
    assert_eq!(before.0["shown"], true);
    assert_eq!(before.0["answered"], 10);
    assert!(before.0["updated_at"].is_string(), "{}", before.0);
    assert_eq!(before.1, before.0, "the other instance sees the same");
    let renewed = before.3.clone().expect("the page says when it was renewed");
    assert!(renewed.starts_with("Bijgewerkt op "), "{renewed}");

    // The eleventh institution, then one that moves to all fives, twice: nothing moves.
    save_mine(&ims[10], position(5, 5, 5)).await;
    assert_eq!(shown().await, before, "after the eleventh");
    save_mine(&ims[0], position(5, 5, 5)).await;
    assert_eq!(shown().await, before, "after one institution's change");
    save_mine(&ims[0], position(4, 4, 4)).await;
    save_mine(&ims[0], position(5, 5, 5)).await;
    assert_eq!(
        shown().await,
        before,
        "saving again is still one institution"
    );
    save_mine(&ims[1], position(5, 5, 5)).await;
    save_mine(&ims[2], position(5, 5, 5)).await;
    assert_eq!(shown().await, before, "four institutions since");

    // The fifth since: everything at once.
    save_mine(&ims[3], position(5, 5, 5)).await;
    let after = shown().await;
    assert_ne!(after.0["updated_at"], before.0["updated_at"]);
    assert_eq!(after.0["answered"], 11);
    assert_eq!(after.1, after.0);
    assert_eq!(after.0["axes"][0]["counts"][4], 5, "{}", after.0);
    let sum: i64 = after.0["axes"][0]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert_eq!(sum, 11);
    assert_ne!(after.2, before.2, "the export moves with it");
    assert!(after.3.is_some());
}

/// Nine institutions save at the same moment, through two instances: the network's first
/// snapshot holds exactly five (the threshold), never six or seven that a lost race would
/// publish one by one; the tenth save renews it with all ten.
async fn positionings_saved_at_once_renew_only_in_whole_steps() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let reader = app.session(Role::Lezer).await;
    let ims = std::sync::Arc::new(plotters(&app, &other, 10).await);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(9));
    let mut tasks = Vec::new();
    for i in 0..9 {
        let (barrier, ims) = (barrier.clone(), ims.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            ims[i]
                .api(Method::PUT, MINE, Some(position(1 + i as i64 % 5, 3, 3)))
                .await
        }));
    }
    for t in tasks {
        let res = t.await.unwrap();
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let n = reader.get(NETWORK).await.json();
    assert_eq!(n["answered"], 5, "{n}");
    let sum: i64 = n["axes"][1]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert_eq!(sum, 5, "{n}");
    save_mine(&ims[9], position(3, 3, 3)).await;
    assert_eq!(reader.get(NETWORK).await.json()["answered"], 10);
}
