//! The portfolio in the browser's terms: adding, editing, history, browsing, permissions,
//! conflicts and bad input.

use crate::support::*;
use axum::http::{Method, StatusCode};

fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/projecten/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_informatiemanager_adds_a_project_with_every_field() {
    let app = TestApp::new().await;
    let s = app.login(IM_HORIZON).await;
    let form = s.get("/projecten/nieuw").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.shows("Horizon College"),
        "the institution is fixed to one's own"
    );

    let res = s.post_form("/projecten", &full_project_form()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = id_from(res.location());
    let page = s.get(res.location()).await;
    assert!(page.shows("Het project is opgeslagen."));
    for text in [
        "Dashboard studiesucces",
        "Eén dashboard voor studievoortgang",
        "Minder uitval in jaar 1",
        "Directeur onderwijs",
        "Piet Projectleider",
        "Uitvoering",
        "Oranje",
        "Leverancier is laat",
        "01-02-2025",
        "31-07-2026",
        "€ 12.500,50",
        "1,50 fte",
        "Middellang (1–3 jaar)",
        "Innoveren",
        "2 — vooral strategisch",
        "4 — vooral business",
        "Data-ondersteund onderwijs",
        "Leven lang ontwikkelen (LLO)",
        "Innovatie",
        "Krimp",
        "Diversiteit",
        "Hoe wij het dashboard samen met docenten bouwden",
        "https://example.org/verslag",
    ] {
        assert!(page.shows(text), "the project page shows {text}");
    }
    assert!(
        page.body.contains("<h2>Aanleiding</h2>"),
        "the description is rendered from Markdown"
    );
    let p = app.store().project(id).await.unwrap();
    assert_eq!(p.institution_brin.as_str(), "25LN");
    assert_eq!(
        p.data.themes,
        vec!["data-ondersteund-onderwijs", "llo", "innovatie"]
    );
    assert_eq!(p.data.scores.get("strategische-bijdrage"), Some(&5));
    assert_eq!(p.data.budget.unwrap().0, 1_250_050);
}

#[tokio::test]
async fn editing_records_who_changed_which_fields_from_what_to_what() {
    let app = TestApp::new().await;
    let s = app.login(IM_HORIZON).await;
    let id = id_from(
        s.post_form("/projecten", &full_project_form())
            .await
            .location(),
    );
    let edit = s.get(&format!("/projecten/{id}/bewerken")).await;
    assert!(edit.body.contains("name=\"version\" value=\"1\""));
    let mut fields = full_project_form();
    fields.retain(|(k, _)| *k != "title" && *k != "status");
    fields.extend([
        ("title", "Dashboard studiesucces 2.0"),
        ("status", "rood"),
        ("version", "1"),
    ]);
    let res = s.post_form(&format!("/projecten/{id}"), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let page = s.get(&format!("/projecten/{id}")).await;
    assert!(page.shows("Wijzigingsgeschiedenis"));
    assert!(page.shows("Hanna Horizon"));
    assert!(page.shows("versie 2"));
    assert!(page.shows("<th scope=\"row\">Titel</th><td>Dashboard studiesucces</td><td>Dashboard studiesucces 2.0</td>"));
    assert!(
        page.shows("<th scope=\"row\">Status</th><td>Oranje</td><td>Rood</td>"),
        "labels, not codes"
    );
    assert!(page.shows("Project aangemaakt."));
    let history = app.store().project_history(id).await.unwrap();
    assert_eq!(
        history[0].changes.len(),
        2,
        "only the changed fields: {:?}",
        history[0].changes
    );
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages_with_the_filters_in_the_url() {
    let app = TestApp::new().await;
    let s = app.login(BEHEERDER).await;
    let all = s.get("/projecten").await;
    assert!(
        all.shows("28 projecten gevonden"),
        "7 institutions × 4 demo projects"
    );

    let horizon = s.get("/projecten?institution=25LN").await;
    assert!(horizon.shows("4 projecten gevonden"));
    assert!(
        horizon.shows("Instelling: Horizon College"),
        "the active filter is shown"
    );
    assert!(horizon.body.contains("<option value=\"25LN\" selected>"));

    // Every filter of the list, checked against the store's own answer.
    for query in [
        "theme=llo",
        "phase=uitvoering",
        "status=rood",
        "character=innoveren",
        "horizon=lang",
        "perspective=strategisch",
        "driver=krimp",
        "q=dashboard",
        "theme=data-ondersteund-onderwijs&status=groen",
    ] {
        let page = s.get(&format!("/projecten?{query}")).await;
        let req: stip_core::portfolio::ListQuery = serde_urlencoded::from_str(query).unwrap();
        let expected = app
            .store()
            .list_projects(&req.parse().unwrap(), stip_core::access::ProjectScope::All)
            .await
            .unwrap()
            .total;
        assert!(
            page.shows(&format!("{expected} projecten gevonden")),
            "{query}: expected {expected}"
        );
    }

    let paged = s.get("/projecten?per_page=10&sort=title&page=2").await;
    assert!(paged.shows("Pagina 2 van 3"));
    assert!(
        paged.shows("href=\"/projecten?sort=title&per_page=10\" rel=\"prev\""),
        "links keep the filters"
    );
    assert!(paged.body.contains("aria-sort=\"ascending\""));

    let bad = s.get("/projecten?phase=klaar").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.shows("Fase: Kies een van de mogelijkheden."));
}

#[tokio::test]
async fn institution_and_theme_pages_show_their_projects() {
    let app = TestApp::new().await;
    let s = app.login(BEHEERDER).await;
    let inst = s.get("/instellingen/25LN").await;
    assert!(inst.shows("Horizon College") && inst.shows("4 projecten gevonden"));
    let theme = s.get("/themas/llo").await;
    assert!(theme.shows("Leven lang ontwikkelen (LLO)"));
    let req = stip_core::portfolio::ListQuery {
        theme: "llo".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let n = app
        .store()
        .list_projects(&req, stip_core::access::ProjectScope::All)
        .await
        .unwrap()
        .total;
    assert!(theme.shows(&format!("{n} projecten gevonden")));
    assert_eq!(
        s.get("/themas/bestaat-niet").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get("/instellingen/99ZZ").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn another_institution_reads_network_projects_but_never_edits_them() {
    let app = TestApp::new().await;
    let id = app.project_of("25LN", "netwerk").await;
    let davinci = app.login(IM_DAVINCI).await;
    let page = davinci.get(&format!("/projecten/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/bewerken"), "no edit button");
    assert!(!page.body.contains("/verwijderen"), "no delete button");
    assert_eq!(
        davinci
            .get(&format!("/projecten/{id}/bewerken"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let version = app.store().project(id).await.unwrap().version.to_string();
    let mut forged = full_project_form();
    forged.push(("version", &version));
    assert_eq!(
        davinci
            .post_form(&format!("/projecten/{id}"), &forged)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        davinci
            .post_form(&format!("/projecten/{id}/verwijderen"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_ne!(
        app.store().project(id).await.unwrap().data.title,
        "Dashboard studiesucces"
    );
}

#[tokio::test]
async fn an_institution_only_project_is_invisible_to_the_rest_of_the_network() {
    let app = TestApp::new().await;
    let id = app.project_of("25LN", "instelling").await;
    let title = app.store().project(id).await.unwrap().data.title.clone();
    let davinci = app.login(IM_DAVINCI).await;
    assert_eq!(
        davinci.get(&format!("/projecten/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let list = davinci
        .get("/projecten?institution=25LN&per_page=200")
        .await;
    assert!(
        !list.body.contains(&format!("/projecten/{id}\"")),
        "not in the list"
    );
    // Horizon's own information manager does see it, and so does the beheerder.
    assert!(
        app.login(IM_HORIZON)
            .await
            .get(&format!("/projecten/{id}"))
            .await
            .shows(&title)
    );
    assert_eq!(
        app.login(BEHEERDER)
            .await
            .get(&format!("/projecten/{id}"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn anonymous_visitors_see_only_public_projects() {
    let app = TestApp::new().await;
    let public = app.project_of("25LN", "openbaar").await;
    let network = app.project_of("25LK", "netwerk").await;
    let anon = app.anonymous();
    let list = anon.get("/projecten?per_page=200").await;
    let expected = app
        .store()
        .list_projects(&all_projects(), stip_core::access::ProjectScope::Public)
        .await
        .unwrap()
        .total;
    assert!(list.shows(&format!("{expected} projecten gevonden")));
    assert!(list.body.contains(&format!("/projecten/{public}\"")));
    assert!(!list.body.contains(&format!("/projecten/{network}\"")));
    assert_eq!(
        anon.get(&format!("/projecten/{public}")).await.status,
        StatusCode::OK
    );
    let res = anon.get(&format!("/projecten/{network}")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "as if it did not exist");
    assert!(
        res.body
            .contains(&format!("/inloggen?terug=%2Fprojecten%2F{network}")),
        "offered the login page"
    );
    assert!(!list.body.contains("/projecten/nieuw"));
}

#[tokio::test]
async fn two_people_saving_from_the_same_version_never_overwrite_each_other() {
    let app = TestApp::new().await;
    let id = app.project_of("25LN", "netwerk").await;
    let version = app.store().project(id).await.unwrap().version.to_string();
    let hanna = app.login(IM_HORIZON).await;
    let beheer = app.login(BEHEERDER).await;
    let edit = |title: &'static str| {
        let mut f = full_project_form();
        f.retain(|(k, _)| *k != "title");
        f.push(("title", title));
        f
    };
    let mut first = edit("Titel van Hanna");
    first.push(("version", &version));
    assert_eq!(
        hanna
            .post_form(&format!("/projecten/{id}"), &first)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let mut second = edit("Titel van Bea");
    second.push(("version", &version));
    let conflict = beheer.post_form(&format!("/projecten/{id}"), &second).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.shows("Iemand anders heeft dit project intussen opgeslagen"));
    assert!(conflict.shows("Hanna Horizon"), "who saved in between");
    assert!(
        conflict.shows("<td>Titel van Hanna</td>"),
        "what they saved"
    );
    assert!(
        conflict.body.contains("value=\"Titel van Bea\""),
        "the second person's input is kept"
    );
    assert_eq!(
        app.store().project(id).await.unwrap().data.title,
        "Titel van Hanna",
        "nothing overwritten"
    );

    // Saving again from the conflict form is a deliberate choice, and it works.
    let new_version = app.store().project(id).await.unwrap().version.to_string();
    assert!(
        conflict
            .body
            .contains(&format!("name=\"version\" value=\"{new_version}\""))
    );
    let mut again = edit("Titel van Bea");
    again.push(("version", &new_version));
    assert_eq!(
        beheer
            .post_form(&format!("/projecten/{id}"), &again)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.store().project(id).await.unwrap().data.title,
        "Titel van Bea"
    );
}

#[tokio::test]
async fn bad_input_is_shown_next_to_each_field_in_dutch_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let s = app.login(IM_HORIZON).await;
    let before = app
        .store()
        .list_projects(&all_projects(), stip_core::access::ProjectScope::All)
        .await
        .unwrap()
        .total;
    let mut fields = full_project_form();
    fields.retain(|(k, _)| {
        !["title", "start_date", "end_date", "primary_theme", "budget"].contains(k)
    });
    fields.extend([
        ("title", "  "),
        ("start_date", "2026-01-01"),
        ("end_date", "2025-01-01"),
        ("primary_theme", "ruimtevaart"),
        ("budget", "twaalf"),
    ]);
    let res = s.post_form("/projecten", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.text_of("e-title").as_deref(), Some("Vul dit veld in."));
    assert_eq!(
        res.text_of("e-end_date").as_deref(),
        Some("De einddatum ligt vóór de startdatum.")
    );
    assert_eq!(
        res.text_of("e-primary_theme").as_deref(),
        Some("Deze waarde bestaat niet; kies uit de lijst.")
    );
    assert!(
        res.text_of("e-budget")
            .unwrap()
            .starts_with("Vul een bedrag of getal in")
    );
    assert!(
        res.body.contains("aria-describedby=\"e-title"),
        "the message is tied to its field"
    );
    assert!(
        res.body.contains("value=\"twaalf\""),
        "what was typed stays"
    );
    assert!(res.shows("Controleer de volgende velden"));
    let after = app
        .store()
        .list_projects(&all_projects(), stip_core::access::ProjectScope::All)
        .await
        .unwrap()
        .total;
    assert_eq!(before, after, "nothing was saved");

    let admin = app.login(BEHEERDER).await;
    let res = admin
        .post_form(
            "/beheer/instellingen/nieuw",
            &[
                ("brin", "XYZ"),
                ("name", "Nieuw College"),
                ("short_name", "Nieuw"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text_of("e-brin")
            .unwrap()
            .starts_with("Een BRIN-code heeft vier tekens")
    );
}

#[tokio::test]
async fn only_who_may_gets_the_new_project_button() {
    let app = TestApp::new().await;
    assert!(
        app.login(IM_HORIZON)
            .await
            .get("/projecten")
            .await
            .body
            .contains("href=\"/projecten/nieuw\"")
    );
    assert!(
        app.login(BEHEERDER)
            .await
            .get("/projecten")
            .await
            .body
            .contains("href=\"/projecten/nieuw\"")
    );
    for who in [LEZER, REGIEGROEP] {
        let s = app.login(who).await;
        assert!(
            !s.get("/projecten")
                .await
                .body
                .contains("href=\"/projecten/nieuw\""),
            "{who}"
        );
        assert_eq!(
            s.get("/projecten/nieuw").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            s.post_form("/projecten", &full_project_form()).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
}

#[tokio::test]
async fn a_beheerder_chooses_the_institution_and_may_delete() {
    let app = TestApp::new().await;
    let s = app.login(BEHEERDER).await;
    let mut fields = full_project_form();
    fields.push(("institution", "25LK"));
    let res = s.post_form("/projecten", &fields).await;
    let id = id_from(res.location());
    assert_eq!(
        app.store()
            .project(id)
            .await
            .unwrap()
            .institution_brin
            .as_str(),
        "25LK"
    );
    assert_eq!(
        s.post_form(&format!("/projecten/{id}/verwijderen"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        s.get(&format!("/projecten/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_main_flow_works_on_postgres_too() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let s = app.login(IM_HORIZON).await;
    let res = s.post_form("/projecten", &full_project_form()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = id_from(res.location());
    assert!(
        s.get("/projecten?q=studiesucces")
            .await
            .shows("Dashboard studiesucces")
    );
    let mut stale = full_project_form();
    stale.push(("version", "1"));
    assert_eq!(
        s.post_form(&format!("/projecten/{id}"), &stale)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let mut changed = full_project_form();
    changed.retain(|(k, _)| *k != "title");
    changed.extend([("title", "Nieuwe titel"), ("version", "1")]);
    // Version 1 is stale now only if the first save changed something; it did not, so this saves.
    assert_eq!(
        s.post_form(&format!("/projecten/{id}"), &changed)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    changed.retain(|(k, _)| *k != "title");
    changed.push(("title", "Nog een titel"));
    assert_eq!(
        s.post_form(&format!("/projecten/{id}"), &changed)
            .await
            .status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn a_project_one_may_not_see_answers_exactly_like_one_that_does_not_exist() {
    let app = TestApp::new().await;
    let hidden = app.project_of("25LN", "instelling").await;
    let network = app.project_of("25LK", "netwerk").await;
    let missing = 999_999;
    let anon = app.anonymous();
    for id in [hidden, network, missing] {
        let page = anon.get(&format!("/projecten/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "/projecten/{id}");
        assert!(page.shows("Log in om meer te zien"));
        assert!(
            page.body
                .contains(&format!("/inloggen?terug=%2Fprojecten%2F{id}"))
        );
        let edit = anon.get(&format!("/projecten/{id}/bewerken")).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND, "edit {id}");
        let api = anon
            .api(Method::GET, &format!("/api/v1/projects/{id}"), None)
            .await;
        assert_eq!(api.status, StatusCode::NOT_FOUND, "API {id}");
        assert_eq!(api.json()["title"], "Niet gevonden");
        let api = anon
            .api(Method::GET, &format!("/api/v1/projects/{id}/history"), None)
            .await;
        assert_eq!(api.status, StatusCode::NOT_FOUND, "API history {id}");
        let api = anon
            .api(Method::DELETE, &format!("/api/v1/projects/{id}"), None)
            .await;
        assert_eq!(api.status, StatusCode::NOT_FOUND, "API delete {id}");
    }
    // Logged in, a project of another institution kept to itself is just as missing, for the
    // page, its edit form, its delete and the API.
    let davinci = app.login(IM_DAVINCI).await;
    for id in [hidden, missing] {
        assert_eq!(
            davinci.get(&format!("/projecten/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            davinci
                .get(&format!("/projecten/{id}/bewerken"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let res = davinci
            .post_form(&format!("/projecten/{id}/verwijderen"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let api = davinci
            .api(Method::GET, &format!("/api/v1/projects/{id}"), None)
            .await;
        assert_eq!(api.status, StatusCode::NOT_FOUND);
    }
    assert!(app.store().project(hidden).await.is_ok());
}
