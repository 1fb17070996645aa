//! Vergelijken (issue 33): two or three institutions' portfolios side by side, counted as each
//! viewer may see them, with the alike pairs across them and what only one of them does.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use stip_core::user::Role;

on_both!(
    two_portfolios_are_counted_per_theme_as_each_viewer_may_see_them,
    alike_projects_pair_across_institutions_and_say_whom_to_call,
    the_network_priorities_come_first,
    the_choice_of_institutions_is_checked,
    the_comparison_is_a_page_a_pdf_and_a_workbook,
    the_institution_and_balance_pages_lead_to_the_comparison,
    a_workshop_compares_in_duos_and_trios_and_keeps_what_they_wrote,
);

/// Horizon (25LN) with three projects, DaVinci (25LK) with two (one for its own eyes only) and
/// Alfa (30AB) with one; returns the ids by name.
async fn portfolio() -> (TestApp, std::collections::HashMap<&'static str, i64>) {
    let app = TestApp::new().await;
    app.institution("30AB", "Alfa-college").await;
    let mut ids = std::collections::HashMap::new();
    ids.insert(
        "microcredentials",
        app.add_project("25LN", "Leven lang ontwikkelen met microcredentials", |p| {
            p.primary_theme = "llo".into();
            p.themes = vec!["leermiddelen".into()];
            p.budget = "1000".into();
            p.phase = "uitvoering".into();
            p.character = "innoveren".into();
        })
        .await,
    );
    ids.insert(
        "werkenden",
        app.add_project("25LN", "Flexibel onderwijs voor werkenden", |p| {
            p.primary_theme = "llo".into();
            p.budget = "500".into();
            p.character = "verbeteren".into();
        })
        .await,
    );
    ids.insert(
        "dossier",
        app.add_project("25LN", "Eigen dossier voor studenten", |p| {
            p.primary_theme = "eigen-dossier".into();
            p.visibility = "openbaar".into();
        })
        .await,
    );
    ids.insert(
        "leermiddelen",
        app.add_project("25LK", "Digitale leermiddelen kiezen", |p| {
            p.primary_theme = "leermiddelen".into();
            p.themes = vec!["llo".into()];
            p.budget = "200".into();
            p.phase = "uitvoering".into();
            p.character = "innoveren".into();
        })
        .await,
    );
    ids.insert(
        "geheim",
        app.add_project("25LK", "Geheime proef met microcredentials", |p| {
            p.primary_theme = "llo".into();
            p.budget = "9000".into();
            p.visibility = "instelling".into();
        })
        .await,
    );
    ids.insert(
        "rooster",
        app.add_project("30AB", "Roosterpakket vervangen", |p| {
            p.primary_theme = "onderwijslogistiek".into();
        })
        .await,
    );
    (app, ids)
}

fn theme<'a>(c: &'a Value, code: &str) -> &'a Value {
    c["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("theme {code} in {c}"))
}

fn visible(c: &Value) -> Vec<(String, u64)> {
    c["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["brin"].as_str().unwrap().to_string(),
                i["visible_projects"].as_u64().unwrap(),
            )
        })
        .collect()
}

async fn two_portfolios_are_counted_per_theme_as_each_viewer_may_see_them() {
    let (app, ids) = portfolio().await;
    // An informatiemanager of Horizon does not see DaVinci's own project: not counted, not
    // listed, in no budget.
    let im = app.session(Role::Informatiemanager).await;
    let c = im
        .get("/api/v1/compare?institution=25LN&institution=25LK")
        .await
        .json();
    assert_eq!(
        visible(&c),
        vec![("25LN".into(), 3), ("25LK".into(), 1)],
        "{c}"
    );
    assert_eq!(c["institutions"][1]["name"], "DaVinci College");
    let llo = theme(&c, "llo");
    assert_eq!(llo["counts"], json!({"25LN": 2, "25LK": 1}));
    // A budget counts on the primary theme only.
    assert_eq!(llo["budget_eur"], json!({"25LN": 1500, "25LK": 0}));
    assert_eq!(
        theme(&c, "leermiddelen")["budget_eur"],
        json!({"25LN": 0, "25LK": 200})
    );
    let mut on_llo: Vec<i64> = llo["projects"]["25LN"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    on_llo.sort();
    let mut expected = vec![ids["microcredentials"], ids["werkenden"]];
    expected.sort();
    assert_eq!(on_llo, expected);
    assert_eq!(llo["projects"]["25LK"], json!([ids["leermiddelen"]]));
    // Every theme of the agenda is there, with nothing where nobody works on it.
    assert_eq!(
        theme(&c, "digitaal-burgerschap")["counts"],
        json!({"25LN": 0, "25LK": 0})
    );
    let everything = c.to_string();
    assert!(
        !c["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["a"] == ids["geheim"] || p["b"] == ids["geheim"]),
        "{everything}"
    );
    assert!(
        !c["only"]["25LK"]
            .as_array()
            .unwrap()
            .contains(&json!(ids["geheim"]))
    );
    // The balance side by side, with the network as the reference.
    let karakter = |who: &str, value: &str| {
        c["balance"][who]["character"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == value)
            .unwrap()["projects"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(karakter("25LN", "innoveren"), 1);
    assert_eq!(karakter("25LK", "innoveren"), 1);
    assert_eq!(karakter("network", "innoveren"), 2);
    assert_eq!(karakter("network", "verbeteren"), 1);

    // DaVinci's own informatiemanager counts its own project too; three at once.
    let davinci = app.institution("25LK", "DaVinci College").await;
    let own = app
        .session_at(Role::Informatiemanager, Some(davinci))
        .await
        .get("/api/v1/compare?institution=25LK&institution=25LN&institution=30AB")
        .await
        .json();
    assert_eq!(
        visible(&own),
        vec![("25LK".into(), 2), ("25LN".into(), 3), ("30AB".into(), 1)]
    );
    assert_eq!(
        theme(&own, "llo")["budget_eur"],
        json!({"25LK": 9000, "25LN": 1500, "30AB": 0})
    );
    // A visitor sees the public project only.
    let public = app
        .anonymous()
        .get("/api/v1/compare?institution=25LN&institution=25LK")
        .await
        .json();
    assert_eq!(
        visible(&public),
        vec![("25LN".into(), 1), ("25LK".into(), 0)]
    );

    // The page says what each column rests on, and shows what it counts.
    let page = im.get("/vergelijken?instelling=25LN&instelling=25LK").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.shows("op basis van 3 zichtbare projecten"),
        "{}",
        page.body
    );
    assert!(page.shows("op basis van 1 zichtbaar project"));
    assert!(page.shows("Digitale leermiddelen kiezen"));
    assert!(page.shows("€ 1.500"));
    assert!(!page.shows("Geheime proef"));
}

async fn alike_projects_pair_across_institutions_and_say_whom_to_call() {
    let app = TestApp::new().await;
    let own = app
        .add_project("25LN", "Dashboards voor studievoortgang", |p| {
            p.summary = "Docenten zien in dashboards hoe hun studenten ervoor staan.".into();
            p.primary_theme = "data-ondersteund-onderwijs".into();
            p.contact_person = "Karin Horizon".into();
            p.shareable = true;
            p.case_summary = "Wat we leerden over dashboards.".into();
        })
        .await;
    let inkoop = app.add_project("25LN", "Inkoop van laptops", |_| {}).await;
    let peer = app
        .add_project(
            "25LK",
            "Learning analytics dashboard studievoortgang",
            |p| {
                p.summary = "Een dashboard dat de studievoortgang van studenten laat zien.".into();
                p.primary_theme = "data-ondersteund-onderwijs".into();
                p.contact_person = "Dirk Data".into();
            },
        )
        .await;
    let rooster = app
        .add_project("25LK", "Roosterpakket vervangen", |p| {
            p.primary_theme = "onderwijslogistiek".into();
        })
        .await;
    let hidden = app
        .add_project("25LK", "Dashboard studievoortgang, nog geheim", |p| {
            p.summary = "Docenten zien in dashboards hoe hun studenten ervoor staan.".into();
            p.primary_theme = "data-ondersteund-onderwijs".into();
            p.visibility = "instelling".into();
        })
        .await;
    for title in [
        "Nieuwe website",
        "Wifi in alle gebouwen",
        "Printers vervangen",
    ] {
        app.add_project("30AB", title, |_| {}).await;
    }

    let im = app.session(Role::Informatiemanager).await;
    let c = im
        .get("/api/v1/compare?institution=25LN&institution=25LK")
        .await
        .json();
    let pairs = c["pairs"].as_array().unwrap();
    assert_eq!(
        (&pairs[0]["a"], &pairs[0]["b"]),
        (&json!(own), &json!(peer)),
        "{c}"
    );
    assert!(pairs[0]["score"].as_f64().unwrap() >= 0.2);
    assert_eq!(
        pairs[0]["reasons"]["themes"],
        json!(["data-ondersteund-onderwijs"])
    );
    assert!(
        pairs[0]["reasons"]["words"]
            .as_array()
            .unwrap()
            .contains(&json!("dashboard")),
        "{c}"
    );
    for p in pairs {
        assert_ne!(p["b"], hidden, "never a project the viewer may not see");
        assert_ne!(p["a"], p["b"]);
    }
    // The laptops and the timetable have nothing alike at the other.
    assert!(
        c["only"]["25LN"]
            .as_array()
            .unwrap()
            .contains(&json!(inkoop))
    );
    assert!(
        c["only"]["25LK"]
            .as_array()
            .unwrap()
            .contains(&json!(rooster))
    );
    assert!(!c["only"]["25LN"].as_array().unwrap().contains(&json!(own)));
    // Onderwijslogistiek: only DaVinci works on it.
    let page = im.get("/vergelijken?instelling=25LN&instelling=25LK").await;
    assert!(
        page.shows("Alleen deze instelling werkt aan: Onderwijslogistiek."),
        "{}",
        page.body
    );
    // Whom to call: the contact of a project that is shared as a case, not of one that is not.
    assert!(
        page.shows("Neem contact op: Karin Horizon (Horizon College)"),
        "{}",
        page.body
    );
    assert!(!page.shows("Dirk Data"));
    assert!(page.shows("allebei Data-ondersteund onderwijs"));
}

async fn the_network_priorities_come_first() {
    let (app, _) = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    let before = im
        .get("/api/v1/compare?institution=25LN&institution=25LK")
        .await
        .json();
    assert_eq!(before["themes"][0]["priority"], false);
    // A workshop saved leermiddelen and data-ondersteund onderwijs as the network's priorities.
    stip_store::testing::execute(
        app.store(),
        r#"INSERT INTO network_priorities (workshop_id, decided_on, themes, created_at)
           VALUES (NULL, '2026-03-12', '["leermiddelen","data-ondersteund-onderwijs"]', '2026-03-12T10:00:00Z')"#,
    )
    .await
    .unwrap();
    let after = im
        .get("/api/v1/compare?institution=25LN&institution=25LK")
        .await
        .json();
    let codes: Vec<&str> = after["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(&codes[..2], ["leermiddelen", "data-ondersteund-onderwijs"]);
    assert_eq!(after["themes"][1]["priority"], true);
    assert_eq!(after["themes"][2]["priority"], false);
    assert_eq!(codes.len(), 8, "every theme once");
    let page = im.get("/vergelijken?instelling=25LN&instelling=25LK").await;
    let leermiddelen = page.body.find("id=\"theme-leermiddelen\"").unwrap();
    let llo = page.body.find("id=\"theme-llo\"").unwrap();
    assert!(leermiddelen < llo, "the priority first on the page too");
    assert!(page.shows("prioriteit van het netwerk"));
}

async fn the_choice_of_institutions_is_checked() {
    let (app, _) = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    for query in [
        "institution=25LN",
        "",
        "institution=25LN&institution=25LK&institution=30AB&institution=25LN",
        "institution=25LN&institution=99ZZ",
        "institution=25LN&institution=25LN",
    ] {
        let res = im.get(&format!("/api/v1/compare?{query}")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            res.json()["errors"][0]["field"],
            "institution",
            "{query}: {}",
            res.body
        );
    }
    // By name works as well as by BRIN code.
    let by_name = im
        .get("/api/v1/compare?institution=Horizon&institution=davinci")
        .await;
    assert_eq!(by_name.status, StatusCode::OK, "{}", by_name.body);

    // The page: from the form, too few is said at the fields; an unknown one by its words.
    let page = im
        .get("/vergelijken?instelling=Horizon&instelling=&instelling=")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.shows("Kies twee of drie instellingen om te vergelijken."),
        "{}",
        page.body
    );
    assert!(page.body.contains("aria-invalid=\"true\""));
    let page = im
        .get("/vergelijken?instelling=Horizon&instelling=Nergens&instelling=")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("Geen instelling gevonden met deze naam of BRIN-code"));
    assert!(
        page.body.contains("value=\"Nergens\""),
        "what was typed stays"
    );
    // A link with one institution opens the form with the viewer's own institution first.
    let page = im.get("/vergelijken?instelling=25LK").await;
    assert_eq!(page.status, StatusCode::OK);
    let horizon = page.body.find("value=\"Horizon College\"").unwrap();
    let davinci = page.body.find("value=\"25LK\"").unwrap();
    assert!(horizon < davinci, "{}", page.body);
    let page = im.get("/vergelijken").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Horizon College\""));
}

async fn the_comparison_is_a_page_a_pdf_and_a_workbook() {
    let (app, _) = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    let pdf = im
        .get("/vergelijken?instelling=25LN&instelling=25LK&formaat=pdf")
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    let text = crate::meeting::pdf_text(&pdf.bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for shown in [
        "Vergelijking van Horizon College en DaVinci College",
        "Per thema",
        "Leven lang ontwikkelen (LLO)",
        "Horizon College: 2 projecten · € 1.500",
        "Digitale leermiddelen kiezen",
        "Wat alleen één van jullie doet",
        "Balans naast elkaar",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
    assert!(!text.contains("Geheime proef"));

    let xlsx = im
        .get("/vergelijken?instelling=25LN&instelling=25LK&formaat=xlsx")
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.header("content-disposition")
            .contains("vergelijking-25ln-25lk.xlsx")
    );
    use calamine::Reader;
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).expect("an xlsx workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Per thema",
            "Wat jullie delen",
            "Alleen één",
            "Balans naast elkaar"
        ]
    );
    let sheet = book.worksheet_range("Per thema").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "Thema");
    assert!(
        rows.iter().any(|r| r[0] == "Leven lang ontwikkelen (LLO)"
            && r[2] == "Horizon College"
            && r[4] == "2"
            && r[5] == "1500"),
        "{rows:?}"
    );
    let bad = im
        .get("/vergelijken?instelling=25LN&instelling=25LK&formaat=doc")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The permalink holds the institutions, so a duo opens the same page on two laptops.
    let page = im
        .get("/vergelijken?instelling=Horizon&instelling=DaVinci")
        .await;
    assert!(
        html_decode(&page.body).contains("href=\"/vergelijken?instelling=25LN&instelling=25LK\""),
        "{}",
        page.body
    );
}

async fn the_institution_and_balance_pages_lead_to_the_comparison() {
    let (app, _) = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get("/instellingen/25LK").await;
    assert!(page.shows("Vergelijk met Horizon College"), "{}", page.body);
    assert!(
        html_decode(&page.body).contains("href=\"/vergelijken?instelling=25LN&instelling=25LK\"")
    );
    // On one's own institution's page there is no one to compare with yet.
    let own = im.get("/instellingen/25LN").await;
    assert!(own.body.contains("href=\"/vergelijken?instelling=25LN\""));
    let balance = im.get("/inzicht/balans").await;
    assert!(
        balance
            .body
            .contains("href=\"/vergelijken?instelling=25LN\""),
        "{}",
        balance.body
    );
    // The insight pages link to it in their navigation.
    assert!(balance.body.contains("href=\"/vergelijken\""));
}

/// Joins workshop `code` as `name` from `institution` (empty: none); the participant's session.
async fn join_from(app: &TestApp, code: &str, name: &str, institution: &str) -> Session {
    let mut body = json!({"code": code, "name": name});
    if !institution.is_empty() {
        body["institution"] = json!(institution);
    }
    let res = app
        .anonymous()
        .api(Method::POST, "/api/v1/workshops/join", Some(body))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let token = res.json()["token"].as_str().unwrap().to_string();
    app.anonymous().with_bearer(&token)
}

async fn a_workshop_compares_in_duos_and_trios_and_keeps_what_they_wrote() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = regie
        .api(
            Method::POST,
            "/api/v1/workshops",
            Some(json!({"title": "Vergelijken in trio's"})),
        )
        .await
        .json();
    let id = w["id"].as_i64().unwrap();
    let code = w["code"].as_str().unwrap();
    let anna = join_from(&app, code, "Anna", "25LN").await;
    let bram = join_from(&app, code, "Bram", "DaVinci College").await;
    let cas = join_from(&app, code, "Cas", "25LJ").await;
    let wrong = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/workshops/join",
            Some(json!({"code": code, "name": "Dewi", "institution": "Nergens"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "institution");

    // Not yet: writing together waits for the step.
    let early = anna
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/together"),
            Some(json!({"text": "Te vroeg"})),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let moved = regie
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/phase"),
            Some(json!({"phase": "vergelijken"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    // Three institutions: one trio, and each one's screen opens its comparison.
    let page = cas.get(&format!("/werksessies/{id}")).await;
    assert!(
        page.shows("Horizon College, DaVinci College en Graafschap College"),
        "{}",
        page.body
    );
    assert!(
        html_decode(&page.body)
            .contains("href=\"/vergelijken?instelling=25LN&instelling=25LK&instelling=25LJ\""),
        "{}",
        page.body
    );
    let written = bram
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/together"),
            Some(json!({"text": "Samen één dashboard voor studievoortgang"})),
        )
        .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
    assert_eq!(
        written.json()["institutions"],
        json!(["25LN", "25LK", "25LJ"])
    );
    let empty = cas
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/together"),
            Some(json!({"text": "  "})),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["errors"][0]["field"], "text");

    // Someone who joined without an institution chooses one, and the groups form again: two
    // duos now; what the trio wrote stays the trio's.
    let dewi = join_from(&app, code, "Dewi", "").await;
    let none = dewi
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/together"),
            Some(json!({"text": "Zonder groep"})),
        )
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    let chose = dewi
        .api(
            Method::PUT,
            &format!("/api/v1/workshops/{id}/institution"),
            Some(json!({"institution": "Friese Poort"})),
        )
        .await;
    assert_eq!(chose.status, StatusCode::NO_CONTENT, "{}", chose.body);
    let regrouped = regie
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/regroup"),
            None,
        )
        .await;
    assert_eq!(regrouped.status, StatusCode::OK);
    assert_eq!(
        regrouped.json()["groups"],
        json!([["25LN", "25LK"], ["25LJ", "25LM"]])
    );
    dewi.api(
        Method::POST,
        &format!("/api/v1/workshops/{id}/together"),
        Some(json!({"text": "Elkaars roosterpakket bekijken"})),
    )
    .await;

    // The results keep both, with where each group compared.
    for p in ["ordenen", "stemmen", "resultaat"] {
        regie
            .api(
                Method::POST,
                &format!("/api/v1/workshops/{id}/phase"),
                Some(json!({"phase": p})),
            )
            .await;
    }
    let results = anna
        .get(&format!("/api/v1/workshops/{id}/results"))
        .await
        .json();
    let together = results["together"].as_array().unwrap();
    assert_eq!(together.len(), 2, "{results}");
    assert_eq!(together[0]["institutions"], json!(["25LN", "25LK", "25LJ"]));
    assert_eq!(
        together[0]["notes"][0]["text"],
        "Samen één dashboard voor studievoortgang"
    );
    assert_eq!(together[0]["notes"][0]["author"], "Bram");
    assert_eq!(
        together[1]["compare"],
        "/vergelijken?instelling=25LJ&instelling=25LM"
    );
    let page = anna.get(&format!("/werksessies/{id}")).await;
    assert!(
        page.shows("Wat kunnen we samen? (duo's en trio's)"),
        "{}",
        page.body
    );
    assert!(page.shows("Elkaars roosterpakket bekijken"));
    let csv = String::from_utf8(
        anna.get(&format!("/werksessies/{id}/resultaat.csv"))
            .await
            .bytes,
    )
    .unwrap();
    assert!(csv.contains("Samen;Samen één dashboard voor studievoortgang;Horizon College, DaVinci College en Graafschap College"), "{csv}");
}
