//! Projects other records link to (a meeting's case, a working group's exchange) never show a
//! project its reader may not see (issue 29, defect 1): only what the linker may see can be
//! linked, an invisible id is refused exactly like a missing one, and every reader — API,
//! calendar file, personal feed, pages, report — sees another institution's private project only
//! as "een project van een andere instelling", without its title.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

on_both!(
    a_private_project_cannot_be_made_a_case_by_someone_who_may_not_see_it,
    a_private_case_is_named_without_its_title_to_those_who_may_not_see_it,
    a_working_group_links_only_projects_the_linker_sees_and_shows_them_as_readers_may,
);

fn meeting(case: i64) -> Value {
    json!({
        "title": "Netwerkbijeenkomst leermiddelen",
        "starts_at": "2026-12-10T13:30:00+01:00",
        "ends_at": "2026-12-10T17:00:00+01:00",
        "theme": "leermiddelen",
        "case_project": case,
    })
}

/// The title of project `id`, as the store has it.
async fn title_of(app: &TestApp, id: i64) -> String {
    app.store().project(id).await.unwrap().data.title.clone()
}

async fn a_private_project_cannot_be_made_a_case_by_someone_who_may_not_see_it() {
    let app = TestApp::demo().await;
    let private = app.project_of("25LN", "instelling").await;
    let regie = app.login(REGIEGROEP).await;
    let hidden = regie
        .api(Method::POST, "/api/v1/meetings", Some(meeting(private)))
        .await;
    assert_eq!(
        hidden.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        hidden.body
    );
    assert_eq!(hidden.refused_fields(), vec!["case_project"]);
    // A missing id answers exactly the same: the answer tells nothing of what exists.
    let missing = regie
        .api(Method::POST, "/api/v1/meetings", Some(meeting(999_999)))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(hidden.json()["errors"], missing.json()["errors"]);
    assert_eq!(hidden.json()["detail"], missing.json()["detail"]);
    assert!(!hidden.body.contains(&title_of(&app, private).await));
    // The page's form says the same.
    let form = regie
        .post_form(
            "/bijeenkomsten",
            &[
                ("title", "Netwerkbijeenkomst"),
                ("starts_at", "2026-12-10T13:30"),
                ("ends_at", "2026-12-10T17:00"),
                ("case_project", &private.to_string()),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.shows("Stip vindt geen project met deze naam of dit nummer dat je kunt zien."));
    // Nor by its title: it is not among the suggestions, and its name finds nothing.
    let title = title_of(&app, private).await;
    let new = regie.get("/bijeenkomsten/nieuw").await;
    assert!(
        !new.shows(&title),
        "a project the planner may not see is not suggested"
    );
    let by_name = regie
        .post_form(
            "/bijeenkomsten",
            &[
                ("title", "Netwerkbijeenkomst"),
                ("starts_at", "2026-12-10T13:30"),
                ("ends_at", "2026-12-10T17:00"),
                ("case_project", &title),
            ],
        )
        .await;
    assert_eq!(by_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(by_name.shows("Stip vindt geen project met deze naam of dit nummer dat je kunt zien."));
    // A project the regiegroep sees is a case as before.
    let shared = app.project_of("25LK", "netwerk").await;
    let ok = regie
        .api(Method::POST, "/api/v1/meetings", Some(meeting(shared)))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
}

async fn a_private_case_is_named_without_its_title_to_those_who_may_not_see_it() {
    let app = TestApp::demo().await;
    let private = app.project_of("25LN", "instelling").await;
    let title = title_of(&app, private).await;
    // The beheerder sees every project, so may make it the case (Horizon presents its own work).
    let beheer = app.login(BEHEERDER).await;
    let made = beheer
        .api(Method::POST, "/api/v1/meetings", Some(meeting(private)))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["id"].as_i64().unwrap();
    assert_eq!(made.json()["case"]["title"], title.as_str());

    let lezer = app.login(LEZER).await;
    let api = lezer.get(&format!("/api/v1/meetings/{id}")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["case"], Value::Null);
    let listed = lezer.get("/api/v1/meetings").await;
    assert!(!listed.body.contains(&title));

    let ics = lezer.get(&format!("/api/v1/meetings/{id}/ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(!ics.body.contains(&title), "{}", ics.body);
    assert!(
        ics.body
            .replace("\r\n ", "")
            .contains("een project van een andere instelling"),
        "{}",
        ics.body
    );

    for page in [
        "/bijeenkomsten".to_string(),
        format!("/bijeenkomsten/{id}"),
        format!("/bijeenkomsten/{id}/verslag"),
        "/themas/leermiddelen".to_string(),
    ] {
        let res = lezer.get(&page).await;
        assert_eq!(res.status, StatusCode::OK, "{page}");
        assert!(!res.body.contains(&title), "{page} shows the title");
        assert!(
            res.shows("een project van een andere instelling"),
            "{page} names the case without its title"
        );
    }
    let pdf = lezer.get(&format!("/bijeenkomsten/{id}/verslag.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    // Words as they read, whichever line they wrapped to.
    let text = crate::meeting::pdf_text(&pdf.bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!text.contains(&title), "{text}");

    // The personal feed shows what its owner may see.
    let page = lezer.get("/bijeenkomsten").await;
    let feed = page
        .body
        .split("value=\"")
        .find_map(|rest| rest.split('"').next().filter(|v| v.contains("/agenda/")))
        .expect("the feed address on the page")
        .to_string();
    let path = &feed[feed.find("/agenda/").unwrap()..];
    let res = app.anonymous().get(path).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains(&title), "{}", res.body);

    // Horizon's own informatiemanager sees its project as the case, everywhere.
    let im = app.login(IM_HORIZON).await;
    assert_eq!(
        im.get(&format!("/api/v1/meetings/{id}")).await.json()["case"]["title"],
        title.as_str()
    );
    assert!(im.get(&format!("/bijeenkomsten/{id}")).await.shows(&title));

    // The regiegroep may change the meeting and leave the case it cannot see as it is.
    let regie = app.login(REGIEGROEP).await;
    let current = regie.get(&format!("/api/v1/meetings/{id}")).await.json();
    let mut changed = meeting(private);
    changed["title"] = json!("Netwerkbijeenkomst leermiddelen (verplaatst)");
    changed["version"] = current["version"].clone();
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{id}"),
            Some(changed),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["case_project"], private);
}

async fn a_working_group_links_only_projects_the_linker_sees_and_shows_them_as_readers_may() {
    let app = TestApp::demo().await;
    let private = app.project_of("25LN", "instelling").await;
    let title = title_of(&app, private).await;
    let log = "/api/v1/themes/leermiddelen/workgroup/log";
    let exchange = json!({
        "direction": "input",
        "date": "2026-11-12",
        "text": "Voorbeeld uit Horizon",
        "projects": [private],
    });
    let regie = app.login(REGIEGROEP).await;
    let hidden = regie.api(Method::POST, log, Some(exchange.clone())).await;
    assert_eq!(
        hidden.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        hidden.body
    );
    assert_eq!(hidden.refused_fields(), vec!["projects[0]"]);
    let mut missing = exchange.clone();
    missing["projects"] = json!([999_999]);
    let missing = regie.api(Method::POST, log, Some(missing)).await;
    assert_eq!(hidden.json()["errors"], missing.json()["errors"]);

    let beheer = app.login(BEHEERDER).await;
    let logged = beheer.api(Method::POST, log, Some(exchange)).await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
    let lezer = app.login(LEZER).await;
    for page in ["/themas/leermiddelen/werkgroep", "/themas/leermiddelen"] {
        let res = lezer.get(page).await;
        assert_eq!(res.status, StatusCode::OK, "{page}");
        assert!(!res.body.contains(&title), "{page} shows the title");
        assert!(res.shows("een project van een andere instelling"), "{page}");
    }
    let im = app.login(IM_HORIZON).await;
    assert!(im.get("/themas/leermiddelen/werkgroep").await.shows(&title));
}
