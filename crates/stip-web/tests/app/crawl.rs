//! Every page each role reaches by following links, in both languages, says what it says in
//! words: no raw translation key ("workshop.new_for_meeting") is ever shown (issue 32).

use crate::support::*;
use axum::http::{HeaderValue, Method, StatusCode, header};
use std::collections::{BTreeSet, VecDeque};
use stip_core::user::Role;

on_both!(no_page_of_any_role_shows_a_raw_translation_key);

/// How many pages a role's crawl reads at most, per language.
const MOST_PAGES: usize = 150;

/// The top-level sections of the locale files: a raw key starts with one of them.
fn sections() -> Vec<String> {
    let text = include_str!("../../locales/nl.yml");
    text.lines()
        .filter(|l| !l.starts_with(' ') && l.ends_with(':'))
        .map(|l| l.trim_end_matches(':').to_string())
        .collect()
}

/// Every key name of the locale files, at any depth: a raw key ends with one.
fn key_names() -> BTreeSet<String> {
    let text = include_str!("../../locales/nl.yml");
    text.lines()
        .filter_map(|l| l.trim_start().split_once(':'))
        .map(|(name, _)| name.to_string())
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// The key-shaped words of a page: `section.….key` in lower case whose last part is a key name
/// of the locales (a domain such as `horizon.demo` is not), outside addresses and mail
/// addresses (which are read as one word with their `/`, `:` and `@`).
fn keys_shown(html: &str, sections: &[String], names: &BTreeSet<String>) -> Vec<String> {
    html.split(|c: char| !(c.is_ascii_alphanumeric() || "_.@/:-".contains(c)))
        .filter(|w| {
            w.contains('.')
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                && w.split('.').all(|part| !part.is_empty())
                && sections
                    .iter()
                    .any(|s| w.split('.').next() == Some(s.as_str()))
                && w.rsplit('.')
                    .next()
                    .is_some_and(|last| names.contains(last))
        })
        .map(str::to_string)
        .collect()
}

/// The links of a page to follow: pages of Stip, not files, feeds, the API or logging out.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("href=\"/") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = html_decode(&rest[..end]);
        let path = href.split(['#', '?']).next().unwrap_or("").to_string();
        let skip = [
            "/uitloggen",
            "/api",
            "/assets",
            "/agenda/",
            "/sso",
            "/meedoen",
            "/healthz",
        ]
        .iter()
        .any(|p| path.starts_with(p))
            || [
                ".csv", ".xlsx", ".md", ".pdf", ".ics", ".json", ".svg", ".css", ".js",
            ]
            .iter()
            .any(|e| path.ends_with(e));
        if !skip && !path.is_empty() {
            out.push(href.split('#').next().unwrap_or("").to_string());
        }
    }
    out
}

async fn no_page_of_any_role_shows_a_raw_translation_key() {
    let app = TestApp::demo().await;
    let regie = app.session(Role::Regiegroep).await;
    // A meeting, so its page (where raw keys once showed) is reached.
    let made = regie
        .api(
            Method::POST,
            "/api/v1/meetings",
            Some(serde_json::json!({
                "title": "Netwerkbijeenkomst voor de crawl",
                "starts_at": "2026-12-10T13:30:00+01:00",
                "ends_at": "2026-12-10T17:00:00+01:00",
            })),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let sections = sections();
    assert!(sections.iter().any(|s| s == "workshop"), "{sections:?}");
    let names = key_names();
    // The check finds what it is for.
    assert_eq!(
        keys_shown(
            "<p>workshop.new_for_meeting</p> im@horizon.demo",
            &sections,
            &names
        ),
        ["workshop.new_for_meeting"]
    );
    let mut sessions = vec![("anonymous", app.anonymous())];
    for role in [
        Role::Lezer,
        Role::Informatiemanager,
        Role::Regiegroep,
        Role::Beheerder,
    ] {
        sessions.push((role.code(), app.session(role).await));
    }
    let mut found = Vec::new();
    let mut pages = 0;
    let mut reached = BTreeSet::new();
    for (who, mut session) in sessions {
        for lang in ["nl", "en"] {
            session
                .headers
                .insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static(lang));
            let mut seen = BTreeSet::new();
            let mut queue = VecDeque::from(["/".to_string()]);
            while let Some(href) = queue.pop_front() {
                let path = href.split('?').next().unwrap_or("").to_string();
                if !seen.insert(path) || seen.len() > MOST_PAGES {
                    continue;
                }
                let page = session.get(&href).await;
                if page.status != StatusCode::OK {
                    continue;
                }
                pages += 1;
                reached.insert(href.split('?').next().unwrap_or("").to_string());
                for key in keys_shown(&page.body, &sections, &names) {
                    found.push(format!("{who} ({lang}) {href}: {key}"));
                }
                queue.extend(links(&page.body));
            }
        }
    }
    assert!(pages > 200, "the crawl reached {pages} pages");
    let meeting = format!("/bijeenkomsten/{}", made.json()["id"]);
    assert!(
        reached.contains(&meeting),
        "{meeting} not reached: {reached:?}"
    );
    found.sort();
    found.dedup();
    assert!(
        found.is_empty(),
        "raw translation keys shown:\n{}",
        found.join("\n")
    );
}
