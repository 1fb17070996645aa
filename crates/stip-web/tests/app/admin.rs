//! Beheer: institutions, the agenda, policy drivers, MORA process areas, criteria and users.

use crate::support::*;
use axum::http::StatusCode;

on_both!(
    a_beheerder_adds_and_edits_an_institution,
    the_agenda_is_managed_with_colour_and_description_by_beheerder_and_regiegroep,
    policy_drivers_and_criteria_are_managed_by_the_beheerder,
    a_beheerder_adds_users_with_roles_and_can_change_them,
    management_is_closed_to_roles_without_the_right,
    each_reference_list_is_saved_from_the_version_its_form_showed,
    a_password_reset_ends_the_sessions_and_a_stale_one_changes_nothing,
    a_theme_colour_like_another_themes_or_a_status_is_warned_about,
    breadcrumbs_name_the_list_and_student_numbers_are_grouped,
    the_beheerder_edits_the_mora_areas_and_one_in_use_stays,
);

async fn a_beheerder_adds_and_edits_an_institution() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    let res = s
        .post_form(
            "/beheer/instellingen/nieuw",
            &[
                ("brin", "31ab"),
                ("name", "ROC Nieuwland"),
                ("short_name", "Nieuwland"),
                ("region", "Flevoland"),
                ("students", "4.500"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let inst = app
        .store()
        .institution_by_brin(&stip_core::institution::BrinCode::parse("31AB").unwrap())
        .await
        .unwrap();
    assert_eq!(
        (inst.data.name.as_str(), inst.data.students),
        ("ROC Nieuwland", Some(4500))
    );
    assert!(s.get("/instellingen").await.shows("ROC Nieuwland"));

    let form = s.get(&format!("/beheer/instellingen/{}", inst.id)).await;
    assert!(form.body.contains("value=\"ROC Nieuwland\""));
    let res = s
        .post_form(
            &format!("/beheer/instellingen/{}", inst.id),
            &[
                ("brin", "31AB"),
                ("name", "ROC Nieuwland-Flevo"),
                ("short_name", "Nieuwland"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // The same stale form again is a conflict, not an overwrite.
    let res = s
        .post_form(
            &format!("/beheer/instellingen/{}", inst.id),
            &[
                ("brin", "31AB"),
                ("name", "Oud"),
                ("short_name", "Oud"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(
        app.store().institution(inst.id).await.unwrap().data.name,
        "ROC Nieuwland-Flevo"
    );

    let dup = s
        .post_form(
            "/beheer/instellingen/nieuw",
            &[
                ("brin", "25LN"),
                ("name", "Dubbel"),
                ("short_name", "Dubbel"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        dup.text_of("e-brin").as_deref(),
        Some("Deze waarde is al in gebruik.")
    );
}

async fn the_agenda_is_managed_with_colour_and_description_by_beheerder_and_regiegroep() {
    let app = TestApp::demo().await;
    let regie = app.session_of(REGIEGROEP).await;
    let res = regie
        .post_form(
            "/beheer/hoofdlijnen/nieuw",
            &[
                ("code", "wendbaar"),
                ("name", "Wendbaar onderwijs"),
                ("position", "4"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = regie
        .post_form(
            "/beheer/themas/nieuw",
            &[
                ("code", "ai"),
                ("name", "Kunstmatige intelligentie"),
                ("description", "AI in het onderwijs"),
                ("colour", "#AA3300"),
                ("main_line", "wendbaar"),
                ("position", "9"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let theme = app
        .store()
        .themes()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.data.code == "ai")
        .unwrap();
    assert_eq!(
        (theme.data.colour.as_str(), theme.data.main_line.as_deref()),
        ("#aa3300", Some("wendbaar"))
    );
    assert!(
        app.anonymous()
            .get("/static/themes.css")
            .await
            .body
            .contains(".theme-ai{background:#aa3300}")
    );
    let page = app.anonymous().get("/themas").await;
    assert!(page.shows("Kunstmatige intelligentie") && page.shows("Wendbaar onderwijs"));

    let bad = regie
        .post_form(
            &format!("/beheer/themas/{}", theme.id),
            &[
                ("code", "ai"),
                ("name", "AI"),
                ("colour", "rood"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text_of("e-colour").unwrap().contains("#rrggbb"));
    let ok = regie
        .post_form(
            &format!("/beheer/themas/{}", theme.id),
            &[
                ("code", "ai"),
                ("name", "AI en onderwijs"),
                ("colour", "#aa3300"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(
        app.anonymous()
            .get("/themas/ai")
            .await
            .shows("AI en onderwijs")
    );
}

async fn policy_drivers_and_criteria_are_managed_by_the_beheerder() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    assert_eq!(
        s.post_form(
            "/beheer/drijfveren/nieuw",
            &[("code", "arbeidsmarkt"), ("name", "Arbeidsmarkt")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert!(
        app.store()
            .policy_drivers()
            .await
            .unwrap()
            .iter()
            .any(|d| d.code == "arbeidsmarkt")
    );
    let res = s
        .post_form(
            "/beheer/criteria/nieuw",
            &[
                ("code", "kosten"),
                ("name", "Kosten"),
                ("weight", "1,5"),
                ("direction", "negatief"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let k = app
        .store()
        .criteria()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.data.code == "kosten")
        .unwrap();
    assert_eq!(
        (k.data.weight.0, k.data.direction.code()),
        (150, "negatief")
    );
    // The new criterion appears on the project form.
    assert!(
        app.session_of(IM_HORIZON)
            .await
            .get("/projecten/nieuw")
            .await
            .body
            .contains("name=\"score_kosten\"")
    );
    let bad = s
        .post_form(
            "/beheer/criteria/nieuw",
            &[
                ("code", "Met Spaties"),
                ("name", ""),
                ("weight", "veel"),
                ("direction", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["code", "name", "weight", "direction"] {
        assert!(
            bad.text_of(&format!("e-{field}")).is_some(),
            "{field} has its message"
        );
    }
}

async fn a_beheerder_adds_users_with_roles_and_can_change_them() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    let needs_inst = s
        .post_form(
            "/beheer/gebruikers/nieuw",
            &[
                ("email", "im@rijnland.nl"),
                ("name", "Gydo"),
                ("role", "informatiemanager"),
                ("active", "1"),
                ("password", "een-lang-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(needs_inst.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(needs_inst.text_of("e-institution").is_some());
    let res = s
        .post_form(
            "/beheer/gebruikers/nieuw",
            &[
                ("email", "IM@Rijnland.nl"),
                ("name", "Gydo"),
                ("role", "informatiemanager"),
                ("institution", "25LR"),
                ("active", "1"),
                ("password", "een-lang-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let gydo = app.anonymous();
    let csrf = gydo.csrf().await;
    let login = gydo
        .post_raw(
            "/inloggen",
            &[
                ("csrf", &csrf),
                ("email", "im@rijnland.nl"),
                ("password", "een-lang-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert!(
        gydo.get("/projecten")
            .await
            .body
            .contains("/projecten/nieuw")
    );

    // Made a lezer and deactivated: the account's sessions no longer work.
    let user = app.store().user_by_email("im@rijnland.nl").await.unwrap();
    let res = s
        .post_form(
            &format!("/beheer/gebruikers/{}", user.id),
            &[
                ("email", "im@rijnland.nl"),
                ("name", "Gydo"),
                ("role", "lezer"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        !gydo.get("/").await.shows("Gydo"),
        "an inactive account is logged out"
    );
    assert!(s.get("/beheer/gebruikers").await.shows("niet actief"));
}

async fn management_is_closed_to_roles_without_the_right() {
    let app = TestApp::demo().await;
    for who in [IM_HORIZON, LEZER] {
        let s = app.session_of(who).await;
        for path in [
            "/beheer",
            "/beheer/instellingen",
            "/beheer/agenda",
            "/beheer/gebruikers",
            "/beheer/criteria",
            "/beheer/drijfveren",
            "/beheer/mora",
        ] {
            assert_eq!(
                s.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
        assert_eq!(
            s.post_form(
                "/beheer/instellingen/nieuw",
                &[("brin", "31AC"), ("name", "X"), ("short_name", "X")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
    let regie = app.session_of(REGIEGROEP).await;
    assert_eq!(
        regie.get("/beheer/gebruikers").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        regie.get("/beheer/instellingen").await.status,
        StatusCode::FORBIDDEN
    );
    let anon = app.anonymous().get("/beheer/gebruikers").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.location().starts_with("/inloggen"));
}

/// Every reference list (institutions, main lines, themes, policy drivers, criteria) is saved
/// from the version its form showed: saving twice from one form is a conflict that keeps what was
/// typed and overwrites nothing; an unknown record is 404.
async fn each_reference_list_is_saved_from_the_version_its_form_showed() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    let store = app.store();
    let line = store.main_lines().await.unwrap().remove(0);
    let theme = store.themes().await.unwrap().remove(0);
    let driver = store.policy_drivers().await.unwrap().remove(0);
    let criterion = store.criteria().await.unwrap().remove(0);
    let inst = store.institutions().await.unwrap().remove(0);
    let brin = inst.data.brin.to_string();
    // (form address, list it returns to, its version, the other fields of a valid save)
    let cases = [
        (
            format!("/beheer/hoofdlijnen/{}", line.id),
            "/beheer/agenda",
            line.version,
            vec![("code", line.code.as_str()), ("position", "1")],
        ),
        (
            format!("/beheer/themas/{}", theme.id),
            "/beheer/agenda",
            theme.version,
            vec![
                ("code", theme.data.code.as_str()),
                ("colour", theme.data.colour.as_str()),
            ],
        ),
        (
            format!("/beheer/drijfveren/{}", driver.id),
            "/beheer/drijfveren",
            driver.version,
            vec![("code", driver.code.as_str())],
        ),
        (
            format!("/beheer/criteria/{}", criterion.id),
            "/beheer/criteria",
            criterion.version,
            vec![
                ("code", criterion.data.code.as_str()),
                ("weight", "2"),
                ("direction", "positief"),
            ],
        ),
        (
            format!("/beheer/instellingen/{}", inst.id),
            "/beheer/instellingen",
            inst.version,
            vec![("brin", brin.as_str()), ("short_name", "Kort")],
        ),
    ];
    for (path, back, version, fields) in cases {
        let version = version.to_string();
        let form = s.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{path}");
        assert!(
            form.body
                .contains(&format!("name=\"version\" value=\"{version}\"")),
            "{path} carries the version it edits"
        );
        let save = |name: &'static str| {
            let mut f = fields.clone();
            f.extend([("name", name), ("version", version.as_str())]);
            f
        };
        let first = s.post_form(&path, &save("Eerste wijziging")).await;
        assert_eq!(
            first.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            first.body
        );
        assert_eq!(first.location(), back);

        let stale = s.post_form(&path, &save("Tweede wijziging")).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{path}");
        assert!(stale.shows("Iemand anders heeft dit intussen opgeslagen"));
        assert!(
            stale.body.contains("value=\"Tweede wijziging\""),
            "{path} keeps the input"
        );
        let newer = (version.parse::<i64>().unwrap() + 1).to_string();
        assert!(
            stale
                .body
                .contains(&format!("name=\"version\" value=\"{newer}\"")),
            "{path}: saving again from the conflict form is a deliberate choice"
        );
        assert!(
            s.get(&path)
                .await
                .body
                .contains("value=\"Eerste wijziging\""),
            "{path}: the stale save overwrote nothing"
        );

        let missing = format!("{}/999999", path.rsplit_once('/').unwrap().0);
        assert_eq!(
            s.get(&missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
        let saved = s.post_form(&missing, &save("Nergens")).await;
        assert_eq!(saved.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

/// A new password set by the beheerder ends the account's open sessions and replaces the old
/// one; a password typed into a form that turns out to be stale changes nothing.
async fn a_password_reset_ends_the_sessions_and_a_stale_one_changes_nothing() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    let lezer = app.session_of(LEZER).await;
    assert!(lezer.get("/").await.shows("Lotte Lezer"));
    let user = app.store().user_by_email(LEZER).await.unwrap();
    let path = format!("/beheer/gebruikers/{}", user.id);
    let version = user.version.to_string();
    let form = |password: &'static str| {
        vec![
            ("email", LEZER),
            ("name", "Lotte Lezer"),
            ("role", "lezer"),
            ("active", "1"),
            ("password", password),
            ("version", version.as_str()),
        ]
    };
    let res = s.post_form(&path, &form("nieuw-wachtwoord-1")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        !lezer.get("/").await.shows("Lotte Lezer"),
        "the open session ended"
    );
    let app = &app;
    let login = |password: &'static str| async move {
        let who = app.anonymous();
        let csrf = who.csrf().await;
        who.post_raw(
            "/inloggen",
            &[("csrf", &csrf), ("email", LEZER), ("password", password)],
        )
        .await
        .status
    };
    assert_eq!(login("demo-lezer-1").await, StatusCode::UNAUTHORIZED);
    assert_eq!(login("nieuw-wachtwoord-1").await, StatusCode::SEE_OTHER);

    // The same form again is stale: a conflict, and the password stays what it was.
    let stale = s.post_form(&path, &form("nieuw-wachtwoord-2")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(login("nieuw-wachtwoord-2").await, StatusCode::UNAUTHORIZED);
    assert_eq!(login("nieuw-wachtwoord-1").await, StatusCode::SEE_OTHER);
}

async fn a_theme_colour_like_another_themes_or_a_status_is_warned_about() {
    let app = TestApp::new().await;
    let s = app.session(stip_core::user::Role::Regiegroep).await;
    let themes = app.store().themes().await.unwrap();
    let llo = themes.iter().find(|t| t.data.code == "llo").unwrap();
    let form = s.get(&format!("/beheer/themas/{}", llo.id)).await;
    assert!(
        !form.shows("Let op"),
        "the default colours are far enough apart"
    );
    // The old default blue of LLO was hard to tell from Data-ondersteund onderwijs.
    let data = themes
        .iter()
        .find(|t| t.data.code == "data-ondersteund-onderwijs")
        .unwrap();
    let res = s
        .post_form(
            &format!("/beheer/themas/{}", data.id),
            &[
                ("code", "data-ondersteund-onderwijs"),
                ("name", "Data-ondersteund onderwijs"),
                ("colour", "#0a70b0"),
                ("main_line", "leren"),
                ("position", "7"),
                ("version", &data.version.to_string()),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "a warning does not refuse"
    );
    let again = s.get(&format!("/beheer/themas/{}", data.id)).await;
    assert!(
        again.shows("Let op: deze kleur lijkt veel op die van Leven lang ontwikkelen (LLO)."),
        "{}",
        again.body
    );
    let red = s
        .post_form(
            "/beheer/themas/nieuw",
            &[
                ("code", "rode-draad"),
                ("name", "Rode draad"),
                ("colour", "#c4142c"),
            ],
        )
        .await;
    assert_eq!(red.status, StatusCode::SEE_OTHER);
    let themes = app.store().themes().await.unwrap();
    let rode = themes.iter().find(|t| t.data.code == "rode-draad").unwrap();
    assert!(
        s.get(&format!("/beheer/themas/{}", rode.id))
            .await
            .shows("lijkt veel op die van status Rood")
    );
}

async fn breadcrumbs_name_the_list_and_student_numbers_are_grouped() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    let horizon = app
        .store()
        .institution_by_brin(&stip_core::institution::BrinCode::parse("25LN").unwrap())
        .await
        .unwrap();
    let form = s.get(&format!("/beheer/instellingen/{}", horizon.id)).await;
    assert!(
        form.body
            .contains(r#"<a href="/beheer/instellingen">Instellingen</a></p>"#),
        "the breadcrumb names the list it leads back to"
    );
    let page = s.get("/instellingen/25LN").await;
    assert!(
        page.shows("<dd>11.500</dd>"),
        "Dutch groups thousands with a dot"
    );
    assert!(page.shows("<dd>Noord-Holland</dd>"));
    s.get("/taal/en?terug=/").await;
    assert!(s.get("/instellingen/25LN").await.shows("<dd>11,500</dd>"));
    let list = app.anonymous().get("/instellingen").await;
    assert!(
        list.shows(">Gelderland<"),
        "Graafschap College is in a province too"
    );
    assert!(!list.shows("Oost-Nederland"));
}

/// The beheerder manages the MORA process areas: the list in the architecture's order, a new
/// part of Bedrijfsvoering that projects can choose at once, a renamed area, and deleting: an
/// area projects map to, or one with parts, stays and the page says why.
async fn the_beheerder_edits_the_mora_areas_and_one_in_use_stays() {
    let app = TestApp::demo().await;
    let s = app.session_of(BEHEERDER).await;
    assert!(s.get("/beheer").await.shows("MORA-procesgebieden"));
    let list = s.get("/beheer/mora").await;
    assert_eq!(list.status, StatusCode::OK);
    let first = list
        .body
        .find("Verbinding met maatschappij, bedrijfsleven en regio")
        .unwrap();
    let hrm = list.body.find(">HRM<").unwrap();
    let bv = list.body.find(">Bedrijfsvoering<").unwrap();
    assert!(
        first < bv && bv < hrm,
        "the architecture's order, parts after their main area"
    );

    let res = s
        .post_form(
            "/beheer/mora/nieuw",
            &[
                ("code", "bedrijfsvoering-vastgoed"),
                ("name", "Vastgoed en huisvesting"),
                ("parent", "bedrijfsvoering"),
                ("position", "8"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let area = |code: &str| {
        let store = app.store().clone();
        let code = code.to_string();
        async move {
            store
                .mora_areas()
                .await
                .unwrap()
                .into_iter()
                .find(|a| a.data.code == code)
        }
    };
    let vastgoed = area("bedrijfsvoering-vastgoed").await.unwrap();
    assert_eq!(vastgoed.data.parent.as_deref(), Some("bedrijfsvoering"));
    let form = app
        .session_of(IM_HORIZON)
        .await
        .get("/projecten/nieuw")
        .await;
    assert!(
        form.shows("Vastgoed en huisvesting"),
        "projects can choose it at once"
    );

    // A part cannot hold parts; a main area with parts cannot become a part.
    let res = s
        .post_form(
            "/beheer/mora/nieuw",
            &[
                ("code", "gebouwen"),
                ("name", "Gebouwen"),
                ("parent", "bedrijfsvoering-vastgoed"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text_of("e-parent")
            .unwrap()
            .starts_with("Kies een hoofdgebied.")
    );
    let bv = area("bedrijfsvoering").await.unwrap();
    let res = s
        .post_form(
            &format!("/beheer/mora/{}", bv.id),
            &[
                ("code", "bedrijfsvoering"),
                ("name", "Bedrijfsvoering"),
                ("parent", "instroom"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.text_of("e-parent").is_some());

    let res = s
        .post_form(
            &format!("/beheer/mora/{}", vastgoed.id),
            &[
                ("code", "bedrijfsvoering-vastgoed"),
                ("name", "Huisvesting"),
                ("parent", "bedrijfsvoering"),
                ("position", "8"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(s.get("/beheer/mora").await.shows("Huisvesting"));

    // In use by a project: it stays, and the page says why.
    let im = app.session_of(IM_HORIZON).await;
    let mut fields = full_project_form();
    fields.push(("mora_areas", "bedrijfsvoering-vastgoed"));
    assert_eq!(
        im.post_form("/projecten", &fields).await.status,
        StatusCode::SEE_OTHER
    );
    let edit = s.get(&format!("/beheer/mora/{}", vastgoed.id)).await;
    let delete = format!("/beheer/mora/{}/verwijderen", vastgoed.id);
    assert!(edit.body.contains(&format!("href=\"{delete}\"")));
    let page = s.get(&delete).await;
    assert!(
        page.shows("er zijn nog projecten aan gekoppeld (1)"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(&format!("action=\"{delete}\"")),
        "no button to delete it"
    );
    let res = s.post_form(&delete, &[]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.shows("er zijn nog projecten aan gekoppeld (1)"));
    assert!(area("bedrijfsvoering-vastgoed").await.is_some());
    let res = s
        .post_form(&format!("/beheer/mora/{}/verwijderen", bv.id), &[])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.shows("het heeft nog deelgebieden (8)"));

    // Unused: asked first, then gone from the list and the form.
    let res = s
        .post_form(
            "/beheer/mora/nieuw",
            &[("code", "proeftuin"), ("name", "Proeftuin")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        im.get("/projecten/nieuw")
            .await
            .body
            .contains("value=\"proeftuin\"")
    );
    let proeftuin = area("proeftuin").await.unwrap();
    let delete = format!("/beheer/mora/{}/verwijderen", proeftuin.id);
    assert!(s.get(&delete).await.shows("Weet je het zeker?"));
    let res = s.post_form(&delete, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/beheer/mora");
    assert!(area("proeftuin").await.is_none());
    assert!(
        !im.get("/projecten/nieuw")
            .await
            .body
            .contains("value=\"proeftuin\"")
    );

    // Only the beheerder.
    let regie = app.session_of(REGIEGROEP).await;
    assert_eq!(
        regie.get("/beheer/mora").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        regie.post_form(&delete, &[]).await.status,
        StatusCode::FORBIDDEN
    );
}
