//! Surveys (issue 13) through the API: building one (from the seed's template or from scratch),
//! opening it and its invitations, each question kind's answer checks, drafts and submits (one
//! response per institution, also when two submit at once), closing dates, results, reopening,
//! renewed links, anonymity, exports and the OpenAPI document.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use stip_core::user::Role;

on_both!(
    a_survey_from_the_seed_template_has_its_questions_and_only_the_regiegroep_builds_one,
    a_concept_is_the_regiegroeps_alone_and_its_questions_are_fixed_once_opened,
    opening_invites_every_institution_or_every_informatiemanager,
    each_question_kind_refuses_what_does_not_fit_naming_the_answer_and_a_draft_reads_back,
    submitting_needs_every_required_answer_and_a_submitted_response_is_fixed,
    two_informatiemanagers_submitting_at_once_make_one_response,
    answers_are_taken_only_from_the_opening_to_the_closing_date,
    results_count_choices_average_the_scale_rank_themes_and_filter_by_region,
    results_are_the_regiegroeps_while_open_and_everyones_once_closed,
    the_regiegroep_reopens_a_submitted_response_but_not_an_anonymous_one,
    anonymous_answers_keep_no_link_to_the_institution,
    an_anonymous_survey_does_not_ask_for_the_institutions_own_projects,
    a_renewed_link_replaces_the_old_one,
    the_responses_export_as_csv_and_xlsx_one_row_each,
    the_survey_api_is_in_the_openapi_document,
    results_follow_every_submit_and_reopen_on_every_instance,
    an_anonymous_survey_shows_its_results_only_per_threshold_of_new_responses,
    an_anonymous_survey_follows_the_positioning_threshold_also_at_close,
    anonymous_submits_at_once_publish_only_whole_steps in "multi_thread",
);

const TEMPLATE: &str = "netwerkenquete-2020";

/// Today as surveys open and close by it (in the Netherlands).
fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// The ISO date `offset` days from today.
fn day(offset: i64) -> String {
    (today() + chrono::Duration::days(offset)).to_string()
}

/// `{"answers": {id: value, …}}`.
fn answers(pairs: &[(i64, Value)]) -> Value {
    let map: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(id, v)| (id.to_string(), v.clone()))
        .collect();
    json!({ "answers": map })
}

/// The refusals of a 422 as (field, code).
fn errors(res: &TestResponse) -> Vec<(String, String)> {
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "expected a refusal: {}",
        res.body
    );
    res.json()["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors in {}", res.body))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(field: String, code: &str) -> (String, String) {
    (field, code.to_string())
}

fn question_ids(survey: &Value) -> Vec<i64> {
    survey["questions"]
        .as_array()
        .unwrap_or_else(|| panic!("questions in {survey}"))
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

/// A survey the regiegroep creates from `body`.
async fn create(regie: &Session, body: Value) -> Value {
    let res = regie
        .api(Method::POST, "/api/v1/surveys", Some(body.clone()))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{body}: {}", res.body);
    res.json()
}

/// Opens a survey; gives the answer of `open`.
async fn open(regie: &Session, id: i64) -> Value {
    let res = regie
        .api(Method::POST, &format!("/api/v1/surveys/{id}/open"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// A survey made from `body` and opened: its id and its question ids in order.
async fn opened(regie: &Session, body: Value) -> (i64, Vec<i64>) {
    let s = create(regie, body).await;
    let id = s["id"].as_i64().unwrap();
    open(regie, id).await;
    (id, question_ids(&s))
}

/// The seed's survey, opened today (it closes in four weeks). Its questions, in order: themes
/// (required), open (required), open, projects, single (Ja/Misschien/Nee), open (required),
/// scale, multiple.
async fn opened_template(regie: &Session) -> (i64, Vec<i64>) {
    opened(regie, json!({ "template": TEMPLATE })).await
}

/// A survey of one required open question and one single choice, with these dates.
fn short_survey(title: &str, opens_on: &str, closes_on: &str, anonymous: bool) -> Value {
    json!({
        "title": title,
        "anonymous": anonymous,
        "respondent": "institution",
        "opens_on": opens_on,
        "closes_on": closes_on,
        "questions": [
            {"kind": "open", "text": "Wat speelt er?", "required": true},
            {"kind": "single", "text": "Doe je mee?", "options": ["Ja", "Nee"]},
        ],
    })
}

/// Complete answers to the seed's survey, as an informatiemanager of Horizon College gives them.
fn template_answers(q: &[i64], open_text: &str) -> Value {
    answers(&[
        (q[0], json!(["innovatie", "llo"])),
        (q[1], json!(open_text)),
        (q[5], json!("Informatiemanagement zit aan tafel.")),
        (q[6], json!(4)),
    ])
}

async fn invitations(regie: &Session, id: i64) -> Vec<Value> {
    let res = regie
        .get(&format!("/api/v1/surveys/{id}/invitations"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
        .as_array()
        .unwrap_or_else(|| panic!("a list of invitations: {}", res.body))
        .clone()
}

/// The invitation of the institution with this BRIN code.
async fn invitation_of(regie: &Session, id: i64, brin: &str) -> Value {
    invitations(regie, id)
        .await
        .into_iter()
        .find(|i| i["institution"] == brin)
        .unwrap_or_else(|| panic!("an invitation for {brin}"))
}

async fn submit(s: &Session, id: i64, body: Option<Value>) -> TestResponse {
    s.api(
        Method::POST,
        &format!("/api/v1/surveys/{id}/response/submit"),
        body,
    )
    .await
}

async fn save(s: &Session, id: i64, body: Value) -> TestResponse {
    s.api(
        Method::PUT,
        &format!("/api/v1/surveys/{id}/response"),
        Some(body),
    )
    .await
}

async fn response(s: &Session, id: i64) -> Value {
    let res = s.get(&format!("/api/v1/surveys/{id}/response")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

async fn results(s: &Session, id: i64, query: &str) -> Value {
    let res = s.get(&format!("/api/v1/surveys/{id}/results{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// Changes a survey's dates, as the regiegroep does to close it early or move it.
async fn set_dates(regie: &Session, id: i64, opens_on: &str, closes_on: &str) -> Value {
    let s = regie.get(&format!("/api/v1/surveys/{id}")).await.json();
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/surveys/{id}"),
            Some(json!({
                "version": s["version"],
                "title": s["title"],
                "introduction": s["introduction"],
                "anonymous": s["anonymous"],
                "respondent": s["respondent"],
                "opens_on": opens_on,
                "closes_on": closes_on,
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// An informatiemanager of another institution than Horizon College, made for the test.
async fn im_of(app: &TestApp, brin: &str, name: &str) -> Session {
    let id = app.institution(brin, name).await;
    app.session_at(Role::Informatiemanager, Some(id)).await
}

async fn a_survey_from_the_seed_template_has_its_questions_and_only_the_regiegroep_builds_one() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let s = create(&regie, json!({ "template": TEMPLATE })).await;
    assert_eq!(
        s["title"],
        "Netwerkenquête strategische agenda digitalisering"
    );
    assert!(
        s["introduction"]
            .as_str()
            .unwrap()
            .contains("strategische agenda digitalisering mbo"),
        "{s}"
    );
    assert_eq!(s["stage"], "concept");
    assert_eq!(s["opened_at"], Value::Null);
    assert_eq!(s["anonymous"], false);
    assert_eq!(s["respondent"], "institution");
    assert_eq!(s["opens_on"], day(0), "opens today unless told");
    assert_eq!(s["closes_on"], day(28), "and closes four weeks later");
    let questions = s["questions"].as_array().unwrap();
    let kinds: Vec<&str> = questions
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "themes", "open", "open", "projects", "single", "open", "scale", "multiple"
        ]
    );
    let required: Vec<bool> = questions
        .iter()
        .map(|q| q["required"].as_bool().unwrap())
        .collect();
    assert_eq!(
        required,
        [true, true, false, false, false, true, false, false]
    );
    assert_eq!(questions[0]["section"], "Wat speelt er in jouw instelling");
    assert!(
        questions[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("Wat speelt er binnen jouw instelling"),
        "{}",
        questions[1]
    );
    assert_eq!(questions[4]["options"], json!(["Ja", "Misschien", "Nee"]));
    assert_eq!(
        questions[6]["options"],
        json!(["Geen invloed", "Beslissende invloed"])
    );
    assert_eq!(questions[7]["options"].as_array().unwrap().len(), 5);
    assert_eq!(
        questions[0]["options"],
        json!([]),
        "themes come from the agenda"
    );
    let ids = question_ids(&s);
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        8,
        "every question has an id of its own: {ids:?}"
    );
    assert!(ids.iter().all(|id| *id > 0));

    // It reads back the same, and the regiegroep's list has it.
    let id = s["id"].as_i64().unwrap();
    let back = regie.get(&format!("/api/v1/surveys/{id}")).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(question_ids(&back.json()), ids);
    let list = regie.get("/api/v1/surveys").await.json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id),
        "{list}"
    );

    // A template with a title of one's own.
    let own = create(
        &regie,
        json!({"template": TEMPLATE, "title": "Netwerkenquête voorjaar", "opens_on": day(3), "closes_on": day(10)}),
    )
    .await;
    assert_eq!(own["title"], "Netwerkenquête voorjaar");
    assert_eq!(own["opens_on"], day(3));
    assert_eq!(own["closes_on"], day(10));
    assert_eq!(own["questions"].as_array().unwrap().len(), 8);

    // The beheerder may too; an informatiemanager and a reader may not; nobody anonymously.
    let beheerder = app.session(Role::Beheerder).await;
    let res = beheerder
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({"template": TEMPLATE})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    for role in [Role::Informatiemanager, Role::Lezer] {
        let res = app
            .session(role)
            .await
            .api(
                Method::POST,
                "/api/v1/surveys",
                Some(json!({"template": TEMPLATE})),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{role:?}: {}", res.body);
    }
    let res = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({"template": TEMPLATE})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    // Refusals name the field.
    let res = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({"template": "enquete-1999"})),
        )
        .await;
    let e = errors(&res);
    assert!(
        e.contains(&pair("template".into(), "invalid_choice")),
        "{e:?}"
    );
    let res = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({
                "title": " ",
                "anonymous": false,
                "respondent": "institution",
                "questions": [
                    {"kind": "open", "text": "Wat speelt er?"},
                    {"kind": "single", "text": "Kies", "options": ["Ja"]},
                    {"kind": "poll", "text": "Stem"},
                ],
            })),
        )
        .await;
    let e = errors(&res);
    assert!(e.contains(&pair("title".into(), "required")), "{e:?}");
    assert!(
        e.contains(&pair("questions[1].options".into(), "too_short")),
        "{e:?}"
    );
    assert!(
        e.contains(&pair("questions[2].kind".into(), "invalid_choice")),
        "{e:?}"
    );
    assert!(
        !e.iter().any(|(f, _)| f.starts_with("questions[0]")),
        "{e:?}"
    );
    let res = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(short_survey("Achterstevoren", &day(5), &day(1), false)),
        )
        .await;
    assert_eq!(errors(&res), [pair("closes_on".into(), "end_before_start")]);
}

async fn a_concept_is_the_regiegroeps_alone_and_its_questions_are_fixed_once_opened() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let im = app.session(Role::Informatiemanager).await;
    let lezer = app.session(Role::Lezer).await;
    let s = create(&regie, short_survey("Peiling", &day(0), &day(14), false)).await;
    let id = s["id"].as_i64().unwrap();
    let path = format!("/api/v1/surveys/{id}");
    let q = question_ids(&s);

    // A concept is not there for others.
    for other in [&im, &lezer] {
        assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
        let list = other.get("/api/v1/surveys").await.json();
        assert!(
            !list["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == id),
            "{list}"
        );
    }
    assert_eq!(
        im.get(&format!("{path}/response")).await.status,
        StatusCode::NOT_FOUND
    );

    // Reordered, changed and added while a concept: a question with an id keeps it.
    let res = regie
        .api(
            Method::PUT,
            &path,
            Some(json!({
                "version": s["version"],
                "title": "Peiling voorjaar",
                "opens_on": day(0),
                "closes_on": day(14),
                "questions": [
                    {"id": q[1], "kind": "single", "text": "Doe je mee?", "options": ["Ja", "Nee", "Weet niet"]},
                    {"id": q[0], "kind": "open", "text": "Wat speelt er?", "required": true},
                    {"kind": "scale", "text": "Hoe druk is het?"},
                ],
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let changed = res.json();
    assert_eq!(changed["title"], "Peiling voorjaar");
    assert_eq!(
        changed["version"].as_i64().unwrap(),
        s["version"].as_i64().unwrap() + 1
    );
    let now = question_ids(&changed);
    assert_eq!(now.len(), 3);
    assert_eq!(&now[..2], &[q[1], q[0]]);
    assert_eq!(
        changed["questions"][0]["options"],
        json!(["Ja", "Nee", "Weet niet"])
    );
    assert_eq!(changed["questions"][2]["kind"], "scale");

    // A save from the old version is a conflict.
    let stale = regie
        .api(
            Method::PUT,
            &path,
            Some(json!({"version": s["version"], "title": "Oud", "opens_on": day(0), "closes_on": day(14)})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(
        regie.get(&path).await.json()["title"],
        "Peiling voorjaar",
        "the stale save changed nothing"
    );

    // A survey without questions cannot be opened.
    let empty = create(
        &regie,
        json!({"title": "Leeg", "anonymous": false, "respondent": "institution", "questions": []}),
    )
    .await;
    let res = regie
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{}/open", empty["id"]),
            None,
        )
        .await;
    assert_eq!(errors(&res), [pair("questions".into(), "required")]);

    // Only the regiegroep opens it, once.
    let res = im.api(Method::POST, &format!("{path}/open"), None).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let opened = open(&regie, id).await;
    assert_eq!(opened["survey"]["stage"], "open");
    assert!(opened["survey"]["opened_at"].is_string());
    let again = regie.api(Method::POST, &format!("{path}/open"), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // Now everyone logged in sees it.
    let seen = im.get(&path).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(question_ids(&seen.json()), now);
    assert_eq!(lezer.get(&path).await.status, StatusCode::OK);
    let list = im.get("/api/v1/surveys").await.json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id),
        "{list}"
    );
    assert_eq!(
        app.anonymous().get(&path).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.anonymous().get("/api/v1/surveys").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Its questions are fixed; its dates are not.
    let version = opened["survey"]["version"].clone();
    let res = regie
        .api(
            Method::PUT,
            &path,
            Some(json!({
                "version": version,
                "title": "Peiling voorjaar",
                "opens_on": day(0),
                "closes_on": day(14),
                "questions": [{"kind": "open", "text": "Iets anders"}],
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let res = regie
        .api(
            Method::PUT,
            &path,
            Some(json!({
                "version": version,
                "title": "Peiling voorjaar",
                "opens_on": day(0),
                "closes_on": day(21),
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["closes_on"], day(21));
    assert_eq!(question_ids(&res.json()), now);

    // Deleting is the regiegroep's too.
    let res = im.api(Method::DELETE, &path, None).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = regie.api(Method::DELETE, &path, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    assert_eq!(regie.get(&path).await.status, StatusCode::NOT_FOUND);
}

async fn opening_invites_every_institution_or_every_informatiemanager() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let s = create(&regie, json!({ "template": TEMPLATE })).await;
    let id = s["id"].as_i64().unwrap();
    let opened = open(&regie, id).await;
    assert_eq!(opened["invitations"], 7, "the seven demo institutions");
    let list = invitations(&regie, id).await;
    assert_eq!(list.len(), 7);
    let mut brins: Vec<&str> = list
        .iter()
        .map(|i| i["institution"].as_str().unwrap())
        .collect();
    brins.sort();
    assert_eq!(
        brins,
        ["25LJ", "25LK", "25LL", "25LM", "25LN", "25LP", "25LR"]
    );
    let horizon = list.iter().find(|i| i["institution"] == "25LN").unwrap();
    assert_eq!(horizon["institution_name"], "Horizon College");
    assert_eq!(horizon["status"], "open");
    assert_eq!(horizon["person"], Value::Null);
    let mut links: Vec<&str> = list.iter().map(|i| i["link"].as_str().unwrap()).collect();
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("/enquete/") && l.len() >= "/enquete/".len() + 20),
        "long random tokens: {links:?}"
    );
    links.sort();
    links.dedup();
    assert_eq!(links.len(), 7, "a link of its own for each");

    // The invitations are the regiegroep's to see.
    let im = app.session(Role::Informatiemanager).await;
    let res = im.get(&format!("/api/v1/surveys/{id}/invitations")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // An institution that came after opening has no invitation; a reader responds for none.
    let late = im_of(&app, "31AB", "Nieuw College").await;
    let res = late.get(&format!("/api/v1/surveys/{id}/response")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let lezer = app.session(Role::Lezer).await;
    let res = lezer.get(&format!("/api/v1/surveys/{id}/response")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = save(&lezer, id, answers(&[])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);

    // Per person: one invitation for each active informatiemanager, named.
    let mut body = short_survey("Per persoon", &day(0), &day(14), false);
    body["respondent"] = json!("person");
    let s = create(&regie, body).await;
    let id = s["id"].as_i64().unwrap();
    let managers: Vec<String> = app
        .store()
        .users()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.role == Role::Informatiemanager && u.active && u.institution_id.is_some())
        .map(|u| u.name)
        .collect();
    assert!(managers.len() >= 3, "{managers:?}");
    let opened = open(&regie, id).await;
    assert_eq!(opened["invitations"], managers.len());
    let list = invitations(&regie, id).await;
    let mut persons: Vec<String> = list
        .iter()
        .map(|i| i["person"].as_str().unwrap_or_default().to_string())
        .collect();
    persons.sort();
    let mut managers = managers;
    managers.sort();
    assert_eq!(persons, managers);
    // Each fills in their own: Hanna's draft is not the other Horizon manager's.
    let hanna = app.session_of(IM_HORIZON).await;
    let res = save(
        &hanna,
        id,
        answers(&[(question_ids(&s)[0], json!("Van Hanna"))]),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(response(&im, id).await["status"], "open");
    assert_eq!(response(&hanna, id).await["status"], "concept");
}

async fn each_question_kind_refuses_what_does_not_fit_naming_the_answer_and_a_draft_reads_back() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let (id, q) = opened_template(&regie).await;
    let im = app.session(Role::Informatiemanager).await;
    let own = app.project_of("25LN", "netwerk").await;
    let other = app.project_of("25LK", "netwerk").await;
    let elsewhere = create(&regie, json!({ "template": TEMPLATE })).await;
    let foreign_question = question_ids(&elsewhere)[0];

    // One wrong answer at a time: refused, naming that answer and why.
    let cases: Vec<(i64, Value, &str)> = vec![
        (q[0], json!(["llo", "bestaat-niet"]), "invalid_choice"),
        (q[0], json!(["llo", "llo"]), "duplicate"),
        (q[0], json!("llo"), "expected_list"),
        (q[1], json!(5), "expected_text"),
        (q[1], json!(["Veel"]), "expected_text"),
        (q[1], json!("x".repeat(10_001)), "too_long"),
        (q[3], json!([other]), "other_institution"),
        (q[3], json!([own, own]), "duplicate"),
        (q[3], json!(own), "expected_list"),
        (q[4], json!("Wellicht"), "invalid_choice"),
        (q[4], json!(["Ja"]), "expected_text"),
        (q[6], json!(6), "out_of_range"),
        (q[6], json!(0), "out_of_range"),
        (q[6], json!("veel"), "expected_number"),
        (q[7], json!(["Architectuur", "Architectuur"]), "duplicate"),
        (q[7], json!(["Koffie"]), "invalid_choice"),
        (q[7], json!("Architectuur"), "expected_list"),
        (999_999, json!("x"), "unknown_field"),
        (foreign_question, json!(["llo"]), "unknown_field"),
    ];
    for (question, value, code) in &cases {
        let res = save(&im, id, answers(&[(*question, value.clone())])).await;
        assert_eq!(
            errors(&res),
            [pair(format!("answers.{question}"), code)],
            "{question}: {value}"
        );
    }
    // Several at once: each named.
    let res = save(
        &im,
        id,
        answers(&[
            (q[0], json!(["bestaat-niet"])),
            (q[4], json!("Wellicht")),
            (q[6], json!(9)),
            (q[1], json!("Dit past wel")),
        ]),
    )
    .await;
    let mut e = errors(&res);
    e.sort();
    let mut want = vec![
        pair(format!("answers.{}", q[0]), "invalid_choice"),
        pair(format!("answers.{}", q[4]), "invalid_choice"),
        pair(format!("answers.{}", q[6]), "out_of_range"),
    ];
    want.sort();
    assert_eq!(e, want);
    // Nothing refused was saved.
    let r = response(&im, id).await;
    assert_eq!(r["status"], "open");
    assert_eq!(r["answers"], json!({}));

    // A draft need not be complete (a required open question is left out); it reads back with
    // the themes in the order given and the choices in the question's order.
    let draft = answers(&[
        (q[0], json!(["innovatie", "llo", "leermiddelen"])),
        (q[1], json!("  Veel over LLO  ")),
        (q[3], json!([own])),
        (q[4], json!("Misschien")),
        (q[6], json!(4)),
        (q[7], json!(["Projectportfolio", "Beleid en strategie"])),
    ]);
    let res = save(&im, id, draft).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "concept");
    assert!(res.json()["saved_at"].is_string(), "{}", res.body);
    let r = response(&im, id).await;
    assert_eq!(r["status"], "concept");
    assert_eq!(r["submitted_at"], Value::Null);
    let a = &r["answers"];
    assert_eq!(
        a[q[0].to_string()],
        json!(["innovatie", "llo", "leermiddelen"])
    );
    assert_eq!(a[q[1].to_string()], "Veel over LLO");
    assert_eq!(a[q[3].to_string()], json!([own]));
    assert_eq!(a[q[4].to_string()], "Misschien");
    assert_eq!(a[q[6].to_string()], 4);
    assert_eq!(
        a[q[7].to_string()],
        json!(["Beleid en strategie", "Projectportfolio"])
    );
    assert_eq!(a.as_object().unwrap().len(), 6, "{a}");

    // The draft is Horizon's: its other informatiemanager finds it, DaVinci does not.
    let colleague = app.session(Role::Informatiemanager).await;
    assert_eq!(response(&colleague, id).await["answers"], r["answers"]);
    let davinci = app.session_of(IM_DAVINCI).await;
    let theirs = response(&davinci, id).await;
    assert_eq!(theirs["status"], "open");
    assert_eq!(theirs["answers"], json!({}));
    assert_eq!(invitation_of(&regie, id, "25LN").await["status"], "concept");
    assert_eq!(invitation_of(&regie, id, "25LK").await["status"], "open");

    // The next save replaces the draft: what is left out or emptied is no longer answered.
    let res = save(
        &colleague,
        id,
        answers(&[
            (q[0], json!(["llo"])),
            (q[1], json!("")),
            (q[6], Value::Null),
        ]),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = response(&im, id).await;
    assert_eq!(r["answers"], answers(&[(q[0], json!(["llo"]))])["answers"]);

    // An API token works as the session does.
    let token = app.token(IM_HORIZON).await;
    let api = app.anonymous().with_bearer(&token);
    let res = save(&api, id, answers(&[(q[4], json!("Ja"))])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(response(&im, id).await["answers"][q[4].to_string()], "Ja");
}

async fn submitting_needs_every_required_answer_and_a_submitted_response_is_fixed() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let (id, q) = opened_template(&regie).await;
    let im = app.session(Role::Informatiemanager).await;

    // The draft has the themes only: both required open questions are named.
    let res = save(&im, id, answers(&[(q[0], json!(["llo"]))])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut e = errors(&submit(&im, id, None).await);
    e.sort();
    let mut want = vec![
        pair(format!("answers.{}", q[1]), "required"),
        pair(format!("answers.{}", q[5]), "required"),
    ];
    want.sort();
    assert_eq!(e, want);
    // Answers sent with the submit are checked the same way, all of them.
    let res = submit(
        &im,
        id,
        Some(answers(&[(q[1], json!("   ")), (q[6], json!(7))])),
    )
    .await;
    let mut e = errors(&res);
    e.sort();
    let mut want = vec![
        pair(format!("answers.{}", q[0]), "required"),
        pair(format!("answers.{}", q[1]), "required"),
        pair(format!("answers.{}", q[5]), "required"),
        pair(format!("answers.{}", q[6]), "out_of_range"),
    ];
    want.sort();
    assert_eq!(e, want);
    let r = response(&im, id).await;
    assert_eq!(r["status"], "concept", "a refused submit submits nothing");
    assert_eq!(invitation_of(&regie, id, "25LN").await["status"], "concept");

    // The saved draft, completed, is submitted.
    let res = save(&im, id, template_answers(&q, "Veel over LLO")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = submit(&im, id, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let done = res.json();
    assert_eq!(done["status"], "ingediend");
    assert!(done["submitted_at"].is_string(), "{done}");
    assert_eq!(done["answers"][q[1].to_string()], "Veel over LLO");
    let inv = invitation_of(&regie, id, "25LN").await;
    assert_eq!(inv["status"], "ingediend");
    assert!(inv["submitted_at"].is_string());

    // Fixed now: no second submit, no draft over it, by no one of Horizon.
    let again = submit(&im, id, Some(template_answers(&q, "Anders"))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let again = submit(&im, id, None).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let colleague = app.session(Role::Informatiemanager).await;
    let res = save(&colleague, id, answers(&[(q[1], json!("Overschreven"))])).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let r = response(&im, id).await;
    assert_eq!(r["status"], "ingediend");
    assert_eq!(r["answers"][q[1].to_string()], "Veel over LLO");
    let res = results(&regie, id, "").await;
    assert_eq!(res["responses"], 1);
    assert_eq!(
        res["questions"][1]["answers"],
        json!([{"institution": "Horizon College", "text": "Veel over LLO"}])
    );
}

async fn two_informatiemanagers_submitting_at_once_make_one_response() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let horizon = app.institution("25LN", "Horizon College").await;
    let a = app.session_at(Role::Informatiemanager, Some(horizon)).await;
    let b = app.session_at(Role::Informatiemanager, Some(horizon)).await;
    for (round, anonymous) in [(1, false), (2, false), (3, false), (4, true)] {
        let (id, q) = opened(
            &regie,
            short_survey(&format!("Ronde {round}"), &day(0), &day(14), anonymous),
        )
        .await;
        let (ra, rb) = tokio::join!(
            submit(&a, id, Some(answers(&[(q[0], json!("Van A"))]))),
            submit(&b, id, Some(answers(&[(q[0], json!("Van B"))]))),
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {} / {}",
            ra.body,
            rb.body
        );
        let winner = if ra.status == StatusCode::OK {
            "Van A"
        } else {
            "Van B"
        };
        if anonymous {
            // One response, kept apart; too few for its results to show while it is open.
            assert_eq!(
                invitation_of(&regie, id, "25LN").await["status"],
                "verborgen"
            );
            let res = regie
                .get(&format!("/api/v1/surveys/{id}/invitations"))
                .await;
            assert_eq!(res.header("x-submitted"), "1", "round {round}");
            let rows = stip_store::testing::execute(
                app.store(),
                &format!(
                    "UPDATE survey_anonymous_responses SET answers = answers WHERE survey_id = {id}"
                ),
            )
            .await
            .unwrap();
            assert_eq!(rows, 1, "round {round}");
            assert_eq!(results(&regie, id, "").await["responses"], 0);
            continue;
        }
        assert_eq!(
            invitation_of(&regie, id, "25LN").await["status"],
            "ingediend"
        );
        let r = results(&regie, id, "").await;
        assert_eq!(r["responses"], 1, "round {round}: {r}");
        let texts = r["questions"][0]["answers"].as_array().unwrap();
        assert_eq!(texts.len(), 1, "round {round}: {r}");
        assert_eq!(texts[0]["text"], winner, "round {round}");
        assert_eq!(response(&a, id).await["answers"][q[0].to_string()], winner);
    }
}

async fn answers_are_taken_only_from_the_opening_to_the_closing_date() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let im = app.session(Role::Informatiemanager).await;
    let given = |q: &[i64]| answers(&[(q[0], json!("Veel")), (q[1], json!("Ja"))]);

    // Closed ten days ago.
    let (id, q) = opened(&regie, short_survey("Voorbij", &day(-20), &day(-10), false)).await;
    assert_eq!(
        regie.get(&format!("/api/v1/surveys/{id}")).await.json()["stage"],
        "gesloten"
    );
    let res = save(&im, id, given(&q)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let res = submit(&im, id, Some(given(&q))).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(response(&im, id).await["status"], "open");

    // Opens in ten days.
    let (id, q) = opened(&regie, short_survey("Straks", &day(10), &day(20), false)).await;
    assert_eq!(
        regie.get(&format!("/api/v1/surveys/{id}")).await.json()["stage"],
        "gepland"
    );
    let res = save(&im, id, given(&q)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let res = submit(&im, id, Some(given(&q))).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

    // The closing day is the last day to answer.
    let (id, q) = opened(
        &regie,
        short_survey("Laatste dag", &day(-5), &day(0), false),
    )
    .await;
    let res = save(&im, id, given(&q)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = submit(&im, id, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // Closed early after a draft: it can no longer be submitted, and the draft is kept.
    let (id, q) = opened(&regie, short_survey("Vervroegd", &day(-5), &day(10), false)).await;
    let res = save(&im, id, given(&q)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let closed = set_dates(&regie, id, &day(-5), &day(-1)).await;
    assert_eq!(closed["stage"], "gesloten");
    let res = submit(&im, id, None).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let res = save(&im, id, given(&q)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let r = response(&im, id).await;
    assert_eq!(r["status"], "concept");
    assert_eq!(r["answers"][q[0].to_string()], "Veel");
    assert_eq!(
        results(&regie, id, "").await["responses"],
        0,
        "a draft is no response"
    );
}

async fn results_count_choices_average_the_scale_rank_themes_and_filter_by_region() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let themes = app.anonymous().get("/api/v1/themes").await.json();
    let n = themes.as_array().unwrap().len() as i64;
    assert_eq!(n, 8, "the default agenda");
    let (id, q) = opened(
        &regie,
        json!({
            "title": "Resultaten",
            "anonymous": false,
            "respondent": "institution",
            "opens_on": day(0),
            "closes_on": day(14),
            "questions": [
                {"kind": "themes", "text": "Welke thema's spelen?"},
                {"kind": "single", "text": "Doe je mee?", "options": ["Ja", "Nee"]},
                {"kind": "multiple", "text": "Waarbij?", "options": ["A", "B", "C"]},
                {"kind": "scale", "text": "Hoeveel invloed?", "options": ["Geen", "Veel"]},
                {"kind": "open", "text": "Toelichting"},
            ],
        }),
    )
    .await;
    // Horizon College (Noord-Holland), DaVinci College and mboRijnland (Zuid-Holland).
    let horizon = app.session(Role::Informatiemanager).await;
    let davinci = app.session_of(IM_DAVINCI).await;
    let rijnland = im_of(&app, "25LR", "mboRijnland").await;
    for (who, given) in [
        (
            &horizon,
            answers(&[
                (q[0], json!(["innovatie", "llo"])),
                (q[1], json!("Ja")),
                (q[2], json!(["A", "C"])),
                (q[3], json!(4)),
                (q[4], json!("Horizon werkt aan LLO.")),
            ]),
        ),
        (
            &davinci,
            answers(&[
                (q[0], json!(["llo"])),
                (q[1], json!("Ja")),
                (q[2], json!(["C"])),
                (q[3], json!(2)),
                (q[4], json!("DaVinci deelt graag.")),
            ]),
        ),
        (
            &rijnland,
            answers(&[
                (q[0], json!(["llo", "leermiddelen", "innovatie"])),
                (q[1], json!("Nee")),
                (q[3], json!(5)),
            ]),
        ),
    ] {
        let res = submit(who, id, Some(given)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    // A draft does not count.
    let friese = im_of(&app, "25LM", "Friese Poort").await;
    let res = save(&friese, id, answers(&[(q[1], json!("Nee"))])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let r = results(&regie, id, "").await;
    assert_eq!(r["responses"], 3);
    assert_eq!(r["anonymous"], false);
    assert_eq!(r["region"], Value::Null);
    let qs = r["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 5);
    assert_eq!(qs[0]["id"], q[0]);
    assert_eq!(qs[0]["kind"], "themes");
    assert_eq!(qs[0]["text"], "Welke thema's spelen?");

    // Themes: place p of n themes scores n + 1 − p. llo: 2nd, 1st, 1st; innovatie: 1st, 3rd;
    // leermiddelen: 2nd.
    assert_eq!(qs[0]["answered"], 3);
    assert_eq!(
        qs[0]["ranking"],
        json!([
            {"theme": "llo", "points": (n - 1) + n + n, "chosen": 3, "first": 2},
            {"theme": "innovatie", "points": n + (n - 2), "chosen": 2, "first": 1},
            {"theme": "leermiddelen", "points": n - 1, "chosen": 1, "first": 0},
        ])
    );
    assert_eq!(qs[0]["counts"]["llo"], 3);
    assert_eq!(qs[0]["counts"]["innovatie"], 2);

    // Choices, every option counted (also the unchosen).
    assert_eq!(qs[1]["answered"], 3);
    assert_eq!(qs[1]["counts"], json!({"Ja": 2, "Nee": 1}));
    assert_eq!(qs[2]["answered"], 2);
    assert_eq!(qs[2]["counts"], json!({"A": 1, "B": 0, "C": 2}));
    assert_eq!(qs[2]["mean"], Value::Null);

    // The scale: per point, and the mean of 4, 2 and 5.
    assert_eq!(qs[3]["answered"], 3);
    assert_eq!(
        qs[3]["counts"],
        json!({"1": 0, "2": 1, "3": 0, "4": 1, "5": 1})
    );
    assert_eq!(qs[3]["mean"], json!(3.67));

    // Open answers, each with its institution's name.
    assert_eq!(qs[4]["answered"], 2);
    let mut open: Vec<(String, String)> = qs[4]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["institution"].as_str().unwrap().to_string(),
                a["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    open.sort();
    assert_eq!(
        open,
        [
            (
                "DaVinci College".to_string(),
                "DaVinci deelt graag.".to_string()
            ),
            (
                "Horizon College".to_string(),
                "Horizon werkt aan LLO.".to_string()
            ),
        ]
    );

    // One region: only its institutions' responses.
    let zh = results(&regie, id, "?region=Zuid-Holland").await;
    assert_eq!(zh["responses"], 2);
    assert_eq!(zh["region"], "Zuid-Holland");
    assert_eq!(zh["questions"][1]["counts"], json!({"Ja": 1, "Nee": 1}));
    assert_eq!(zh["questions"][3]["mean"], json!(3.5));
    assert_eq!(
        zh["questions"][4]["answers"],
        json!([{"institution": "DaVinci College", "text": "DaVinci deelt graag."}])
    );
    assert_eq!(
        zh["questions"][0]["ranking"][0],
        json!({"theme": "llo", "points": 2 * n, "chosen": 2, "first": 2})
    );
    let nh = results(&regie, id, "?region=Noord-Holland").await;
    assert_eq!(nh["responses"], 1);
    assert_eq!(nh["questions"][3]["mean"], json!(4.0));
    let none = results(&regie, id, "?region=Limburg").await;
    assert_eq!(none["responses"], 0);
    assert_eq!(none["questions"][1]["counts"], json!({"Ja": 0, "Nee": 0}));
    assert_eq!(none["questions"][3]["mean"], Value::Null);
    let twice = regie
        .get(&format!(
            "/api/v1/surveys/{id}/results?region=Friesland&region=Gelderland"
        ))
        .await;
    assert_eq!(errors(&twice), [pair("region".into(), "repeated")]);
}

async fn results_are_the_regiegroeps_while_open_and_everyones_once_closed() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let im = app.session(Role::Informatiemanager).await;
    let davinci = app.session_of(IM_DAVINCI).await;
    let lezer = app.session(Role::Lezer).await;
    let (id, q) = opened_template(&regie).await;
    let res = submit(&im, id, Some(template_answers(&q, "Veel"))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let path = format!("/api/v1/surveys/{id}/results");
    let export = format!("/api/v1/surveys/{id}/export?format=csv");

    // While open: the regiegroep's (and the beheerder's) alone.
    assert_eq!(results(&regie, id, "").await["responses"], 1);
    let beheerder = app.session(Role::Beheerder).await;
    assert_eq!(results(&beheerder, id, "").await["responses"], 1);
    for (who, s) in [("im", &im), ("davinci", &davinci), ("lezer", &lezer)] {
        let res = s.get(&path).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}: {}", res.body);
        let res = s.get(&export).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}: {}", res.body);
    }
    assert_eq!(
        app.anonymous().get(&path).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Closed (the regiegroep moves the closing date into the past): everyone logged in.
    let closed = set_dates(&regie, id, &day(-10), &day(-1)).await;
    assert_eq!(closed["stage"], "gesloten");
    for (who, s) in [("im", &im), ("davinci", &davinci), ("lezer", &lezer)] {
        let res = s.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{who}: {}", res.body);
        let r = res.json();
        assert_eq!(r["responses"], 1, "{who}");
        assert_eq!(
            r["questions"][1]["answers"],
            json!([{"institution": "Horizon College", "text": "Veel"}]),
            "{who}"
        );
        let res = s.get(&export).await;
        assert_eq!(res.status, StatusCode::OK, "{who}: {}", res.body);
    }
    assert_eq!(
        app.anonymous().get(&path).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.anonymous().get(&export).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A concept has no results for anyone but the regiegroep.
    let concept = create(&regie, json!({ "template": TEMPLATE })).await;
    let cid = concept["id"].as_i64().unwrap();
    let res = im.get(&format!("/api/v1/surveys/{cid}/results")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    assert_eq!(results(&regie, cid, "").await["responses"], 0);
}

async fn the_regiegroep_reopens_a_submitted_response_but_not_an_anonymous_one() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let im = app.session(Role::Informatiemanager).await;
    let (id, q) = opened_template(&regie).await;
    let res = submit(&im, id, Some(template_answers(&q, "Eerste versie"))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let horizon = invitation_of(&regie, id, "25LN").await;
    let davinci = invitation_of(&regie, id, "25LK").await;
    let reopen = |inv: &Value| {
        format!(
            "/api/v1/surveys/{id}/invitations/{}/reopen",
            inv["id"].as_i64().unwrap()
        )
    };

    // Not by the respondent; not what was never submitted.
    let res = im.api(Method::POST, &reopen(&horizon), None).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = regie.api(Method::POST, &reopen(&davinci), None).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    // Not an invitation of another survey.
    let (other, _) = opened_template(&regie).await;
    let res = regie
        .api(
            Method::POST,
            &format!(
                "/api/v1/surveys/{other}/invitations/{}/reopen",
                horizon["id"].as_i64().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);

    // Reopened: a draft again with the answers as they were.
    let res = regie.api(Method::POST, &reopen(&horizon), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "concept");
    assert_eq!(res.json()["institution"], "25LN");
    let r = response(&im, id).await;
    assert_eq!(r["status"], "concept");
    assert_eq!(r["answers"][q[1].to_string()], "Eerste versie");
    // Reopening twice is a conflict: it is not submitted now.
    let res = regie.api(Method::POST, &reopen(&horizon), None).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

    // Changed and submitted again.
    let res = save(&im, id, template_answers(&q, "Tweede versie")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = submit(&im, id, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = response(&im, id).await;
    assert_eq!(r["status"], "ingediend");
    assert_eq!(r["answers"][q[1].to_string()], "Tweede versie");
    let res = results(&regie, id, "").await;
    assert_eq!(res["responses"], 1);
    assert_eq!(
        res["questions"][1]["answers"],
        json!([{"institution": "Horizon College", "text": "Tweede versie"}])
    );

    // An anonymous survey's response no longer knows whose it is: it cannot be reopened.
    let (anon, aq) = opened(&regie, short_survey("Anoniem", &day(0), &day(14), true)).await;
    let res = submit(&im, anon, Some(answers(&[(aq[0], json!("Geheim"))]))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // While it is open its invitations do not say who submitted.
    let inv = invitation_of(&regie, anon, "25LN").await;
    assert_eq!(inv["status"], "verborgen");
    let res = regie
        .api(
            Method::POST,
            &format!(
                "/api/v1/surveys/{anon}/invitations/{}/reopen",
                inv["id"].as_i64().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    set_dates(&regie, anon, &day(-14), &day(-1)).await;
    assert_eq!(
        invitation_of(&regie, anon, "25LN").await["status"],
        "ingediend"
    );
}

async fn anonymous_answers_keep_no_link_to_the_institution() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let im = app.session(Role::Informatiemanager).await;
    let davinci = app.session_of(IM_DAVINCI).await;
    let third = im_of(&app, "30AN", "Derde College").await;
    // Results of an anonymous survey show from the threshold on: three here.
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
    let (id, q) = opened(&regie, short_survey("Anoniem", &day(0), &day(14), true)).await;
    assert_eq!(
        regie.get(&format!("/api/v1/surveys/{id}")).await.json()["anonymous"],
        true
    );

    // A draft is the institution's own until it is submitted.
    let res = save(&im, id, answers(&[(q[0], json!("Eerst een concept"))])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        response(&im, id).await["answers"][q[0].to_string()],
        "Eerst een concept"
    );
    let res = submit(
        &im,
        id,
        Some(answers(&[
            (q[0], json!("Horizon anoniem")),
            (q[1], json!("Ja")),
        ])),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "ingediend");
    assert_eq!(
        res.json()["answers"],
        json!({}),
        "kept apart from who gave it"
    );
    let res = submit(
        &davinci,
        id,
        Some(answers(&[(q[0], json!("DaVinci anoniem"))])),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = submit(&third, id, Some(answers(&[(q[0], json!("Derde anoniem"))]))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // Progress is still tracked, without a time, and while open only as a count.
    let res = regie
        .get(&format!("/api/v1/surveys/{id}/invitations"))
        .await;
    assert_eq!(res.header("x-submitted"), "3");
    let inv = invitation_of(&regie, id, "25LN").await;
    assert_eq!(inv["status"], "verborgen");
    assert_eq!(inv["submitted_at"], Value::Null);
    assert_eq!(inv["saved_at"], Value::Null);
    let r = response(&im, id).await;
    assert_eq!(r["status"], "ingediend");
    assert_eq!(r["answers"], json!({}));

    // The results count them, naming no one; a region filter does not apply.
    let r = results(&regie, id, "").await;
    assert_eq!(r["anonymous"], true);
    assert_eq!(r["responses"], 3);
    let mut texts: Vec<(Value, String)> = r["questions"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["institution"].clone(),
                a["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    texts.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        texts,
        [
            (Value::Null, "DaVinci anoniem".to_string()),
            (Value::Null, "Derde anoniem".to_string()),
            (Value::Null, "Horizon anoniem".to_string()),
        ]
    );
    let filtered = results(&regie, id, "?region=Noord-Holland").await;
    assert_eq!(filtered["region"], Value::Null);
    assert_eq!(filtered["responses"], 3);

    // Not even the beheerder finds out whose: the export has no institution columns.
    let beheerder = app.session(Role::Beheerder).await;
    let csv = beheerder
        .get(&format!("/api/v1/surveys/{id}/export?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let header = csv
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap();
    assert!(header.starts_with("1. Wat speelt er?"), "{header}");
    assert!(!csv.body.contains("Horizon College"), "{}", csv.body);
    assert!(!csv.body.contains("25LN"), "{}", csv.body);

    // In the database: the invitations keep neither answers nor times nor who saved them, and
    // the anonymous answers have no column that could point back.
    let linked = stip_store::testing::execute(
        app.store(),
        &format!(
            "UPDATE survey_invitations SET version = version WHERE survey_id = {id} AND (answers IS NOT NULL OR saved_at IS NOT NULL OR saved_by IS NOT NULL OR submitted_at IS NOT NULL)"
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        linked, 0,
        "an invitation of the anonymous survey keeps a trace"
    );
    let columns: Vec<String> = stip_store::testing::schema(app.store())
        .await
        .unwrap()
        .into_iter()
        .filter(|(table, _, _)| table == "survey_anonymous_responses")
        .map(|(_, column, _)| column)
        .collect();
    assert_eq!(columns, ["answers", "id", "survey_id"]);
}

/// Picking projects from one's own portfolio names the institution: an anonymous survey that
/// asked for them would store a link between answers and institution after all.
async fn an_anonymous_survey_does_not_ask_for_the_institutions_own_projects() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let res = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({
                "title": "Anoniem met projecten",
                "anonymous": true,
                "respondent": "institution",
                "questions": [
                    {"kind": "open", "text": "Wat speelt er?"},
                    {"kind": "projects", "text": "Welk project?"},
                ],
            })),
        )
        .await;
    assert_eq!(
        errors(&res),
        [pair("questions[1].kind".into(), "invalid_choice")]
    );
    // Not by making it anonymous afterwards either.
    let s = create(
        &regie,
        json!({
            "title": "Met projecten",
            "anonymous": false,
            "respondent": "institution",
            "questions": [{"kind": "projects", "text": "Welk project?"}],
        }),
    )
    .await;
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/surveys/{}", s["id"]),
            Some(json!({
                "version": s["version"],
                "title": "Met projecten",
                "anonymous": true,
                "opens_on": s["opens_on"],
                "closes_on": s["closes_on"],
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
}

async fn a_renewed_link_replaces_the_old_one() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let im = app.session(Role::Informatiemanager).await;
    let (id, _) = opened_template(&regie).await;
    let before = invitation_of(&regie, id, "25LN").await;
    let old = before["link"].as_str().unwrap().to_string();
    let res = im.get(&old).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let renew = format!(
        "/api/v1/surveys/{id}/invitations/{}/link",
        before["id"].as_i64().unwrap()
    );

    // The regiegroep's to do.
    let res = im.api(Method::POST, &renew, None).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);

    let res = regie.api(Method::POST, &renew, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let new = res.json()["link"].as_str().unwrap().to_string();
    assert!(new.starts_with("/enquete/"), "{new}");
    assert_ne!(new, old);
    assert_eq!(res.json()["id"], before["id"]);
    assert_eq!(invitation_of(&regie, id, "25LN").await["link"], new);

    assert_eq!(im.get(&old).await.status, StatusCode::NOT_FOUND);
    let res = im.get(&new).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // The other institutions' links are untouched.
    let davinci = invitation_of(&regie, id, "25LK").await;
    assert_ne!(davinci["link"], new);
    assert_eq!(
        app.session_of(IM_DAVINCI)
            .await
            .get(davinci["link"].as_str().unwrap())
            .await
            .status,
        StatusCode::OK
    );
    // An unknown invitation.
    let res = regie
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{id}/invitations/999999/link"),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}

async fn the_responses_export_as_csv_and_xlsx_one_row_each() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    let (id, q) = opened_template(&regie).await;
    let horizon = app.session(Role::Informatiemanager).await;
    let davinci = app.session_of(IM_DAVINCI).await;
    let friese = im_of(&app, "25LM", "Friese Poort").await;
    // Horizon points at one of its own projects too.
    let project = app.project_of("25LN", "netwerk").await;
    let title = app
        .store()
        .project(project)
        .await
        .unwrap()
        .data
        .title
        .clone();
    let mut horizons = template_answers(&q, "Veel over LLO");
    horizons["answers"][q[3].to_string()] = json!([project]);
    let res = submit(&horizon, id, Some(horizons)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = submit(&davinci, id, Some(template_answers(&q, "DaVinci deelt"))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // A draft is no row.
    let res = save(&friese, id, answers(&[(q[1], json!("Nog bezig"))])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let csv = regie
        .get(&format!("/api/v1/surveys/{id}/export?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(
        csv.header("content-type").starts_with("text/csv"),
        "{:?}",
        csv.headers
    );
    assert!(
        csv.header("content-disposition")
            .contains(&format!("enquete-{id}.csv")),
        "{:?}",
        csv.headers
    );
    assert!(
        csv.body.starts_with('\u{feff}'),
        "a byte order mark for Excel"
    );
    let body = csv.body.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "a header and a row per response: {body}");
    let header: Vec<&str> = lines[0].split(';').collect();
    assert_eq!(&header[..2], &["BRIN", "Instelling"], "{}", lines[0]);
    let template = regie.get(&format!("/api/v1/surveys/{id}")).await.json();
    for (n, question) in template["questions"].as_array().unwrap().iter().enumerate() {
        let text = format!("{}. {}", n + 1, question["text"].as_str().unwrap());
        assert!(header.contains(&text.as_str()), "{text} in {}", lines[0]);
    }
    // The themes and projects questions have their codes and numbers in a column beside them.
    let themes_question = format!("1. {}", template["questions"][0]["text"].as_str().unwrap());
    assert!(
        header.contains(&format!("{themes_question} (codes)").as_str()),
        "{}",
        lines[0]
    );
    let projects_question = format!("4. {}", template["questions"][3]["text"].as_str().unwrap());
    assert!(
        header.contains(&format!("{projects_question} (projectnummers)").as_str()),
        "{}",
        lines[0]
    );
    assert_eq!(header.len(), 4 + 8 + 2, "{}", lines[0]);
    let rows = &lines[1..];
    let row_of = |brin: &str| {
        rows.iter()
            .find(|r| r.starts_with(&format!("{brin};")))
            .unwrap_or_else(|| panic!("a row for {brin}: {body}"))
    };
    let h = row_of("25LN");
    assert!(h.contains("Horizon College"), "{h}");
    assert!(h.contains("Noord-Holland"), "{h}");
    assert!(h.contains("Veel over LLO"), "{h}");
    assert!(h.contains("Innovatie"), "themes by name: {h}");
    assert!(h.contains("innovatie; llo"), "and by code: {h}");
    assert!(h.contains(&title), "the project by title: {h}");
    assert!(h.contains(&format!(";{project};")), "and by number: {h}");
    let months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    assert!(months.iter().any(|m| h.contains(m)), "a Dutch date: {h}");
    assert!(row_of("25LK").contains("DaVinci deelt"));
    assert!(!body.contains("Nog bezig"), "{body}");

    let xlsx = regie
        .get(&format!("/api/v1/surveys/{id}/export?format=xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    assert_eq!(
        xlsx.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.body.starts_with("PK"), "a ZIP file");
    assert!(
        xlsx.header("content-disposition")
            .contains(&format!("enquete-{id}.xlsx")),
        "{:?}",
        xlsx.headers
    );

    // One region: only its institutions' rows.
    let zh = regie
        .get(&format!(
            "/api/v1/surveys/{id}/export?format=csv&region=Zuid-Holland"
        ))
        .await;
    assert_eq!(zh.status, StatusCode::OK, "{}", zh.body);
    let zh_lines: Vec<&str> = zh
        .body
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split("\r\n")
        .collect();
    assert_eq!(zh_lines.len(), 2, "{}", zh.body);
    assert!(zh_lines[1].starts_with("25LK;"), "{}", zh.body);

    // An unknown or missing format is named.
    let res = regie
        .get(&format!("/api/v1/surveys/{id}/export?format=pdf"))
        .await;
    assert_eq!(errors(&res), [pair("format".into(), "invalid_choice")]);
    let res = regie.get(&format!("/api/v1/surveys/{id}/export")).await;
    assert_eq!(errors(&res), [pair("format".into(), "required")]);
}

async fn the_survey_api_is_in_the_openapi_document() {
    let app = TestApp::demo().await;
    let doc = app.anonymous().get("/api/openapi.json").await.json();
    for (path, method) in [
        ("/api/v1/surveys", "get"),
        ("/api/v1/surveys", "post"),
        ("/api/v1/surveys/{id}", "get"),
        ("/api/v1/surveys/{id}", "put"),
        ("/api/v1/surveys/{id}", "delete"),
        ("/api/v1/surveys/{id}/open", "post"),
        ("/api/v1/surveys/{id}/invitations", "get"),
        (
            "/api/v1/surveys/{id}/invitations/{invitation}/reopen",
            "post",
        ),
        ("/api/v1/surveys/{id}/invitations/{invitation}/link", "post"),
        ("/api/v1/surveys/{id}/response", "get"),
        ("/api/v1/surveys/{id}/response", "put"),
        ("/api/v1/surveys/{id}/response/submit", "post"),
        ("/api/v1/surveys/{id}/results", "get"),
        ("/api/v1/surveys/{id}/export", "get"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is documented");
        assert_eq!(op["tags"], json!(["surveys"]), "{method} {path}");
        assert!(
            op["responses"]["401"].is_object(),
            "{method} {path} says it needs a login"
        );
    }
    let tags = doc["tags"].as_array().unwrap();
    assert!(tags.iter().any(|t| t["name"] == "surveys"), "{tags:?}");
    let schemas = &doc["components"]["schemas"];
    for schema in ["SurveyJson", "SurveyCreate", "AnswersWrite", "ResultsJson"] {
        assert!(schemas[schema].is_object(), "{schema} is described");
    }
}

/// The results are counted once and kept; a submit or a reopen, through this instance or
/// another on the same database, is in the next answer of both.
async fn results_follow_every_submit_and_reopen_on_every_instance() {
    let app = TestApp::demo().await;
    let other = app.another_instance().await;
    let regie = app.login(REGIEGROEP).await;
    let regie_b = other.login(REGIEGROEP).await;
    let (id, q) = opened(&regie, short_survey("Gevolgd", &day(-1), &day(10), false)).await;
    let count = |r: &Value| r["responses"].as_u64().unwrap();
    assert_eq!(count(&results(&regie, id, "").await), 0);
    assert_eq!(count(&results(&regie_b, id, "").await), 0);

    let horizon = app.login(IM_HORIZON).await;
    let body = answers(&[(q[0], json!("Veel")), (q[1], json!("Ja"))]);
    let res = submit(&horizon, id, Some(body)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(count(&results(&regie, id, "").await), 1);
    let on_b = results(&regie_b, id, "").await;
    assert_eq!(
        count(&on_b),
        1,
        "the other instance counts the new response"
    );
    assert_eq!(on_b["questions"][1]["counts"]["Ja"], 1);

    // Submitted through the other instance: both see it.
    let davinci = other.login(IM_DAVINCI).await;
    let body = answers(&[(q[0], json!("Weinig")), (q[1], json!("Nee"))]);
    let res = submit(&davinci, id, Some(body)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let on_a = results(&regie, id, "").await;
    assert_eq!(count(&on_a), 2);
    assert_eq!(on_a["questions"][1]["counts"]["Nee"], 1);

    // Reopened: no longer counted, anywhere.
    let inv = invitation_of(&regie, id, "25LN").await;
    let res = regie
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{id}/invitations/{}/reopen", inv["id"]),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(count(&results(&regie_b, id, "").await), 1);
    assert_eq!(count(&results(&regie, id, "").await), 1);
}

// ---- Issue 29: an anonymous survey cannot be read off by difference -----------------------

/// `n` institutions with an informatiemanager each, made before a survey opens.
async fn colleges(app: &TestApp, n: usize) -> Vec<Session> {
    let mut ims = Vec::new();
    for i in 0..n {
        ims.push(
            im_of(
                app,
                &format!("{}AN", 40 + i),
                &format!("Anoniem College {i}"),
            )
            .await,
        );
    }
    ims
}

/// What the n-th college answers to [`short_survey`].
fn college_answer(q: &[i64], n: usize) -> Value {
    answers(&[
        (q[0], json!(format!("Antwoord van college {n}"))),
        (q[1], json!(if n.is_multiple_of(2) { "Ja" } else { "Nee" })),
    ])
}

/// The open answers of the results, sorted.
fn open_texts(r: &Value) -> Vec<String> {
    let mut texts: Vec<String> = r["questions"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    texts.sort();
    texts
}

fn college_texts(range: std::ops::Range<usize>) -> Vec<String> {
    let mut texts: Vec<String> = range.map(|n| format!("Antwoord van college {n}")).collect();
    texts.sort();
    texts
}

/// Everything a regiegroep member can save about an anonymous survey's responses: the results,
/// the invitations, the exports (CSV, and the XLSX's cells), the results page and the
/// meeting's appendix.
async fn everything_shown(regie: &Session, id: i64) -> Vec<String> {
    let res = regie
        .get(&format!("/api/v1/surveys/{id}/invitations"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let csv = regie
        .get(&format!("/api/v1/surveys/{id}/export?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let xlsx = regie
        .get(&format!("/api/v1/surveys/{id}/export?format=xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    let cells =
        match stip_core::exchange::sheet::read("enquete.xlsx", &xlsx.bytes, &Default::default()) {
            Ok(stip_core::exchange::sheet::Contents::Sheets(sheets)) => sheets
                .iter()
                .flat_map(|s| &s.rows)
                .map(|r| {
                    r.cells
                        .iter()
                        .map(|c| c.text())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            other => panic!("a workbook: {other:?}"),
        };
    let mut out = vec![
        results(regie, id, "").await.to_string(),
        res.body.clone(),
        csv.body,
        cells,
    ];
    for page in [
        format!("/enquetes/{id}/resultaten"),
        format!("/enquetes/{id}/bijlage"),
    ] {
        let res = regie.get(&page).await;
        assert_eq!(res.status, StatusCode::OK, "{page}: {}", res.body);
        // Only what the answers decide: the page's form token differs per request.
        let texts: Vec<&str> = res
            .body
            .lines()
            .filter(|l| l.contains("college") || l.contains("antwoord") || l.contains("<td"))
            .collect();
        out.push(texts.join("\n"));
    }
    out
}

/// The attack: save everything shown, let one institution submit, read again. Nothing
/// changes until the threshold (5) of new responses is in; then the results move by all of
/// them at once, and who submitted shows per institution only once the survey is closed.
async fn an_anonymous_survey_shows_its_results_only_per_threshold_of_new_responses() {
    let app = TestApp::new().await;
    let regie = app.session(Role::Regiegroep).await;
    let ims = colleges(&app, 12).await;
    let (id, q) = opened(&regie, short_survey("Verschil", &day(0), &day(14), true)).await;
    let submitted = |res: &TestResponse| res.header("x-submitted").to_string();

    // Below the threshold: nothing but that there are too few.
    for (n, im) in ims.iter().enumerate().take(4) {
        let res = submit(im, id, Some(college_answer(&q, n))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let r = results(&regie, id, "").await;
    assert_eq!(r["responses"], 0, "{r}");
    assert_eq!(open_texts(&r), Vec::<String>::new());
    assert_eq!(r["questions"][1]["answered"], 0, "{r}");

    // The fifth: all five at once.
    let res = submit(&ims[4], id, Some(college_answer(&q, 4))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let before = everything_shown(&regie, id).await;
    let r = results(&regie, id, "").await;
    assert_eq!(r["responses"], 5);
    assert_eq!(open_texts(&r), college_texts(0..5));

    // While open, the invitations say how many submitted, never which.
    let res = regie
        .get(&format!("/api/v1/surveys/{id}/invitations"))
        .await;
    assert_eq!(submitted(&res), "5");
    for i in res.json().as_array().unwrap() {
        assert_eq!(i["status"], "verborgen", "{i}");
        assert_eq!(i["saved_at"], Value::Null, "{i}");
    }
    let page = regie.get(&format!("/enquetes/{id}")).await;
    assert!(page.shows("5 van 12 ingediend"), "{}", page.body);
    assert!(!page.shows("Nog niets ingevuld") && !page.shows(">Ingediend<"));
    assert!(page.shows("Zichtbaar na sluiten"), "{}", page.body);
    assert!(
        !page.shows("Anoniem College 7</li>"),
        "no list of who is still missing"
    );

    // One more, and three more: not a thing changes but the count.
    for (n, im) in ims.iter().enumerate().take(9).skip(5) {
        let res = submit(im, id, Some(college_answer(&q, n))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let now = everything_shown(&regie, id).await;
        assert_eq!(now[0], before[0], "results after response {}", n + 1);
        assert_eq!(now[1], before[1], "invitations after response {}", n + 1);
        assert_eq!(now[2], before[2], "CSV after response {}", n + 1);
        assert_eq!(now[3], before[3], "XLSX after response {}", n + 1);
        assert_eq!(now[4], before[4], "results page after response {}", n + 1);
        assert_eq!(now[5], before[5], "appendix after response {}", n + 1);
        let res = regie
            .get(&format!("/api/v1/surveys/{id}/invitations"))
            .await;
        assert_eq!(submitted(&res), (n + 1).to_string());
    }
    // The fifth new one: all five new ones at once.
    let res = submit(&ims[9], id, Some(college_answer(&q, 9))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = results(&regie, id, "").await;
    assert_eq!(r["responses"], 10);
    assert_eq!(open_texts(&r), college_texts(0..10));
    let csv = regie
        .get(&format!("/api/v1/surveys/{id}/export?format=csv"))
        .await;
    assert_eq!(csv.body.trim().lines().count(), 11, "{}", csv.body);
    let page = regie.get(&format!("/enquetes/{id}/resultaten")).await;
    assert!(page.shows("Antwoord van college 9"), "{}", page.body);

    // An eleventh waits, until the survey closes: then everything, and who submitted.
    let res = submit(&ims[10], id, Some(college_answer(&q, 10))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(results(&regie, id, "").await["responses"], 10);
    set_dates(&regie, id, &day(-14), &day(-1)).await;
    let r = results(&regie, id, "").await;
    assert_eq!(r["responses"], 11);
    assert_eq!(open_texts(&r), college_texts(0..11));
    let statuses: Vec<Value> = invitations(&regie, id)
        .await
        .iter()
        .map(|i| i["status"].clone())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "ingediend").count(), 11);
    assert_eq!(statuses.iter().filter(|s| **s == "open").count(), 1);
}

/// The threshold is the one the beheerder sets for positioning; below it nothing shows, not
/// even once the survey is closed.
async fn an_anonymous_survey_follows_the_positioning_threshold_also_at_close() {
    let app = TestApp::new().await;
    let regie = app.session(Role::Regiegroep).await;
    let beheerder = app.session(Role::Beheerder).await;
    let set = beheerder
        .api(
            Method::PUT,
            "/api/v1/positioning/settings",
            Some(json!({"threshold": 3, "aspects": [
                {"code": "mandaat", "name": "Mandaat", "low": "beperkt", "high": "ruim"}]})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let ims = colleges(&app, 4).await;
    let (id, q) = opened(&regie, short_survey("Drie", &day(0), &day(14), true)).await;
    let (few, fq) = opened(&regie, short_survey("Te weinig", &day(0), &day(14), true)).await;
    for (n, im) in ims.iter().enumerate().take(2) {
        assert_eq!(
            submit(im, id, Some(college_answer(&q, n))).await.status,
            StatusCode::OK
        );
        assert_eq!(
            submit(im, few, Some(college_answer(&fq, n))).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(results(&regie, id, "").await["responses"], 0);
    let page = regie.get(&format!("/enquetes/{id}/resultaten")).await;
    assert!(page.shows("vanaf 3 antwoorden"), "{}", page.body);
    assert!(!page.shows("Antwoord van college 0"));
    assert_eq!(
        submit(&ims[2], id, Some(college_answer(&q, 2)))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        open_texts(&results(&regie, id, "").await),
        college_texts(0..3)
    );
    assert_eq!(
        submit(&ims[3], id, Some(college_answer(&q, 3)))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(results(&regie, id, "").await["responses"], 3);

    // Closed with two responses: still nothing, for no one.
    set_dates(&regie, few, &day(-14), &day(-1)).await;
    let lezer = app.session(Role::Lezer).await;
    for s in [&regie, &lezer] {
        let r = results(s, few, "").await;
        assert_eq!(r["responses"], 0, "{r}");
        assert_eq!(open_texts(&r), Vec::<String>::new());
        let csv = s
            .get(&format!("/api/v1/surveys/{few}/export?format=csv"))
            .await;
        assert!(!csv.body.contains("college"), "{}", csv.body);
    }
}

/// Submits at the same moment, on two instances: the published results still change only in
/// whole steps of the threshold (five at the fifth, ten at the tenth), never by one or two.
async fn anonymous_submits_at_once_publish_only_whole_steps() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let regie = app.session(Role::Regiegroep).await;
    // Ten colleges; the even ones submit through the other instance.
    let mut ims = Vec::new();
    for n in 0..10 {
        let id = app
            .institution(&format!("{}AN", 40 + n), &format!("Anoniem College {n}"))
            .await;
        let on = if n % 2 == 0 { &other } else { &app };
        ims.push(on.session_at(Role::Informatiemanager, Some(id)).await);
    }
    let ims = std::sync::Arc::new(ims);
    const ROUNDS: usize = 4;
    for round in 0..ROUNDS {
        let (id, q) = opened(
            &regie,
            short_survey(&format!("Tegelijk {round}"), &day(0), &day(14), true),
        )
        .await;
        // Nine at once.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(9));
        let mut tasks = Vec::new();
        for n in 0..9 {
            let (barrier, ims, body) = (barrier.clone(), ims.clone(), college_answer(&q, n));
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                submit(&ims[n], id, Some(body)).await
            }));
        }
        for t in tasks {
            let res = t.await.unwrap();
            assert_eq!(res.status, StatusCode::OK, "round {round}: {}", res.body);
        }
        let r = results(&regie, id, "").await;
        assert_eq!(r["responses"], 5, "round {round}: {r}");
        assert_eq!(open_texts(&r).len(), 5, "round {round}");
        let res = submit(&ims[9], id, Some(college_answer(&q, 9))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            results(&regie, id, "").await["responses"],
            10,
            "round {round}"
        );
    }
}
