//! Absolute links (issue 29, defect 9): a workshop's join link and QR code, a meeting's calendar
//! file and the personal feed's address start with `STIP_PUBLIC_URL` when it is set; without it
//! they follow the request, and `X-Forwarded-Host`/`-Proto` count only from a trusted proxy.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

on_both!(
    forwarded_headers_from_anyone_but_a_trusted_proxy_do_not_move_links,
    with_a_public_url_every_absolute_link_starts_with_it,
);

/// A workshop's join link and a meeting's calendar file, as `s` gets them.
async fn links_seen_by(s: &Session) -> (String, String, String) {
    let workshop = s
        .api(
            Method::POST,
            "/api/v1/workshops",
            Some(json!({"title": "Werksessie prioriteiten"})),
        )
        .await;
    assert_eq!(workshop.status, StatusCode::CREATED, "{}", workshop.body);
    let join = workshop.json()["join_url"].as_str().unwrap().to_string();
    let meeting = s
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(json!({
                "title": "Netwerkbijeenkomst",
                "starts_at": "2026-12-10T13:30:00+01:00",
                "ends_at": "2026-12-10T17:00:00+01:00",
            })),
        )
        .await;
    assert_eq!(meeting.status, StatusCode::CREATED, "{}", meeting.body);
    let id = meeting.json()["id"].as_i64().unwrap();
    let ics = s
        .get(&format!("/api/v1/meetings/{id}/ics"))
        .await
        .body
        .replace("\r\n ", "");
    let page = s.get("/bijeenkomsten").await.body;
    let feed = page
        .split("value=\"")
        .find_map(|rest| rest.split('"').next().filter(|v| v.contains("/agenda/")))
        .expect("the feed address on the page")
        .to_string();
    (join, ics, feed)
}

async fn forwarded_headers_from_anyone_but_a_trusted_proxy_do_not_move_links() {
    let app = TestApp::demo().await;
    let regie = app
        .login(REGIEGROEP)
        .await
        .with_address("203.0.113.9")
        .with_header("host", "stip.college.nl")
        .with_header("x-forwarded-host", "evil.example")
        .with_header("x-forwarded-proto", "https");
    let (join, ics, feed) = links_seen_by(&regie).await;
    assert!(
        join.starts_with("http://stip.college.nl/meedoen?code="),
        "{join}"
    );
    assert!(!ics.contains("evil.example"), "{ics}");
    assert!(
        ics.contains("http://stip.college.nl/bijeenkomsten/"),
        "{ics}"
    );
    assert!(feed.starts_with("http://stip.college.nl/agenda/"), "{feed}");

    // From the proxy Stip was told to trust, the forwarded host and scheme are the address.
    let proxied = app.with_state(|s| {
        s.with_trusted_proxies(stip_web::TrustedProxies::parse("10.0.0.1").unwrap())
    });
    let regie = proxied
        .login(REGIEGROEP)
        .await
        .with_address("10.0.0.1")
        .with_header("host", "10.0.0.5:8080")
        .with_header("x-forwarded-host", "stip.college.nl")
        .with_header("x-forwarded-proto", "https");
    let (join, _, feed) = links_seen_by(&regie).await;
    assert!(
        join.starts_with("https://stip.college.nl/meedoen?code="),
        "{join}"
    );
    assert!(
        feed.starts_with("https://stip.college.nl/agenda/"),
        "{feed}"
    );
}

async fn with_a_public_url_every_absolute_link_starts_with_it() {
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_public_url("https://stip.mbo-netwerk.nl/"));
    // Whatever the request says, even from a trusted proxy.
    let regie = app
        .login(REGIEGROEP)
        .await
        .with_header("host", "evil.example")
        .with_header("x-forwarded-host", "evil.example");
    let (join, ics, feed) = links_seen_by(&regie).await;
    assert!(
        join.starts_with("https://stip.mbo-netwerk.nl/meedoen?code="),
        "{join}"
    );
    assert!(!ics.contains("evil.example"), "{ics}");
    assert!(
        ics.contains("URL:https://stip.mbo-netwerk.nl/bijeenkomsten/"),
        "{ics}"
    );
    assert!(
        ics.contains("@stip.mbo-netwerk.nl"),
        "the UID names the public host: {ics}"
    );
    assert!(
        feed.starts_with("https://stip.mbo-netwerk.nl/agenda/"),
        "{feed}"
    );
}
