//! The portfolio in the browser's terms: adding, editing, history, browsing, permissions,
//! conflicts and bad input.

use crate::support::*;
use axum::http::{Method, StatusCode};

on_both!(
    an_informatiemanager_adds_a_project_with_every_field,
    one_ticked_box_of_a_list_and_an_unticked_checkbox_are_read_as_such,
    editing_records_who_changed_which_fields_from_what_to_what,
    the_list_filters_sorts_and_pages_with_the_filters_in_the_url,
    each_filter_shows_exactly_the_projects_that_match,
    rows_show_every_theme_and_mark_own_projects_and_passed_end_dates,
    the_home_page_shows_my_institution_and_the_latest_changes,
    a_project_one_may_not_see_answers_exactly_like_one_that_does_not_exist,
    institution_and_theme_pages_show_their_projects,
    another_institution_reads_network_projects_but_never_edits_them,
    an_institution_only_project_is_invisible_to_the_rest_of_the_network,
    anonymous_visitors_see_only_public_projects,
    two_people_saving_from_the_same_version_never_overwrite_each_other,
    a_save_from_an_older_form_keeps_what_others_changed_in_other_fields,
    the_same_person_in_another_tab_is_not_someone_else,
    a_new_project_starts_without_a_status,
    bad_input_is_shown_next_to_each_field_in_dutch_and_nothing_is_saved,
    only_who_may_gets_the_new_project_button,
    a_beheerder_chooses_the_institution_and_may_delete,
    mora_areas_are_chosen_in_groups_shown_and_filtered_on,
);

fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/projecten/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn an_informatiemanager_adds_a_project_with_every_field() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
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
        "Student begeleiden",
        "Bedrijfsvoering – Informatie- en datamanagement",
        "Hoe wij het dashboard samen met docenten bouwden",
        "https://example.org/verslag",
    ] {
        assert!(page.shows(text), "the project page shows {text}");
    }
    // Scores with their direction; no total while criteria that count are not scored, as on
    // the ranking.
    assert!(
        page.shows("Score met de weging van het netwerk: nog geen, want niet gescoord op"),
        "{}",
        page.body
    );
    assert!(page.shows("hoe hoger, hoe slechter"));
    assert!(
        !page.body.contains("/verwijderen"),
        "deleting is not offered under the history"
    );
    assert!(
        page.body.contains("<h4>Aanleiding</h4>"),
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

async fn one_ticked_box_of_a_list_and_an_unticked_checkbox_are_read_as_such() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
    let mut fields = full_project_form();
    // One other theme, one driver, one MORA area: the browser sends each name once; and
    // "deelbaar als voorbeeld" left unticked is not sent at all.
    fields.retain(|(k, v)| {
        !matches!(*k, "shareable" | "case_summary")
            && !matches!(
                (*k, *v),
                ("themes", "innovatie") | ("drivers", "diversiteit")
            )
            && !matches!((*k, *v), ("mora_areas", "student-begeleiden"))
    });
    let res = s.post_form("/projecten", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let p = app.store().project(id_from(res.location())).await.unwrap();
    assert_eq!(p.data.themes, vec!["data-ondersteund-onderwijs", "llo"]);
    assert_eq!(p.data.drivers, vec!["krimp"]);
    assert_eq!(p.data.mora_areas, vec!["bedrijfsvoering-informatie-data"]);
    assert!(!p.data.shareable);
    assert_eq!(p.data.scores.get("risico"), Some(&2));
}

async fn editing_records_who_changed_which_fields_from_what_to_what() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
    let id = id_from(
        s.post_form("/projecten", &full_project_form())
            .await
            .location(),
    );
    let edit = s.get(&format!("/projecten/{id}/bewerken")).await;
    assert!(edit.body.contains("name=\"version\" value=\"1\""));
    assert!(edit.shows("<title>Bewerken: Dashboard studiesucces · Stip</title>"));
    assert!(edit.shows("<h1>Bewerken: Dashboard studiesucces</h1>"));
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

async fn the_list_filters_sorts_and_pages_with_the_filters_in_the_url() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
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
    assert!(
        horizon.body.contains("value=\"Horizon College\""),
        "the institution field shows its name"
    );

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

async fn institution_and_theme_pages_show_their_projects() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    let inst = s.get("/instellingen/25LN").await;
    assert!(inst.shows("Horizon College") && inst.shows("4 projecten gevonden"));
    let theme = s.get("/themas/llo").await;
    assert!(theme.shows("Leven lang ontwikkelen (LLO)"));
    // The demo data (seed 1) has these projects with LLO among their themes.
    assert!(theme.shows("7 projecten gevonden"), "{}", theme.body);
    assert_eq!(
        s.get("/themas/bestaat-niet").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get("/instellingen/99ZZ").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn another_institution_reads_network_projects_but_never_edits_them() {
    let app = TestApp::demo().await;
    let id = app.project_of("25LN", "netwerk").await;
    let davinci = app.session_of(IM_DAVINCI).await;
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

async fn an_institution_only_project_is_invisible_to_the_rest_of_the_network() {
    let app = TestApp::demo().await;
    let id = app.project_of("25LN", "instelling").await;
    let title = app.store().project(id).await.unwrap().data.title.clone();
    let davinci = app.session_of(IM_DAVINCI).await;
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
        app.session_of(IM_HORIZON)
            .await
            .get(&format!("/projecten/{id}"))
            .await
            .shows(&title)
    );
    assert_eq!(
        app.session_of(BEHEERDER)
            .await
            .get(&format!("/projecten/{id}"))
            .await
            .status,
        StatusCode::OK
    );
}

async fn anonymous_visitors_see_only_public_projects() {
    let app = TestApp::demo().await;
    let public = app.project_of("25LN", "openbaar").await;
    let network = app.project_of("25LK", "netwerk").await;
    let anon = app.anonymous();
    let list = anon.get("/projecten?per_page=200").await;
    // The demo data (seed 1) has these public projects, one of them made public above.
    assert!(list.shows("7 projecten gevonden"), "{}", list.body);
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

async fn two_people_saving_from_the_same_version_never_overwrite_each_other() {
    let app = TestApp::demo().await;
    let id = app.project_of("25LN", "netwerk").await;
    let version = app.store().project(id).await.unwrap().version.to_string();
    let hanna = app.session_of(IM_HORIZON).await;
    let beheer = app.session_of(BEHEERDER).await;
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

    // Both changed the title, differently: that one field is a choice; every other field
    // both set to the same values.
    let mut second = edit("Titel van Bea");
    second.push(("version", &version));
    let conflict = beheer.post_form(&format!("/projecten/{id}"), &second).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.shows("Dit project is intussen ook gewijzigd"));
    assert!(
        conflict.shows("Opgeslagen door Hanna Horizon"),
        "who saved in between"
    );
    assert!(
        conflict.body.contains("name=\"conflicts\" value=\"title\""),
        "only the title is to choose"
    );
    assert!(
        conflict
            .body
            .contains("name=\"keep_title\" value=\"theirs\"")
    );
    assert!(
        conflict
            .body
            .contains("id=\"v-theirs-title\">Titel van Hanna</div>"),
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

    // Back without choosing: asked again, by name.
    let new_version = app.store().project(id).await.unwrap().version.to_string();
    assert!(
        conflict
            .body
            .contains(&format!("name=\"version\" value=\"{new_version}\""))
    );
    let mut again = edit("Titel van Bea");
    again.extend([
        ("version", new_version.as_str()),
        ("conflict_base", version.as_str()),
        ("conflicts", "title"),
    ]);
    let unchosen = beheer.post_form(&format!("/projecten/{id}"), &again).await;
    assert_eq!(unchosen.status, StatusCode::CONFLICT);
    assert!(unchosen.shows("Kies bij ‘Titel’ welke waarde blijft."));
    assert!(unchosen.body.contains("href=\"#f-keep_title\""));

    // Choosing one's own title saves it.
    again.push(("keep_title", "mine"));
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

/// The scenario: tab A sets the status to Rood; tab B, opened before, changes only the
/// title and the status note. B's save keeps A's status.
async fn a_save_from_an_older_form_keeps_what_others_changed_in_other_fields() {
    let app = TestApp::demo().await;
    let id = app.project_of("25LN", "netwerk").await;
    let hanna = app.session_of(IM_HORIZON).await;
    let beheer = app.session_of(BEHEERDER).await;
    let mut tab_a = edit_form_of(&app, id).await;
    let mut tab_b = tab_a.clone();
    let before = app.store().project(id).await.unwrap();
    assert_ne!(before.data.status, Some(stip_core::portfolio::Status::Rood));

    set(&mut tab_a, "status", "rood");
    let res = beheer
        .post_form(&format!("/projecten/{id}"), &fields(&tab_a))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    set(&mut tab_b, "title", "Nieuwe titel van Hanna");
    set(&mut tab_b, "status_note", "Wacht op de leverancier");
    let res = hanna
        .post_form(&format!("/projecten/{id}"), &fields(&tab_b))
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "merged, no choice needed: {}",
        res.body
    );
    assert!(res.location().contains("samengevoegd=1"));
    let after = app.store().project(id).await.unwrap();
    assert_eq!(
        after.data.status,
        Some(stip_core::portfolio::Status::Rood),
        "A's status stays"
    );
    assert_eq!(after.data.title, "Nieuwe titel van Hanna");
    assert_eq!(after.data.status_note, "Wacht op de leverancier");
    let latest = &app.store().project_history(id).await.unwrap()[0];
    let changed: Vec<&str> = latest.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(changed, ["title", "status_note"], "B changed only these");
    let page = hanna.get(res.location()).await;
    assert!(page.shows("Het project is opgeslagen."));
    assert!(
        page.shows("is ook bewaard"),
        "says the other changes were kept"
    );
}

/// Two tabs of one person: the conflict page says it was them, not "someone else".
async fn the_same_person_in_another_tab_is_not_someone_else() {
    let app = TestApp::demo().await;
    let id = app.project_of("25LN", "netwerk").await;
    let hanna = app.session_of(IM_HORIZON).await;
    let mut tab_a = edit_form_of(&app, id).await;
    let mut tab_b = tab_a.clone();
    set(&mut tab_a, "status", "rood");
    let res = hanna
        .post_form(&format!("/projecten/{id}"), &fields(&tab_a))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    set(&mut tab_b, "status", "groen");
    set(&mut tab_b, "summary", "Korter gezegd");
    let res = hanna
        .post_form(&format!("/projecten/{id}"), &fields(&tab_b))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.shows("Opgeslagen door jou, in een ander tabblad of venster"));
    assert!(!res.shows("Opgeslagen door Hanna Horizon"));
    assert!(res.body.contains("name=\"conflicts\" value=\"status\""));
    assert!(
        res.body.contains("Korter gezegd"),
        "my other change is in the form"
    );

    // Keeping the saved status: my summary is saved with it.
    let version = app.store().project(id).await.unwrap().version.to_string();
    set(&mut tab_b, "version", &version);
    set(&mut tab_b, "conflicts", "status");
    set(&mut tab_b, "keep_status", "theirs");
    let res = hanna
        .post_form(&format!("/projecten/{id}"), &fields(&tab_b))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = app.store().project(id).await.unwrap();
    assert_eq!(after.data.status, Some(stip_core::portfolio::Status::Rood));
    assert_eq!(after.data.summary, "Korter gezegd");
}

/// A new project has no status until someone gives one.
async fn a_new_project_starts_without_a_status() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
    let form = s.get("/projecten/nieuw").await;
    assert!(
        form.body
            .contains("<option value=\"\">Nog geen status</option>")
    );
    assert!(!form.body.contains("value=\"groen\" selected"), "not Groen");
    let mut f = full_project_form();
    f.retain(|(k, _)| *k != "status");
    f.push(("status", ""));
    let res = s.post_form("/projecten", &f).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = s.get(res.location()).await;
    assert!(page.shows("Nog geen status"));
    let id = id_from(res.location());
    assert_eq!(app.store().project(id).await.unwrap().data.status, None);
    let list = s.get("/projecten?status=groen").await;
    assert!(
        !list.body.contains(&format!("/projecten/{id}\"")),
        "not green either"
    );
}

async fn bad_input_is_shown_next_to_each_field_in_dutch_and_nothing_is_saved() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
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
    // Each message says what to do with that field (GOV.UK and NL Design System patterns).
    assert_eq!(res.text_of("e-title").as_deref(), Some("Vul een titel in."));
    assert_eq!(
        res.text_of("e-end_date").as_deref(),
        Some("Vul een einddatum in die na de startdatum ligt.")
    );
    assert!(res.shows("<title>Fout: Nieuw project · Stip</title>"));
    assert!(
        res.shows("Samenvatting (optioneel)") && !res.shows("Titel (optioneel)"),
        "optional fields say so; required ones are the usual case"
    );
    assert_eq!(
        res.text_of("e-primary_theme").as_deref(),
        Some("Deze waarde bestaat niet; kies uit de lijst.")
    );
    assert_eq!(
        res.text_of("e-budget").as_deref(),
        Some("Vul het budget in euro's in, bijvoorbeeld 12.500 of 12.500,50.")
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

    let admin = app.session_of(BEHEERDER).await;
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

async fn only_who_may_gets_the_new_project_button() {
    let app = TestApp::demo().await;
    assert!(
        app.session_of(IM_HORIZON)
            .await
            .get("/projecten")
            .await
            .body
            .contains("href=\"/projecten/nieuw\"")
    );
    assert!(
        app.session_of(BEHEERDER)
            .await
            .get("/projecten")
            .await
            .body
            .contains("href=\"/projecten/nieuw\"")
    );
    for who in [LEZER, REGIEGROEP] {
        let s = app.session_of(who).await;
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

async fn a_beheerder_chooses_the_institution_and_may_delete() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
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
    let edit = s.get(&format!("/projecten/{id}/bewerken")).await;
    assert!(
        edit.body
            .contains(&format!("href=\"/projecten/{id}/verwijderen\""))
    );
    let ask = s.get(&format!("/projecten/{id}/verwijderen")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.shows("Ja, verwijderen") && ask.shows("De wijzigingsgeschiedenis verdwijnt ook"));
    let other = app.session_of(IM_HORIZON).await;
    assert_eq!(
        other
            .get(&format!("/projecten/{id}/verwijderen"))
            .await
            .status,
        StatusCode::FORBIDDEN,
        "another institution's project"
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

async fn each_filter_shows_exactly_the_projects_that_match() {
    let app = TestApp::new().await;
    let dashboard = "Dashboard studiesucces";
    let modules = "Modules voor volwassenen";
    let rooster = "Roosterplanning op orde";
    app.add_project("25LN", dashboard, |p| {
        p.primary_theme = "data-ondersteund-onderwijs".into();
        p.themes = vec!["llo".into()];
        p.phase = "uitvoering".into();
        p.status = "rood".into();
        p.character = "innoveren".into();
        p.horizon = "lang".into();
        p.perspective_strategic_operational = "1".into();
        p.drivers = vec!["krimp".into()];
        p.mora_areas = vec!["bedrijfsvoering-informatie-data".into()];
        p.summary = "Eén dashboard voor alle opleidingen".into();
    })
    .await;
    app.add_project("25LK", modules, |p| {
        p.primary_theme = "llo".into();
        p.phase = "verkenning".into();
        p.character = "verbeteren".into();
        p.horizon = "kort".into();
        p.perspective_strategic_operational = "4".into();
        p.perspective_ict_business = "5".into();
    })
    .await;
    app.add_project("25LN", rooster, |p| {
        p.primary_theme = "onderwijslogistiek".into();
        p.phase = "uitvoering".into();
        p.status = "oranje".into();
        p.character = "basis-op-orde".into();
        p.horizon = "middellang".into();
        p.perspective_ict_business = "1".into();
        p.drivers = vec!["krimp".into()];
        p.mora_areas = vec!["tactisch-inrichten".into(), "onderwijs-uitvoeren".into()];
    })
    .await;
    let s = app.session(stip_core::user::Role::Beheerder).await;
    let all = [dashboard, modules, rooster];
    for (query, expected) in [
        ("", &all[..]),
        ("theme=llo", &[dashboard, modules][..]),
        ("theme=data-ondersteund-onderwijs", &[dashboard]),
        ("phase=uitvoering", &[dashboard, rooster]),
        ("status=rood", &[dashboard]),
        ("status=groen", &[modules]),
        ("character=basis-op-orde", &[rooster]),
        ("horizon=kort", &[modules]),
        ("perspective=strategisch", &[dashboard]),
        ("perspective=operationeel", &[modules]),
        ("perspective=business", &[modules]),
        ("perspective=ict", &[rooster]),
        ("driver=krimp", &[dashboard, rooster]),
        ("mora=bedrijfsvoering", &[dashboard]),
        ("mora=bedrijfsvoering-informatie-data", &[dashboard]),
        ("mora=tactisch-inrichten", &[rooster]),
        ("mora=uitstroom", &[]),
        ("q=DASHBOARD", &[dashboard]),
        ("q=alle%20opleidingen", &[dashboard]),
        ("institution=25LK", &[modules]),
        ("theme=llo&status=groen", &[modules]),
        ("theme=innovatie", &[]),
    ] {
        let page = s.get(&format!("/projecten?{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        let found = match expected.len() {
            1 => "1 project gevonden".to_string(),
            n => format!("{n} projecten gevonden"),
        };
        assert!(page.shows(&found), "{query}: expected {expected:?}");
        for title in all {
            assert_eq!(
                page.shows(title),
                expected.contains(&title),
                "{query}: {title} should {}be shown",
                if expected.contains(&title) {
                    ""
                } else {
                    "not "
                }
            );
        }
    }
}

async fn rows_show_every_theme_and_mark_own_projects_and_passed_end_dates() {
    let app = TestApp::new().await;
    app.add_project("25LN", "Dashboard studiesucces", |p| {
        p.primary_theme = "data-ondersteund-onderwijs".into();
        p.themes = vec!["llo".into()];
        p.phase = "uitvoering".into();
        p.end_date = "2020-12-31".into();
    })
    .await;
    app.add_project("25LK", "Modules voor volwassenen", |p| {
        p.primary_theme = "llo".into();
        p.phase = "afgerond".into();
        p.end_date = "2020-12-31".into();
    })
    .await;
    let im = app.session(stip_core::user::Role::Informatiemanager).await;
    let list = im.get("/projecten").await;
    let row = |title: &str| {
        let start = list.body.find(title).expect("the project is listed");
        let end = start + list.body[start..].find("</tr>").unwrap();
        html_decode(&list.body[start..end])
    };
    let dashboard = row("Dashboard studiesucces");
    assert!(
        dashboard.contains(
            "Data-ondersteund onderwijs<span class=\"visually-hidden\"> (hoofdthema)</span>"
        ) && dashboard.contains("Leven lang ontwikkelen (LLO)"),
        "every theme, the main one first and marked: {dashboard}"
    );
    assert!(dashboard.contains("eigen instelling"), "{dashboard}");
    assert!(
        dashboard.contains("einddatum verstreken"),
        "running past its end date: {dashboard}"
    );
    let modules = row("Modules voor volwassenen");
    assert!(!modules.contains("eigen instelling"), "{modules}");
    assert!(
        !modules.contains("einddatum verstreken"),
        "a finished project is not late: {modules}"
    );

    // The theme filter matches any theme; "alleen als hoofdthema" only the main one.
    let any = im.get("/projecten?theme=llo").await;
    assert!(any.shows("2 projecten gevonden"));
    let main = im.get("/projecten?theme=llo&primary_only=1").await;
    assert!(main.shows("1 project gevonden") && main.shows("Modules voor volwassenen"));
    assert!(main.shows("Hoofdthema: Leven lang ontwikkelen (LLO)"));
    let api = im
        .api(
            axum::http::Method::GET,
            "/api/v1/projects?theme=llo&primary_only=1",
            None,
        )
        .await;
    assert_eq!(api.json()["total"], 1);

    // On a phone the count comes before the filters, which wait behind their button.
    let count = list.body.find("id=\"result-count\"").unwrap();
    let filters = list.body.find("<details class=\"filter-panel\"").unwrap();
    assert!(count < filters, "the number of results comes first");
}

async fn the_home_page_shows_my_institution_and_the_latest_changes() {
    let app = TestApp::new().await;
    app.add_project("25LN", "Roosterplanning op orde", |p| {
        p.phase = "uitvoering".into();
        p.end_date = "2020-12-31".into();
    })
    .await;
    app.add_project("25LN", "Dashboard studiesucces", |p| {
        p.phase = "uitvoering".into();
        p.end_date = "2099-12-31".into();
    })
    .await;
    app.add_project("25LK", "Modules voor volwassenen", |_| {})
        .await;
    let im = app.session(stip_core::user::Role::Informatiemanager).await;
    let home = im.get("/").await;
    assert!(
        home.shows("<title>Netwerkoverzicht · Stip</title>"),
        "the network overview"
    );
    assert!(home.shows("Mijn instelling: Horizon College"));
    assert!(home.shows("2 projecten van je instelling staan in Stip."));
    let attention = &home.body[home
        .body
        .find("Vraagt aandacht")
        .expect("a list that needs attention")..];
    let attention = &attention[..attention.find("</ul>").unwrap()];
    assert!(
        attention.contains("Roosterplanning op orde") && attention.contains("einddatum verstreken")
    );
    assert!(
        !attention.contains("Dashboard studiesucces"),
        "on schedule, status of today"
    );
    let latest = &home.body[home.body.find("Laatst gewijzigd in het netwerk").unwrap()..];
    assert!(
        latest.contains("Modules voor volwassenen"),
        "other institutions' changes too"
    );

    let lezer = app.session(stip_core::user::Role::Lezer).await;
    let home = lezer.get("/").await;
    assert!(!home.shows("Mijn instelling"), "a lezer has no institution");
    assert!(home.shows("Laatst gewijzigd in het netwerk"));

    let anonymous = app.anonymous().get("/").await;
    assert!(
        !anonymous.shows("Laatst gewijzigd")
            && anonymous.shows("Je ziet nu alleen openbare projecten.")
    );
}

async fn a_project_one_may_not_see_answers_exactly_like_one_that_does_not_exist() {
    let app = TestApp::demo().await;
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
        // A write without credentials is 401 before any lookup: the same for every id.
        assert_eq!(api.status, StatusCode::UNAUTHORIZED, "API delete {id}");
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

/// The form groups Bedrijfsvoering's parts under their own legend; the chosen areas show on the
/// project's page, and the list's MORA filter (with its chip) finds the project under the part
/// and under Bedrijfsvoering as a whole.
async fn mora_areas_are_chosen_in_groups_shown_and_filtered_on() {
    let app = TestApp::demo().await;
    let s = app.session_of(IM_HORIZON).await;
    let form = s.get("/projecten/nieuw").await;
    assert!(form.shows("<legend>MORA-procesgebieden (optioneel)</legend>"));
    assert!(
        form.shows("<legend>Bedrijfsvoering</legend>"),
        "the parts of Bedrijfsvoering are a group of their own"
    );
    assert!(form.shows("Bedrijfsvoering in het algemeen"));
    assert!(form.body.contains(
        "<input type=\"checkbox\" id=\"mora-bedrijfsvoering-hrm\" name=\"mora_areas\" value=\"bedrijfsvoering-hrm\"><label for=\"mora-bedrijfsvoering-hrm\">HRM</label>"
    ));
    assert!(
        form.body.contains("id=\"f-mora_areas\""),
        "the first box is where the error summary leads"
    );

    let mut fields = full_project_form();
    fields.retain(|(k, _)| *k != "mora_areas" && *k != "title");
    fields.extend([
        ("title", "Strategisch personeelsplan"),
        ("mora_areas", "bedrijfsvoering-hrm"),
        ("mora_areas", "strategie-beleid-sturing"),
    ]);
    let res = s.post_form("/projecten", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = id_from(res.location());
    assert_eq!(
        app.store().project(id).await.unwrap().data.mora_areas,
        ["bedrijfsvoering-hrm", "strategie-beleid-sturing"]
    );
    let page = s.get(&format!("/projecten/{id}")).await;
    assert!(page.shows("<dt>MORA-procesgebieden</dt>"));
    assert!(
        page.shows("<a href=\"/projecten?mora=bedrijfsvoering-hrm\">Bedrijfsvoering – HRM</a>")
    );
    assert!(page.shows("Strategie, beleid en sturing"));
    let edit = s.get(&format!("/projecten/{id}/bewerken")).await;
    assert!(
        edit.body.contains("value=\"bedrijfsvoering-hrm\" checked"),
        "the edit form ticks the chosen areas"
    );

    for (query, shown) in [
        ("mora=bedrijfsvoering-hrm", true),
        ("mora=bedrijfsvoering", true),
        ("mora=onderwijs-uitvoeren", false),
    ] {
        let list = s.get(&format!("/projecten?{query}&per_page=200")).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.shows("Strategisch personeelsplan"), shown, "{query}");
    }
    let list = s.get("/projecten?mora=bedrijfsvoering&status=oranje").await;
    assert!(
        list.shows("MORA-procesgebied: Bedrijfsvoering"),
        "the filter in use is a chip"
    );
    assert!(
        list.body
            .contains("href=\"/projecten?status=oranje\" aria-label=\"Filter verwijderen: MORA-procesgebied: Bedrijfsvoering\""),
        "its link removes only that filter"
    );
    assert!(
        list.body
            .contains("<option value=\"bedrijfsvoering\" selected>Bedrijfsvoering</option>")
    );

    // An area that does not exist is refused next to the boxes, and nothing is saved.
    let mut wrong = fields.clone();
    wrong.push(("mora_areas", "ruimtevaart"));
    let res = s.post_form("/projecten", &wrong).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-mora_areas").as_deref(),
        Some("Deze waarde bestaat niet; kies uit de lijst.")
    );
    assert!(res.body.contains("href=\"#f-mora_areas\""));
}
