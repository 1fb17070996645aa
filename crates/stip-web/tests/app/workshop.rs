//! The live workshop (issue 15): setting up and joining by code, phases moved by the facilitator,
//! notes that are their writer's, the dot limit under a hammering of concurrent clicks, the live
//! stream (resumed after a disconnect, and across instances), the results with their files and
//! the meeting's appendix, the pages without JavaScript, and who may do what.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

on_both!(
    the_facilitator_sets_up_a_workshop_and_participants_join_by_code,
    only_the_facilitator_moves_the_phases_and_every_screen_hears_it,
    a_note_is_its_writers_and_the_facilitator_can_hide_any,
    notes_hidden_until_revealed_reach_no_other_screen,
    no_sequence_of_concurrent_clicks_gives_anyone_more_than_their_dots,
    a_dot_is_placed_once_per_client_id_and_only_while_voting,
    a_screen_that_reconnects_misses_nothing,
    a_dot_placed_on_one_instance_reaches_the_screens_of_another,
    the_results_rank_the_themes_and_go_to_files_priorities_and_the_meeting,
    the_pages_take_a_participant_from_code_to_dot_without_javascript,
    a_classroom_behind_one_address_joins_and_a_flood_from_it_waits_on_every_instance,
    codes_that_open_nothing_are_throttled_per_address,
    the_limit_per_workshop_holds_across_addresses,
    the_facilitator_removes_a_participant_with_their_notes_and_dots,
    only_the_facilitator_sees_and_removes_participants,
    the_facilitators_page_lists_participants_and_removes_one_without_javascript,
    running_totals_stay_hidden_while_voting_until_the_facilitator_shows_them,
    joins_at_once_from_one_address_on_two_instances_let_exactly_the_limit_in in "multi_thread",
);

const WAIT: Duration = Duration::from_secs(5);

async fn set_up(regie: &Session, body: Value) -> Value {
    let res = regie
        .api(Method::POST, "/api/v1/workshops", Some(body))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()
}

/// Joins by `code` as `name`; the participant's session (Bearer token) and what the join said.
async fn join(app: &TestApp, code: &str, name: &str) -> (Session, Value) {
    let res = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/workshops/join",
            Some(json!({"code": code, "name": name})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let joined = res.json();
    let token = joined["token"].as_str().unwrap().to_string();
    (app.anonymous().with_bearer(&token), joined)
}

async fn phase(regie: &Session, id: i64, phase: &str) {
    let res = regie
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/phase"),
            Some(json!({"phase": phase})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

/// The facilitator shows (or hides) the running totals of the voting.
async fn totals(regie: &Session, id: i64, shown: bool) {
    let res = regie
        .api(
            Method::PUT,
            &format!("/api/v1/workshops/{id}/totals"),
            Some(json!({"shown": shown})),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
}

async fn dot(p: &Session, id: i64, client_id: &str, theme: &str) -> TestResponse {
    p.api(
        Method::PUT,
        &format!("/api/v1/workshops/{id}/dots/{client_id}"),
        Some(json!({"theme": theme})),
    )
    .await
}

async fn note(p: &Session, id: i64, kind: &str, theme: &str, text: &str) -> TestResponse {
    p.api(
        Method::POST,
        &format!("/api/v1/workshops/{id}/notes"),
        Some(json!({"kind": kind, "theme": theme, "text": text})),
    )
    .await
}

async fn results(s: &Session, id: i64) -> Vec<(String, i64)> {
    let res = s.get(&format!("/api/v1/workshops/{id}/results")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["theme"].as_str().unwrap().to_string(),
                t["dots"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn id_of(w: &Value) -> i64 {
    w["id"].as_i64().unwrap()
}

async fn the_facilitator_sets_up_a_workshop_and_participants_join_by_code() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Werksessie prioriteiten"})).await;
    // The seed's defaults: four perspectives, three dots, the agenda's eight themes.
    assert_eq!(
        w["groups"],
        json!(["Strategisch", "Operationeel", "ICT", "Business"])
    );
    assert_eq!(w["dots_per_participant"], 3);
    assert_eq!(w["themes"].as_array().unwrap().len(), 8);
    assert_eq!(w["phase"], "notities");
    let code = w["code"].as_str().unwrap();
    assert_eq!(code.len(), 6);
    assert!(
        w["join_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/meedoen?code={code}"))
    );

    // Only the regiegroep (and the beheerder) sets one up.
    for s in [app.login(IM_HORIZON).await, app.login(LEZER).await] {
        let res = s
            .api(
                Method::POST,
                "/api/v1/workshops",
                Some(json!({"title": "x"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    let res = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/workshops",
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let refused = regie
        .api(
            Method::POST,
            "/api/v1/workshops",
            Some(json!({"title": "", "dots_per_participant": 0, "themes": ["llo", "geen-thema"], "meeting": 999})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["title", "dots_per_participant", "themes[1]", "meeting"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }

    // Four people join without an account, as typed from the screen: spread over the four groups.
    let mut groups = Vec::new();
    let typed = code.to_lowercase().chars().collect::<Vec<_>>();
    let typed = format!(
        "{} {}",
        typed[..3].iter().collect::<String>(),
        typed[3..].iter().collect::<String>()
    );
    for name in ["Anna", "Bram", "Cas", "Dewi"] {
        let (p, joined) = join(&app, &typed, name).await;
        assert!(joined["token"].as_str().unwrap().starts_with("stipw_"));
        groups.push(joined["group"].as_i64().unwrap());
        let me = p.get(&format!("/api/v1/workshops/{}", id_of(&w))).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert_eq!(me.json()["me"]["name"], name);
        assert_eq!(me.json()["me"]["dots_left"], 3);
    }
    groups.sort();
    assert_eq!(groups, [0, 1, 2, 3]);
    assert_eq!(
        regie
            .get(&format!("/api/v1/workshops/{}", id_of(&w)))
            .await
            .json()["participants"],
        4
    );

    // A code that opens nothing, and no name, are refused by field; nothing is joined.
    for (body, field) in [
        (json!({"code": "ZZZZZZ", "name": "Eva"}), "code"),
        (json!({"code": code, "name": "  "}), "name"),
        (json!({"code": code, "name": "Eva", "group": 9}), "group"),
    ] {
        let res = app
            .anonymous()
            .api(Method::POST, "/api/v1/workshops/join", Some(body))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.json()["errors"][0]["field"], field);
    }
    assert_eq!(
        regie
            .get(&format!("/api/v1/workshops/{}", id_of(&w)))
            .await
            .json()["participants"],
        4
    );

    // A token opens its own workshop only; a made-up one nothing.
    let other = set_up(&regie, json!({"title": "Andere werksessie"})).await;
    let (anna, _) = join(&app, code, "Anna").await;
    let res = anna
        .get(&format!("/api/v1/workshops/{}", id_of(&other)))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let fake = app.anonymous().with_bearer("stipw_verzonnen");
    assert_eq!(
        fake.get(&format!("/api/v1/workshops/{}", id_of(&w)))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Someone logged in who joins twice is one participant; members follow without joining.
    let im = app.login(IM_HORIZON).await;
    let first = im
        .api(
            Method::POST,
            "/api/v1/workshops/join",
            Some(json!({"code": code})),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["name"], "Hanna Horizon");
    let again = im
        .api(
            Method::POST,
            "/api/v1/workshops/join",
            Some(json!({"code": code, "name": "Hanna"})),
        )
        .await;
    assert_eq!(again.json()["participant"], first.json()["participant"]);
    let lezer = app.login(LEZER).await;
    let followed = lezer.get(&format!("/api/v1/workshops/{}", id_of(&w))).await;
    assert_eq!(followed.status, StatusCode::OK);
    assert!(followed.json()["me"].is_null());
    assert_eq!(followed.json()["participants"], 6);
}

async fn only_the_facilitator_moves_the_phases_and_every_screen_hears_it() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Fasen"})).await;
    let id = id_of(&w);
    let (anna, _) = join(&app, w["code"].as_str().unwrap(), "Anna").await;
    let mut screen = anna
        .events(&format!("/api/v1/workshops/{id}/events"), None)
        .await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(screen.content_type.starts_with("text/event-stream"));

    let path = format!("/api/v1/workshops/{id}/phase");
    let body = Some(json!({"phase": "stemmen"}));
    assert_eq!(
        anna.api(Method::POST, &path, body.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let im = app.login(IM_HORIZON).await;
    assert_eq!(
        im.api(Method::POST, &path, body.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let wrong = regie
        .api(Method::POST, &path, Some(json!({"phase": "pauze"})))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "phase");

    for p in ["ordenen", "stemmen", "resultaat", "notities"] {
        phase(&regie, id, p).await;
        let e = screen.take(1, WAIT).await.remove(0);
        assert_eq!(e.name, "phase");
        assert_eq!(e.data["phase"], p);
    }
    let read = anna.get(&format!("/api/v1/workshops/{id}")).await.json();
    assert_eq!(read["phase"], "notities");
}

async fn a_note_is_its_writers_and_the_facilitator_can_hide_any() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Notities"})).await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let (anna, _) = join(&app, code, "Anna").await;
    let (bram, _) = join(&app, code, "Bram").await;

    let written = note(
        &anna,
        id,
        "conclusie",
        "LLO",
        "Leven lang leren vraagt flexibele roosters",
    )
    .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
    let n = written.json();
    assert_eq!(n["theme"], "llo");
    assert_eq!(n["author"], "Anna");
    let note_id = n["id"].as_i64().unwrap();
    // Phase 1: an answer to a question.
    let answer = anna
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/notes"),
            Some(json!({"question": 0, "text": "Veel losse initiatieven"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);

    // Refusals name the field; nothing is written.
    for (body, field) in [
        (json!({"kind": "roze", "theme": "llo", "text": "x"}), "kind"),
        (
            json!({"kind": "waarom", "theme": "geen", "text": "x"}),
            "theme",
        ),
        (
            json!({"kind": "waarom", "theme": "llo", "text": " "}),
            "text",
        ),
        (json!({"question": 7, "text": "x"}), "question"),
    ] {
        let res = bram
            .api(
                Method::POST,
                &format!("/api/v1/workshops/{id}/notes"),
                Some(body),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.json()["errors"][0]["field"], field);
    }
    // Someone following along (not taking part) writes nothing.
    let lezer = app.login(LEZER).await;
    assert_eq!(
        note(&lezer, id, "waarom", "llo", "x").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        note(&app.anonymous(), id, "waarom", "llo", "x")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Only its writer changes or deletes a note.
    let path = format!("/api/v1/workshops/{id}/notes/{note_id}");
    let change = Some(json!({"text": "Overgenomen door Bram"}));
    assert_eq!(
        bram.api(Method::PUT, &path, change.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bram.api(Method::DELETE, &path, None).await.status,
        StatusCode::FORBIDDEN
    );
    let changed = anna
        .api(
            Method::PUT,
            &path,
            Some(json!({"text": "Leven lang leren vraagt flexibele roosters en modules"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    // Hiding is the facilitator's: others no longer see the note, the facilitator does.
    assert_eq!(
        anna.api(Method::PUT, &path, Some(json!({"hidden": true})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let hidden = regie
        .api(Method::PUT, &path, Some(json!({"hidden": true})))
        .await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.body);
    let texts = |res: TestResponse| -> Vec<String> {
        res.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["text"].as_str().unwrap().to_string())
            .collect()
    };
    let notes = format!("/api/v1/workshops/{id}/notes");
    assert_eq!(texts(bram.get(&notes).await), ["Veel losse initiatieven"]);
    assert_eq!(texts(regie.get(&notes).await).len(), 2);
    let results = bram
        .get(&format!("/api/v1/workshops/{id}/results"))
        .await
        .body;
    assert!(!results.contains("flexibele roosters"), "{results}");

    let third = note(&bram, id, "aanpak", "leermiddelen", "Samen inkopen")
        .await
        .json();
    let third_path = format!("/api/v1/workshops/{id}/notes/{}", third["id"]);
    assert_eq!(
        bram.api(Method::DELETE, &third_path, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(texts(bram.get(&notes).await), ["Veel losse initiatieven"]);

    // An anonymous workshop shows no writer.
    let anon = set_up(&regie, json!({"title": "Anoniem", "anonymous": true})).await;
    let (cas, _) = join(&app, anon["code"].as_str().unwrap(), "Cas").await;
    let n = note(&cas, id_of(&anon), "waarom", "llo", "Omdat het moet")
        .await
        .json();
    assert!(n["author"].is_null(), "{n}");
    phase(&regie, id_of(&anon), "ordenen").await;
    let page = regie.get(&format!("/werksessies/{}", id_of(&anon))).await;
    assert!(page.shows("Omdat het moet"));
    assert!(!page.shows("Cas ·"), "the writer's name is not on the page");
}

async fn notes_hidden_until_revealed_reach_no_other_screen() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Geheim", "hide_until_revealed": true}),
    )
    .await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let (anna, _) = join(&app, code, "Anna").await;
    let (bram, _) = join(&app, code, "Bram").await;
    let mut bram_screen = bram
        .events(&format!("/api/v1/workshops/{id}/events"), None)
        .await;
    phase(&regie, id, "ordenen").await;
    bram_screen.take(1, WAIT).await;

    let secret = "Het geheime voorstel van Anna";
    assert_eq!(
        note(&anna, id, "aanpak", "llo", secret).await.status,
        StatusCode::CREATED
    );
    let e = bram_screen.take(1, WAIT).await.remove(0);
    assert_eq!(e.name, "note");
    assert!(
        e.data["text"].is_null(),
        "the stream carries no hidden text: {:?}",
        e.data
    );
    let notes = format!("/api/v1/workshops/{id}/notes");
    assert!(!bram.get(&notes).await.body.contains(secret));
    assert!(anna.get(&notes).await.body.contains(secret));
    assert!(regie.get(&notes).await.body.contains(secret));
    let projector = regie.get(&format!("/werksessies/{id}/scherm")).await;
    assert!(
        !projector.shows(secret),
        "the projector shows only what everyone may see"
    );

    assert_eq!(
        regie
            .api(
                Method::POST,
                &format!("/api/v1/workshops/{id}/reveal"),
                None
            )
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(bram_screen.take(1, WAIT).await[0].name, "revealed");
    assert!(bram.get(&notes).await.body.contains(secret));
    assert!(
        regie
            .get(&format!("/werksessies/{id}/scherm"))
            .await
            .shows(secret)
    );
}

async fn no_sequence_of_concurrent_clicks_gives_anyone_more_than_their_dots() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Hameren", "dots_per_participant": 3}),
    )
    .await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap().to_string();
    let themes: Vec<String> = w["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let mut people = Vec::new();
    for i in 0..8 {
        people.push(join(&app, &code, &format!("Deelnemer {i}")).await.0);
    }
    phase(&regie, id, "stemmen").await;

    // Each participant clicks from 12 tabs at once: distinct ids, some sent twice (a replay).
    let people = std::sync::Arc::new(people);
    let mut tasks = Vec::new();
    for (who, _) in people.iter().enumerate() {
        for click in 0..12 {
            let people = people.clone();
            let theme = themes[click % themes.len()].clone();
            tasks.push(tokio::spawn(async move {
                let client_id = format!("p{who}-c{}", click % 9);
                let res = dot(&people[who], id, &client_id, &theme).await;
                (who, res.status)
            }));
        }
    }
    let mut placed = vec![0; people.len()];
    for t in tasks {
        let (who, status) = t.await.unwrap();
        match status {
            StatusCode::CREATED => placed[who] += 1,
            StatusCode::OK | StatusCode::CONFLICT => {}
            other => panic!("a click got {other}"),
        }
    }
    assert_eq!(
        placed,
        vec![3; people.len()],
        "every participant placed exactly their three"
    );
    for p in people.iter() {
        let me = p.get(&format!("/api/v1/workshops/{id}")).await.json();
        assert_eq!(me["me"]["dots"].as_array().unwrap().len(), 3);
        assert_eq!(me["me"]["dots_left"], 0);
    }
    let total: i64 = results(&regie, id).await.iter().map(|(_, d)| d).sum();
    assert_eq!(total, 3 * people.len() as i64);
}

async fn a_dot_is_placed_once_per_client_id_and_only_while_voting() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Stippen", "themes": ["llo", "leermiddelen", "innovatie"], "max_dots_per_theme": 2}),
    )
    .await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let (anna, _) = join(&app, code, "Anna").await;
    let (bram, _) = join(&app, code, "Bram").await;

    let early = dot(&anna, id, "a1", "llo").await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(
        early.json()["type"],
        "https://stip.example/problems/workshop_not_voting"
    );
    phase(&regie, id, "stemmen").await;

    let first = dot(&anna, id, "a1", "llo").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["dots_left"], 2);
    let replay = dot(&anna, id, "a1", "llo").await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.json()["dots_left"], 2);
    assert_eq!(
        dot(&anna, id, "a2", "llo").await.status,
        StatusCode::CREATED
    );
    // At most two on one theme.
    let full = dot(&anna, id, "a3", "llo").await;
    assert_eq!(full.status, StatusCode::CONFLICT);
    assert_eq!(
        full.json()["type"],
        "https://stip.example/problems/workshop_theme_full"
    );
    assert_eq!(
        dot(&anna, id, "a3", "innovatie").await.status,
        StatusCode::CREATED
    );
    let none_left = dot(&anna, id, "a4", "leermiddelen").await;
    assert_eq!(none_left.status, StatusCode::CONFLICT);
    assert_eq!(
        none_left.json()["type"],
        "https://stip.example/problems/workshop_no_dots_left"
    );
    // Someone else's id is not theirs to take or reuse; a theme outside the workshop is refused.
    assert_eq!(
        dot(&bram, id, "a1", "llo").await.status,
        StatusCode::CONFLICT
    );
    let path = format!("/api/v1/workshops/{id}/dots/a1");
    assert_eq!(
        bram.api(Method::DELETE, &path, None).await.status,
        StatusCode::CONFLICT
    );
    let outside = dot(&bram, id, "b1", "eigen-dossier").await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outside.json()["errors"][0]["field"], "theme");
    assert_eq!(
        dot(&bram, id, "met%20spatie", "llo").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Taken back, a dot can go elsewhere; after voting nothing moves.
    assert_eq!(
        anna.api(Method::DELETE, &path, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        anna.api(Method::DELETE, &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        dot(&anna, id, "a4", "leermiddelen").await.status,
        StatusCode::CREATED
    );
    phase(&regie, id, "resultaat").await;
    let late = format!("/api/v1/workshops/{id}/dots/a4");
    assert_eq!(
        anna.api(Method::DELETE, &late, None).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        results(&regie, id).await,
        [
            ("llo".to_string(), 1),
            ("leermiddelen".to_string(), 1),
            ("innovatie".to_string(), 1)
        ]
    );
}

async fn a_screen_that_reconnects_misses_nothing() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Herverbinden"})).await;
    let id = id_of(&w);
    let (anna, _) = join(&app, w["code"].as_str().unwrap(), "Anna").await;
    let path = format!("/api/v1/workshops/{id}/events");
    let mut screen = anna.events(&path, None).await;
    phase(&regie, id, "ordenen").await;
    note(&anna, id, "conclusie", "llo", "Eerste").await;
    let seen = screen.take(2, WAIT).await;
    let last = seen[1].id;
    assert!(seen[0].id < last);
    drop(screen);

    // While the screen is away: two notes, a phase, the totals shown, three dots.
    note(&anna, id, "waarom", "llo", "Tweede").await;
    note(&anna, id, "aanpak", "llo", "Derde").await;
    phase(&regie, id, "stemmen").await;
    totals(&regie, id, true).await;
    for (c, t) in [("d1", "llo"), ("d2", "llo"), ("d3", "innovatie")] {
        assert_eq!(dot(&anna, id, c, t).await.status, StatusCode::CREATED);
    }
    let mut back = anna.events(&path, Some(last)).await;
    let missed = back.take(7, WAIT).await;
    let names: Vec<&str> = missed.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["note", "note", "phase", "totals", "dot", "dot", "dot"]
    );
    assert_eq!(missed[0].data["text"], "Tweede");
    assert!(missed.windows(2).all(|p| p[0].id < p[1].id), "in order");
    assert_eq!(
        missed[5].data["dots"], 2,
        "the theme's dots after the second"
    );
    // Then it goes on live, and has no more old ones to give.
    assert!(back.next(Duration::from_millis(200)).await.is_none());
    note(&anna, id, "voorbeeld", "llo", "Vierde").await;
    let live = back.take(1, WAIT).await.remove(0);
    assert_eq!(live.data["text"], "Vierde");
    assert_eq!(live.id, missed[6].id + 1);

    // A first connection may start from an id too (`?after=`), as a page does.
    let mut page = anna
        .events(&format!("{path}?after={}", missed[3].id), None)
        .await;
    assert_eq!(page.take(3, WAIT).await.len(), 3);
}

async fn a_dot_placed_on_one_instance_reaches_the_screens_of_another() {
    let app = TestApp::demo().await;
    let other = app.another_instance().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Twee servers"})).await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let (anna, joined) = join(&app, code, "Anna").await;
    // Bram's screen is served by the second instance, with Anna's token too.
    let token = joined["token"].as_str().unwrap();
    let on_other = other.anonymous().with_bearer(token);
    let mut screen = on_other
        .events(&format!("/api/v1/workshops/{id}/events"), None)
        .await;
    assert_eq!(screen.status, StatusCode::OK);
    let follower = {
        let store = other.store().clone();
        tokio::spawn(async move { store.follow(Duration::from_secs(3600)).await })
    };
    phase(&regie, id, "stemmen").await;
    assert_eq!(
        dot(&anna, id, "x1", "llo").await.status,
        StatusCode::CREATED
    );
    let seen = screen.take(2, WAIT).await;
    assert_eq!(seen[0].name, "phase");
    assert_eq!(seen[1].name, "dot");
    assert_eq!(seen[1].data["client_id"], "x1");
    follower.abort();
}

async fn the_results_rank_the_themes_and_go_to_files_priorities_and_the_meeting() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let case = app.project_of("25LN", "netwerk").await;
    let meeting = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(json!({
                "title": "Netwerkbijeenkomst december",
                "starts_at": "2026-12-10T13:30:00+01:00",
                "ends_at": "2026-12-10T17:00:00+01:00",
                "case_project": case,
            })),
        )
        .await
        .json();
    let w = set_up(
        &regie,
        json!({"title": "Prioriteren met stippen", "meeting": meeting["id"], "themes": ["llo", "leermiddelen", "innovatie", "onderwijslogistiek"]}),
    )
    .await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let (anna, anna_joined) = join(&app, code, "Anna").await;
    let (bram, _) = join(&app, code, "Bram").await;
    // Phase 1: Anna's group answers the third question.
    let answered = anna
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/notes"),
            Some(json!({"question": 2, "text": "Samen één leermiddelenbank inkopen"})),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let anna_group = anna_joined["group"].as_u64().unwrap() as usize;
    phase(&regie, id, "ordenen").await;
    note(
        &anna,
        id,
        "conclusie",
        "leermiddelen",
        "Open leermiddelen delen",
    )
    .await;
    note(&bram, id, "voorbeeld", "leermiddelen", "=SOM(A1) als casus").await;
    phase(&regie, id, "stemmen").await;
    // Too early to save priorities.
    let early = regie
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/priorities"),
            None,
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    for (p, c, t) in [
        (&anna, "a1", "leermiddelen"),
        (&anna, "a2", "leermiddelen"),
        (&anna, "a3", "innovatie"),
        (&bram, "b1", "leermiddelen"),
        (&bram, "b2", "llo"),
        (&bram, "b3", "innovatie"),
    ] {
        assert_eq!(dot(p, id, c, t).await.status, StatusCode::CREATED);
    }
    phase(&regie, id, "resultaat").await;
    let ranked = results(&anna, id).await;
    assert_eq!(
        ranked,
        [
            ("leermiddelen".to_string(), 3),
            ("innovatie".to_string(), 2),
            ("llo".to_string(), 1),
            ("onderwijslogistiek".to_string(), 0),
        ]
    );
    let full = anna
        .get(&format!("/api/v1/workshops/{id}/results"))
        .await
        .json();
    assert_eq!(full["themes"][0]["name"], "Leermiddelen");
    assert_eq!(full["themes"][0]["notes"].as_array().unwrap().len(), 2);
    // Phase 1's output is kept: per group, per question, the notes.
    let groups = full["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "the seed's four perspectives");
    let group = &groups[anna_group];
    let group_name = group["name"].as_str().unwrap().to_string();
    assert_eq!(group["questions"].as_array().unwrap().len(), 3);
    assert_eq!(
        group["questions"][2]["text"],
        "Wat moet het netwerk samen oppakken?"
    );
    assert_eq!(
        group["questions"][2]["notes"][0]["text"],
        "Samen één leermiddelenbank inkopen"
    );
    assert_eq!(group["questions"][0]["notes"], json!([]));
    let page = anna.get(&format!("/werksessies/{id}")).await;
    assert!(page.shows("Groepswerk per perspectief"), "{}", page.body);
    assert!(page.shows("Samen één leermiddelenbank inkopen"));
    // Notes are closed once the results show.
    assert_eq!(
        note(&anna, id, "waarom", "llo", "Te laat").await.status,
        StatusCode::CONFLICT
    );

    // The files: Markdown, CSV (a note that starts like a formula stays text) and XLSX.
    let md = anna.get(&format!("/werksessies/{id}/resultaat.md")).await;
    assert_eq!(md.status, StatusCode::OK);
    assert!(
        md.body.contains("1. Leermiddelen — 3 stippen"),
        "{}",
        md.body
    );
    assert!(md.body.contains("- Open leermiddelen delen"));
    assert!(
        md.body.contains(&format!(
            "#### {group_name}\n\n**3. Wat moet het netwerk samen oppakken?**\n\n- Samen één leermiddelenbank inkopen"
        )),
        "{}",
        md.body
    );
    let csv = anna.get(&format!("/werksessies/{id}/resultaat.csv")).await;
    assert!(
        csv.body
            .contains("1;Leermiddelen;3;Conclusie;Open leermiddelen delen"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("'=SOM(A1) als casus"));
    assert!(
        csv.body.contains(&format!(
            ";;;Groepswerk;Samen één leermiddelenbank inkopen;{group_name};3. Wat moet het netwerk samen oppakken?"
        )),
        "{}",
        csv.body
    );
    let xlsx = regie
        .get(&format!("/werksessies/{id}/resultaat.xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"), "a zip, as every XLSX");
    assert_eq!(
        app.anonymous()
            .get(&format!("/werksessies/{id}/resultaat.csv"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // The top three become the network's priorities, with the day.
    let im = app.login(IM_HORIZON).await;
    assert_eq!(
        im.api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/priorities"),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let saved = regie
        .api(
            Method::POST,
            &format!("/api/v1/workshops/{id}/priorities"),
            None,
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert_eq!(
        saved.json()["themes"],
        json!(["leermiddelen", "innovatie", "llo"])
    );
    let saved_now = app.store().network_priorities().await.unwrap().unwrap();
    assert_eq!(saved_now.decided_on, saved.json()["decided_on"]);
    assert_eq!(saved_now.themes, ["leermiddelen", "innovatie", "llo"]);
    assert_eq!(saved_now.workshop, Some(id));
    let read = im.get("/api/v1/priorities").await.json();
    assert_eq!(read["themes"], json!(["leermiddelen", "innovatie", "llo"]));
    assert_eq!(read["workshop"], id);
    let themes_page = im.get("/themas").await;
    assert!(
        themes_page.shows("Prioriteiten van het netwerk"),
        "{}",
        themes_page.body
    );
    assert!(
        !app.anonymous()
            .get("/themas")
            .await
            .shows("Prioriteiten van het netwerk")
    );
    let page = anna.get(&format!("/werksessies/{id}")).await;
    assert!(
        page.shows("vastgelegd als prioriteiten van het netwerk"),
        "{}",
        page.body
    );

    // The meeting's report has the results as an appendix, on the page and in the PDF.
    let mid = meeting["id"].as_i64().unwrap();
    let report = im.get(&format!("/bijeenkomsten/{mid}/verslag")).await;
    assert!(
        report.shows("Resultaat van de werksessie Prioriteren met stippen"),
        "{}",
        report.body
    );
    assert!(report.shows("Open leermiddelen delen"));
    assert!(report.shows("Samen één leermiddelenbank inkopen"));
    let pdf = im.get(&format!("/api/v1/meetings/{mid}/report.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    // Words as they read, whichever line they wrapped to.
    let text = pdf_text(&pdf.bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Prioriteren met stippen"), "{text}");
    assert!(text.contains("Open leermiddelen delen"), "{text}");
    assert!(
        text.contains(&format!("Groepswerk per perspectief: {group_name}")),
        "{text}"
    );
    assert!(
        text.contains("Samen één leermiddelenbank inkopen"),
        "{text}"
    );
}

/// A PDF's text, as `pdftotext` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("stip-ws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.pdf", fastrand::u64(..)));
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn the_pages_take_a_participant_from_code_to_dot_without_javascript() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    // Set up through the form.
    let made = regie
        .post_form(
            "/werksessies",
            &[
                ("title", "Werksessie in de zaal"),
                ("dots_per_participant", "2"),
                ("themes", "llo"),
                ("themes", "innovatie"),
                ("groups", "Strategisch\nOperationeel"),
                ("questions", "Wat speelt er?"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page_path = made.location().to_string();
    let id: i64 = page_path.rsplit('/').next().unwrap().parse().unwrap();
    let refused = regie
        .post_form(
            "/werksessies",
            &[("title", ""), ("dots_per_participant", "0")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.shows("Vul dit veld in."));
    let facilitator_page = regie.get(&page_path).await;
    assert!(facilitator_page.shows("Begeleiden"));
    let code = regie.get(&format!("/api/v1/workshops/{id}")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(facilitator_page.body.contains("<svg"), "the QR code");

    // Someone without an account joins by the form, choosing a group.
    let visitor = app.anonymous();
    assert_eq!(visitor.get(&page_path).await.location(), "/meedoen");
    let form = visitor.get(&format!("/meedoen?code={code}")).await;
    assert!(form.shows("Werksessie in de zaal"));
    assert!(form.shows("Operationeel"));
    let wrong = visitor
        .post_form("/meedoen", &[("code", "QQQQQQ"), ("name", "Eva")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.shows("Deze waarde bestaat niet"));
    // Eva's browser asks for English, but she chooses Dutch on the form: her screen stays
    // Dutch for the workshop.
    let mut visitor = visitor;
    visitor.headers.insert(
        axum::http::header::ACCEPT_LANGUAGE,
        axum::http::HeaderValue::from_static("en-GB,en;q=0.9"),
    );
    assert!(
        visitor
            .get(&format!("/meedoen?code={code}"))
            .await
            .shows("Language of your screen")
    );
    let joined = visitor
        .post_form(
            "/meedoen",
            &[
                ("code", &code),
                ("name", "Eva"),
                ("group", "1"),
                ("taal", "nl"),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert_eq!(joined.location(), page_path);
    let mine = visitor.get(&page_path).await;
    assert!(
        mine.shows("Je doet mee als Eva, in groep Operationeel."),
        "{}",
        mine.body
    );

    // Phase 1: an answer; an empty one is refused at its question's form.
    let empty = visitor
        .post_form(
            &format!("{page_path}/notities"),
            &[("question", "0"), ("text", " ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"e-text-0\""));
    let added = visitor
        .post_form(
            &format!("{page_path}/notities"),
            &[("question", "0"), ("text", "Veel pilots")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert!(visitor.get(&page_path).await.shows("Veel pilots"));

    // The facilitator moves on by the page's buttons; dots by the form, one per form sent.
    let moved = regie
        .post_form(&format!("{page_path}/fase"), &[("phase", "stemmen")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let voting = visitor.get(&page_path).await;
    assert!(
        voting.shows("Je hebt nog 2 van je 2 stippen."),
        "{}",
        voting.body
    );
    for client_id in ["f1", "f1", "f2", "f3"] {
        let res = visitor
            .post_form(
                &format!("{page_path}/stippen"),
                &[("theme", "llo"), ("client_id", client_id)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let after = visitor.get(&page_path).await;
    assert!(
        after.shows("Je hebt nog 0 van je 2 stippen."),
        "{}",
        after.body
    );
    assert!(after.shows("2 stippen"));
    assert!(after.shows("Stip terugnemen"));
    let back = visitor
        .post_form(&format!("{page_path}/stippen/terug"), &[("theme", "llo")])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert!(
        visitor
            .get(&page_path)
            .await
            .shows("Je hebt nog 1 van je 2 stippen.")
    );

    // The projector follows along for the facilitator; results show the ranking.
    let projector = regie.get(&format!("{page_path}/scherm")).await;
    assert_eq!(projector.status, StatusCode::OK);
    assert!(projector.shows("1 stip"));
    regie
        .post_form(&format!("{page_path}/fase"), &[("phase", "resultaat")])
        .await;
    let done = visitor.get(&page_path).await;
    assert!(done.body.contains("class=\"ranking\""));
    assert!(done.shows("resultaat.xlsx"));
    // A member who does not take part follows along but places nothing.
    let lezer = app.login(LEZER).await;
    assert!(lezer.get(&page_path).await.shows("Je kijkt mee."));
    let refused = lezer
        .post_form(
            &format!("{page_path}/stippen"),
            &[("theme", "llo"), ("client_id", "l1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

// ---- Issue 29: joining within limits, and removing a participant -------------------------------

/// Joins per address within 10 minutes, joins per workshop within 10 minutes, and codes that
/// open nothing per address within a minute, as the API documents them.
const JOINS_PER_ADDRESS: usize = 80;
const JOINS_PER_WORKSHOP: usize = 300;
const WRONG_CODES_PER_ADDRESS: usize = 10;

/// A join by `code` as `name` from `address`, as it comes.
async fn join_from(app: &TestApp, address: &str, code: &str, name: &str) -> TestResponse {
    app.anonymous()
        .with_address(address)
        .api(
            Method::POST,
            "/api/v1/workshops/join",
            Some(json!({"code": code, "name": name})),
        )
        .await
}

/// A 429 as the contract has it: problem+json, `Retry-After` in seconds (at most `max`), and
/// when to try again in words.
fn assert_throttled(res: &TestResponse, max: u64) {
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/problem+json");
    let wait: u64 = res
        .header("retry-after")
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After in seconds: {:?}", res.headers));
    assert!((1..=max).contains(&wait), "Retry-After {wait}");
    let problem = res.json();
    assert_eq!(problem["status"], 429);
    assert_eq!(problem["title"], "Te veel pogingen");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.starts_with("Probeer het over "), "{detail}");
}

async fn a_classroom_behind_one_address_joins_and_a_flood_from_it_waits_on_every_instance() {
    let app = TestApp::demo().await;
    let other = app.another_instance().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Werksessie in de klas"})).await;
    let (id, code) = (id_of(&w), w["code"].as_str().unwrap().to_string());
    let room = "203.0.113.20";

    // Sixty students behind the school's one address join within the minute, half of them
    // through a second instance; everyone is in.
    for i in 0..60 {
        let instance = if i % 2 == 0 { &app } else { &other };
        let res = join_from(instance, room, &code, &format!("Student {i}")).await;
        assert_eq!(res.status, StatusCode::CREATED, "student {i}: {}", res.body);
    }
    // Up to the limit, whichever instance answers.
    for i in 60..JOINS_PER_ADDRESS {
        let instance = if i % 2 == 0 { &other } else { &app };
        let res = join_from(instance, room, &code, &format!("Student {i}")).await;
        assert_eq!(res.status, StatusCode::CREATED, "join {i}: {}", res.body);
    }
    // Beyond it, both instances make the address wait, and no one is added.
    for instance in [&app, &other] {
        let res = join_from(instance, room, &code, "Nog een").await;
        assert_throttled(&res, 600);
    }
    // Another address still joins.
    let res = join_from(&other, "198.51.100.4", &code, "Elders").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(
        regie.get(&format!("/api/v1/workshops/{id}")).await.json()["participants"],
        JOINS_PER_ADDRESS + 1
    );
}

async fn joins_at_once_from_one_address_on_two_instances_let_exactly_the_limit_in() {
    let app = TestApp::demo().await;
    let other = app.another_instance().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Stormloop"})).await;
    let (id, code) = (id_of(&w), w["code"].as_str().unwrap().to_string());

    // 100 joins from one address at the same moment, spread over two instances.
    let tries = 100;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(tries));
    let mut tasks = Vec::new();
    for i in 0..tries {
        let instance = if i % 2 == 0 { &app } else { &other };
        let session = instance.anonymous().with_address("203.0.113.30");
        let (barrier, code) = (barrier.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            session
                .api(
                    Method::POST,
                    "/api/v1/workshops/join",
                    Some(json!({"code": code, "name": format!("Stormer {i}")})),
                )
                .await
        }));
    }
    let (mut joined, mut throttled) = (0, 0);
    for t in tasks {
        let res = t.await.unwrap();
        match res.status {
            StatusCode::CREATED => joined += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_throttled(&res, 600);
                throttled += 1
            }
            other => panic!("a join got {other}: {}", res.body),
        }
    }
    eprintln!(
        "{:?}: {tries} joins at once from one address on two instances: {joined} joined, {throttled} answered 429",
        Backend::current()
    );
    assert_eq!(joined, JOINS_PER_ADDRESS);
    assert_eq!(throttled, tries - JOINS_PER_ADDRESS);
    assert_eq!(
        regie.get(&format!("/api/v1/workshops/{id}")).await.json()["participants"],
        JOINS_PER_ADDRESS
    );
}

async fn codes_that_open_nothing_are_throttled_per_address() {
    let app = TestApp::demo().await;
    let other = app.another_instance().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Raden"})).await;
    let code = w["code"].as_str().unwrap().to_string();
    let guesser = "203.0.113.40";

    // A few typos are answered as such, on either instance.
    for i in 0..WRONG_CODES_PER_ADDRESS {
        let instance = if i % 2 == 0 { &app } else { &other };
        let res = join_from(instance, guesser, &format!("QQQQ{i:02}"), "Gok").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.refused_fields(), ["code"]);
    }
    // Then the address waits, on every instance, and even the right code tells it nothing.
    for instance in [&app, &other] {
        assert_throttled(&join_from(instance, guesser, "QQQQZZ", "Gok").await, 60);
        assert_throttled(&join_from(instance, guesser, &code, "Gok").await, 60);
    }
    // The form says so in words, and the code in a link is not looked up either.
    let page = app
        .anonymous()
        .with_address(guesser)
        .post_form("/meedoen", &[("code", &code), ("name", "Gok")])
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.header("retry-after").parse::<u64>().is_ok());
    assert_eq!(
        page.text_of("throttled").as_deref(),
        Some(
            "Vanaf dit adres zijn te veel codes ingevuld die niet bestaan. Probeer het over een minuut opnieuw."
        ),
        "{}",
        page.body
    );
    let link = other
        .anonymous()
        .with_address(guesser)
        .get(&format!("/meedoen?code={code}"))
        .await;
    assert_eq!(link.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!link.shows("Raden"), "the workshop's title");
    // Someone else joins as usual, by the API and by the form.
    let res = join_from(&other, "198.51.100.5", &code, "Anna").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let form = app
        .anonymous()
        .with_address("198.51.100.5")
        .get(&format!("/meedoen?code={code}"))
        .await;
    assert!(form.shows("Raden"));
}

async fn the_limit_per_workshop_holds_across_addresses() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(&regie, json!({"title": "Volle zaal"})).await;
    let code = w["code"].as_str().unwrap().to_string();
    let spare = set_up(&regie, json!({"title": "Andere zaal"})).await;

    // Many addresses, a few joins each: the workshop takes its cap and no more.
    for i in 0..JOINS_PER_WORKSHOP {
        let address = format!("10.1.{}.{}", i / 4, i % 4 + 1);
        let res = join_from(&app, &address, &code, &format!("Deelnemer {i}")).await;
        assert_eq!(res.status, StatusCode::CREATED, "join {i}: {}", res.body);
    }
    let res = join_from(&app, "10.9.9.9", &code, "Te laat").await;
    assert_throttled(&res, 600);
    // Another workshop is open to the same address.
    let res = join_from(&app, "10.9.9.9", spare["code"].as_str().unwrap(), "Te laat").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
}

/// The participants as the facilitator's API lists them: (name, notes, dots) by participant id.
async fn participants(regie: &Session, id: i64) -> Vec<Value> {
    let res = regie
        .get(&format!("/api/v1/workshops/{id}/participants"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["items"].as_array().unwrap().clone()
}

async fn the_facilitator_removes_a_participant_with_their_notes_and_dots() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Opgezette stemming", "themes": ["llo", "leermiddelen", "innovatie"], "groups": ["Strategisch", "ICT"]}),
    )
    .await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let (anna, _) = join(&app, code, "Anna").await;
    let (stuffer, joined) = join(&app, code, "Stemmer").await;
    let stuffer_id = joined["participant"].as_i64().unwrap();
    phase(&regie, id, "ordenen").await;
    assert_eq!(
        note(&anna, id, "conclusie", "llo", "Samen optrekken")
            .await
            .status,
        StatusCode::CREATED
    );
    for text in ["Innovatie eerst", "Echt waar"] {
        let res = note(&stuffer, id, "waarom", "innovatie", text).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    }
    phase(&regie, id, "stemmen").await;
    for (i, theme) in ["llo", "llo", "leermiddelen"].iter().enumerate() {
        assert_eq!(
            dot(&anna, id, &format!("a{i}"), theme).await.status,
            StatusCode::CREATED
        );
    }
    for i in 0..3 {
        assert_eq!(
            dot(&stuffer, id, &format!("s{i}"), "innovatie")
                .await
                .status,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        results(&regie, id).await,
        [
            ("innovatie".to_string(), 3),
            ("llo".to_string(), 2),
            ("leermiddelen".to_string(), 1)
        ]
    );

    // The facilitator sees who takes part: number, name, group, notes, dots, when.
    let list = participants(&regie, id).await;
    assert_eq!(list.len(), 2);
    let s = list
        .iter()
        .find(|p| p["participant"] == stuffer_id)
        .unwrap();
    assert_eq!(s["label"], "Deelnemer 2");
    assert_eq!(s["name"], "Stemmer");
    assert_eq!(
        (s["notes"].as_i64(), s["dots"].as_i64()),
        (Some(2), Some(3))
    );
    assert!(s["group_name"].is_string() && s["joined_at"].is_string());

    // Removed: every screen hears the notes and dots go, then the participant (with the
    // theme's count, as the totals are shown).
    totals(&regie, id, true).await;
    let mut screen = regie
        .events(&format!("/api/v1/workshops/{id}/events"), None)
        .await;
    let res = regie
        .api(
            Method::DELETE,
            &format!("/api/v1/workshops/{id}/participants/{stuffer_id}"),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    let heard = screen.take(6, WAIT).await;
    let names: Vec<&str> = heard.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["note_removed", "note_removed", "dot", "dot", "dot", "left"]
    );
    assert_eq!(heard[4].data["dots"], 0, "innovatie has no dots left");
    assert_eq!(heard[5].data["participants"], 1);

    // The ranking counts without them, their notes are gone, and so is their place in the list.
    assert_eq!(
        results(&regie, id).await,
        [
            ("llo".to_string(), 2),
            ("leermiddelen".to_string(), 1),
            ("innovatie".to_string(), 0)
        ]
    );
    let notes = regie
        .get(&format!("/api/v1/workshops/{id}/notes"))
        .await
        .json();
    let texts: Vec<&str> = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Samen optrekken"]);
    let list = participants(&regie, id).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "Anna");

    // Their token opens nothing any more; Anna's still does.
    assert_eq!(
        stuffer.get(&format!("/api/v1/workshops/{id}")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        dot(&stuffer, id, "s9", "innovatie").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        note(&stuffer, id, "waarom", "innovatie", "Ik ben terug")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anna.get(&format!("/api/v1/workshops/{id}")).await.json()["me"]["dots_left"],
        0
    );

    // Removed once: a second time, or a participant of another workshop, is not found.
    let again = regie
        .api(
            Method::DELETE,
            &format!("/api/v1/workshops/{id}/participants/{stuffer_id}"),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let elsewhere = set_up(&regie, json!({"title": "Elders"})).await;
    let anna_id = list[0]["participant"].as_i64().unwrap();
    let res = regie
        .api(
            Method::DELETE,
            &format!(
                "/api/v1/workshops/{}/participants/{anna_id}",
                id_of(&elsewhere)
            ),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(participants(&regie, id).await.len(), 1);

    // A newcomer gets a number no one had: Deelnemer 3, not 2 again.
    join(&app, code, "Cas").await;
    let list = participants(&regie, id).await;
    assert_eq!(list[1]["label"], "Deelnemer 3");
}

async fn only_the_facilitator_sees_and_removes_participants() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Alleen de begeleider", "anonymous": true}),
    )
    .await;
    let id = id_of(&w);
    let (anna, joined) = join(&app, w["code"].as_str().unwrap(), "Anna").await;
    let anna_id = joined["participant"].as_i64().unwrap();
    let list_path = format!("/api/v1/workshops/{id}/participants");
    let remove_path = format!("{list_path}/{anna_id}");
    let page_path = format!("/werksessies/{id}/deelnemers/{anna_id}/verwijderen");

    for s in [app.login(IM_HORIZON).await, app.login(LEZER).await] {
        assert_eq!(s.get(&list_path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            s.api(Method::DELETE, &remove_path, None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            s.post_form(&page_path, &[]).await.status,
            StatusCode::FORBIDDEN
        );
    }
    // A participant's token is no login; anonymous visitors get none either.
    for s in [anna, app.anonymous()] {
        assert_eq!(s.get(&list_path).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            s.api(Method::DELETE, &remove_path, None).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let list = participants(&regie, id).await;
    assert_eq!(list.len(), 1, "nothing was removed");
    // In an anonymous workshop the facilitator's list has no names either.
    assert!(list[0].get("name").is_none_or(Value::is_null), "{list:?}");
    assert_eq!(list[0]["label"], "Deelnemer 1");
    // The beheerder may run workshops too.
    let beheer = app.login(BEHEERDER).await;
    assert_eq!(
        beheer.api(Method::DELETE, &remove_path, None).await.status,
        StatusCode::NO_CONTENT
    );
}

async fn the_facilitators_page_lists_participants_and_removes_one_without_javascript() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Werksessie met een indringer", "themes": ["llo", "innovatie"], "groups": ["Strategisch", "ICT"]}),
    )
    .await;
    let id = id_of(&w);
    let code = w["code"].as_str().unwrap();
    let page_path = format!("/werksessies/{id}");
    let visitor = app.anonymous();
    let joined = visitor
        .post_form(
            "/meedoen",
            &[("code", code), ("name", "Eva"), ("group", "1")],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    phase(&regie, id, "stemmen").await;
    let eva_id = participants(&regie, id).await[0]["participant"]
        .as_i64()
        .unwrap();
    for client_id in ["e1", "e2"] {
        let placed = visitor
            .post_form(
                &format!("{page_path}/stippen"),
                &[("theme", "innovatie"), ("client_id", client_id)],
            )
            .await;
        assert_eq!(placed.status, StatusCode::SEE_OTHER);
    }

    // The facilitator's page: a table with a caption, a row per participant, and a button
    // that says whom it removes.
    let page = regie.get(&page_path).await;
    assert!(page.body.contains("<caption>"), "{}", page.body);
    assert!(page.shows("Wie er meedoen (1)"));
    assert!(page.shows("Deelnemer 1 <span class=\"name\">(Eva)</span>"));
    assert!(
        page.shows(
            "Verwijderen<span class=\"visually-hidden\"> Deelnemer 1 (Eva, groep ICT)</span>"
        )
    );
    assert!(page.shows(&format!(
        "action=\"/werksessies/{id}/deelnemers/{eva_id}/verwijderen\""
    )));
    // Others do not see the list.
    assert!(!visitor.get(&page_path).await.shows("Wie er meedoen"));

    // Without the form's token nothing happens; with it, Eva goes, and the page says so.
    let forged = regie
        .post_raw(&format!("{page_path}/deelnemers/{eva_id}/verwijderen"), &[])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let removed = regie
        .post_form(&format!("{page_path}/deelnemers/{eva_id}/verwijderen"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let after = regie.get(removed.location()).await;
    assert_eq!(
        after.text_of("participant-removed").as_deref(),
        Some("Deelnemer 1 is verwijderd, met 0 notities en 2 stippen.")
    );
    assert!(after.shows("Er doet nog niemand mee."));
    assert_eq!(
        results(&regie, id).await,
        [("llo".to_string(), 0), ("innovatie".to_string(), 0)]
    );
    // Eva's browser is sent to join again; pressing the button twice only shows the list.
    assert_eq!(visitor.get(&page_path).await.location(), "/meedoen");
    let twice = regie
        .post_form(&format!("{page_path}/deelnemers/{eva_id}/verwijderen"), &[])
        .await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER);
    assert_eq!(twice.location(), format!("{page_path}#deelnemers"));
}

/// While people vote, the dots per theme are the facilitator's to see until they show them:
/// not on a participant's page, the projector, the results or the live events; the voting's
/// progress is. A refused dot says why.
async fn running_totals_stay_hidden_while_voting_until_the_facilitator_shows_them() {
    let app = TestApp::demo().await;
    let regie = app.login(REGIEGROEP).await;
    let w = set_up(
        &regie,
        json!({"title": "Verborgen tussenstand", "dots_per_participant": 1}),
    )
    .await;
    let id = id_of(&w);
    let (anna, _) = join(&app, w["code"].as_str().unwrap(), "Anna").await;
    phase(&regie, id, "stemmen").await;
    assert_eq!(w["totals_shown"], false);
    let mut screen = anna
        .events(&format!("/api/v1/workshops/{id}/events"), None)
        .await;
    assert_eq!(
        dot(&anna, id, "d1", "llo").await.status,
        StatusCode::CREATED
    );
    let heard = screen.take(1, WAIT).await;
    assert_eq!(heard[0].name, "dot");
    assert!(heard[0].data["dots"].is_null(), "{}", heard[0].data);
    let results = anna.get(&format!("/api/v1/workshops/{id}/results")).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    let themes = results.json()["themes"].as_array().unwrap().clone();
    assert!(themes.iter().all(|t| t.get("dots").is_none()), "{themes:?}");
    let facilitator = regie.get(&format!("/api/v1/workshops/{id}/results")).await;
    assert_eq!(facilitator.json()["themes"][0]["dots"], 1);
    let file = anna.get(&format!("/werksessies/{id}/resultaat.csv")).await;
    assert_eq!(
        file.status,
        StatusCode::CONFLICT,
        "no file counting every theme as none"
    );
    let projector = regie.get(&format!("/werksessies/{id}/scherm")).await;
    assert!(projector.shows("1 stip gezet"), "{}", projector.body);
    assert!(!projector.body.contains("class=\"dot-count\""));
    let page = regie.get(&format!("/werksessies/{id}")).await;
    assert!(page.shows("Alleen jij ziet nu de tussenstand"));
    assert!(page.body.contains("class=\"dot-count\""));

    // A second dot is refused, and the page says why.
    let res = dot(&anna, id, "d2", "innovatie").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

    totals(&regie, id, false).await;
    totals(&regie, id, true).await;
    let results = anna.get(&format!("/api/v1/workshops/{id}/results")).await;
    assert_eq!(results.json()["themes"][0]["theme"], "llo");
    assert_eq!(results.json()["themes"][0]["dots"], 1);
    let projector = regie.get(&format!("/werksessies/{id}/scherm")).await;
    assert!(projector.body.contains("class=\"dot-count\""));
    let lezer = app.login(LEZER).await;
    let res = lezer
        .api(
            Method::PUT,
            &format!("/api/v1/workshops/{id}/totals"),
            Some(json!({"shown": false})),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
