//! Versions of the agenda (issue 16, third part): a new version copies the active one, is edited
//! as a concept and activated with a mapping that moves every project's themes in one
//! transaction: primary kept where the mapping allows, flagged where not, history written, the
//! old version readable; and with 15,000 projects, all or nothing.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use stip_core::user::Role;

on_both!(
    a_new_version_copies_the_active_one_and_only_the_beheerder_makes_it,
    activation_moves_every_project_by_the_mapping_and_keeps_the_old_version_readable,
    a_mapping_that_leaves_projects_without_a_theme_changes_nothing,
    activating_fifteen_thousand_projects_is_all_or_nothing,
    the_pages_make_edit_and_activate_a_version,
    an_open_survey_keeps_the_themes_of_the_version_it_was_opened_with,
);

async fn themes_of(s: &Session) -> Vec<String> {
    s.get("/api/v1/themes")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect()
}

/// The active agenda's themes with `leermiddelen` split into two, `innovatie` dropped and
/// `llo` renamed to `leven-lang-ontwikkelen`.
fn new_content(old: &serde_json::Value) -> serde_json::Value {
    let mut themes: Vec<serde_json::Value> = old["themes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !["leermiddelen", "innovatie", "llo"].contains(&t["code"].as_str().unwrap()))
        .cloned()
        .collect();
    for (code, name) in [
        ("digitale-leermiddelen", "Digitale leermiddelen"),
        ("open-leermateriaal", "Open leermateriaal"),
        ("leven-lang-ontwikkelen", "Leven lang ontwikkelen"),
    ] {
        themes.push(json!({"code": code, "name": name, "colour": "#5a3e8a", "main_line": null}));
    }
    json!({"name": "Strategische agenda 2023–2027", "main_lines": old["main_lines"], "themes": themes})
}

/// A concept named `name` made by `s` (a copy of the active version); its id.
async fn post_concept(s: &Session, name: &str) -> i64 {
    s.api(Method::POST, "/api/v1/agendas", Some(json!({"name": name})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap()
}

/// The mapping from the active agenda to [`new_content`]: `leermiddelen` split, `llo` renamed,
/// `innovatie` dropped.
fn new_mapping() -> serde_json::Value {
    json!({"mapping": {
        "leermiddelen": ["digitale-leermiddelen", "open-leermateriaal"],
        "llo": ["leven-lang-ontwikkelen"],
        "innovatie": [],
    }})
}

/// A concept made by `s` as the API allows and edited to [`new_content`]; its id.
async fn new_concept(s: &Session) -> i64 {
    let id = post_concept(s, "Strategische agenda 2023–2027").await;
    let concept = s.get(&format!("/api/v1/agendas/{id}")).await.json();
    let saved = s
        .api(
            Method::PUT,
            &format!("/api/v1/agendas/{id}"),
            Some(new_content(&concept)),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    id
}

async fn a_new_version_copies_the_active_one_and_only_the_beheerder_makes_it() {
    let app = TestApp::new().await;
    let beheerder = app.session(Role::Beheerder).await;
    let list = beheerder.get("/api/v1/agendas").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["status"], "actief");

    for s in [
        app.session(Role::Regiegroep).await,
        app.session(Role::Informatiemanager).await,
    ] {
        let res = s
            .api(
                Method::POST,
                "/api/v1/agendas",
                Some(json!({"name": "Nieuw"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        app.anonymous().get("/api/v1/agendas").await.status,
        StatusCode::UNAUTHORIZED
    );
    let nameless = beheerder
        .api(Method::POST, "/api/v1/agendas", Some(json!({"name": " "})))
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nameless.json()["errors"][0]["field"], "name");

    let made = beheerder
        .api(
            Method::POST,
            "/api/v1/agendas",
            Some(json!({"name": "Strategische agenda 2023–2027"})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["id"].as_i64().unwrap();
    let concept = beheerder.get(&format!("/api/v1/agendas/{id}")).await.json();
    assert_eq!(concept["status"], "concept");
    let codes: Vec<String> = concept["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, themes_of(&beheerder).await);
    assert_eq!(concept["main_lines"], list[0]["main_lines"]);

    // Edited as a concept: refused by row and field, then saved whole.
    let mut wrong = new_content(&concept);
    wrong["themes"][0]["colour"] = json!("groen");
    wrong["themes"][1]["code"] = wrong["themes"][2]["code"].clone();
    let refused = beheerder
        .api(Method::PUT, &format!("/api/v1/agendas/{id}"), Some(wrong))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.refused_fields();
    assert_eq!(fields, ["themes[0].colour", "themes[2].code"]);
    let saved = beheerder
        .api(
            Method::PUT,
            &format!("/api/v1/agendas/{id}"),
            Some(new_content(&concept)),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["themes"].as_array().unwrap().len(), 8);
    // A change to the active agenda after the concept was made is pointed out on its page:
    // activating would undo it.
    let page = beheerder.get(&format!("/agenda/versies/{id}")).await;
    assert!(!page.body.contains("id=\"changed-since\""));
    stip_store::testing::execute(
        app.store(),
        "UPDATE themes SET name = 'Leven lang ontwikkelen en leren' WHERE code = 'llo'",
    )
    .await
    .unwrap();
    let page = beheerder.get(&format!("/agenda/versies/{id}")).await;
    assert!(
        page.shows("De actieve agenda is gewijzigd"),
        "{}",
        page.body
    );
    assert!(page.shows("Leven lang ontwikkelen en leren"));
    // Projects do not notice a concept.
    assert!(
        themes_of(&beheerder)
            .await
            .contains(&"innovatie".to_string())
    );

    // A concept can be deleted; the active version cannot be.
    let active = list[0]["id"].as_i64().unwrap();
    let res = beheerder
        .api(Method::DELETE, &format!("/api/v1/agendas/{active}"), None)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = beheerder
        .api(Method::DELETE, &format!("/api/v1/agendas/{id}"), None)
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

async fn activation_moves_every_project_by_the_mapping_and_keeps_the_old_version_readable() {
    let app = TestApp::new().await;
    let split = app
        .add_project("25LN", "Leermiddelenbeleid", |p| {
            p.primary_theme = "leermiddelen".into();
            p.themes = vec!["llo".into()];
        })
        .await;
    let dropped = app
        .add_project("25LN", "Innovatielab", |p| {
            p.primary_theme = "innovatie".into();
            p.themes = vec!["data-ondersteund-onderwijs".into()];
        })
        .await;
    let kept = app
        .add_project("25LK", "Examens digitaal", |p| {
            p.primary_theme = "onderwijslogistiek".into();
            p.visibility = "instelling".into();
        })
        .await;
    let beheerder = app.session(Role::Beheerder).await;
    let old_id = beheerder.get("/api/v1/agendas").await.json()[0]["id"]
        .as_i64()
        .unwrap();
    let id = new_concept(&beheerder).await;

    // Mapping to a theme the new version does not have is refused by name.
    let unknown = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{id}/activate"),
            Some(json!({"mapping": {"leermiddelen": ["papier"], "geen-thema": []}})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = unknown.refused_fields();
    assert_eq!(fields, ["mapping.geen-thema", "mapping.leermiddelen[0]"]);
    assert_eq!(
        app.session(Role::Regiegroep)
            .await
            .api(
                Method::POST,
                &format!("/api/v1/agendas/{id}/activate"),
                Some(json!({"mapping": {}}))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let activated = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{id}/activate"),
            Some(new_mapping()),
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);
    let a = activated.json();
    // Every page names the agenda now active: the themes page by its version's name.
    let themes_page = app.anonymous().get("/themas").await;
    assert!(
        themes_page.shows("<h1>Strategische agenda 2023–2027</h1>"),
        "{}",
        themes_page.body
    );
    assert_eq!(
        (
            a["projects"].as_i64(),
            a["moved"].as_i64(),
            a["flagged"].as_i64()
        ),
        (Some(3), Some(2), Some(2))
    );

    let project = |id: i64| {
        let s = &beheerder;
        async move { s.get(&format!("/api/v1/projects/{id}")).await.json() }
    };
    // Themes, the primary first.
    assert_eq!(
        project(split).await["themes"],
        json!([
            "digitale-leermiddelen",
            "open-leermateriaal",
            "leven-lang-ontwikkelen"
        ])
    );
    assert_eq!(
        project(dropped).await["themes"],
        json!(["data-ondersteund-onderwijs"])
    );
    assert_eq!(project(kept).await["themes"], json!(["onderwijslogistiek"]));

    // History names both agendas, and the themes where they moved.
    let history = beheerder
        .get(&format!("/api/v1/projects/{split}/history"))
        .await
        .json();
    assert_eq!(
        history[0]["changes"][0],
        json!({"field": "agenda", "old": "Strategische agenda digitalisering mbo", "new": "Strategische agenda 2023–2027"})
    );
    assert_eq!(history[0]["changes"][1]["field"], "themes");
    assert_eq!(
        history[0]["changes"][1]["old"],
        json!(["leermiddelen", "llo"])
    );
    let history = beheerder
        .get(&format!("/api/v1/projects/{kept}/history"))
        .await
        .json();
    assert_eq!(history[0]["changes"].as_array().unwrap().len(), 1);

    // The live lists are the new version's; the old one is readable as it was.
    let live = themes_of(&beheerder).await;
    assert!(live.contains(&"open-leermateriaal".to_string()));
    assert!(!live.contains(&"innovatie".to_string()));
    let list = beheerder.get("/api/v1/agendas").await.json();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["status"], "actief");
    assert_eq!(list[0]["mapping"]["innovatie"], json!([]));
    let old = beheerder
        .get(&format!("/api/v1/agendas/{old_id}"))
        .await
        .json();
    assert_eq!(old["status"], "vorig");
    assert!(
        old["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["code"] == "innovatie")
    );

    // The old version's page counts the projects mapped to each theme then, only those the
    // reader may see: DaVinci's own project is not counted for Horizon's information manager.
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get(&format!("/agenda/versies/{old_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Vorige versie"));
    let onderwijslogistiek_row = page
        .body
        .split("<tr>")
        .find(|row| row.contains("<td>onderwijslogistiek</td>"))
        .expect("the theme's row");
    assert!(
        onderwijslogistiek_row.contains("<td class=\"num\">0</td>"),
        "{onderwijslogistiek_row}"
    );
    // The network overview of then: Horizon's row, and no row for DaVinci (nothing visible).
    assert!(page.shows("Netwerkoverzicht toen"));
    assert!(page.body.contains("<th scope=\"row\">Horizon College</th>"));
    assert!(!page.body.contains("<th scope=\"row\">DaVinci College</th>"));
    // Each theme of then lists its projects, with their themes now.
    let then = beheerder
        .get(&format!("/agenda/versies/{old_id}/thema/innovatie"))
        .await;
    assert_eq!(then.status, StatusCode::OK);
    assert!(then.shows("Innovatielab"));
    assert!(then.shows("Data-ondersteund onderwijs"));
    assert!(!then.shows("Leermiddelenbeleid"));
    // The active version lists the projects to look at again.
    let active = beheerder.get(&format!("/agenda/versies/{id}")).await;
    assert!(active.shows("Projecten om na te kijken"));
    assert!(active.shows("Leermiddelenbeleid"));
    assert!(active.shows("Innovatielab"));
    assert!(!active.shows("Examens digitaal"));

    // Only a concept is activated.
    let again = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{id}/activate"),
            Some(json!({"mapping": {}})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn a_mapping_that_leaves_projects_without_a_theme_changes_nothing() {
    let app = TestApp::new().await;
    let lonely = app
        .add_project("25LN", "Alleen innovatie", |p| {
            p.primary_theme = "innovatie".into()
        })
        .await;
    let beheerder = app.session(Role::Beheerder).await;
    let before_themes = themes_of(&beheerder).await;
    let id = post_concept(&beheerder, "Nieuw").await;
    let refused = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{id}/activate"),
            Some(json!({"mapping": {"innovatie": []}})),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let e = &refused.json()["errors"][0];
    assert_eq!(e["field"], "mapping.innovatie");
    assert_eq!(e["code"], "leaves_projects_without_theme");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("Zo houdt 1 project geen enkel thema over"),
        "{e}"
    );
    // Nothing changed: the concept is still a concept, the project as it was.
    assert_eq!(
        beheerder.get(&format!("/api/v1/agendas/{id}")).await.json()["status"],
        "concept"
    );
    let p = beheerder
        .get(&format!("/api/v1/projects/{lonely}"))
        .await
        .json();
    assert_eq!(p["version"], 1);
    assert_eq!(p["themes"], json!(["innovatie"]));
    assert_eq!(themes_of(&beheerder).await, before_themes);
}

async fn activating_fifteen_thousand_projects_is_all_or_nothing() {
    let app = TestApp::new().await;
    let demo = stip_core::demo::generate(60, 250, 16);
    app.store()
        .load_demo(&demo, "Demo")
        .await
        .expect("15,000 projects");
    let store = app.store();
    let beheerder = app.session(Role::Beheerder).await;
    let id = new_concept(&beheerder).await;
    let mapping = json!({"mapping": {
        "leermiddelen": ["digitale-leermiddelen", "open-leermateriaal"],
        "llo": ["leven-lang-ontwikkelen"],
        "innovatie": ["data-ondersteund-onderwijs"],
    }});
    let count = |sql: &'static str| async move {
        stip_store::testing::scalar(store, sql)
            .await
            .expect("count")
    };
    let history_before = count("SELECT COUNT(*) FROM project_history").await;
    let versions_before = count("SELECT CAST(SUM(version) AS BIGINT) FROM projects").await;
    assert_eq!(count("SELECT COUNT(*) FROM projects").await, 15_000);

    // The database refuses the last project's history entry: the whole activation rolls back.
    let last = count("SELECT MAX(id) FROM projects").await;
    match Backend::current() {
        Backend::Sqlite => {
            stip_store::testing::execute(
                store,
                &format!("CREATE TRIGGER refuse_last BEFORE INSERT ON project_history WHEN NEW.project_id = {last} AND NEW.version > 1 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"),
            )
            .await
            .unwrap();
        }
        Backend::Postgres => {
            stip_store::testing::execute(
                store,
                &format!("CREATE FUNCTION refuse_last() RETURNS trigger AS $$ BEGIN IF NEW.project_id = {last} AND NEW.version > 1 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"),
            )
            .await
            .unwrap();
            stip_store::testing::execute(
                store,
                "CREATE TRIGGER refuse_last BEFORE INSERT ON project_history FOR EACH ROW EXECUTE FUNCTION refuse_last()",
            )
            .await
            .unwrap();
        }
    }
    let failed = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{id}/activate"),
            Some(mapping.clone()),
        )
        .await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        count("SELECT COUNT(*) FROM project_history").await,
        history_before
    );
    assert_eq!(
        count("SELECT CAST(SUM(version) AS BIGINT) FROM projects").await,
        versions_before
    );
    assert_eq!(count("SELECT COUNT(*) FROM agenda_project_themes").await, 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM themes WHERE code = 'open-leermateriaal'").await,
        0
    );
    assert_eq!(
        beheerder.get(&format!("/api/v1/agendas/{id}")).await.json()["status"],
        "concept"
    );
    let drop = match Backend::current() {
        Backend::Sqlite => "DROP TRIGGER refuse_last",
        Backend::Postgres => "DROP TRIGGER refuse_last ON project_history",
    };
    stip_store::testing::execute(store, drop).await.unwrap();

    // Without the refusal: every project moved, each with one history entry, in one go.
    let started = std::time::Instant::now();
    let done = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{id}/activate"),
            Some(mapping),
        )
        .await;
    let took = started.elapsed();
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["projects"], 15_000);
    eprintln!(
        "activating an agenda version over 15,000 projects on {:?}: {} ms (moved {}, flagged {})",
        Backend::current(),
        took.as_millis(),
        done.json()["moved"],
        done.json()["flagged"]
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM project_history").await,
        history_before + 15_000
    );
    assert_eq!(
        count("SELECT CAST(SUM(version) AS BIGINT) FROM projects").await,
        versions_before + 15_000
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM agenda_project_themes").await,
        15_000
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM project_themes pt JOIN themes t ON t.id = pt.theme_id WHERE t.code IN ('leermiddelen', 'llo', 'innovatie')").await,
        0
    );
    // The read model follows: the network's lists know the new themes.
    let listed = beheerder
        .get("/api/v1/projects?theme=open-leermateriaal&per_page=1")
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(
        listed.json()["total"].as_i64().unwrap() > 0,
        "{}",
        listed.body
    );
}

async fn the_pages_make_edit_and_activate_a_version() {
    let app = TestApp::new().await;
    let project = app
        .add_project("25LN", "Innovatielab", |p| {
            p.primary_theme = "innovatie".into();
            p.themes = vec!["llo".into()];
        })
        .await;
    let beheerder = app.session(Role::Beheerder).await;
    let list = beheerder.get("/agenda/versies").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.shows("Nieuwe versie"));
    let made = beheerder
        .post_form("/agenda/versies", &[("name", "Agenda 2027")])
        .await;
    assert!(made.status.is_redirection(), "{}", made.body);
    let path = made.location().to_string();
    let page = beheerder.get(&path).await;
    assert!(page.shows("Concept bewerken"));
    assert!(page.shows("Projecten met Innovatie gaan naar"));
    // Activating with innovatie mapped to nothing: the project keeps llo, now primary.
    let activated = beheerder
        .post_form(&format!("{path}/activeren"), &[("map.llo", "llo")])
        .await;
    assert!(activated.status.is_redirection(), "{}", activated.body);
    let p = beheerder
        .get(&format!("/api/v1/projects/{project}"))
        .await
        .json();
    assert_eq!(p["themes"], json!(["llo"]));
    assert!(beheerder.get(&path).await.shows("Innovatielab"));
    // Its editor is told on the project's page, and says the themes are right.
    let im = app.session(Role::Informatiemanager).await;
    let page = im.get(&format!("/projecten/{project}")).await;
    assert!(page.shows("De agenda is vernieuwd"), "{}", page.body);
    let done = im
        .post_form(&format!("/projecten/{project}/agenda-nagekeken"), &[])
        .await;
    assert!(done.status.is_redirection(), "{}", done.body);
    assert!(
        !im.get(&format!("/projecten/{project}"))
            .await
            .shows("De agenda is vernieuwd")
    );
    assert!(!beheerder.get(&path).await.shows("Innovatielab"));
    // A reader sees the versions but no forms.
    let lezer = app.session(Role::Lezer).await;
    let read = lezer.get("/agenda/versies").await;
    assert!(read.shows("Agenda 2027"));
    assert!(!read.shows("Nieuwe versie"));
}

/// A survey that is running when another version is activated keeps offering the themes it
/// was opened with, takes answers in them and names them in its results; a survey opened
/// after the activation offers the new ones.
async fn an_open_survey_keeps_the_themes_of_the_version_it_was_opened_with() {
    let app = TestApp::new().await;
    let regie = app.session(Role::Regiegroep).await;
    // Horizon College's informatiemanager, there before the survey opens (so it is invited).
    let im = app.session(Role::Informatiemanager).await;
    let (running, q) = opened_template(&regie).await;

    let beheerder = app.session(Role::Beheerder).await;
    let concept = new_concept(&beheerder).await;
    let activated = beheerder
        .api(
            Method::POST,
            &format!("/api/v1/agendas/{concept}/activate"),
            Some(new_mapping()),
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);

    // The running survey: the old themes on its form, accepted in an answer, named in results.
    let preview = regie.get(&format!("/enquetes/{running}/voorbeeld")).await;
    assert!(preview.shows("Innovatie"), "{}", preview.body);
    assert!(!preview.shows("Open leermateriaal"));
    let answers = json!({"answers": {
        q[0].to_string(): ["innovatie", "llo"],
        q[1].to_string(): "Veel over data",
        q[5].to_string(): "Informatiemanagement zit aan tafel.",
        q[6].to_string(): 4,
    }});
    let res = im
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{running}/response/submit"),
            Some(answers),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let results = regie.get(&format!("/enquetes/{running}/resultaten")).await;
    assert!(results.shows("Innovatie"), "{}", results.body);
    assert!(results.shows("Leven lang ontwikkelen (LLO)"));

    // A survey opened now offers the new version's themes.
    let (later, _) = opened_template(&regie).await;
    let preview = regie.get(&format!("/enquetes/{later}/voorbeeld")).await;
    assert!(preview.shows("Open leermateriaal"), "{}", preview.body);
    assert!(!preview.shows(">Innovatie<"));
}

/// The seed's survey made and opened by `regie`: its id and question ids in order.
async fn opened_template(regie: &Session) -> (i64, Vec<i64>) {
    let res = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({"template": "netwerkenquete-2020"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let s = res.json();
    let id = s["id"].as_i64().unwrap();
    let res = regie
        .api(Method::POST, &format!("/api/v1/surveys/{id}/open"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let q = s["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    (id, q)
}
