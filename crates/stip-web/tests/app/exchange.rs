//! Import and export through the API: an informatiemanager uploads their overview, sees per
//! row what it will do and every problem by row and column, commits it once; any list view
//! comes out as XLSX, CSV or JSON with only what the caller may see.

use crate::support::*;
use axum::http::{Method, StatusCode};

on_both!(
    an_overview_is_previewed_then_committed_once,
    columns_are_read_by_their_words_or_values_and_rows_that_are_no_project_are_skipped,
    the_preview_shows_every_value_before_and_after_and_never_drops_themes_silently,
    a_phase_the_file_lacks_is_asked_once_for_all_rows_on_the_page,
    a_row_without_a_theme_is_given_one_only_when_its_suggestion_is_accepted,
    the_import_page_proposes_themes_to_take_row_by_row_or_all_at_once,
    a_file_with_problems_is_previewed_with_them_and_never_committed,
    only_the_institutions_own_people_and_beheerders_import,
    an_unreadable_file_is_422_saying_why,
    any_list_view_exports_with_only_what_the_caller_may_see,
    the_import_page_previews_a_file_and_imports_it_once_on_confirmation,
    the_import_page_names_every_problem_by_row_and_column_and_writes_nothing,
    a_column_mapped_by_hand_is_used_and_kept_for_the_next_import,
    the_import_page_takes_files_up_to_20_mb_and_says_so_above_it,
    the_import_page_says_what_is_missing_and_is_only_for_who_may_import,
    every_list_page_links_its_view_as_xlsx_csv_and_json,
    the_csv_export_writes_no_title_as_a_formula,
    a_commit_whose_changed_project_was_deleted_since_reports_the_row,
    an_upload_waits_for_a_turn_to_be_read_while_other_requests_are_answered,
    an_upload_that_gets_no_turn_is_503_with_retry_after,
    two_previews_of_one_file_committed_at_once_import_it_once in "multi_thread",
);

/// Uploads a fixture on the import page as `s`; the answer (a redirect to the preview).
async fn upload_page(s: &Session, file: &str, institution: &str) -> TestResponse {
    let csrf = s.csrf().await;
    s.upload_with(
        "/projecten/importeren",
        &[("csrf", &csrf), ("institution", institution)],
        file,
        &fixture(file),
    )
    .await
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../stip-core/tests/fixtures/import")
        .join(name);
    std::fs::read(path).unwrap()
}

async fn an_overview_is_previewed_then_committed_once() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let before = app.store().warm().await.unwrap();
    let res = api
        .upload(
            "/api/v1/imports",
            "horizon-overzicht.xlsx",
            &fixture("horizon-overzicht.xlsx"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let preview = res.json();
    assert_eq!(preview["institution"], "25LN", "their own institution");
    assert_eq!(preview["header_row"], 3);
    assert_eq!(preview["rows"].as_array().unwrap().len(), 12);
    assert_eq!(preview["rows"][0]["row"], 4);
    assert_eq!(preview["rows"][0]["status"], "new");
    assert_eq!(preview["counts"]["new"], 12);
    assert!(
        preview["columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["column"] == "Thema('s)" && c["field"] == "themes")
    );
    assert_eq!(
        app.store().warm().await.unwrap(),
        before,
        "nothing written yet"
    );

    let id = preview["id"].as_i64().unwrap();
    let commit = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(commit.status, StatusCode::OK, "{}", commit.body);
    assert_eq!(commit.json()["new"], 12);
    assert_eq!(app.store().warm().await.unwrap(), before + 12);
    let again = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "committed once");

    // The same file again: every row unchanged.
    let res = api
        .upload(
            "/api/v1/imports",
            "horizon-overzicht.xlsx",
            &fixture("horizon-overzicht.xlsx"),
        )
        .await;
    assert_eq!(res.json()["counts"]["unchanged"], 12, "{}", res.body);
}

/// An information manager's own SAD list: the theme column is called "Categorie", amounts
/// and dates are typed every which way, and section headings, subtotals and a repeated header
/// sit between the projects.
async fn columns_are_read_by_their_words_or_values_and_rows_that_are_no_project_are_skipped() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    for file in ["sad-overzicht.xlsx", "sad-overzicht.ods"] {
        let res = api.upload("/api/v1/imports", file, &fixture(file)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let preview = res.json();
        assert_eq!(preview["counts"]["new"], 6, "{file}: {}", res.body);
        assert_eq!(preview["counts"]["error"], 0, "{file}: nothing refused");
        let column = |name: &str| {
            preview["columns"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["column"] == name)
                .unwrap_or_else(|| panic!("{file}: no column {name}"))
                .clone()
        };
        let categorie = column("Categorie");
        assert_eq!(categorie["field"], "themes");
        assert_eq!(categorie["reason"]["by"], "content");
        assert_eq!(
            categorie["reason"]["text"],
            "herkend aan de inhoud: 6 van 6 waarden zijn thema's"
        );
        assert_eq!(column("Status (RAG)")["field"], "status");
        assert_eq!(column("Toelichting")["field"], "description");
        let locatie = column("Locatie");
        assert_eq!(locatie["field"], serde_json::Value::Null, "not read…");
        assert_eq!(locatie["reason"]["by"], "unknown");
        assert_eq!(
            locatie["examples"],
            serde_json::json!(["Apeldoorn", "Deventer", "Zutphen"]),
            "…and shown with what it holds"
        );
        let skipped: Vec<(i64, String)> = preview["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["row"].as_i64().unwrap(),
                    s["why"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            skipped,
            [
                (4, "section".to_string()),
                (8, "total".into()),
                (9, "section".into()),
                (11, "repeated_header".into()),
                (14, "total".into()),
            ]
        );
    }

    let s = app.session_of(IM_HORIZON).await;
    let res = upload_page(&s, "sad-overzicht.xlsx", "25LN").await;
    let page = s.get(res.location()).await;
    assert!(page.shows("Kolommen die Stip niet leest"), "{}", page.body);
    assert!(page.shows("‘Apeldoorn’, ‘Deventer’, ‘Zutphen’"));
    assert!(page.shows("herkend aan de inhoud: 6 van 6 waarden zijn thema's"));
    assert!(page.shows("Overgeslagen rijen"));
    assert!(page.shows("Rij 14, ‘Totaal’: een totaalregel"));
    assert!(page.shows("Rij 11, ‘Nr’: de kolomnamen nog een keer"));
}

/// A later overview with one theme and a one-line summary per project: the preview shows
/// each value as read for new projects and old → new for changed ones, marks what gets
/// poorer, and adds the file's themes to a project's own unless the person says "replace".
async fn the_preview_shows_every_value_before_and_after_and_never_drops_themes_silently() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let first = api
        .upload(
            "/api/v1/imports",
            "horizon-overzicht.xlsx",
            &fixture("horizon-overzicht.xlsx"),
        )
        .await
        .json();
    let new_row = &first["rows"][0];
    assert_eq!(new_row["status"], "new");
    let changes = new_row["changes"].as_array().unwrap();
    for (field, value) in [
        ("external_id", serde_json::json!("HC-2021-001")),
        (
            "title",
            serde_json::json!("Studentdashboard studievoortgang"),
        ),
        ("start_date", serde_json::json!("2021-02-01")),
        ("budget", serde_json::json!(45000.0)),
        ("themes", serde_json::json!(["data-ondersteund-onderwijs"])),
    ] {
        let change = changes
            .iter()
            .find(|c| c["field"] == field)
            .unwrap_or_else(|| panic!("a new row shows {field} as read: {new_row}"));
        assert_eq!(change["old"], serde_json::Value::Null);
        assert_eq!(change["new"], value, "{field}");
    }
    let id = first["id"].as_i64().unwrap();
    let commit = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(commit.status, StatusCode::OK, "{}", commit.body);

    // HC-2021-002 has two themes, leermiddelen and eigen-dossier.
    let later = "Projectnr.;Projectnaam;Korte omschrijving;Thema('s)\r\n\
                 HC-2021-002;Digitale leermiddelen Zorg & Welzijn;Digitaal;Leermiddelen\r\n";
    let added = api
        .upload("/api/v1/imports", "later.csv", later.as_bytes())
        .await
        .json();
    let row = &added["rows"][0];
    assert_eq!(row["status"], "changed", "{added}");
    assert_eq!(
        row["changes"],
        serde_json::json!([{
            "field": "summary",
            "old": "Overstap van papieren methodes naar digitale leermiddelen",
            "new": "Digitaal",
            "poorer": true
        }]),
        "only the summary changes, shown old → new and marked poorer; the themes stay"
    );

    let replaced = api
        .upload(
            "/api/v1/imports?themes=replace",
            "later.csv",
            later.as_bytes(),
        )
        .await
        .json();
    let themes = replaced["rows"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "themes")
        .cloned()
        .unwrap_or_else(|| panic!("replacing changes the themes: {replaced}"));
    assert_eq!(
        themes["old"],
        serde_json::json!(["leermiddelen", "eigen-dossier"])
    );
    assert_eq!(themes["new"], serde_json::json!(["leermiddelen"]));
    assert_eq!(themes["poorer"], true);

    let id = replaced["id"].as_i64().unwrap();
    let wrong = api
        .api(
            Method::POST,
            &format!("/api/v1/imports/{id}/commit"),
            Some(serde_json::json!({"themes": "merge"})),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert_eq!(wrong.json()["errors"][0]["field"], "themes");
    let commit = api
        .api(
            Method::POST,
            &format!("/api/v1/imports/{id}/commit"),
            Some(serde_json::json!({"themes": "replace"})),
        )
        .await;
    assert_eq!(commit.status, StatusCode::OK, "{}", commit.body);
    let projects = app
        .store()
        .list_projects(&horizon(), stip_core::access::ProjectScope::All)
        .await
        .unwrap();
    let project = projects
        .items
        .iter()
        .find(|p| p.external_id.as_deref() == Some("HC-2021-002"))
        .unwrap();
    assert_eq!(project.data.themes, ["leermiddelen"], "replaced, as chosen");
    assert_eq!(project.data.summary, "Digitaal");
}

/// A file without a phase column is not refused row by row: the page asks one phase for
/// every row, shows the rows with it, and imports them with it.
async fn a_phase_the_file_lacks_is_asked_once_for_all_rows_on_the_page() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    let file =
        "Projectnaam;Thema\nChatbot studentzaken;Innovatie\nOpen leermateriaal;Leermiddelen\n";
    let res = s
        .upload_with(
            "/projecten/importeren",
            &[("csrf", &csrf), ("institution", "25LN")],
            "zonder-fase.csv",
            file.as_bytes(),
        )
        .await;
    let href = res.location().to_string();
    let page = s.get(&href).await;
    assert!(page.shows("2 met een probleem"), "{}", page.body);
    assert!(page.shows("<label for=\"f-fase\">Fase voor alle rijen</label>"));
    let chosen = s.get(&format!("{href}?fase=uitvoering")).await;
    assert!(chosen.shows("2 nieuw"), "{}", chosen.body);
    assert!(chosen.shows("<option value=\"uitvoering\" selected>"));
    assert!(chosen.shows("<input type=\"hidden\" name=\"fase\" value=\"uitvoering\">"));
    let before = app.store().warm().await.unwrap();
    let done = s
        .post_form(&format!("{href}/bevestigen"), &[("fase", "uitvoering")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.store().warm().await.unwrap(), before + 2);
    let projects = app
        .store()
        .list_projects(&horizon(), stip_core::access::ProjectScope::All)
        .await
        .unwrap();
    let chatbot = projects
        .items
        .iter()
        .find(|p| p.data.title == "Chatbot studentzaken")
        .unwrap();
    assert_eq!(chatbot.data.phase.code(), "uitvoering");

    // Through the API: the same choice as the upload's `phase` and the commit's.
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let other = file
        .replace("Chatbot", "Spraakbot")
        .replace("Open", "Gedeeld");
    let refused = api
        .upload("/api/v1/imports", "zonder-fase.csv", other.as_bytes())
        .await
        .json();
    assert_eq!(refused["counts"]["error"], 2);
    let res = api
        .upload(
            "/api/v1/imports?phase=idee",
            "zonder-fase.csv",
            other.as_bytes(),
        )
        .await;
    assert_eq!(res.json()["counts"]["new"], 2, "{}", res.body);
    // A value that is no choice is refused by name (a bad `themes` was once a bare 400).
    for (query, field) in [
        ("phase=bijna", "phase"),
        ("themes=AAA", "themes"),
        ("themes=add&themes=add", "themes"),
    ] {
        let wrong = api
            .upload(
                &format!("/api/v1/imports?{query}"),
                "zonder-fase.csv",
                other.as_bytes(),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(wrong.json()["errors"][0]["field"], field);
    }
    let id = refused["id"].as_i64().unwrap();
    let commit = api
        .api(
            Method::POST,
            &format!("/api/v1/imports/{id}/commit"),
            Some(serde_json::json!({"phase": "idee"})),
        )
        .await;
    assert_eq!(commit.status, StatusCode::OK, "{}", commit.body);
    assert_eq!(commit.json()["new"], 2);
}

/// A file without a theme column, as an institution keeps it: what each project is about, in
/// words the network's own projects use.
const WITHOUT_THEMES: &str = "Projectnaam;Omschrijving;Fase\n\
    Vroegsignalering van uitval met learning analytics;Een dashboard studiesucces met data over uitval voor de teams;uitvoering\n\
    Chatbots voor studentvragen;AI-toepassingen en een innovatielab voor slimme leeromgevingen;idee\n";

/// Horizon College's projects' themes, by the start of their title.
async fn horizon_themes(app: &TestApp) -> impl Fn(&str) -> Vec<String> {
    let projects = app
        .store()
        .list_projects(&horizon(), stip_core::access::ProjectScope::All)
        .await
        .unwrap();
    move |title| {
        projects
            .items
            .iter()
            .find(|p| p.data.title.starts_with(title))
            .map(|p| p.data.themes.clone())
            .unwrap()
    }
}

async fn a_row_without_a_theme_is_given_one_only_when_its_suggestion_is_accepted() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let res = api
        .upload(
            "/api/v1/imports",
            "zonder-thema.csv",
            WITHOUT_THEMES.as_bytes(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let preview = res.json();
    assert_eq!(preview["counts"]["error"], 2, "{preview:#}");
    let mut proposed = Vec::new();
    for row in preview["rows"].as_array().unwrap() {
        let s = &row["suggestions"][0];
        assert_eq!(s["field"], "themes", "{row:#}");
        assert_eq!(s["accepted"], false);
        assert!(
            s["reason"]["text"]
                .as_str()
                .unwrap()
                .contains("het hoofdthema van projecten die erop lijken"),
            "{s:#}"
        );
        // Only projects the importer may see are named as the reason.
        for similar in s["reason"]["similar"].as_array().unwrap() {
            let id = similar["id"].as_i64().unwrap();
            let seen = api.get(&format!("/api/v1/projects/{id}")).await;
            assert_eq!(seen.status, StatusCode::OK, "{similar}");
            assert_eq!(seen.json()["title"], similar["title"]);
        }
        // Not applied silently: the row keeps its problem.
        assert_eq!(row["status"], "error");
        proposed.push(s["value"][0].as_str().unwrap().to_string());
    }
    assert_eq!(proposed, ["data-ondersteund-onderwijs", "innovatie"]);

    let id = preview["id"].as_i64().unwrap();
    let path = format!("/api/v1/imports/{id}/commit");
    let commit = |body| api.api(Method::POST, &path, body);
    let refused = commit(None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = commit(Some(serde_json::json!({"accept_suggestions": false}))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = commit(Some(serde_json::json!({"accept_suggestions": true}))).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["new"], 2);
    let theme_of = horizon_themes(&app).await;
    assert_eq!(theme_of("Vroegsignalering"), ["data-ondersteund-onderwijs"]);
    assert_eq!(theme_of("Chatbots voor studentvragen"), ["innovatie"]);

    // A row nothing in the network is like gets no suggestion and stays refused.
    let nonsense = "Projectnaam;Fase\nXylofoonkwartet qwerty;idee\n";
    let res = api
        .upload("/api/v1/imports", "onzin.csv", nonsense.as_bytes())
        .await
        .json();
    assert_eq!(res["rows"][0]["suggestions"], serde_json::json!([]));
    let id = res["id"].as_i64().unwrap();
    let refused = api
        .api(
            Method::POST,
            &format!("/api/v1/imports/{id}/commit"),
            Some(serde_json::json!({"accept_suggestions": true})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_import_page_proposes_themes_to_take_row_by_row_or_all_at_once() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    let res = s
        .upload_with(
            "/projecten/importeren",
            &[("csrf", &csrf), ("institution", "25LN")],
            "zonder-thema.csv",
            WITHOUT_THEMES.as_bytes(),
        )
        .await;
    let href = res.location().to_string();
    let page = s.get(&href).await;
    assert!(page.shows("2 met een probleem"), "{}", page.body);
    assert!(page.shows("Bij 2 rijen kan Stip het thema niet lezen"));
    // A field the file has no column for is said so, not as an empty cell.
    assert!(page.shows("rij 2 (je bestand heeft geen kolom 'Thema's'): Kies een hoofdthema."));
    assert!(page.shows("Stip stelt ‘Data-ondersteund onderwijs’ voor"));
    assert!(page.shows("<label for=\"f-thema_2\">Hoofdthema voor deze rij</label>"));
    assert!(page.shows("<option value=\"innovatie\">Innovatie (voorstel)</option>"));
    assert!(page.shows("Alle voorstellen overnemen"));
    // Nothing is taken before the person chooses: no confirm button.
    assert!(!page.shows(">Importeren</button>"));

    // Row by row: row 2 gets another theme than proposed, row 3 nothing yet.
    let one = s.get(&format!("{href}?thema_2=llo&rijen=alle")).await;
    assert!(one.shows("1 nieuw"), "{}", one.body);
    assert!(one.shows("1 met een probleem"));
    assert!(one.shows("<option value=\"llo\" selected>"));

    // All at once: the rest takes its proposal; the person's own choice stays.
    let all = s
        .get(&format!(
            "{href}?thema_2=llo&voorstellen=overnemen&rijen=alle"
        ))
        .await;
    assert!(all.shows("2 nieuw"), "{}", all.body);
    assert!(all.shows("Thema ‘Innovatie’ overgenomen"));
    assert!(all.shows("<input type=\"hidden\" name=\"thema_2\" value=\"llo\">"));
    assert!(all.shows("<input type=\"hidden\" name=\"thema_3\" value=\"innovatie\">"));
    let done = s
        .post_form(
            &format!("{href}/bevestigen"),
            &[("thema_2", "llo"), ("thema_3", "innovatie")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let theme_of = horizon_themes(&app).await;
    assert_eq!(theme_of("Vroegsignalering"), ["llo"]);
    assert_eq!(theme_of("Chatbots voor studentvragen"), ["innovatie"]);
}

async fn a_file_with_problems_is_previewed_with_them_and_never_committed() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let before = app.store().warm().await.unwrap();
    let res = api
        .upload("/api/v1/imports", "fouten.xlsx", &fixture("fouten.xlsx"))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let preview = res.json();
    let row3 = &preview["rows"][1];
    assert_eq!(row3["row"], 3);
    assert_eq!(row3["status"], "error");
    assert_eq!(row3["problems"][0]["column"], "Startdatum");
    assert_eq!(
        row3["problems"][0]["message"],
        "'31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025."
    );
    assert_eq!(preview["counts"]["error"], 8);
    let id = preview["id"].as_i64().unwrap();
    let commit = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    // Rows with problems are invalid input, not a change by someone else.
    assert_eq!(
        commit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        commit.body
    );
    let problem = commit.json();
    assert_eq!(problem["title"], "De invoer klopt niet");
    assert!(
        problem["detail"].as_str().unwrap().contains("8 rijen"),
        "{}",
        commit.body
    );
    assert!(
        problem["errors"].as_array().unwrap().iter().any(|e| e["message"]
            == "rij 3, kolom 'Startdatum': '31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025."),
        "the rows, by row and column: {}",
        commit.body
    );
    assert_eq!(
        app.store().warm().await.unwrap(),
        before,
        "nothing half-written"
    );
}

async fn only_the_institutions_own_people_and_beheerders_import() {
    let app = TestApp::demo().await;
    let file = fixture("horizon-overzicht.xlsx");
    let im = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let res = im
        .upload("/api/v1/imports?institution=25LJ", "h.xlsx", &file)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "another institution");
    let problem = res.json();
    assert_eq!(
        problem["detail"],
        "Je kunt alleen projecten inlezen voor je eigen instelling, Horizon College.",
        "{}",
        res.body
    );
    assert_eq!(problem["errors"][0]["field"], "institution");
    for who in [LEZER, REGIEGROEP] {
        let s = app.anonymous().with_bearer(&app.token(who).await);
        let res = s
            .upload("/api/v1/imports?institution=25LN", "h.xlsx", &file)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
    }
    let res = app
        .anonymous()
        .upload("/api/v1/imports?institution=25LN", "h.xlsx", &file)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let admin = app.anonymous().with_bearer(&app.token(BEHEERDER).await);
    let res = admin
        .upload("/api/v1/imports?institution=25LN", "h.xlsx", &file)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // Another institution's informatiemanager cannot commit it: for them it does not exist.
    let id = res.json()["id"].as_i64().unwrap();
    let other = app.anonymous().with_bearer(&app.token(IM_DAVINCI).await);
    let res = other
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

async fn an_unreadable_file_is_422_saying_why() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    for (name, says) in [
        ("versleuteld.xlsx", "met een wachtwoord beveiligd"),
        ("geen-spreadsheet.xlsx", "geen spreadsheet"),
        ("zipbom.xlsx", "pakt uit tot meer dan"),
    ] {
        let res = api.upload("/api/v1/imports", name, &fixture(name)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(res.header("content-type"), "application/problem+json");
        let problem = res.json();
        assert_eq!(problem["errors"][0]["field"], "file");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{name}: {}",
            res.body
        );
    }
    let res = api
        .post_multipart("/api/v1/imports", &[("iets", "anders")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "file");
}

async fn any_list_view_exports_with_only_what_the_caller_may_see() {
    let app = TestApp::demo().await;
    let admin = app.anonymous().with_bearer(&app.token(BEHEERDER).await);
    let res = admin
        .get("/api/v1/projects/export?format=json&institution=25LN&theme=llo")
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/json");
    assert!(
        res.header("content-disposition")
            .starts_with("attachment; filename=\"stip-portfolio-")
    );
    let doc = res.json();
    assert_eq!(doc["format"], "stip-portfolio");
    let listed = admin
        .get("/api/v1/projects?institution=25LN&theme=llo&per_page=200")
        .await
        .json();
    assert_eq!(
        doc["projects"].as_array().unwrap().len() as u64,
        listed["total"].as_u64().unwrap()
    );

    let csv = admin.get("/api/v1/projects/export?format=csv").await;
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(
        csv.body
            .starts_with("\u{feff}BRIN;Instelling;Projectnummer;Titel;")
    );
    let xlsx = admin.get("/api/v1/projects/export?format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );

    // Anonymous: public projects only, as the list shows them.
    let public = app
        .anonymous()
        .get("/api/v1/projects/export?format=json")
        .await
        .json();
    assert!(
        public["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["visibility"] == "openbaar")
    );
    for (query, code) in [
        ("format=pdf", "invalid_choice"),
        ("format=json&format=csv", "repeated"),
        ("theme=llo", "required"),
    ] {
        let bad = admin.get(&format!("/api/v1/projects/export?{query}")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let problem = bad.json();
        assert_eq!(problem["errors"][0]["field"], "format", "{query}");
        assert_eq!(problem["errors"][0]["code"], code, "{query}");
    }
}

async fn the_import_page_previews_a_file_and_imports_it_once_on_confirmation() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let form = s.get("/projecten/importeren").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.shows("Projecten importeren"));
    assert!(form.shows("Horizon College"), "their own institution");
    assert!(form.shows("sjabloon.xlsx"), "the template is offered");

    let before = app.store().warm().await.unwrap();
    let res = upload_page(&s, "horizon-overzicht.xlsx", "").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let preview_href = res.location().to_string();
    assert!(preview_href.starts_with("/projecten/importeren/"));
    let page = s.get(&preview_href).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("12 nieuw"), "{}", page.body);
    assert!(page.shows("kolomnamen in rij 3"));
    assert!(
        page.shows("<label for=\"f-map_"),
        "every column has a labelled field choice"
    );
    assert!(page.shows(">Importeren</button>"));
    assert_eq!(
        app.store().warm().await.unwrap(),
        before,
        "nothing written yet"
    );

    let done = s
        .post_form(&format!("{preview_href}/bevestigen"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.store().warm().await.unwrap(), before + 12);
    let page = s.get(&preview_href).await;
    assert!(page.shows("Geïmporteerd"));
    assert!(page.shows("12 nieuw, 0 gewijzigd, 0 ongewijzigd."));
    assert!(!page.shows(">Importeren</button>"), "not offered twice");
    // Confirming again (a second tab, a double click) writes nothing more.
    s.post_form(&format!("{preview_href}/bevestigen"), &[])
        .await;
    assert_eq!(app.store().warm().await.unwrap(), before + 12);

    // The same file again: nothing changes, and the page says so.
    let again = upload_page(&s, "horizon-overzicht.xlsx", "25LN").await;
    let page = s.get(again.location()).await;
    assert!(page.shows("12 ongewijzigd"));
    assert!(page.shows("Er verandert niets"));
}

async fn the_import_page_names_every_problem_by_row_and_column_and_writes_nothing() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let before = app.store().warm().await.unwrap();
    let res = upload_page(&s, "fouten.xlsx", "25LN").await;
    let href = res.location().to_string();
    let page = s.get(&href).await;
    assert!(page.shows("8 met een probleem"), "{}", page.body);
    assert!(page.shows(
        "rij 3, kolom 'Startdatum': '31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025."
    ));
    assert!(!page.shows(">Importeren</button>"), "nothing to confirm");
    assert!(page.shows("Verbeterd bestand inlezen"));
    // Confirming anyway (an old tab) writes nothing and says why.
    let res = s.post_form(&format!("{href}/bevestigen"), &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.shows("Er is niets opgeslagen"));
    assert!(res.shows("8 rijen hebben een probleem"));
    assert_eq!(app.store().warm().await.unwrap(), before);
    // All rows, not only those with problems, when asked.
    let all = s.get(&format!("{href}?rijen=alle")).await;
    assert!(all.shows("Wifi vernieuwen"));
}

/// The index of the column headed `header` in the page's mapping form.
fn column_index(page: &TestResponse, header: &str) -> String {
    let marker = format!("\">{header}</label><input type=\"hidden\" name=\"col_");
    let decoded = html_decode(&page.body);
    let at = decoded
        .find(&marker)
        .unwrap_or_else(|| panic!("no column {header}"));
    let rest = &decoded[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn a_column_mapped_by_hand_is_used_and_kept_for_the_next_import() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let res = upload_page(&s, "fouten.xlsx", "25LN").await;
    let href = res.location().to_string();
    let page = s.get(&href).await;
    // Leaving out the columns with wrong values leaves fewer rows with problems.
    let mut fields = Vec::new();
    for header in ["Startdatum", "Budget"] {
        let i = column_index(&page, header);
        fields.push((format!("col_{i}"), header.to_string()));
        fields.push((format!("map_{i}"), String::new()));
    }
    fields.push(("bewaren".into(), "1".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = s.post_form(&format!("{href}/koppeling"), &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = s.get(res.location()).await;
    assert!(page.shows("4 met een probleem"), "{}", page.body);
    assert!(page.shows("De koppeling is bewaard voor de volgende import van Horizon College."));
    assert!(!page.shows("kolom 'Startdatum'"));

    // The next upload for the institution starts from the kept mapping.
    let next = upload_page(&s, "fouten.xlsx", "25LN").await;
    let page = s.get(next.location()).await;
    assert!(page.shows("4 met een probleem"));
    // Back to what Stip recognises by itself.
    let next_href = next.location().to_string();
    let res = s
        .post_form(&format!("{next_href}/koppeling"), &[("herstel", "1")])
        .await;
    let page = s.get(res.location()).await;
    assert!(page.shows("8 met een probleem"));
}

async fn the_import_page_takes_files_up_to_20_mb_and_says_so_above_it() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    // 5 MB: more than any other form may carry, so read, and refused for what it is.
    let big = vec![b'x'; 5 * 1024 * 1024];
    let res = s
        .upload_with(
            "/projecten/importeren",
            &[("csrf", &csrf)],
            "groot.xlsx",
            &big,
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &res.body[..res.body.len().min(300)]
    );
    assert!(res.shows("geen spreadsheet"));
    assert_eq!(
        res.text_of("e-file")
            .as_deref()
            .map(|t| t.contains("geen spreadsheet")),
        Some(true)
    );
    let huge = vec![b'x'; 21 * 1024 * 1024];
    let res = s
        .upload_with(
            "/projecten/importeren",
            &[("csrf", &csrf)],
            "te-groot.xlsx",
            &huge,
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        res.shows("hoogstens 20 MB"),
        "{}",
        &res.body[..res.body.len().min(2000)]
    );
}

async fn the_import_page_says_what_is_missing_and_is_only_for_who_may_import() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    let res = s
        .post_multipart(
            "/projecten/importeren",
            &[("csrf", &csrf), ("institution", "25LN")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-file").as_deref(),
        Some("Kies een bestand om in te lezen.")
    );
    assert!(
        res.shows("<title>Fout: "),
        "the title says the form has an error"
    );
    // Another institution's BRIN: they are told they import into their own only.
    let res = upload_page(&s, "horizon-overzicht.xlsx", "25LJ").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-institution").as_deref(),
        Some("Je kunt alleen projecten inlezen voor je eigen instelling, Horizon College.")
    );

    // A beheerder chooses the institution; without one, that is what is said.
    let admin = app.login(BEHEERDER).await;
    let form = admin.get("/projecten/importeren").await;
    assert!(form.shows("<select id=\"f-institution\""));
    let res = upload_page(&admin, "horizon-overzicht.xlsx", "").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-institution").as_deref(),
        Some("Kies de instelling van wie dit overzicht is.")
    );
    let res = upload_page(&admin, "horizon-overzicht.xlsx", "25LN").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let href = res.location().to_string();
    // Someone of another institution does not see it; a lezer may not import at all.
    let other = app.login(IM_DAVINCI).await;
    assert_eq!(other.get(&href).await.status, StatusCode::NOT_FOUND);
    let lezer = app.login(LEZER).await;
    assert_eq!(
        lezer.get("/projecten/importeren").await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = app.anonymous().get("/projecten/importeren").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/inloggen"));
}

async fn every_list_page_links_its_view_as_xlsx_csv_and_json() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    for (page, expect) in [
        (
            "/projecten?phase=uitvoering",
            "/api/v1/projects/export?format=xlsx&phase=uitvoering",
        ),
        (
            "/instellingen/25LN",
            "/api/v1/projects/export?format=csv&institution=25LN",
        ),
        (
            "/themas/llo",
            "/api/v1/projects/export?format=json&theme=llo",
        ),
    ] {
        let res = s.get(page).await;
        assert!(
            html_decode(&res.body).contains(&format!("href=\"{expect}")),
            "{page} links {expect}: {}",
            res.body
                .find("export-links")
                .map_or("", |i| &res.body[i..i + 600])
        );
    }
    let res = s
        .get("/api/v1/projects/export?format=xlsx&phase=uitvoering")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
}

/// Titles a spreadsheet would run as formulas when a CSV is opened.
const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "+SUM(1,2)",
    "@cmd",
    "-1+2",
];

/// Every field of a CSV export, as the file has them (quotes undone).
fn csv_fields(body: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Asserts that a CSV export has each of the titles, and none as a formula.
fn assert_no_formulas(body: &str) {
    let fields = csv_fields(body);
    for title in FORMULAS {
        assert!(
            fields.iter().any(|f| *f == format!("'{title}")),
            "{title} is written as text: {body}"
        );
    }
    let formulas: Vec<&String> = fields
        .iter()
        .filter(|f| f.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .collect();
    assert!(
        formulas.is_empty(),
        "no field starts like a formula: {formulas:?}"
    );
}

async fn the_csv_export_writes_no_title_as_a_formula() {
    let app = TestApp::demo().await;
    for title in FORMULAS {
        app.add_project("25LN", title, |_| {}).await;
    }
    let s = app.login(IM_HORIZON).await;
    // Through the API…
    let res = s.get("/api/v1/projects/export?format=csv").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_no_formulas(&res.body);
    // …and through the export link of an institution's page, as a person clicks it.
    let page = html_decode(&s.get("/instellingen/25LN").await.body);
    let at = page
        .find("href=\"/api/v1/projects/export?format=csv")
        .expect("the page links its CSV export");
    let href = &page[at + 6..];
    let href = &href[..href.find('"').unwrap()];
    let res = s.get(href).await;
    assert_eq!(res.status, StatusCode::OK, "{href}");
    assert_no_formulas(&res.body);
}

/// Horizon College's projects, all on one page.
fn horizon() -> stip_core::portfolio::ListRequest {
    stip_core::portfolio::ListQuery {
        institution: "25LN".into(),
        per_page: "200".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

/// The project of Horizon College titled `title`: (id, version).
async fn horizon_project(app: &TestApp, title: &str) -> (i64, i64) {
    let all = app
        .store()
        .list_projects(&horizon(), stip_core::access::ProjectScope::All)
        .await
        .unwrap();
    let p = all
        .items
        .iter()
        .find(|p| p.data.title == title && p.institution_brin.as_str() == "25LN")
        .unwrap_or_else(|| panic!("no project {title}"));
    (p.id, p.version)
}

/// How many projects Horizon College has.
async fn horizon_count(app: &TestApp) -> u64 {
    app.store()
        .list_projects(&horizon(), stip_core::access::ProjectScope::All)
        .await
        .unwrap()
        .total
}

/// Two previews of the same file (two tabs, two colleagues), committed at the same moment on
/// two instances: one writes the projects, the other writes nothing and asks to look again.
async fn two_previews_of_one_file_committed_at_once_import_it_once() {
    const RUNS: usize = 3;
    let file = fixture("horizon-overzicht.xlsx");
    let mut conflicts = 0;
    for _ in 0..RUNS {
        let app = TestApp::demo().await;
        let other = app.another_instance().await;
        let token = app.token(IM_HORIZON).await;
        let before = horizon_count(&app).await;
        let mut ids = Vec::new();
        for _ in 0..2 {
            let res = app
                .anonymous()
                .with_bearer(&token)
                .upload("/api/v1/imports", "horizon-overzicht.xlsx", &file)
                .await;
            assert_eq!(res.json()["counts"]["new"], 12, "{}", res.body);
            ids.push(res.json()["id"].as_i64().unwrap());
        }
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let tasks: Vec<_> = [app.anonymous(), other.anonymous()]
            .into_iter()
            .zip(ids)
            .map(|(s, id)| {
                let s = s.with_bearer(&token);
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    s.api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
                        .await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        let mut statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{:?}",
            answers.iter().map(|a| &a.body).collect::<Vec<_>>()
        );
        let refused = answers
            .iter()
            .find(|a| a.status == StatusCode::CONFLICT)
            .unwrap()
            .json();
        assert!(
            refused["detail"]
                .as_str()
                .unwrap()
                .contains("Bekijk het bestand opnieuw"),
            "{refused}"
        );
        assert_eq!(refused["errors"][0]["code"], "changed_since_preview");
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("staat intussen al in Stip"),
            "{refused}"
        );
        // Counted by a third instance, which reads the database afresh: the commit that
        // wrote may have run on either instance, and the other learns of it a moment later.
        let fresh = app.another_instance().await;
        assert_eq!(horizon_count(&fresh).await, before + 12, "made once");
        conflicts += 1;
    }
    eprintln!("two commits of one file: {RUNS} runs, {conflicts} conflicts (409), 0 duplicates");
}

/// A row previewed as a change to a project that is deleted before the commit is reported;
/// the project is not quietly made again.
async fn a_commit_whose_changed_project_was_deleted_since_reports_the_row() {
    let app = TestApp::demo().await;
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let file = fixture("horizon-overzicht.xlsx");
    let first = api
        .upload("/api/v1/imports", "horizon-overzicht.xlsx", &file)
        .await
        .json();
    let id = first["id"].as_i64().unwrap();
    api.api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    // Someone changes a project, so the file changes it back…
    let (project, version) = horizon_project(&app, "Studentdashboard studievoortgang").await;
    let stored = app.store().project(project).await.unwrap();
    let mut data = stored.data.clone();
    data.status_note = "Bijgewerkt in Stip".into();
    app.store()
        .update_project(
            project,
            stip_core::Version(version),
            &data,
            &stip_store::portfolio::Editor {
                user_id: None,
                name: "Test".into(),
            },
        )
        .await
        .unwrap();
    let preview = api
        .upload("/api/v1/imports", "horizon-overzicht.xlsx", &file)
        .await
        .json();
    assert_eq!(preview["rows"][0]["status"], "changed", "{preview}");
    assert_eq!(preview["counts"]["changed"], 1);
    // …and then deletes it before the commit.
    app.store().delete_project(project).await.unwrap();
    let before = horizon_count(&app).await;
    let id = preview["id"].as_i64().unwrap();
    let res = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let problem = res.json();
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem}");
    assert_eq!(
        problem["errors"][0]["message"],
        "Rij 4 (Studentdashboard studievoortgang): dit project is intussen verwijderd; Stip maakt het niet stilletjes opnieuw"
    );
    assert_eq!(horizon_count(&app).await, before, "nothing made again");
}

/// While every turn to read a file is taken (by long reads), an upload waits for its turn, and
/// everything else is answered as usual.
async fn an_upload_waits_for_a_turn_to_be_read_while_other_requests_are_answered() {
    let readers = std::sync::Arc::new(stip_web::exchange::Readers::new(
        2,
        std::time::Duration::from_secs(600),
    ));
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_readers(readers.clone()));
    let first = readers.turn().await.expect("a turn");
    let second = readers.turn().await.expect("a turn");
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let upload = tokio::spawn(async move {
        api.upload(
            "/api/v1/imports",
            "horizon-overzicht.xlsx",
            &fixture("horizon-overzicht.xlsx"),
        )
        .await
    });
    let s = app.login(IM_HORIZON).await;
    for path in ["/healthz", "/api/v1/themes", "/projecten"] {
        assert_eq!(s.get(path).await.status, StatusCode::OK, "{path}");
    }
    assert!(!upload.is_finished(), "the upload waits for its turn");
    drop(first);
    let res = upload.await.unwrap();
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    drop(second);
}

/// An upload that gets no turn in time is told to come back: 503 with `Retry-After`, as a
/// problem on the API and on the form on the page; nothing is kept.
async fn an_upload_that_gets_no_turn_is_503_with_retry_after() {
    let readers = std::sync::Arc::new(stip_web::exchange::Readers::new(
        1,
        std::time::Duration::ZERO,
    ));
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_readers(readers.clone()));
    let api = app.anonymous().with_bearer(&app.token(IM_HORIZON).await);
    let file = fixture("horizon-overzicht.xlsx");
    let uploaded = api.upload("/api/v1/imports", "h.xlsx", &file).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "a free turn: read");
    let id = uploaded.json()["id"].as_i64().unwrap();

    let before = horizon_count(&app).await;
    let _busy = readers.turn().await.expect("the only turn");
    let res = api.upload("/api/v1/imports", "h.xlsx", &file).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/problem+json");
    assert_eq!(res.header("retry-after"), "30");
    assert!(
        res.json()["detail"]
            .as_str()
            .unwrap()
            .contains("Probeer het over een halve minuut opnieuw"),
        "{}",
        res.body
    );
    let commit = api
        .api(Method::POST, &format!("/api/v1/imports/{id}/commit"), None)
        .await;
    assert_eq!(commit.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(commit.header("retry-after"), "30");

    let s = app.login(IM_HORIZON).await;
    let page = upload_page(&s, "horizon-overzicht.xlsx", "25LN").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.header("retry-after"), "30");
    assert!(
        page.text_of("e-file")
            .is_some_and(|t| t.contains("Probeer het over een halve minuut opnieuw")),
        "{}",
        page.body
    );
    let preview = s.get(&format!("/projecten/importeren/{id}")).await;
    assert_eq!(preview.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(preview.shows("Even te druk met inlezen"));
    assert_eq!(horizon_count(&app).await, before, "nothing written");
}
