//! Surveys (issue 13) through the pages and the database: the regiegroep builds a survey in
//! the browser, an informatiemanager answers it by the link (a draft saved while typing, and
//! nothing lost when the session ran out), anonymous answers keep no link to who gave them,
//! and the results, the appendix and the overview show what the steering group needs.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use stip_core::user::Role;

on_both!(
    the_regiegroep_builds_a_survey_in_the_browser,
    the_respondent_page_saves_a_draft_as_you_type_and_submits,
    a_submit_from_a_page_whose_session_expired_keeps_the_answers,
    anonymous_answers_keep_no_link_to_the_institution_in_the_database,
    the_informatiemanager_finds_the_open_survey_on_the_home_page,
    the_results_page_counts_charts_ranks_filters_and_prints_as_appendix,
    the_overview_lists_who_has_not_responded_and_renews_and_reopens,
    a_link_that_does_not_exist_is_not_found_and_reveals_nothing,
    only_the_institutions_own_people_answer_by_its_link,
    a_theme_given_the_same_place_twice_is_named_not_guessed,
    reopening_what_cannot_be_reopened_does_not_say_it_was,
);

const OPENS: &str = "2025-01-01";
const CLOSES: &str = "2099-12-31";
const TEMPLATE_TITLE: &str = "Netwerkenquête strategische agenda digitalisering";

// The seed's template, in order: 0 themes (required), 1 open (required), 2 open, 3 projects,
// 4 single (Ja, Misschien, Nee), 5 open (required), 6 scale, 7 multiple.

/// A survey made from the seed's template through the API: its id and its questions' ids.
async fn from_template(rg: &Session, anonymous: bool) -> (i64, Vec<i64>) {
    from_template_on(rg, anonymous, OPENS).await
}

async fn from_template_on(rg: &Session, anonymous: bool, opens_on: &str) -> (i64, Vec<i64>) {
    let res = rg
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({
                "template": "netwerkenquete-2020",
                "anonymous": anonymous,
                "respondent": "institution",
                "opens_on": opens_on,
                "closes_on": CLOSES,
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let s = res.json();
    let mut q = question_ids(&s);
    if anonymous {
        // An anonymous survey leaves out the template's fourth question (picking projects
        // would name the institution); the rest keep the template's numbering here.
        assert_eq!(q.len(), 7);
        q.insert(3, i64::MIN);
    }
    (s["id"].as_i64().unwrap(), q)
}

/// A survey from the template, opened: every institution has its link.
async fn opened(rg: &Session, anonymous: bool) -> (i64, Vec<i64>) {
    let (id, q) = from_template(rg, anonymous).await;
    let res = rg
        .api(Method::POST, &format!("/api/v1/surveys/{id}/open"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    (id, q)
}

fn question_ids(s: &Value) -> Vec<i64> {
    s["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

async fn survey_api(rg: &Session, id: i64) -> Value {
    let res = rg.get(&format!("/api/v1/surveys/{id}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// The invitation of the institution with this BRIN code, as the regiegroep's API shows it.
async fn invitation(rg: &Session, id: i64, brin: &str) -> Value {
    let res = rg.get(&format!("/api/v1/surveys/{id}/invitations")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["institution"] == brin)
        .unwrap_or_else(|| panic!("an invitation for {brin}"))
        .clone()
}

async fn link(rg: &Session, id: i64, brin: &str) -> String {
    invitation(rg, id, brin).await["link"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The builder's form as a browser sends it untouched: the settings and every question.
fn builder_form(s: &Value) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut f: Vec<(String, String)> = vec![
        ("title".into(), text(&s["title"])),
        ("introduction".into(), text(&s["introduction"])),
        ("respondent".into(), text(&s["respondent"])),
        ("opens_on".into(), text(&s["opens_on"])),
        ("closes_on".into(), text(&s["closes_on"])),
        ("version".into(), s["version"].to_string()),
    ];
    if s["anonymous"] == json!(true) {
        f.push(("anonymous".into(), "1".into()));
    }
    for (i, q) in s["questions"].as_array().unwrap().iter().enumerate() {
        let name = |part: &str| format!("questions[{i}].{part}");
        f.push((name("id"), q["id"].to_string()));
        f.push((name("kind"), text(&q["kind"])));
        f.push((name("section"), text(&q["section"])));
        f.push((name("text"), text(&q["text"])));
        f.push((name("help"), text(&q["help"])));
        let options: Vec<String> = q["options"].as_array().unwrap().iter().map(text).collect();
        f.push((name("options"), options.join("\n")));
        if q["required"] == json!(true) {
            f.push((name("required"), "1".into()));
        }
    }
    f
}

/// A complete response as the respondent's form sends it, with `speelt` as the answer to the
/// first open question.
fn complete_answers(q: &[i64], speelt: &str) -> Vec<(String, String)> {
    vec![
        (format!("a{}_llo", q[0]), "1".into()),
        (format!("a{}_leermiddelen", q[0]), "2".into()),
        (format!("a{}", q[1]), speelt.into()),
        (format!("a{}", q[4]), "Ja".into()),
        (
            format!("a{}", q[5]),
            "Informatiemanagement verbindt de thema's".into(),
        ),
        (format!("a{}", q[6]), "4".into()),
        (format!("a{}", q[7]), "Architectuur".into()),
        (format!("a{}", q[7]), "Projectportfolio".into()),
    ]
}

/// Submits a complete response of the caller's institution through the API.
async fn submit_by_api(im: &Session, id: i64, answers: Value) {
    let res = im
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{id}/response/submit"),
            Some(json!({ "answers": answers })),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

/// The part of a page from `start` up to the first `end` after it.
fn part<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("{start} on the page: {body}"));
    let rest = &body[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The part of a page from `start` up to the end of the section it is in.
fn section<'a>(body: &'a str, start: &str) -> &'a str {
    part(body, start, "</section>")
}

/// The error summary at the top of a refused form.
fn error_summary(body: &str) -> String {
    html_decode(part(body, "id=\"error-summary\"", "</div>"))
}

async fn the_regiegroep_builds_a_survey_in_the_browser() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;

    // Only the regiegroep builds surveys.
    let im = app.login(IM_HORIZON).await;
    assert_eq!(
        im.get("/enquetes/nieuw").await.status,
        StatusCode::FORBIDDEN
    );
    let res = im
        .post_form("/enquetes", &[("template", "netwerkenquete-2020")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let res = rg.get("/enquetes/nieuw").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows(TEMPLATE_TITLE), "the template is offered");
    let res = rg
        .post_form(
            "/enquetes",
            &[
                ("template", "netwerkenquete-2020"),
                ("title", ""),
                ("introduction", ""),
                ("respondent", "institution"),
                ("opens_on", OPENS),
                ("closes_on", CLOSES),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let edit = res.location().to_string();
    let id: i64 = edit
        .strip_prefix("/enquetes/")
        .and_then(|r| r.strip_suffix("/bewerken"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("to the builder: {edit}"));
    let page = rg.get(&edit).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows(TEMPLATE_TITLE), "the template's title");
    assert!(page.body.contains("name=\"questions[7].kind\""));
    assert!(!page.body.contains("name=\"questions[8].kind\""));
    let before = survey_api(&rg, id).await;
    let ids = question_ids(&before);
    assert_eq!(ids.len(), 8, "the template's eight questions");

    // Adding shows an extra, empty question and saves nothing yet.
    let mut form = builder_form(&before);
    set(&mut form, "action", "add");
    let res = rg
        .post_form(&format!("/enquetes/{id}/bewerken"), &fields(&form))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("name=\"questions[8].kind\""));
    assert!(res.shows("Vraag 9"));
    assert_eq!(
        survey_api(&rg, id).await,
        before,
        "adding a question only shows it"
    );

    // Filled in and saved, it is the ninth question.
    let new_text = "Hoe tevreden ben je over het netwerk?";
    let mut form = builder_form(&before);
    for (k, v) in [
        ("questions[8].id", ""),
        ("questions[8].kind", "single"),
        ("questions[8].section", "Het netwerk"),
        ("questions[8].text", new_text),
        ("questions[8].help", ""),
        ("questions[8].options", "Tevreden\nNeutraal\nOntevreden"),
        ("questions[8].required", "1"),
        ("action", "save"),
    ] {
        set(&mut form, k, v);
    }
    let res = rg
        .post_form(&format!("/enquetes/{id}/bewerken"), &fields(&form))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        res.location()
            .starts_with(&format!("/enquetes/{id}/bewerken?opgeslagen=1")),
        "{}",
        res.location()
    );
    assert!(rg.get(res.location()).await.shows("Opgeslagen."));
    let added = survey_api(&rg, id).await;
    let q = &added["questions"];
    assert_eq!(q.as_array().unwrap().len(), 9);
    assert_eq!(q[8]["text"], new_text);
    assert_eq!(q[8]["kind"], "single");
    assert_eq!(
        q[8]["options"],
        json!(["Tevreden", "Neutraal", "Ontevreden"])
    );
    assert_eq!(q[8]["required"], json!(true));
    assert_eq!(
        &question_ids(&added)[..8],
        &ids[..],
        "the others keep their ids"
    );
    let new_id = q[8]["id"].as_i64().unwrap();

    // Moved up, it swaps places with the one above; both keep their ids.
    let mut form = builder_form(&added);
    set(&mut form, "action", "up:8");
    let res = rg
        .post_form(&format!("/enquetes/{id}/bewerken"), &fields(&form))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let moved = survey_api(&rg, id).await;
    let order = question_ids(&moved);
    assert_eq!(order[7], new_id);
    assert_eq!(order[8], ids[7]);
    assert_eq!(&order[..7], &ids[..7]);
    assert_eq!(moved["questions"][7]["text"], new_text);

    // Deleted, the first question is gone and the rest keep their ids and order.
    let mut form = builder_form(&moved);
    set(&mut form, "action", "delete:0");
    let res = rg
        .post_form(&format!("/enquetes/{id}/bewerken"), &fields(&form))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let deleted = survey_api(&rg, id).await;
    assert_eq!(question_ids(&deleted), order[1..].to_vec());

    // A single choice with one option is refused naming the question; nothing is saved and
    // what was typed is shown again.
    let mut form = builder_form(&deleted);
    set(&mut form, "title", "Een titel die niet bewaard wordt");
    set(&mut form, "questions[1].kind", "single");
    set(&mut form, "questions[1].options", "Alleen deze");
    set(&mut form, "action", "save");
    let res = rg
        .post_form(&format!("/enquetes/{id}/bewerken"), &fields(&form))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let summary = error_summary(&res.body);
    assert!(
        summary.contains("Vraag 2"),
        "the summary names the question: {summary}"
    );
    assert!(res.shows("Een titel die niet bewaard wordt"));
    assert!(res.body.contains(">Alleen deze</textarea>"));
    assert_eq!(survey_api(&rg, id).await, deleted, "nothing saved");

    // The preview shows the questions as a respondent sees them, without a way to submit.
    let res = rg.get(&format!("/enquetes/{id}/voorbeeld")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("Dit is een voorbeeld"));
    assert!(res.shows(new_text));
    assert!(!res.body.contains("value=\"indienen\""));

    // Opened, the questions are fixed: the builder no longer offers them.
    let res = rg.post_form(&format!("/enquetes/{id}/openen"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("/enquetes/{id}"));
    let page = rg.get(&edit).await;
    assert!(page.shows("de vragen liggen vast"));
    assert!(!page.body.contains("name=\"questions[0].kind\""));
    assert_eq!(survey_api(&rg, id).await["stage"], "open");
}

async fn the_respondent_page_saves_a_draft_as_you_type_and_submits() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, false).await;
    let link = link(&rg, id, "25LN").await;
    let im = app.login(IM_HORIZON).await;

    let page = im.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows(TEMPLATE_TITLE));
    assert!(page.shows("Voor Horizon College"));
    assert!(page.body.contains("data-autosave"));

    // Typing saves a draft.
    let speelt = "Wij bouwen aan flexibel onderwijs voor werkenden";
    let res = im
        .post_form(
            &link,
            &[(&format!("a{}", q[1]), speelt), ("action", "autosave")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["saved"], json!(true));
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "concept");
    let page = im.get(&link).await;
    assert!(page.shows(speelt), "the draft is there after a reload");

    // A required question left open: the page names it and keeps what was typed.
    let voorbeeld = "Ons dashboard studiesucces";
    let res = im
        .post_form(
            &link,
            &[
                (&format!("a{}", q[1]), speelt),
                (&format!("a{}", q[2]), voorbeeld),
                (&format!("a{}", q[7]), "Architectuur"),
                ("action", "indienen"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let summary = error_summary(&res.body);
    assert!(
        summary.contains("Vraag 1: Deze vraag is verplicht"),
        "{summary}"
    );
    assert!(
        summary.contains("Vraag 6: Deze vraag is verplicht"),
        "{summary}"
    );
    assert!(!summary.contains("Vraag 3"), "optional: {summary}");
    assert_eq!(
        res.text_of(&format!("a{}", q[2])).as_deref(),
        Some(voorbeeld),
        "typed text stays in the form"
    );
    assert!(res.body.contains("value=\"Architectuur\" checked"));
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "concept");

    // Complete, it is submitted and shown as given.
    let mut form = complete_answers(&q, speelt);
    form.push((format!("a{}", q[2]), voorbeeld.into()));
    form.push(("action".into(), "indienen".into()));
    let res = im.post_form(&link, &fields(&form)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.location().starts_with(&link), "{}", res.location());
    let page = im.get(res.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Ingediend"));
    assert!(page.shows(speelt));
    assert!(page.shows(voorbeeld));
    assert!(page.shows("Leven lang ontwikkelen (LLO); Leermiddelen"));
    assert!(page.shows("Architectuur; Projectportfolio"));
    assert!(
        !page.body.contains("value=\"indienen\""),
        "no form any more"
    );
    let inv = invitation(&rg, id, "25LN").await;
    assert_eq!(inv["status"], "ingediend");
    assert!(inv["submitted_at"].is_string());

    // A submitted response does not change.
    let res = im
        .post_form(
            &link,
            &[
                (&format!("a{}", q[1]), "Toch iets anders"),
                ("action", "opslaan"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.shows("Dit antwoord is al ingediend."));
    let response = im
        .get(&format!("/api/v1/surveys/{id}/response"))
        .await
        .json();
    assert_eq!(response["answers"][q[1].to_string()], speelt);
}

async fn a_submit_from_a_page_whose_session_expired_keeps_the_answers() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, false).await;
    let link = link(&rg, id, "25LN").await;
    let im = app.login(IM_HORIZON).await;
    assert_eq!(im.get(&link).await.status, StatusCode::OK);
    let typed = "Een lang verhaal dat niet verloren mag gaan";

    // The token in the form no longer matches the session.
    let res = im
        .post_raw(
            &link,
            &[
                ("csrf", "a-token-from-a-session-that-has-ended-0000"),
                (&format!("a{}", q[1]), typed),
                (&format!("a{}", q[7]), "Architectuur"),
                ("action", "indienen"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.shows("Je sessie was verlopen"));
    assert_eq!(
        res.text_of(&format!("a{}", q[1])).as_deref(),
        Some(typed),
        "the answers are shown again"
    );
    assert!(res.body.contains("value=\"Architectuur\" checked"));
    let fresh = im.csrf().await;
    assert!(
        res.body
            .contains(&format!("name=\"csrf\" value=\"{fresh}\"")),
        "the form carries a token that works"
    );

    // The session cookie itself is gone (logged out, or ended): the same.
    let ended = app.anonymous();
    ended.set_cookie("stip_session", "a-session-that-no-longer-exists");
    let res = ended
        .post_raw(
            &link,
            &[
                ("csrf", &fresh),
                (&format!("a{}", q[1]), typed),
                ("action", "opslaan"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.shows("Je sessie was verlopen"));
    assert!(res.shows(typed));

    // Autosave with a stale token says it did not save.
    let res = im
        .post_raw(
            &link,
            &[
                ("csrf", "a-token-from-a-session-that-has-ended-0000"),
                (&format!("a{}", q[1]), typed),
                ("action", "autosave"),
            ],
        )
        .await;
    assert_eq!(res.json()["saved"], json!(false), "{}", res.body);

    // Nothing was saved.
    let inv = invitation(&rg, id, "25LN").await;
    assert_eq!(inv["status"], "open");
    assert_eq!(inv["saved_at"], Value::Null);

    // Sent again from the page shown, it is saved.
    let res = im
        .post_form(
            &link,
            &[(&format!("a{}", q[1]), typed), ("action", "opslaan")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.shows("Je concept is opgeslagen."));
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "concept");
}

async fn anonymous_answers_keep_no_link_to_the_institution_in_the_database() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, true).await;
    let horizon_text = "Horizon-antwoord: LLO staat bovenaan";
    let davinci_text = "DaVinci-antwoord: leermiddelen eerst";

    // Horizon through the page: a draft first, then submitted.
    let horizon_link = link(&rg, id, "25LN").await;
    let im = app.login(IM_HORIZON).await;
    let page = im.get(&horizon_link).await;
    assert!(page.shows("Deze enquête is anoniem"));
    let res = im
        .post_form(
            &horizon_link,
            &[
                (&format!("a{}", q[1]), horizon_text),
                ("action", "autosave"),
            ],
        )
        .await;
    assert_eq!(res.json()["saved"], json!(true), "{}", res.body);
    let mut form = complete_answers(&q, horizon_text);
    form.push(("action".into(), "indienen".into()));
    let res = im.post_form(&horizon_link, &fields(&form)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = im.get(&horizon_link).await;
    assert!(page.shows("Je antwoorden zijn anoniem bewaard"));
    assert!(!page.shows(horizon_text), "not shown back: {}", page.body);
    let own = im
        .get(&format!("/api/v1/surveys/{id}/response"))
        .await
        .json();
    assert_eq!(own["status"], "ingediend");
    assert_eq!(own["answers"], json!({}));

    // DaVinci through the API: a draft, then submitted.
    let dv = app.login(IM_DAVINCI).await;
    let res = dv
        .api(
            Method::PUT,
            &format!("/api/v1/surveys/{id}/response"),
            Some(json!({"answers": {
                q[0].to_string(): ["leermiddelen"],
                q[1].to_string(): davinci_text,
                q[5].to_string(): "Een kleine rol",
            }})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = dv
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{id}/response/submit"),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // In the database: the answers without institution, time or person …
    let backup = app.store().backup().await.unwrap();
    let tables = backup["tables"].as_object().unwrap();
    let anonymous = tables["survey_anonymous_responses"].as_array().unwrap();
    assert_eq!(anonymous.len(), 2);
    for row in anonymous {
        let mut columns: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        columns.sort();
        assert_eq!(columns, ["answers", "id", "survey_id"], "{row}");
        assert_eq!(row["survey_id"], json!(id));
        let rid = row["id"].as_str().unwrap();
        assert!(
            rid.len() >= 32 && rid.chars().all(|c| c.is_ascii_hexdigit()),
            "a random id: {rid}"
        );
    }
    let stored: String = anonymous
        .iter()
        .map(|r| r["answers"].as_str().unwrap())
        .collect();
    assert!(stored.contains(horizon_text) && stored.contains(davinci_text));
    // … the invitations only that they were submitted …
    let invitations: Vec<&Value> = tables["survey_invitations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["survey_id"] == json!(id) && i["status"] == "ingediend")
        .collect();
    assert_eq!(invitations.len(), 2);
    for i in invitations {
        for column in ["answers", "saved_at", "saved_by", "submitted_at"] {
            assert_eq!(i[column], Value::Null, "{column} of {i}");
        }
    }
    // … and the answers nowhere else.
    for (name, rows) in tables {
        if name == "survey_anonymous_responses" {
            continue;
        }
        let text = rows.to_string();
        assert!(
            !text.contains("Horizon-antwoord") && !text.contains("DaVinci-antwoord"),
            "answers found in {name}"
        );
    }

    // Two are too few to show anything: results of an anonymous survey show from the
    // threshold on (three here), so a third institution answers too.
    let results = rg
        .get(&format!("/api/v1/surveys/{id}/results"))
        .await
        .json();
    assert_eq!(results["responses"], json!(0));
    let set = app
        .session(Role::Beheerder)
        .await
        .api(
            Method::PUT,
            "/api/v1/positioning/settings",
            Some(json!({"threshold": 3, "aspects": [
                {"code": "mandaat", "name": "Mandaat", "low": "beperkt", "high": "ruim"}]})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let all = rg
        .get(&format!("/api/v1/surveys/{id}/invitations"))
        .await
        .json();
    let brin = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["institution"].as_str().unwrap().to_string())
        .find(|b| b != "25LN" && b != "25LK")
        .unwrap();
    let third = app.institution(&brin, "").await;
    let third = app.session_at(Role::Informatiemanager, Some(third)).await;
    let res = third
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{id}/response/submit"),
            Some(json!({"answers": {
                q[0].to_string(): ["llo"],
                q[1].to_string(): "Het derde antwoord",
                q[5].to_string(): "Geen rol",
            }})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // The results count all three, without institutions, and say why.
    let results = rg
        .get(&format!("/api/v1/surveys/{id}/results"))
        .await
        .json();
    assert_eq!(results["responses"], json!(3));
    assert_eq!(results["anonymous"], json!(true));
    let open = results["questions"][1]["answers"].as_array().unwrap();
    assert_eq!(open.len(), 3);
    for a in open {
        assert_eq!(a["institution"], Value::Null, "{a}");
    }
    let page = rg.get(&format!("/enquetes/{id}/resultaten")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Deze enquête is anoniem"));
    assert!(page.shows(horizon_text) && page.shows(davinci_text));
    assert!(
        !page.body.contains("<p class=\"who\">"),
        "no institution by an answer"
    );
    assert!(!page.shows("— Horizon College") && !page.shows("— DaVinci College"));
    assert!(!page.body.contains("name=\"regio\""), "no region filter");
    let csv = rg
        .get(&format!("/api/v1/surveys/{id}/export?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(!csv.body.contains("Horizon College") && !csv.body.contains("DaVinci College"));
}

async fn the_informatiemanager_finds_the_open_survey_on_the_home_page() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let waiting = "Enquêtes die op je antwoord wachten";
    let (id, q) = from_template(&rg, false).await;
    // One that is opened but starts later is not waiting yet.
    let (later, _) = from_template_on(&rg, false, "2099-01-01").await;
    let res = rg
        .api(Method::POST, &format!("/api/v1/surveys/{later}/open"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let im = app.login(IM_HORIZON).await;
    assert!(
        !im.get("/").await.shows(waiting),
        "a concept waits for no one"
    );

    let res = rg
        .api(Method::POST, &format!("/api/v1/surveys/{id}/open"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let horizon = link(&rg, id, "25LN").await;
    let davinci = link(&rg, id, "25LK").await;
    let later_link = link(&rg, later, "25LN").await;

    let home = im.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let shown = section(&home.body, "id=\"surveys-title\"");
    assert!(html_decode(shown).contains(waiting));
    assert!(shown.contains(&format!("href=\"{horizon}\"")), "{shown}");
    assert!(html_decode(shown).contains(TEMPLATE_TITLE));
    assert!(
        !home.body.contains(&davinci),
        "not another institution's link"
    );
    assert!(
        !home.body.contains(&later_link),
        "not one that starts later"
    );
    let list = im.get("/enquetes").await;
    assert!(list.body.contains(&format!("href=\"{horizon}\"")));

    let dv = app.login(IM_DAVINCI).await;
    let home = dv.get("/").await;
    assert!(home.shows(waiting));
    assert!(home.body.contains(&format!("href=\"{davinci}\"")));

    for who in [LEZER, REGIEGROEP, BEHEERDER] {
        let s = app.login(who).await;
        let home = s.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(!home.shows(waiting), "{who} answers no survey");
    }

    // Submitted, it waits no longer; DaVinci's still does.
    submit_by_api(
        &im,
        id,
        json!({
            q[0].to_string(): ["llo"],
            q[1].to_string(): "Veel",
            q[5].to_string(): "Een verbindende rol",
        }),
    )
    .await;
    let home = im.get("/").await;
    assert!(!home.shows(waiting), "{}", home.body);
    assert!(!home.body.contains(&horizon));
    assert!(dv.get("/").await.shows(waiting));
}

async fn the_results_page_counts_charts_ranks_filters_and_prints_as_appendix() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, false).await;
    let horizon_text = "Horizon: leven lang ontwikkelen staat bovenaan";
    let davinci_text = "DaVinci: eerst de leermiddelen op orde";
    let im = app.login(IM_HORIZON).await;
    submit_by_api(
        &im,
        id,
        json!({
            q[0].to_string(): ["llo", "leermiddelen"],
            q[1].to_string(): horizon_text,
            q[4].to_string(): "Ja",
            q[5].to_string(): "Een verbindende rol",
            q[6].to_string(): 4,
            q[7].to_string(): ["Architectuur"],
        }),
    )
    .await;
    let dv = app.login(IM_DAVINCI).await;
    submit_by_api(
        &dv,
        id,
        json!({
            q[0].to_string(): ["leermiddelen"],
            q[1].to_string(): davinci_text,
            q[4].to_string(): "Nee",
            q[5].to_string(): "Een kleine rol",
            q[6].to_string(): 2,
            q[7].to_string(): ["Architectuur", "Projectportfolio"],
        }),
    )
    .await;

    // While the survey runs the results are the regiegroep's.
    for s in [&im, &app.login(LEZER).await] {
        for page in ["resultaten", "bijlage"] {
            let res = s.get(&format!("/enquetes/{id}/{page}")).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{page}");
            assert!(!res.shows(horizon_text));
        }
    }

    let res = rg.get(&format!("/enquetes/{id}/resultaten")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("2 ingediende antwoorden"));
    // Counts as a chart with a title, and as a table.
    assert!(res.body.contains(&format!(
        "<title id=\"q{}-title\">Wil je dit voorbeeld zelf presenteren als casus op een netwerkbijeenkomst?</title>",
        q[4]
    )));
    assert!(res.body.contains("<table class=\"numbers counts\">"));
    assert!(
        res.body
            .contains("<th scope=\"row\">Ja</th><td class=\"num\">1</td>")
    );
    assert!(
        res.body
            .contains("<th scope=\"row\">Architectuur</th><td class=\"num\">2</td>")
    );
    assert!(res.shows("gemiddeld 3,0"), "the scale's mean");
    // Every open answer with its institution.
    assert!(res.shows(horizon_text) && res.shows(davinci_text));
    assert!(res.shows("— Horizon College") && res.shows("— DaVinci College"));
    // The themes ranked across institutions: leermiddelen is chosen by both.
    assert!(res.body.contains("<table class=\"numbers ranking\">"));
    assert!(
        res.body
            .contains("<td class=\"num\">1</td><th scope=\"row\">Leermiddelen</th>"),
        "{}",
        section(&res.body, "numbers ranking")
    );
    assert!(
        html_decode(&res.body).contains(
            "<td class=\"num\">2</td><th scope=\"row\">Leven lang ontwikkelen (LLO)</th>"
        )
    );
    // Export links.
    let xlsx = format!("/api/v1/surveys/{id}/export?format=xlsx");
    let csv = format!("/api/v1/surveys/{id}/export?format=csv");
    assert!(res.body.contains(&format!("href=\"{xlsx}\"")));
    assert!(res.body.contains(&format!("href=\"{csv}\"")));
    let file = rg.get(&csv).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.header("content-type").starts_with("text/csv"));
    assert!(file.body.contains(horizon_text) && file.body.contains(davinci_text));
    // The regions respondents come from, to filter on.
    assert!(res.body.contains("name=\"regio\""));
    assert!(res.body.contains("<option value=\"Noord-Holland\""));
    assert!(res.body.contains("<option value=\"Zuid-Holland\""));

    let res = rg
        .get(&format!("/enquetes/{id}/resultaten?regio=Noord-Holland"))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows("1 ingediend antwoord"));
    assert!(res.shows("regio Noord-Holland"));
    assert!(res.shows(horizon_text));
    assert!(!res.shows(davinci_text), "DaVinci is in Zuid-Holland");
    assert!(
        res.body
            .contains("<option value=\"Noord-Holland\" selected")
    );
    assert!(html_decode(&res.body).contains(&format!("{csv}&region=Noord-Holland")));

    // The appendix: the same results, to print.
    let res = rg.get(&format!("/enquetes/{id}/bijlage")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.shows(&format!("Bijlage: {TEMPLATE_TITLE}")));
    assert!(res.shows("2 ingediende antwoorden"));
    assert!(res.shows(horizon_text) && res.shows(davinci_text));
    assert!(res.shows("— DaVinci College"));
    assert!(
        res.body
            .contains("<th scope=\"row\">Ja</th><td class=\"num\">1</td>")
    );
    assert!(
        res.body
            .contains("<td class=\"num\">1</td><th scope=\"row\">Leermiddelen</th>")
    );
    assert!(!res.body.contains("name=\"regio\""), "no tools in print");
    let res = rg
        .get(&format!("/enquetes/{id}/bijlage?regio=Zuid-Holland"))
        .await;
    assert!(res.shows("1 ingediend antwoord"));
    assert!(res.shows(davinci_text) && !res.shows(horizon_text));
}

async fn the_overview_lists_who_has_not_responded_and_renews_and_reopens() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, false).await;
    let im = app.login(IM_HORIZON).await;
    let speelt = "Wij werken aan een leven lang ontwikkelen";
    let horizon_link = link(&rg, id, "25LN").await;
    let mut form = complete_answers(&q, speelt);
    form.push(("action".into(), "indienen".into()));
    let res = im.post_form(&horizon_link, &fields(&form)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let page = rg.get(&format!("/enquetes/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("1 van 7 ingediend"), "{}", page.body);
    let waiting = html_decode(section(&page.body, "id=\"waiting-title\""));
    assert!(waiting.contains("Nog niet ingediend"));
    assert!(waiting.contains("DaVinci College"));
    assert!(waiting.contains("Graafschap College"));
    assert!(
        !waiting.contains("Horizon College"),
        "Horizon has submitted"
    );
    let reminder = page.text_of("reminder").expect("a reminder to copy");
    assert!(reminder.contains(TEMPLATE_TITLE), "{reminder}");
    assert!(reminder.contains("31 december 2099"), "{reminder}");

    // A new link: the old one stops working at once.
    let davinci = invitation(&rg, id, "25LK").await;
    let old = davinci["link"].as_str().unwrap().to_string();
    let dv = app.login(IM_DAVINCI).await;
    assert_eq!(dv.get(&old).await.status, StatusCode::OK);
    let renew = format!("/enquetes/{id}/uitnodigingen/{}/nieuwe-link", davinci["id"]);
    assert!(page.body.contains(&format!("action=\"{renew}\"")));
    let res = im.post_form(&renew, &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "only the regiegroep");
    assert_eq!(link(&rg, id, "25LK").await, old);
    let res = rg.post_form(&renew, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        rg.get(res.location())
            .await
            .shows("de oude werkt niet meer")
    );
    let new = link(&rg, id, "25LK").await;
    assert_ne!(new, old);
    assert_eq!(dv.get(&old).await.status, StatusCode::NOT_FOUND);
    assert_eq!(dv.get(&new).await.status, StatusCode::OK);

    // Reopened on request: Horizon's response is a draft again, with its answers.
    let horizon = invitation(&rg, id, "25LN").await;
    let reopen = format!("/enquetes/{id}/uitnodigingen/{}/heropenen", horizon["id"]);
    assert!(page.body.contains(&format!("action=\"{reopen}\"")));
    assert!(
        !page
            .body
            .contains(&format!("/uitnodigingen/{}/heropenen", davinci["id"])),
        "nothing to reopen for DaVinci"
    );
    let res = rg.post_form(&reopen, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        rg.get(res.location())
            .await
            .shows("Het antwoord is heropend")
    );
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "concept");
    let page = im.get(&horizon_link).await;
    assert!(page.body.contains("value=\"indienen\""), "the form is back");
    assert_eq!(page.text_of(&format!("a{}", q[1])).as_deref(), Some(speelt));
    let res = im.post_form(&horizon_link, &fields(&form)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "submitted again");
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "ingediend");
}

async fn a_link_that_does_not_exist_is_not_found_and_reveals_nothing() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, _) = opened(&rg, false).await;
    let real = link(&rg, id, "25LN").await;
    let token = real.strip_prefix("/enquete/").unwrap();
    assert!(token.len() >= 20, "a long token: {token}");
    let mut altered = token.to_string();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });

    let im = app.login(IM_HORIZON).await;
    let anonymous = app.anonymous();
    for s in [&im, &anonymous] {
        for path in [
            "/enquete/x".to_string(),
            format!("/enquete/{}", &token[..8]),
            "/enquete/0123456789abcdef0123456789abcdef0123".to_string(),
            format!("/enquete/{altered}"),
        ] {
            let res = s.get(&path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!res.shows(TEMPLATE_TITLE), "{path}: {}", res.body);
            assert!(!res.shows("Horizon College"), "{path}");
            assert!(!res.body.contains(token), "{path}");
        }
    }
    let res = im
        .post_form(
            &format!("/enquete/{altered}"),
            &[("a1", "iets"), ("action", "indienen")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "open");
    assert_eq!(im.get(&real).await.status, StatusCode::OK);
}

async fn only_the_institutions_own_people_answer_by_its_link() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, false).await;
    let horizon = link(&rg, id, "25LN").await;
    let im = app.login(IM_HORIZON).await;
    let draft = "Horizons eigen concept, nog niet af";
    let res = im
        .post_form(
            &horizon,
            &[(&format!("a{}", q[1]), draft), ("action", "opslaan")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // Someone logged in who is not one of Horizon's informatiemanagers, holding its link
    // (forwarded, or copied from a screen), neither sees nor changes Horizon's response.
    for who in [IM_DAVINCI, LEZER] {
        let s = app.login(who).await;
        let res = s.get(&horizon).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&res.status),
            "{who} opens Horizon's link: {}",
            res.status
        );
        assert!(!res.shows(draft), "{who} sees Horizon's draft");
        let res = s
            .post_form(
                &horizon,
                &[
                    (&format!("a{}", q[1]), "Geschreven door een ander"),
                    ("action", "opslaan"),
                ],
            )
            .await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&res.status),
            "{who} saves Horizon's response: {}",
            res.status
        );
    }
    let own = im
        .get(&format!("/api/v1/surveys/{id}/response"))
        .await
        .json();
    assert_eq!(own["answers"][q[1].to_string()], draft, "{own}");
}

async fn a_theme_given_the_same_place_twice_is_named_not_guessed() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let (id, q) = opened(&rg, false).await;
    let link = link(&rg, id, "25LN").await;
    let im = app.login(IM_HORIZON).await;
    // Two themes both on place 1: which one is the most important is not said.
    let res = im
        .post_form(
            &link,
            &[
                (&format!("a{}_llo", q[0]), "1"),
                (&format!("a{}_leermiddelen", q[0]), "1"),
                (&format!("a{}_innovatie", q[0]), "3"),
                ("action", "opslaan"),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "two themes on place 1 are accepted"
    );
    assert!(error_summary(&res.body).contains("Vraag 1"));
    // The form comes back exactly as filled in: nothing renumbered (llo and leermiddelen both
    // on 1, innovatie on 3), so the respondent sees what to change.
    for (theme, place) in [("llo", "1"), ("leermiddelen", "1"), ("innovatie", "3")] {
        let select = format!("name=\"a{}_{theme}\"", q[0]);
        let at = res.body.find(&select).unwrap_or_else(|| panic!("{select}"));
        let rest = &res.body[at..];
        let rest = &rest[..rest.find("</select>").unwrap()];
        assert!(
            rest.contains(&format!("<option value=\"{place}\" selected>")),
            "{theme} keeps place {place}: {rest}"
        );
    }
    let own = im
        .get(&format!("/api/v1/surveys/{id}/response"))
        .await
        .json();
    assert_eq!(
        own["answers"].get(q[0].to_string()),
        None,
        "no order made up: {own}"
    );
}

async fn reopening_what_cannot_be_reopened_does_not_say_it_was() {
    let app = TestApp::demo().await;
    let rg = app.login(REGIEGROEP).await;
    let reopened = "Het antwoord is heropend";

    // An anonymous survey's submitted response: its answers no longer know whose they are.
    let (id, q) = opened(&rg, true).await;
    let im = app.login(IM_HORIZON).await;
    let mut form = complete_answers(&q, "Anoniem ingediend");
    form.push(("action".into(), "indienen".into()));
    let res = im
        .post_form(&link(&rg, id, "25LN").await, &fields(&form))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let horizon = invitation(&rg, id, "25LN").await;
    let res = rg
        .post_form(
            &format!("/enquetes/{id}/uitnodigingen/{}/heropenen", horizon["id"]),
            &[],
        )
        .await;
    let shown = if res.status == StatusCode::SEE_OTHER {
        rg.get(res.location()).await
    } else {
        res
    };
    assert!(
        !shown.shows(reopened),
        "an anonymous response is said to be reopened"
    );
    // While open, an anonymous survey does not say per institution who submitted.
    assert_eq!(invitation(&rg, id, "25LN").await["status"], "verborgen");

    // A response that was never submitted.
    let (id, _) = opened(&rg, false).await;
    let davinci = invitation(&rg, id, "25LK").await;
    let res = rg
        .post_form(
            &format!("/enquetes/{id}/uitnodigingen/{}/heropenen", davinci["id"]),
            &[],
        )
        .await;
    let shown = if res.status == StatusCode::SEE_OTHER {
        rg.get(res.location()).await
    } else {
        res
    };
    assert!(
        !shown.shows(reopened),
        "an unsubmitted response is said to be reopened"
    );
    assert_eq!(invitation(&rg, id, "25LK").await["status"], "open");
}
