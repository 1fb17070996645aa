//! The agenda's working groups (issue 16, second part): a theme's working group, kept by the
//! regiegroep and read by everyone logged in; its log of input and output, by the API and by the
//! pages; the theme page's latest exchanges.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

on_both!(
    the_regiegroep_keeps_a_themes_working_group_and_members_read_it,
    exchanges_are_logged_by_field_and_shown_newest_first,
    the_pages_describe_the_group_and_log_an_exchange,
    an_exchange_refused_names_its_fields_in_the_readers_language,
);

const GROUP: &str = "/api/v1/themes/data-ondersteund-onderwijs/workgroup";
const LOG: &str = "/api/v1/themes/data-ondersteund-onderwijs/workgroup/log";

async fn the_regiegroep_keeps_a_themes_working_group_and_members_read_it() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let horizon = app.institution("25LN", "Horizon College").await;
    // Not described yet: an empty group with an empty log.
    let lezer = app.login(LEZER).await;
    let empty = lezer.get(GROUP).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert_eq!(empty.json()["name"], "");
    assert_eq!(empty.json()["log"], json!([]));

    let saved = regie
        .api(
            Method::PUT,
            GROUP,
            Some(json!({
                "name": "SAD-werkgroep Data",
                "chair": "Rik Regie",
                "contact": "data@sad.example",
                "members": [{"name": "Hanna Horizon", "institution": horizon}, {"name": "Kees Kennisnet"}],
            })),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let read = lezer.get(GROUP).await.json();
    assert_eq!(read["name"], "SAD-werkgroep Data");
    assert_eq!(read["members"][0]["institution"], horizon);
    assert_eq!(read["members"][1]["name"], "Kees Kennisnet");

    // Only the regiegroep (and the beheerder) keeps it; without a login nothing is read.
    for s in [app.login(IM_HORIZON).await, lezer] {
        let res = s
            .api(Method::PUT, GROUP, Some(json!({"name": "Anders"})))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = s
            .api(
                Method::POST,
                LOG,
                Some(json!({"direction": "input", "date": "2026-11-12", "text": "x"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        app.anonymous().get(GROUP).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        regie
            .get("/api/v1/themes/geen-thema/workgroup")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Refused by field; nothing changes.
    let refused = regie
        .api(
            Method::PUT,
            GROUP,
            Some(json!({"name": " ", "members": [{"name": "Anna", "institution": 99999}]})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.refused_fields();
    assert_eq!(fields, ["name", "members[0].institution"]);
    assert_eq!(regie.get(GROUP).await.json()["name"], "SAD-werkgroep Data");
}

async fn exchanges_are_logged_by_field_and_shown_newest_first() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let project = app.project_of("25LN", "netwerk").await;
    let secret = app.project_of("25LK", "instelling").await;
    // Only the beheerder sees DaVinci's own project, so only they may link it (see linked.rs).
    let first = app
        .login(BEHEERDER)
        .await
        .api(
            Method::POST,
            LOG,
            Some(json!({
                "direction": "input",
                "date": "2026-10-01",
                "text": "Het netwerk vraagt om één datamodel voor studievoortgang",
                "links": ["https://example.org/verslag-oktober"],
                "projects": [project, secret],
            })),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["direction"], "input");
    let second = regie
        .api(
            Method::POST,
            LOG,
            Some(json!({"direction": "output", "date": "12-11-2026", "text": "Concept-datamodel gedeeld"})),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(second.json()["date"], "2026-11-12");

    for (body, field) in [
        (
            json!({"direction": "heen", "date": "2026-11-12", "text": "x"}),
            "direction",
        ),
        (
            json!({"direction": "input", "date": "morgen", "text": "x"}),
            "date",
        ),
        (
            json!({"direction": "input", "date": "2026-11-12", "text": ""}),
            "text",
        ),
        (
            json!({"direction": "input", "date": "2026-11-12", "text": "x", "links": ["ftp://x"]}),
            "links[0]",
        ),
        (
            json!({"direction": "input", "date": "2026-11-12", "text": "x", "projects": [999999]}),
            "projects[0]",
        ),
        (
            json!({"direction": "input", "date": "2026-11-12", "text": "x", "meeting": 999999}),
            "meeting",
        ),
    ] {
        let res = regie.api(Method::POST, LOG, Some(body)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.json()["errors"][0]["field"], field);
    }

    let lezer = app.login(LEZER).await;
    let log = lezer.get(GROUP).await.json()["log"].clone();
    let texts: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Concept-datamodel gedeeld",
            "Het netwerk vraagt om één datamodel voor studievoortgang"
        ]
    );

    // The theme page shows the latest exchanges to members, with the projects they may see.
    let page = lezer.get("/themas/data-ondersteund-onderwijs").await;
    assert!(page.shows("Concept-datamodel gedeeld"), "{}", page.body);
    assert!(page.body.contains(&format!("/projecten/{project}")));
    assert!(
        !page.body.contains(&format!("/projecten/{secret}\"")),
        "another institution's own project stays hidden"
    );
    assert!(
        !app.anonymous()
            .get("/themas/data-ondersteund-onderwijs")
            .await
            .shows("Concept-datamodel")
    );

    // Logged by mistake: removed.
    let id = second.json()["id"].as_i64().unwrap();
    let path = format!("{LOG}/{id}");
    assert_eq!(
        lezer.api(Method::DELETE, &path, None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        regie.api(Method::DELETE, &path, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        regie.api(Method::DELETE, &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lezer.get(GROUP).await.json()["log"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn the_pages_describe_the_group_and_log_an_exchange() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let page = "/themas/llo/werkgroep";
    assert!(regie.get(page).await.shows("Werkgroep beschrijven"));
    let lezer = app.login(LEZER).await;
    let read_only = lezer.get(page).await;
    assert_eq!(read_only.status, StatusCode::OK);
    assert!(!read_only.shows("Werkgroep beschrijven"));
    assert_eq!(
        app.anonymous().get(page).await.status,
        StatusCode::SEE_OTHER
    );

    let saved = regie
        .post_form(
            page,
            &[
                ("name", "SAD-werkgroep LLO"),
                ("chair", "Bea"),
                ("members[0].name", "Hanna Horizon"),
                ("members[0].institution", "25LN"),
                ("members[1].name", "Kees"),
                ("members[1].institution", ""),
                ("members[2].name", "Daan"),
                ("members[2].institution", "davinci college"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = lezer.get(page).await;
    assert!(shown.shows("SAD-werkgroep LLO"));
    assert!(
        shown.shows("Hanna Horizon (Horizon College)"),
        "{}",
        shown.body
    );
    // An institution by its name (in any case) as well as by its BRIN code.
    assert!(shown.shows("Daan (DaVinci College)"), "{}", shown.body);
    let wrong_brin = regie
        .post_form(
            page,
            &[
                ("name", "SAD-werkgroep LLO"),
                ("members[0].name", "Hanna Horizon"),
                ("members[0].institution", "Horizon"),
                ("members[1].name", ""),
                ("members[1].institution", ""),
                ("members[2].name", "Anna"),
                ("members[2].institution", "99ZZ"),
            ],
        )
        .await;
    assert_eq!(wrong_brin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_brin.body.contains("id=\"e-members\""));
    // The field by its Dutch name and the line that is wrong, as the field numbers it.
    assert!(
        wrong_brin.shows(
            "Leden: Stip kent deze instelling niet, of er passen er meer: rij 3 (‘Anna, 99ZZ’)."
        ),
        "{}",
        wrong_brin.body
    );
    assert!(!wrong_brin.shows("members:"));

    let refused = regie
        .post_form(
            &format!("{page}/uitwisseling"),
            &[("date", "2026-11-12"), ("text", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.shows("Kies een van de mogelijkheden.") || refused.shows("Vul dit veld in."));
    assert!(refused.body.contains("id=\"e-text\""));
    // The meeting it was discussed at is chosen by its title and date.
    let meeting = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(serde_json::json!({
                "title": "Netwerkbijeenkomst november",
                "starts_at": "2026-11-19T13:30:00+01:00",
                "ends_at": "2026-11-19T17:00:00+01:00",
            })),
        )
        .await
        .json();
    let mid = meeting["id"].as_i64().unwrap();
    // Projects are named by title, one per line; a line no project fits is refused.
    let linked = app.project_of("25LK", "netwerk").await;
    let linked_title = app
        .store()
        .project(linked)
        .await
        .unwrap()
        .data
        .title
        .clone();
    let unknown = regie
        .post_form(
            &format!("{page}/uitwisseling"),
            &[
                ("direction", "output"),
                ("date", "2026-11-20"),
                ("text", "Advies"),
                ("projects", &linked_title),
                ("projects", "Een project dat niemand heeft"),
                ("projects", ""),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.shows("Stip vindt niet bij elk veld een project dat je kunt zien"));
    // What was typed stays in its field.
    assert!(
        unknown
            .body
            .contains("value=\"Een project dat niemand heeft\"")
    );
    let form = regie.get(page).await;
    assert!(form.shows("Project 3"), "three project fields");
    assert!(
        form.shows(&format!(
            "<option value=\"{mid}\">Netwerkbijeenkomst november, 19 november 2026</option>"
        )),
        "{}",
        form.body
    );
    let logged = regie
        .post_form(
            &format!("{page}/uitwisseling"),
            &[
                ("direction", "output"),
                ("date", "2026-11-20"),
                ("text", "Advies over modulair onderwijs"),
                ("links", "https://example.org/advies"),
                ("meeting", &mid.to_string()),
                ("projects", &linked_title),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    // The project came by its title, and shows by it.
    assert!(
        lezer
            .get(page)
            .await
            .body
            .contains(&format!("<a href=\"/projecten/{linked}\">")),
        "the project linked by its title"
    );
    let after = lezer.get(page).await;
    assert!(after.shows("Advies over modulair onderwijs"));
    assert!(after.shows("Output"));
    assert!(
        after.shows(&format!(
            "Besproken op <a href=\"/bijeenkomsten/{mid}\">Netwerkbijeenkomst november</a>"
        )),
        "{}",
        after.body
    );
    assert!(
        lezer
            .get("/themas/llo")
            .await
            .shows("Advies over modulair onderwijs")
    );
}

/// The log's contract (issue 29, defect 13): a refused exchange names every field the way people
/// read them, never half as keys; the OpenAPI document gives `date` as a date and `direction`
/// with its two values (see the snapshot).
async fn an_exchange_refused_names_its_fields_in_the_readers_language() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let res = regie
        .api(
            Method::POST,
            LOG,
            Some(json!({"direction": "zijwaarts", "date": "gisteren", "text": "x"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.refused_fields(), vec!["direction", "date"]);
    let detail = res.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("Richting:"), "{detail}");
    assert!(detail.contains("Datum:"), "{detail}");
    assert!(!detail.contains("date"), "{detail}");
    let doc = app.anonymous().get("/api/openapi.json").await.json();
    let write = &doc["components"]["schemas"]["ExchangeWrite"]["properties"];
    assert_eq!(write["date"]["format"], "date");
    assert_eq!(
        doc["components"]["schemas"]["ExchangeDirection"]["enum"],
        json!(["input", "output"])
    );
}
