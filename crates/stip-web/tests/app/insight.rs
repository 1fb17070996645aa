//! Network insight (issue 11): the overview, balance, cross-links and roadmap count what each
//! viewer may see, on a portfolio small enough to count by hand; search stems Dutch words and
//! similar projects find the peer at another institution.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use stip_core::user::Role;

on_both!(
    the_overview_counts_a_hand_made_portfolio_as_each_viewer_may_see_it,
    every_number_links_to_the_list_of_the_projects_it_counts,
    the_filters_narrow_every_aggregate,
    balance_and_crosslinks_count_the_mix_and_the_pairs,
    the_roadmap_lists_by_start_date_what_the_viewer_may_see,
    the_roadmap_pages_keep_the_page_and_the_filters,
    search_finds_dutch_word_forms_and_only_what_the_viewer_may_see,
    similar_projects_find_the_peer_at_another_institution,
    the_project_page_names_similar_projects_and_why,
    a_theme_page_shows_who_works_on_it_and_its_cases,
    an_institution_is_found_by_part_of_its_name,
    the_counts_follow_every_save,
    out_of_date_statuses_are_counted_and_listed_by_the_servers_limit,
    with_a_thousand_institutions_one_is_typed_not_picked_from_a_list,
);

/// Five projects: two of Horizon College (25LN) and one more in public, two of DaVinci
/// College (25LK), one of them for DaVinci's eyes only.
async fn portfolio() -> TestApp {
    let app = TestApp::new().await;
    app.add_project("25LN", "Leven lang ontwikkelen met microcredentials", |p| {
        p.primary_theme = "llo".into();
        p.themes = vec!["leermiddelen".into()];
        p.budget = "1000".into();
        p.phase = "uitvoering".into();
        p.character = "innoveren".into();
        p.horizon = "lang".into();
        p.perspective_strategic_operational = "1".into();
        p.perspective_ict_business = "5".into();
    })
    .await;
    app.add_project("25LN", "Flexibel onderwijs voor werkenden", |p| {
        p.primary_theme = "llo".into();
        p.budget = "500".into();
        p.character = "verbeteren".into();
    })
    .await;
    app.add_project("25LK", "Digitale leermiddelen kiezen", |p| {
        p.primary_theme = "leermiddelen".into();
        p.themes = vec!["llo".into()];
        p.budget = "200".into();
        p.phase = "uitvoering".into();
        p.start_date = "1-9-2025".into();
        p.end_date = "31-7-2026".into();
        p.character = "innoveren".into();
    })
    .await;
    app.add_project("25LK", "Geheime proef met innovatie", |p| {
        p.primary_theme = "innovatie".into();
        p.visibility = "instelling".into();
        p.start_date = "1-1-2024".into();
    })
    .await;
    app.add_project("25LN", "Eigen dossier voor studenten", |p| {
        p.primary_theme = "eigen-dossier".into();
        p.visibility = "openbaar".into();
        p.start_date = "1-2-2026".into();
    })
    .await;
    app
}

async fn beheerder_page(app: &TestApp, path: &str) -> Value {
    app.session(Role::Beheerder).await.get(path).await.json()
}

fn cell(heatmap: &Value, institution: &str, theme: &str) -> (u64, f64) {
    heatmap["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["institution"] == institution && c["theme"] == theme)
        .map(|c| {
            (
                c["projects"].as_u64().unwrap(),
                c["budget_eur"].as_f64().unwrap(),
            )
        })
        .unwrap_or((0, 0.0))
}

fn theme_total(heatmap: &Value, theme: &str) -> (u64, f64) {
    let t = heatmap["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["theme"] == theme)
        .expect("every theme is listed");
    (
        t["projects"].as_u64().unwrap(),
        t["budget_eur"].as_f64().unwrap(),
    )
}

async fn the_overview_counts_a_hand_made_portfolio_as_each_viewer_may_see_it() {
    let app = portfolio().await;
    let beheerder = app.session(Role::Beheerder).await;
    let map = beheerder.get("/api/v1/insight/heatmap").await.json();
    assert_eq!(map["visible_projects"], 5);
    // A project counts on each of its themes; its budget on its primary theme only.
    assert_eq!(cell(&map, "25LN", "llo"), (2, 1500.0));
    assert_eq!(cell(&map, "25LN", "leermiddelen"), (1, 0.0));
    assert_eq!(cell(&map, "25LK", "leermiddelen"), (1, 200.0));
    assert_eq!(cell(&map, "25LK", "llo"), (1, 0.0));
    assert_eq!(theme_total(&map, "llo"), (3, 1500.0));
    assert_eq!(theme_total(&map, "digitaal-burgerschap"), (0, 0.0));
    let phases = &map["phases"];
    let phase = |code: &str| {
        phases
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["value"] == code)
            .unwrap()["projects"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((phase("uitvoering"), phase("idee")), (2, 3));

    // An informatiemanager of Horizon does not see DaVinci's own project; a visitor sees the
    // public one only.
    let im = app.session(Role::Informatiemanager).await;
    let map = im.get("/api/v1/insight/heatmap").await.json();
    assert_eq!(map["visible_projects"], 4);
    assert_eq!(theme_total(&map, "innovatie"), (0, 0.0));
    let map = app.anonymous().get("/api/v1/insight/heatmap").await.json();
    assert_eq!(map["visible_projects"], 1);
    assert_eq!(cell(&map, "25LN", "eigen-dossier"), (1, 0.0));

    // The institutions come a page at a time, by name; the totals cover all of them.
    let first = beheerder_page(&app, "/api/v1/insight/heatmap?per_page=1").await;
    assert_eq!(
        (
            first["institutions_total"].as_u64(),
            first["institutions"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        first["institutions"][0]["institution"], "25LK",
        "DaVinci before Horizon"
    );
    assert!(
        first["cells"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["institution"] == "25LK")
    );
    assert_eq!(theme_total(&first, "llo"), (3, 1500.0));
    let second = beheerder_page(&app, "/api/v1/insight/heatmap?per_page=1&page=2").await;
    assert_eq!(second["institutions"][0]["institution"], "25LN");

    // The page says what it rests on.
    let page = im.get("/inzicht").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.shows("Op basis van 4 zichtbare projecten."),
        "{}",
        page.body
    );
    let home = im.get("/").await;
    assert!(home.shows("Netwerkoverzicht"));
    assert!(home.shows("Op basis van 4 zichtbare projecten."));
    let anonymous = app.anonymous().get("/inzicht").await;
    assert!(anonymous.shows("Op basis van 1 zichtbaar project."));
}

async fn every_number_links_to_the_list_of_the_projects_it_counts() {
    let app = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get("/inzicht").await;
    let link = "/projecten?institution=25LN&#38;theme=llo";
    assert!(
        page.body.contains(&format!("href=\"{link}\"")),
        "{}",
        page.body
    );
    let list = im.get(&html_decode(link)).await;
    assert_eq!(
        list.text_of("result-count").as_deref(),
        Some("2 projecten gevonden")
    );
    // The budget heatmap links to the projects whose budget it adds up: the primary theme.
    let page = im.get("/inzicht?maat=budget").await;
    let link = "/projecten?institution=25LN&#38;theme=llo&#38;primary_only=1";
    assert!(
        page.body.contains(&format!("href=\"{link}\"")),
        "{}",
        page.body
    );
    assert!(page.shows("€ 1.500"));
    // A phase in the chart.
    assert!(page.body.contains("href=\"/projecten?phase=uitvoering\""));
}

async fn the_filters_narrow_every_aggregate() {
    let app = portfolio().await;
    let beheerder = app.session(Role::Beheerder).await;
    let map = beheerder
        .get("/api/v1/insight/heatmap?phase=uitvoering")
        .await
        .json();
    assert_eq!(map["visible_projects"], 2);
    assert_eq!(cell(&map, "25LN", "llo"), (1, 1000.0));
    let pairs = beheerder
        .get("/api/v1/insight/crosslinks?institution=25LK")
        .await
        .json();
    assert_eq!(
        pairs["pairs"],
        json!([{"themes": ["leermiddelen", "llo"], "projects": 1}])
    );
    let wrong = beheerder.get("/api/v1/insight/balance?phase=klaar").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "phase");
    // On the page a wrong filter is named and the rest still counts.
    let page = beheerder.get("/inzicht?phase=klaar&institution=25LK").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.shows("Op basis van 2 zichtbare projecten."),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"e-phase\""));
}

async fn balance_and_crosslinks_count_the_mix_and_the_pairs() {
    let app = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    let balance = im.get("/api/v1/insight/balance").await.json();
    let count = |mix: &Value, dim: &str, value: Value| {
        mix[dim]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == value)
            .unwrap()["projects"]
            .as_u64()
            .unwrap()
    };
    let network = &balance["network"];
    assert_eq!(count(network, "character", json!("innoveren")), 2);
    assert_eq!(count(network, "character", json!("verbeteren")), 1);
    assert_eq!(count(network, "character", Value::Null), 1);
    assert_eq!(count(network, "quadrant", json!("strategisch-business")), 1);
    let horizon = balance["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["institution"] == "25LN")
        .unwrap();
    assert_eq!(horizon["projects"], 3);
    assert_eq!(count(&horizon["mix"], "horizon", json!("lang")), 1);

    let pairs = im.get("/api/v1/insight/crosslinks").await.json();
    assert_eq!(
        pairs["pairs"],
        json!([{"themes": ["leermiddelen", "llo"], "projects": 2}])
    );

    let page = im.get("/inzicht/balans").await;
    assert!(
        page.shows("Horizon College"),
        "the informatiemanager's own institution is compared"
    );
    assert!(page.body.contains("<svg"));
    assert!(
        page.body
            .contains("href=\"/projecten?institution=25LN&#38;character=innoveren\""),
        "{}",
        page.body
    );
    let page = im
        .get("/inzicht/dwarsverbanden?paar=leermiddelen,llo")
        .await;
    assert!(
        page.shows("2 projecten hebben beide thema's."),
        "{}",
        page.body
    );
    assert!(page.shows("Digitale leermiddelen kiezen"));
    assert!(
        page.body
            .contains("href=\"/projecten?theme=leermiddelen&#38;also_theme=llo\"")
    );
    let list = im.get("/projecten?theme=leermiddelen&also_theme=llo").await;
    assert_eq!(
        list.text_of("result-count").as_deref(),
        Some("2 projecten gevonden")
    );
}

/// The `rel` link of a page's pager, as the browser follows it.
fn pager_link(page: &TestResponse, rel: &str) -> Option<String> {
    let body = html_decode(&page.body);
    let at = body.find(&format!("rel=\"{rel}\""))?;
    let start = body[..at].rfind("href=\"")? + 6;
    let end = start + body[start..].find('"')?;
    Some(body[start..end].to_string())
}

async fn the_roadmap_pages_keep_the_page_and_the_filters() {
    let app = TestApp::new().await;
    let demo = stip_core::demo::generate(3, 100, 5);
    app.store().load_demo(&demo, "Demo").await.unwrap();
    let im = app.session(Role::Beheerder).await;
    let all = im.get("/api/v1/insight/roadmap?per_page=1").await.json();
    let total = all["total"].as_u64().unwrap();
    let pages = total.div_ceil(100);
    assert!(pages >= 3, "the demo has pages enough: {total}");
    let mut page = im.get("/inzicht/roadmap").await;
    for n in 1..=pages {
        assert!(
            page.shows(&format!("Pagina {n} van {pages}")),
            "{}",
            page.body
        );
        if n > 1 {
            let prev = pager_link(&page, "prev").unwrap();
            assert!(prev.contains(&format!("page={}", n - 1)), "{prev}");
        }
        match pager_link(&page, "next") {
            Some(next) => page = im.get(&next).await,
            None => assert_eq!(n, pages, "every page is reached by clicking Volgende"),
        }
    }

    // Filtered by status and grouped by institution: the links carry both.
    let filtered = im
        .get("/inzicht/roadmap?status=groen&groep=instelling")
        .await;
    let next = pager_link(&filtered, "next").expect("a second page of green projects");
    assert!(next.contains("status=groen"), "{next}");
    assert!(next.contains("groep=instelling"), "{next}");
    let second = im.get(&next).await;
    assert!(second.shows("Pagina 2 van"), "{}", second.body);

    // The search's pages had the same fault.
    let found = im.get("/zoeken?q=van").await;
    if let Some(next) = pager_link(&found, "next") {
        assert!(next.contains("page=2") && next.contains("q=van"), "{next}");
        assert!(im.get(&next).await.shows("Pagina 2 van"));
    }
}

async fn the_roadmap_lists_by_start_date_what_the_viewer_may_see() {
    let app = portfolio().await;
    let im = app.session(Role::Informatiemanager).await;
    let roadmap = im.get("/api/v1/insight/roadmap").await.json();
    let titles: Vec<&str> = roadmap["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(roadmap["total"], 4);
    assert_eq!(
        &titles[..2],
        [
            "Digitale leermiddelen kiezen",
            "Eigen dossier voor studenten"
        ],
        "by start date, those without one after"
    );
    let page = im.get("/inzicht/roadmap").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"chart timeline\""));
    assert!(page.shows("Digitale leermiddelen kiezen"));
    assert!(page.shows("vandaag"));
    assert!(
        !page.shows("Geheime proef"),
        "DaVinci's own project stays hidden"
    );
    let by_institution = im.get("/inzicht/roadmap?groep=instelling").await;
    assert!(
        by_institution
            .body
            .contains("class=\"group\">DaVinci College</text>"),
        "{}",
        by_institution.body
    );
}

async fn search_finds_dutch_word_forms_and_only_what_the_viewer_may_see() {
    let app = portfolio().await;
    app.add_project("25LK", "Roosters", |p| {
        p.summary = "Een leermiddel voor iedereen die roostert.".into();
    })
    .await;
    app.add_project("25LK", "Inkoop van leermiddelen", |p| {
        p.visibility = "instelling".into();
    })
    .await;
    let im = app.session(Role::Informatiemanager).await;
    let found = im.get("/api/v1/search?q=leermiddel").await.json();
    let mut titles: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        ["Digitale leermiddelen kiezen", "Roosters"],
        "{found}"
    );
    assert_eq!(found["total"], 2);
    let roosters = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Roosters")
        .unwrap();
    assert_eq!(roosters["institution"], "25LK");
    assert!(
        roosters["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<mark>leermiddel</mark>")
    );
    // Every word counts, and the list's filters apply.
    let found = im
        .get("/api/v1/search?q=digitale%20leermiddelen")
        .await
        .json();
    assert_eq!(found["total"], 1);
    let found = im
        .get("/api/v1/search?q=leermiddel&phase=uitvoering")
        .await
        .json();
    assert_eq!(found["total"], 1);
    // DaVinci's own project is found by DaVinci's eyes only: the beheerder's here.
    let beheerder = app.session(Role::Beheerder).await;
    let found = beheerder.get("/api/v1/search?q=leermiddelen").await.json();
    assert_eq!(found["total"], 3);
    let empty = im.get("/api/v1/search?q=").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["errors"][0]["field"], "q");

    let page = im.get("/zoeken?q=leermiddel").await;
    assert!(page.shows("2 projecten gevonden."), "{}", page.body);
    assert!(page.body.contains("<mark>leermiddel</mark>"));
    let none = im.get("/zoeken?q=blockchain").await;
    assert!(
        none.shows("Geen projecten gevonden voor ‘blockchain’."),
        "{}",
        none.body
    );
}

async fn similar_projects_find_the_peer_at_another_institution() {
    let app = TestApp::new().await;
    let own = app
        .add_project("25LN", "Dashboards voor studievoortgang", |p| {
            p.summary = "Docenten zien in dashboards hoe hun studenten ervoor staan.".into();
            p.primary_theme = "data-ondersteund-onderwijs".into();
        })
        .await;
    app.add_project(
        "25LN",
        "Dashboard voor studievoortgang in de opleiding",
        |p| {
            p.primary_theme = "data-ondersteund-onderwijs".into();
        },
    )
    .await;
    let peer = app
        .add_project("25LK", "Learning analytics dashboard studiesucces", |p| {
            p.summary = "Een dashboard dat studiesucces voorspelt.".into();
            p.primary_theme = "data-ondersteund-onderwijs".into();
            p.contact_person = "Dirk Data".into();
        })
        .await;
    for title in [
        "Roosterpakket vervangen",
        "Inkoop van laptops",
        "Nieuwe website",
    ] {
        app.add_project("25LK", title, |_| {}).await;
    }
    let hidden = app
        .add_project("25LK", "Dashboard studievoortgang, nog geheim", |p| {
            p.visibility = "instelling".into();
        })
        .await;

    let im = app.session(Role::Informatiemanager).await;
    let similar = im
        .get(&format!("/api/v1/projects/{own}/similar"))
        .await
        .json();
    let items = similar["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], peer, "{similar}");
    assert_eq!(items[0]["contact_person"], "Dirk Data");
    assert_eq!(
        items[0]["reasons"]["themes"],
        json!(["data-ondersteund-onderwijs"])
    );
    assert!(
        items[0]["reasons"]["words"]
            .as_array()
            .unwrap()
            .contains(&json!("dashboard")),
        "{similar}"
    );
    for item in items {
        assert_eq!(
            item["institution"], "25LK",
            "never the project itself or its own institution"
        );
        assert_ne!(item["id"], hidden, "nothing the viewer may not see");
    }
    // A project the viewer may not see has no similar projects to show either.
    let res = im.get(&format!("/api/v1/projects/{hidden}/similar")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

async fn the_project_page_names_similar_projects_and_why() {
    let app = TestApp::new().await;
    let own = app
        .add_project("25LN", "Dashboards voor studievoortgang", |p| {
            p.primary_theme = "data-ondersteund-onderwijs".into();
        })
        .await;
    app.add_project("25LK", "Learning analytics dashboard studiesucces", |p| {
        p.primary_theme = "data-ondersteund-onderwijs".into();
        p.contact_person = "Dirk Data".into();
    })
    .await;
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get(&format!("/projecten/{own}")).await;
    assert!(page.shows("Vergelijkbare projecten"));
    assert!(page.shows("Learning analytics dashboard studiesucces"));
    assert!(page.shows("Zelfde woorden: ‘dashboard’"), "{}", page.body);
    assert!(page.shows("Contactpersoon: Dirk Data"));
}

async fn a_theme_page_shows_who_works_on_it_and_its_cases() {
    let app = portfolio().await;
    app.add_project("25LK", "Open leermiddelen delen", |p| {
        p.primary_theme = "leermiddelen".into();
        p.shareable = true;
        p.case_summary = "Zo deelden wij onze leermiddelen met andere scholen.".into();
        p.contact_person = "Lotte Leermiddel".into();
    })
    .await;
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get("/themas/leermiddelen").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Instellingen die aan dit thema werken"));
    assert!(
        page.body
            .contains("href=\"/projecten?institution=25LK&#38;theme=leermiddelen\""),
        "{}",
        page.body
    );
    assert!(page.shows("Zo deelden wij onze leermiddelen met andere scholen."));
    assert!(page.shows("Contactpersoon: Lotte Leermiddel"));
    assert!(
        page.shows("Budget van projecten met dit hoofdthema: € 200."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/inzicht/dwarsverbanden?paar=leermiddelen,llo#paar\"")
    );
}

async fn an_institution_is_found_by_part_of_its_name() {
    let app = portfolio().await;
    app.institution("30AA", "Horizon Vakschool").await;
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get("/inzicht?institution=davinci").await;
    assert!(
        page.shows("Op basis van 1 zichtbaar project."),
        "{}",
        page.body
    );
    assert!(page.shows("Instelling: DaVinci College"));
    // Two names with "horizon": the page asks which, and lists them.
    let page = im.get("/inzicht?institution=horizon").await;
    assert!(
        page.shows("Meer dan één instelling heeft deze naam."),
        "{}",
        page.body
    );
    assert!(page.body.contains("institution=30AA"));
    let page = im.get("/projecten?institution=Horizon%20College").await;
    assert_eq!(
        page.text_of("result-count").as_deref(),
        Some("3 projecten gevonden")
    );
    let page = im.get("/projecten?institution=bestaat%20niet").await;
    assert!(
        page.shows("Geen instelling gevonden met deze naam of BRIN-code."),
        "{}",
        page.body
    );
}

async fn the_counts_follow_every_save() {
    let app = portfolio().await;
    let beheerder = app.session(Role::Beheerder).await;
    assert_eq!(
        beheerder.get("/api/v1/insight/heatmap").await.json()["visible_projects"],
        5
    );
    let filtered = "/api/v1/insight/heatmap?theme=llo";
    assert_eq!(beheerder.get(filtered).await.json()["visible_projects"], 3);
    app.add_project("25LK", "Nog een LLO-project", |p| {
        p.primary_theme = "llo".into()
    })
    .await;
    assert_eq!(
        beheerder.get("/api/v1/insight/heatmap").await.json()["visible_projects"],
        6
    );
    assert_eq!(beheerder.get(filtered).await.json()["visible_projects"], 4);
    // Another server on the same database counts the same once it has followed the log.
    let other = app.another_instance().await;
    other.store().follow_changes().await.unwrap();
    let seen = other.session(Role::Beheerder).await;
    assert_eq!(seen.get(filtered).await.json()["visible_projects"], 4);
    let found = seen.get("/api/v1/search?q=LLO-project").await.json();
    assert_eq!(found["total"], 1);
}

async fn out_of_date_statuses_are_counted_and_listed_by_the_servers_limit() {
    let app = portfolio().await;
    let old = app
        .add_project("25LN", "Oud nieuws", |p| p.phase = "uitvoering".into())
        .await;
    // A status set long ago: written straight into the database, as no form can.
    stip_store::testing::execute(
        app.store(),
        &format!("UPDATE projects SET status_date = '2025-01-01' WHERE id = {old}"),
    )
    .await
    .unwrap();
    // A server started now reads it so.
    let fresh = app.another_instance().await;
    let im = fresh.session(Role::Informatiemanager).await;
    let map = im.get("/api/v1/insight/heatmap").await.json();
    assert_eq!(map["stale_statuses"], 1);
    let home = im.get("/").await;
    assert!(
        home.shows(
            "1 lopend project heeft een status die al meer dan 90 dagen niet is bijgewerkt."
        ),
        "{}",
        home.body
    );
    assert!(
        home.shows("status van 1 januari 2025"),
        "the own institution's attention list"
    );
    let limit = (chrono::Utc::now().date_naive() - chrono::Days::new(90)).to_string();
    let list = im.get(&format!("/projecten?status_before={limit}")).await;
    assert_eq!(
        list.text_of("result-count").as_deref(),
        Some("1 project gevonden")
    );
    assert!(list.shows("Oud nieuws"));
    // A network that calls a status out of date after two years sees none.
    let patient = app
        .another_instance_with(|s| s.with_stale_after_days(730))
        .await;
    let im = patient.session(Role::Informatiemanager).await;
    assert_eq!(
        im.get("/api/v1/insight/heatmap").await.json()["stale_statuses"],
        0
    );
}

async fn with_a_thousand_institutions_one_is_typed_not_picked_from_a_list() {
    let app = portfolio().await;
    for n in 0..1000 {
        let brin = format!("{:02}Z{}", n / 10, n % 10);
        app.institution(&brin, &format!("Instelling {n:04}")).await;
    }
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get("/projecten").await;
    let options = page.body.matches("<option").count();
    assert!(
        options < 200,
        "{options} options: no list of every institution"
    );
    assert!(
        page.body.contains("data-suggest=\"/api/v1/institutions\""),
        "suggestions as one types"
    );
    // Without JavaScript the server finds the institution by (part of) its name.
    let found = im.get("/projecten?institution=davinci").await;
    assert_eq!(
        found.text_of("result-count").as_deref(),
        Some("1 project gevonden")
    );
    let many = im.get("/projecten?institution=instelling%2009").await;
    assert!(
        many.shows("Meer dan één instelling heeft deze naam."),
        "{}",
        many.body
    );
    assert!(many.body.matches("class=\"matches\"").count() == 1);
}
