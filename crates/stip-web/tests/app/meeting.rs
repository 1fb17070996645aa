//! Network meetings (issue 14, first part): planning through the API and the pages, the meeting
//! as a calendar file and everyone's calendar feed (read back by an iCalendar parser), who comes,
//! the minutes in the report, and who may do what.

use crate::support::*;
use axum::http::{Method, StatusCode};
use icalendar::{Calendar, Component, EventLike};
use serde_json::{Value, json};

on_both!(
    a_case_is_picked_by_its_name,
    the_regiegroep_plans_a_meeting_on_a_theme_with_a_case_and_others_read_it,
    a_meeting_that_does_not_add_up_is_refused_naming_each_field,
    a_meeting_is_a_calendar_event_and_the_feed_holds_every_meeting,
    members_say_whether_they_come_and_the_regiegroep_sees_who_from_where,
    the_report_shows_the_agenda_the_case_and_the_minutes,
    the_meeting_pages_plan_and_change_a_meeting,
    a_surveys_results_are_an_appendix_of_the_report,
    the_theme_page_shows_the_meetings_held_on_it_and_their_cases,
    the_report_is_a_pdf_that_opens_with_the_case_the_minutes_and_the_appendix,
    open_actions_carry_over_to_the_next_meetings_agenda,
);

async fn plan(regie: &Session, case: i64) -> Value {
    let res = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(json!({
                "title": "Netwerkbijeenkomst data-ondersteund onderwijs",
                "starts_at": "2026-12-10T13:30:00+01:00",
                "ends_at": "2026-12-10T17:00:00+01:00",
                "place": "Utrecht, Jaarbeurs",
                "theme": "data-ondersteund-onderwijs",
                "case_project": case,
                "presenter": "Hanna Horizon",
                "agenda": [
                    {"time": "13:30", "title": "Welkom", "owner": "Rik Regie"},
                    {"time": "13:45", "title": "Casus: het dashboard", "owner": "Hanna Horizon"},
                ],
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()
}

fn events(text: &str) -> Vec<icalendar::Event> {
    let cal: Calendar = text.parse().unwrap_or_else(|e| panic!("{e}: {text}"));
    cal.components
        .iter()
        .filter_map(|c| c.as_event().cloned())
        .collect()
}

async fn the_regiegroep_plans_a_meeting_on_a_theme_with_a_case_and_others_read_it() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let m = plan(&regie, case).await;
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["starts_at"], "2026-12-10T12:30:00+00:00");
    assert_eq!(m["theme"], "data-ondersteund-onderwijs");
    assert_eq!(m["case"]["project"], case);
    assert_eq!(m["case"]["institution"], "Horizon College");
    assert_eq!(m["agenda"][1]["title"], "Casus: het dashboard");

    // Everyone logged in reads it; only the regiegroep (and the beheerder) plans.
    let lezer = app.login(LEZER).await;
    let read = lezer.get(&format!("/api/v1/meetings/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["title"], m["title"]);
    let listed = lezer.get("/api/v1/meetings").await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    for s in [app.login(IM_HORIZON).await, lezer] {
        let res = s
            .api(Method::POST, "/api/v1/meetings", Some(json!({"title": "x", "starts_at": "2026-12-10T13:30:00+01:00", "ends_at": "2026-12-10T17:00:00+01:00"})))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    let anonymous = app.anonymous().get(&format!("/api/v1/meetings/{id}")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Changed from its version; a stale version is a conflict.
    let mut change = json!({
        "title": "Netwerkbijeenkomst data (verplaatst)",
        "starts_at": "2026-12-17T13:30",
        "ends_at": "2026-12-17T17:00",
        "theme": "data-ondersteund-onderwijs",
        "case_project": case,
        "minutes": "## Conclusies\n\n- Dashboards delen",
        "version": 1,
    });
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{id}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        res.json()["starts_at"],
        "2026-12-17T12:30:00+00:00",
        "Dutch time without offset"
    );
    change["title"] = json!("Weer anders");
    let stale = regie
        .api(Method::PUT, &format!("/api/v1/meetings/{id}"), Some(change))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        stale.json()["current"]["title"],
        "Netwerkbijeenkomst data (verplaatst)"
    );
}

async fn a_meeting_that_does_not_add_up_is_refused_naming_each_field() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let res = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(json!({
                "title": " ",
                "starts_at": "10 december",
                "ends_at": "2026-12-10T17:00:00+01:00",
                "theme": "geen-thema",
                "case_project": 999_999,
                "agenda": [{"time": "14:00", "title": "", "owner": "Rik"}],
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = res.json();
    let codes: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("title", "required"),
        ("starts_at", "not_a_date"),
        ("theme", "unknown"),
        ("case_project", "unknown"),
        ("agenda[0].title", "required"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {codes:?}"
        );
    }
    let res = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(json!({"title": "Omgekeerd", "starts_at": "2026-12-10T17:00:00+01:00", "ends_at": "2026-12-10T13:00:00+01:00"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "ends_at");
    assert!(res.shows("eindigt vóór"));
    assert_eq!(
        regie.get("/api/v1/meetings").await.json()["items"],
        json!([]),
        "nothing saved"
    );
}

async fn a_meeting_is_a_calendar_event_and_the_feed_holds_every_meeting() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let id = plan(&regie, case).await["id"].as_i64().unwrap();
    let lezer = app.login(LEZER).await;
    let res = lezer.get(&format!("/api/v1/meetings/{id}/ics")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").starts_with("text/calendar"));
    let found = events(&res.body);
    assert_eq!(found.len(), 1);
    let e = &found[0];
    assert_eq!(
        e.get_summary(),
        Some("Netwerkbijeenkomst data-ondersteund onderwijs")
    );
    assert_eq!(e.get_location(), Some("Utrecht, Jaarbeurs"));
    assert!(
        e.get_description().unwrap().contains("Casus:"),
        "{:?}",
        e.get_description()
    );
    assert!(e.get_description().unwrap().contains("Horizon College"));
    assert!(e.get_uid().unwrap().starts_with(&format!("meeting-{id}@")));
    assert!(
        res.body.contains("DTSTART:20261210T123000Z"),
        "{}",
        res.body
    );
    assert!(
        res.body.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );

    // The feed: a secret address per person on the meetings page, every meeting in it.
    let page = lezer.get("/bijeenkomsten").await;
    assert_eq!(page.status, StatusCode::OK);
    let feed = page
        .body
        .split("value=\"")
        .find_map(|rest| rest.split('"').next().filter(|v| v.contains("/agenda/")))
        .expect("the feed address on the page")
        .to_string();
    let path = &feed[feed.find("/agenda/").unwrap()..];
    let second = plan(&regie, case).await["id"].as_i64().unwrap();
    let res = app.anonymous().get(path).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "a calendar program logs in by the address alone"
    );
    let uids: Vec<String> = events(&res.body)
        .iter()
        .filter_map(|e| e.get_uid().map(str::to_string))
        .collect();
    assert_eq!(uids.len(), 2);
    assert!(
        uids.iter()
            .any(|u| u.starts_with(&format!("meeting-{second}@")))
    );
    // Another person has another address; a made-up one is not found; a renewed one replaces it.
    let other = app.login(IM_HORIZON).await.get("/bijeenkomsten").await;
    assert!(!other.body.contains(path));
    assert_eq!(
        app.anonymous()
            .get("/agenda/verzonnen-adres-van-iemand.ics")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = lezer.post_form("/bijeenkomsten/agenda-link", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.anonymous().get(path).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn members_say_whether_they_come_and_the_regiegroep_sees_who_from_where() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let id = plan(&regie, case).await["id"].as_i64().unwrap();
    let horizon = app.login(IM_HORIZON).await;
    let res = horizon
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{id}/attendance"),
            Some(json!({"attending": true})),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    let davinci = app.login(IM_DAVINCI).await;
    let res = davinci
        .post_form(
            &format!("/bijeenkomsten/{id}/aanwezig"),
            &[("attending", "nee")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        davinci
            .get(&format!("/bijeenkomsten/{id}"))
            .await
            .shows("Je hebt laten weten dat je niet komt.")
    );

    let who = regie
        .get(&format!("/api/v1/meetings/{id}/attendance"))
        .await;
    assert_eq!(who.status, StatusCode::OK);
    let who = who.json();
    let list = who.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let hanna = list.iter().find(|a| a["name"] == "Hanna Horizon").unwrap();
    assert_eq!(hanna["institution"], "Horizon College");
    assert_eq!(hanna["attending"], true);
    let page = regie.get(&format!("/bijeenkomsten/{id}")).await;
    assert!(page.shows("Komen: 1"));
    assert!(page.shows("DaVinci College"));
    // Members do not see who comes.
    assert_eq!(
        horizon
            .get(&format!("/api/v1/meetings/{id}/attendance"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !horizon
            .get(&format!("/bijeenkomsten/{id}"))
            .await
            .shows("DaVinci College")
    );
}

async fn the_report_shows_the_agenda_the_case_and_the_minutes() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let m = plan(&regie, case).await;
    let id = m["id"].as_i64().unwrap();
    let mut change = m.clone();
    for key in ["id", "case", "appendices", "carried_over"] {
        change.as_object_mut().unwrap().remove(key);
    }
    change["minutes"] =
        json!("## Conclusies\n\n- Dashboards delen we in het netwerk\n\n<script>alert(1)</script>");
    let res = regie
        .api(Method::PUT, &format!("/api/v1/meetings/{id}"), Some(change))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let report = app
        .login(LEZER)
        .await
        .get(&format!("/bijeenkomsten/{id}/verslag"))
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.shows("Verslag: Netwerkbijeenkomst data-ondersteund onderwijs"));
    assert!(report.shows("Casus: het dashboard"));
    assert!(report.shows(m["case"]["title"].as_str().unwrap()));
    assert!(
        report.body.contains("<h4>Conclusies</h4>"),
        "Markdown under the report's own headings"
    );
    assert!(
        report
            .body
            .contains("<li>Dashboards delen we in het netwerk</li>")
    );
    assert!(
        !report.body.contains("<script>alert"),
        "what people write cannot run"
    );
}

fn pairs<'a>(f: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn the_meeting_pages_plan_and_change_a_meeting() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await.to_string();
    let horizon = app.login(IM_HORIZON).await;
    assert_eq!(
        horizon.get("/bijeenkomsten/nieuw").await.status,
        StatusCode::FORBIDDEN
    );
    let regie = app.login(REGIEGROEP).await;
    let form = |title: &str| {
        vec![
            ("title", title.to_string()),
            ("starts_at", "2026-12-10T13:30".to_string()),
            ("ends_at", "2026-12-10T17:00".to_string()),
            ("place", "Utrecht".to_string()),
            ("theme", "leermiddelen".to_string()),
            ("case_project", case.clone()),
            ("presenter", "Hanna Horizon".to_string()),
            ("agenda[0].time", "13:30".to_string()),
            ("agenda[0].title", "Welkom".to_string()),
            ("agenda[0].owner", "Rik".to_string()),
            ("agenda[1].time", String::new()),
            ("agenda[1].title", String::new()),
            ("agenda[1].owner", String::new()),
            ("version", "0".to_string()),
        ]
    };
    // A missing title: refused, named, nothing saved, the rest kept.
    let f = form("");
    let res = regie.post_form("/bijeenkomsten", &pairs(&f)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.shows("Vul een titel in."));
    assert!(res.body.contains("value=\"Welkom\""));
    let f = form("Leermiddelen in de praktijk");
    let res = regie.post_form("/bijeenkomsten", &pairs(&f)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page_path = res.location().to_string();
    let page = regie.get(&page_path).await;
    assert!(page.shows("Leermiddelen in de praktijk"));
    assert!(page.shows("10 december 2026, 13:30–17:00"));
    assert!(page.shows("Welkom"));
    let id: i64 = page_path.rsplit('/').next().unwrap().parse().unwrap();
    // Minutes added on the edit page, from its version.
    let edit = regie.get(&format!("/bijeenkomsten/{id}/bewerken")).await;
    assert!(edit.body.contains("value=\"2026-12-10T13:30\""));
    let mut f = form("Leermiddelen in de praktijk");
    f.push((
        "minutes",
        "Afgesproken: een gezamenlijke catalogus.".to_string(),
    ));
    f.retain(|(k, _)| *k != "version");
    f.push(("version", "1".to_string()));
    let res = regie
        .post_form(&format!("/bijeenkomsten/{id}/bewerken"), &pairs(&f))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        regie
            .get(&page_path)
            .await
            .shows("Afgesproken: een gezamenlijke catalogus.")
    );
    // The same form again, from the old version: a conflict, nothing overwritten.
    let res = regie
        .post_form(&format!("/bijeenkomsten/{id}/bewerken"), &pairs(&f))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let list = horizon.get("/bijeenkomsten").await;
    assert!(list.shows("Leermiddelen in de praktijk"));
    assert!(list.shows("Komende bijeenkomsten"));
}

async fn a_surveys_results_are_an_appendix_of_the_report() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let today = chrono::Utc::now().date_naive();
    let res = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({
                "title": "Enquête vooraf",
                "opens_on": (today - chrono::Days::new(1)).to_string(),
                "closes_on": (today + chrono::Days::new(10)).to_string(),
                "questions": [
                    {"kind": "open", "text": "Wat speelt er?", "required": true},
                    {"kind": "single", "text": "Kom je?", "options": ["Ja", "Nee"]},
                ],
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let survey = res.json();
    let sid = survey["id"].as_i64().unwrap();
    let q: Vec<i64> = survey["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    let m = plan(&regie, case).await;
    let id = m["id"].as_i64().unwrap();
    // A survey not opened yet is no appendix.
    let mut change = m.clone();
    for key in ["id", "case", "appendices", "carried_over"] {
        change.as_object_mut().unwrap().remove(key);
    }
    change["surveys"] = json!([sid]);
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{id}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["errors"][0]["field"], "surveys");
    let res = regie
        .api(Method::POST, &format!("/api/v1/surveys/{sid}/open"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let horizon = app.login(IM_HORIZON).await;
    let answers = json!({"answers": {q[0].to_string(): "Een dashboard voor studievoortgang", q[1].to_string(): "Ja"}});
    let res = horizon
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{sid}/response/submit"),
            Some(answers),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = regie
        .api(Method::PUT, &format!("/api/v1/meetings/{id}"), Some(change))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        res.json()["appendices"],
        json!([{"survey": sid, "title": "Enquête vooraf"}])
    );

    let report = regie.get(&format!("/bijeenkomsten/{id}/verslag")).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(
        report.shows("Bijlage 1: Resultaten van Enquête vooraf"),
        "{}",
        report.body
    );
    assert!(report.shows("1 ingediend antwoord"));
    assert!(report.shows("Een dashboard voor studievoortgang"));
    assert!(report.shows("— Horizon College"));
    assert!(
        report.body.contains("<svg class=\"chart bars\""),
        "the choice question's chart"
    );
    // The meeting's page links to it; a member reads the results once the survey has closed.
    assert!(
        regie
            .get(&format!("/bijeenkomsten/{id}"))
            .await
            .body
            .contains(&format!("/verslag#bijlage-{sid}"))
    );
    // One rule for who reads the results: a lezer reads them nowhere while the survey is open
    // (not on the results page, in the API, the report or its PDF), and everywhere once it has
    // closed.
    let lezer = app.login(LEZER).await;
    let reads = |closed: bool| {
        let lezer = &lezer;
        async move {
            let report = lezer.get(&format!("/bijeenkomsten/{id}/verslag")).await;
            assert_eq!(
                report.shows("zodra de enquête gesloten is"),
                !closed,
                "{}",
                report.body
            );
            let pdf = lezer.get(&format!("/bijeenkomsten/{id}/verslag.pdf")).await;
            assert_eq!(pdf.status, StatusCode::OK);
            // The words whichever line they wrap to.
            let pdf = pdf_text(&pdf.bytes)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let api = lezer.get(&format!("/api/v1/surveys/{sid}/results")).await;
            let page = lezer.get(&format!("/enquetes/{sid}/resultaten")).await;
            let expected = if closed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(api.status, expected);
            assert_eq!(page.status, expected);
            for (what, text) in [
                ("page", report.body.as_str()),
                ("pdf", pdf.as_str()),
                ("api", api.body.as_str()),
            ] {
                assert_eq!(
                    text.contains("Een dashboard voor studievoortgang"),
                    closed,
                    "{what}: {text}"
                );
            }
        }
    };
    reads(false).await;
    // The regiegroep closes it early (yesterday).
    let mut closing = regie.get(&format!("/api/v1/surveys/{sid}")).await.json();
    closing.as_object_mut().unwrap().retain(|k, _| {
        [
            "version",
            "title",
            "introduction",
            "anonymous",
            "respondent",
        ]
        .contains(&k.as_str())
    });
    closing["opens_on"] = json!((today - chrono::Days::new(2)).to_string());
    closing["closes_on"] = json!((today - chrono::Days::new(1)).to_string());
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/surveys/{sid}"),
            Some(closing),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    reads(true).await;
}

async fn the_theme_page_shows_the_meetings_held_on_it_and_their_cases() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let m = plan(&regie, case).await;
    let page = app
        .login(LEZER)
        .await
        .get("/themas/data-ondersteund-onderwijs")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Netwerkbijeenkomsten over dit thema"));
    assert!(page.shows("Netwerkbijeenkomst data-ondersteund onderwijs"));
    assert!(page.shows("10 december 2026"));
    assert!(page.shows(m["case"]["title"].as_str().unwrap()));
    let other = app.login(LEZER).await.get("/themas/leermiddelen").await;
    assert!(other.shows("Nog geen netwerkbijeenkomst over dit thema."));
    // Meetings are for those logged in.
    let public = app
        .anonymous()
        .get("/themas/data-ondersteund-onderwijs")
        .await;
    assert!(!public.shows("Netwerkbijeenkomsten over dit thema"));
}

/// The text of a PDF, as `pdftotext` (poppler-utils, installed by `.ci/run`) reads it.
pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (apt-get install poppler-utils)");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext could not read the PDF");
    String::from_utf8(out.stdout).unwrap()
}

async fn the_report_is_a_pdf_that_opens_with_the_case_the_minutes_and_the_appendix() {
    let app = TestApp::demo().await;
    let case = app.project_of("25LN", "netwerk").await;
    let regie = app.login(REGIEGROEP).await;
    let today = chrono::Utc::now().date_naive();
    let survey = regie
        .api(
            Method::POST,
            "/api/v1/surveys",
            Some(json!({
                "title": "Enquête vooraf",
                "opens_on": (today - chrono::Days::new(1)).to_string(),
                "closes_on": (today + chrono::Days::new(10)).to_string(),
                "questions": [{"kind": "single", "text": "Kom je?", "options": ["Ja", "Nee"], "required": true}],
            })),
        )
        .await
        .json();
    let sid = survey["id"].as_i64().unwrap();
    let qid = survey["questions"][0]["id"].as_i64().unwrap();
    regie
        .api(Method::POST, &format!("/api/v1/surveys/{sid}/open"), None)
        .await;
    let horizon = app.login(IM_HORIZON).await;
    let res = horizon
        .api(
            Method::POST,
            &format!("/api/v1/surveys/{sid}/response/submit"),
            Some(json!({"answers": {qid.to_string(): "Ja"}})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let m = plan(&regie, case).await;
    let id = m["id"].as_i64().unwrap();
    let mut change = m.clone();
    for key in ["id", "case", "appendices", "carried_over"] {
        change.as_object_mut().unwrap().remove(key);
    }
    change["minutes"] = json!("## Conclusies\n\n- Dashboards delen we in het netwerk");
    change["surveys"] = json!([sid]);
    let res = regie
        .api(Method::PUT, &format!("/api/v1/meetings/{id}"), Some(change))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    for path in [
        format!("/api/v1/meetings/{id}/report.pdf"),
        format!("/bijeenkomsten/{id}/verslag.pdf"),
    ] {
        let res = regie.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(res.header("content-type"), "application/pdf");
        let text = pdf_text(&res.bytes);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(m["case"]["title"].as_str().unwrap()),
            "the case title in {flat}"
        );
        assert!(flat.contains("Verslag: Netwerkbijeenkomst data-ondersteund onderwijs"));
        assert!(flat.contains("Dashboards delen we in het netwerk"));
        assert!(flat.contains("Bijlage 1: Resultaten van Enquête vooraf"));
        assert!(flat.contains("Kom je?"));
    }
    assert_eq!(
        app.anonymous()
            .get(&format!("/api/v1/meetings/{id}/report.pdf"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn open_actions_carry_over_to_the_next_meetings_agenda() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let meeting = |title: &str, day: &str, actions: Value| {
        json!({
            "title": title,
            "starts_at": format!("{day}T13:30:00+01:00"),
            "ends_at": format!("{day}T17:00:00+01:00"),
            "decisions": ["We delen dashboards in het netwerk"],
            "actions": actions,
        })
    };
    let first = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(meeting(
                "Maart",
                "2027-03-05",
                json!([
                    {"text": "Catalogus van dashboards maken", "owner": "Hanna Horizon", "due_on": "2027-05-01"},
                    {"text": "Verslag rondsturen", "owner": "Rik Regie", "status": "gedaan"},
                ]),
            )),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let first = first.json();
    assert_eq!(first["actions"][0]["status"], "open");
    let second = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(meeting("Juni", "2027-06-11", json!([]))),
        )
        .await
        .json();
    let id = second["id"].as_i64().unwrap();
    assert_eq!(
        second["carried_over"],
        json!([{"meeting": first["id"], "text": "Catalogus van dashboards maken", "owner": "Hanna Horizon", "due_on": "2027-05-01"}])
    );
    assert_eq!(
        first["carried_over"],
        json!([]),
        "nothing carries back to an earlier meeting"
    );
    let page = app
        .login(LEZER)
        .await
        .get(&format!("/bijeenkomsten/{id}"))
        .await;
    assert!(page.shows("Open acties uit eerdere bijeenkomsten"));
    assert!(page.shows("Catalogus van dashboards maken — Hanna Horizon, klaar op 1 mei 2027"));
    assert!(
        !page.shows("Verslag rondsturen"),
        "a done action does not carry over"
    );
    // Done at the first meeting: off the second's agenda.
    let mut done = first.clone();
    for key in ["id", "case", "appendices", "carried_over"] {
        done.as_object_mut().unwrap().remove(key);
    }
    done["actions"][0]["status"] = json!("gedaan");
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{}", first["id"]),
            Some(done),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let second = regie.get(&format!("/api/v1/meetings/{id}")).await.json();
    assert_eq!(second["carried_over"], json!([]));
    // A due date that is no date is named.
    let bad = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(meeting(
                "Fout",
                "2027-09-01",
                json!([{"text": "x", "due_on": "morgen"}]),
            )),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "actions[0].due_on");
}

/// The case is picked by name: the form suggests the projects the planner may see as "title —
/// institution"; that label, the title or a part of it only one project has names the project;
/// a part that fits several is refused with those that fit.
async fn a_case_is_picked_by_its_name() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let case = app.project_of("25LN", "netwerk").await;
    let p = app.store().project(case).await.unwrap();
    let label = format!("{} — {}", p.data.title, p.institution_name);
    let form = regie.get("/bijeenkomsten/nieuw").await;
    assert!(
        form.body
            .contains(&format!("<option value=\"{}\">", html_escape(&label))),
        "the project is suggested by name: {label}"
    );
    let plan = |case: String| {
        let regie = &regie;
        async move {
            regie
                .post_form(
                    "/bijeenkomsten",
                    &[
                        ("title", "Netwerkbijeenkomst met casus"),
                        ("starts_at", "2026-12-10T13:30"),
                        ("ends_at", "2026-12-10T17:00"),
                        ("case_project", &case),
                    ],
                )
                .await
        }
    };
    let res = plan(label.clone()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = regie.get(res.location()).await;
    assert!(page.shows(&p.data.title), "{}", page.body);
    // Editing shows the case by name again.
    let edit = regie.get(&format!("{}/bewerken", res.location())).await;
    assert!(
        edit.body
            .contains(&format!("value=\"{}\"", html_escape(&label)))
    );
    // A part of a title that several projects share: refused with those that fit.
    let res = plan("e".into()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.shows("Meer dan één project past bij deze naam"),
        "{}",
        res.body
    );
    assert!(res.shows("Deze projecten passen bij wat je typte"));
    // Nothing fits.
    let res = plan("Een project dat niemand heeft".into()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.shows("Stip vindt geen project met deze naam"));
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('"', "&#34;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('\'', "&#39;")
}
