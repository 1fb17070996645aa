//! Logging in and out, languages, sessions, CSRF, throttling and security headers.

use crate::support::*;
use axum::http::StatusCode;
use stip_web::auth::throttle::{PER_ACCOUNT, PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS};

on_both!(
    an_empty_password_or_email_is_said_at_its_field,
    the_ui_is_dutch_by_default_and_english_on_request,
    logging_in_starts_a_server_side_session_and_logging_out_ends_it,
    session_cookies_are_http_only_same_site_lax_and_secure_over_https,
    passwords_are_stored_as_argon2_hashes,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    repeated_failed_logins_are_slowed_down_per_account_and_address,
    a_colleagues_failures_from_elsewhere_do_not_lock_the_owner_out,
    a_busy_address_is_slowed_down_but_never_refuses_a_correct_password,
    many_failures_behind_an_untrusted_proxy_do_not_block_other_accounts,
    behind_a_trusted_proxy_the_forwarded_address_is_the_client,
    an_overlong_email_is_refused_without_being_stored,
    a_login_email_with_control_characters_is_refused,
    instances_on_one_database_count_the_same_failures,
    a_form_without_its_csrf_token_changes_nothing,
    every_page_sends_security_headers,
    pages_use_no_inline_script_or_style,
    each_role_sees_the_menu_it_may_use,
    health_and_readiness_say_what_is_not_ready,
    every_response_carries_a_request_id,
    an_address_that_does_not_parse_gets_a_page_in_the_users_language,
    back_links_never_leave_the_site_and_never_break,
    a_body_too_large_is_refused_with_a_clear_answer,
    a_multipart_form_passes_the_csrf_check_with_its_token_only,
    a_form_over_4_mb_gets_the_too_large_page_not_the_csrf_page,
    a_failing_database_is_a_503_never_an_anonymous_visitor,
    an_api_call_without_its_csrf_token_says_to_reload_the_page,
);

async fn the_ui_is_dutch_by_default_and_english_on_request() {
    let app = TestApp::demo().await;
    let page = app.anonymous().get("/projecten").await;
    assert!(page.body.contains("<html lang=\"nl\">"));
    assert!(page.shows("Zoeken in titel en tekst"));

    let english = app
        .anonymous()
        .with_header("accept-language", "en-GB,en;q=0.9")
        .get("/projecten")
        .await;
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.shows("Search title and text"));

    // The switch remembers the choice and returns to the page.
    let s = app.anonymous();
    let switched = s.get("/taal/en?terug=/themas").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/themas");
    assert!(
        s.get("/themas")
            .await
            .shows("Strategic agenda for digitalisation")
    );
    s.get("/taal/nl?terug=/").await;
    assert!(
        s.get("/themas")
            .await
            .shows("Strategische agenda digitalisering mbo")
    );
}

async fn logging_in_starts_a_server_side_session_and_logging_out_ends_it() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let cookie = s.cookie("stip_session").expect("a session cookie");
    let home = s.get("/").await;
    assert!(home.shows("Hanna Horizon"));
    assert!(home.shows("informatiemanager"));

    s.post_form("/uitloggen", &[]).await;
    assert!(s.cookie("stip_session").is_none());
    // The old cookie opens nothing: the session is gone from the database.
    let replay = app.anonymous();
    replay.set_cookie("stip_session", &cookie);
    assert!(!replay.get("/").await.shows("Hanna Horizon"));
}

async fn session_cookies_are_http_only_same_site_lax_and_secure_over_https() {
    let app = TestApp::demo().await;
    let s = app.anonymous();
    let csrf = s.csrf().await;
    let res = s
        .post_raw(
            "/inloggen",
            &[
                ("csrf", &csrf),
                ("email", IM_HORIZON),
                ("password", "demo-horizon"),
            ],
        )
        .await;
    let cookie = res.header("set-cookie");
    assert!(cookie.starts_with("stip_session="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"));

    let https = app.anonymous().with_header("x-forwarded-proto", "https");
    let csrf = https.csrf().await;
    let res = https
        .post_raw(
            "/inloggen",
            &[
                ("csrf", &csrf),
                ("email", IM_HORIZON),
                ("password", "demo-horizon"),
            ],
        )
        .await;
    assert!(res.header("set-cookie").contains("; Secure"));
}

async fn passwords_are_stored_as_argon2_hashes() {
    let app = TestApp::demo().await;
    let (_, hash) = app
        .store()
        .user_for_login(IM_HORIZON)
        .await
        .unwrap()
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("demo-horizon"));
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::demo().await;
    let s = app.anonymous();
    let res = s
        .post_form(
            "/inloggen",
            &[("email", IM_HORIZON), ("password", "fout-wachtwoord")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.shows("Het e-mailadres of het wachtwoord klopt niet."));
    let unknown = s
        .post_form(
            "/inloggen",
            &[("email", "niemand@nergens.nl"), ("password", "x")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.shows("Het e-mailadres of het wachtwoord klopt niet."));
}

/// Logs in with a wrong password `n` times; each must be an ordinary refusal.
async fn fail_logins(s: &Session, email: &str, n: i64) {
    for _ in 0..n {
        let res = s
            .post_form("/inloggen", &[("email", email), ("password", "geraden")])
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
}

async fn log_in(s: &Session, email: &str, password: &str) -> TestResponse {
    s.post_form("/inloggen", &[("email", email), ("password", password)])
        .await
}

async fn repeated_failed_logins_are_slowed_down_per_account_and_address() {
    let app = TestApp::demo().await;
    let s = app.anonymous();
    fail_logins(&s, IM_DAVINCI, PER_ACCOUNT_AND_ADDRESS.free).await;
    // Now even the right password waits: guessing must not be able to go on.
    let blocked = log_in(&s, IM_DAVINCI, "demo-davinci").await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = blocked.header("retry-after").parse().unwrap();
    assert!((1..=2).contains(&wait), "the first wait is short: {wait}");
    assert!(blocked.shows(&format!(
        "Te veel pogingen. Wacht {wait} seconden en probeer het opnieuw."
    )));
    // Another account from the same address is not slowed down by this one.
    let other = log_in(&s, IM_HORIZON, "demo-horizon").await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

async fn a_colleagues_failures_from_elsewhere_do_not_lock_the_owner_out() {
    let app = TestApp::demo().await;
    let colleague = app.anonymous().with_address("192.0.2.10");
    fail_logins(&colleague, IM_DAVINCI, PER_ACCOUNT_AND_ADDRESS.free).await;
    let blocked = log_in(&colleague, IM_DAVINCI, "nog-een-gok").await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    // The owner, at their own address, logs in at once.
    let owner = app.anonymous().with_address("198.51.100.20");
    assert_eq!(
        log_in(&owner, IM_DAVINCI, "demo-davinci").await.status,
        StatusCode::SEE_OTHER
    );
    // Guesses spread over many addresses slow the account down for everyone, but only by
    // seconds, never the quarter of an hour a lock-out took.
    for i in 1..=PER_ACCOUNT.free - PER_ACCOUNT_AND_ADDRESS.free {
        let elsewhere = app.anonymous().with_address(&format!("203.0.113.{i}"));
        log_in(&elsewhere, IM_DAVINCI, "geraden").await;
    }
    let owner = app.anonymous().with_address("198.51.100.20");
    let res = log_in(&owner, IM_DAVINCI, "demo-davinci").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = res.header("retry-after").parse().unwrap();
    assert!(wait <= PER_ACCOUNT.max_wait, "waits {wait} s");
}

async fn a_busy_address_is_slowed_down_but_never_refuses_a_correct_password() {
    let app = TestApp::demo().await;
    let s = app.anonymous().with_address("192.0.2.99");
    for i in 0..PER_ADDRESS.free {
        let email = format!("gok{i}@nergens.nl");
        log_in(&s, &email, "x").await;
    }
    // The address is slowed down, never locked: a whole college behind one NAT address shares
    // it, and a colleague with the right password still gets in (after a short wait)…
    let started = std::time::Instant::now();
    let colleague = log_in(&s, LEZER, "demo-lezer-1").await;
    assert_eq!(
        colleague.status,
        StatusCode::SEE_OTHER,
        "{}",
        colleague.body
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    // …while a wrong password from there is refused as ever.
    let guess = log_in(&s, IM_HORIZON, "geraden").await;
    assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
}

async fn many_failures_behind_an_untrusted_proxy_do_not_block_other_accounts() {
    let app = TestApp::demo().await;
    // Twenty people behind one proxy that Stip was not told to trust mistype their password.
    for i in 0..20 {
        let s = app
            .anonymous()
            .with_address("10.0.0.1")
            .with_header("x-forwarded-for", &format!("203.0.113.{i}"));
        log_in(&s, &format!("collega{i}@horizon.demo"), "x").await;
    }
    let s = app
        .anonymous()
        .with_address("10.0.0.1")
        .with_header("x-forwarded-for", "203.0.113.200");
    assert_eq!(
        log_in(&s, LEZER, "demo-lezer-1").await.status,
        StatusCode::SEE_OTHER
    );
    // And the header of an untrusted peer is not believed: changing it does not start afresh.
    let guesser = app
        .anonymous()
        .with_address("10.0.0.1")
        .with_header("x-forwarded-for", "198.51.100.1");
    fail_logins(&guesser, IM_DAVINCI, PER_ACCOUNT_AND_ADDRESS.free).await;
    let disguised = app
        .anonymous()
        .with_address("10.0.0.1")
        .with_header("x-forwarded-for", "198.51.100.2");
    assert_eq!(
        log_in(&disguised, IM_DAVINCI, "demo-davinci").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let proxies = stip_web::TrustedProxies::parse("10.0.0.0/8").unwrap();
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_trusted_proxies(proxies));
    let guesser = app
        .anonymous()
        .with_address("10.0.0.1")
        .with_header("x-forwarded-for", "203.0.113.7");
    fail_logins(&guesser, IM_DAVINCI, PER_ACCOUNT_AND_ADDRESS.free).await;
    assert_eq!(
        log_in(&guesser, IM_DAVINCI, "demo-davinci").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The owner comes through the same proxy from another address.
    let owner = app
        .anonymous()
        .with_address("10.0.0.1")
        .with_header("x-forwarded-for", "198.51.100.9");
    assert_eq!(
        log_in(&owner, IM_DAVINCI, "demo-davinci").await.status,
        StatusCode::SEE_OTHER
    );
}

async fn an_overlong_email_is_refused_without_being_stored() {
    let app = TestApp::demo().await;
    let s = app.anonymous();
    let huge = format!("{}@nergens.nl", "a".repeat(2 * 1024 * 1024));
    let res = log_in(&s, &huge, "x").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.shows("Het e-mailadres of het wachtwoord klopt niet."));
    assert!(res.body.len() < 100_000, "the address is not sent back");
    assert_eq!(
        app.store().login_throttle_keys().await.unwrap(),
        Vec::<String>::new()
    );
    // What is kept of an ordinary failure are fixed-size hashes, not the address typed.
    log_in(&s, "Iemand@Nergens.nl", "x").await;
    let keys = app.store().login_throttle_keys().await.unwrap();
    assert_eq!(keys.len(), 3, "per account and address, account, address");
    for key in keys {
        assert_eq!(key.len(), 64);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
    }
}

async fn a_login_email_with_control_characters_is_refused() {
    {
        let app = TestApp::demo().await;
        let s = app.anonymous();
        for email in [
            "a\u{0}b@nergens.nl",
            "im@horizon.demo\u{7}",
            "a\nb@nergens.nl",
        ] {
            let res = log_in(&s, email, "demo-horizon").await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{email:?}: {}",
                res.body
            );
            assert!(res.shows("Het e-mailadres of het wachtwoord klopt niet."));
        }
    }
}

async fn instances_on_one_database_count_the_same_failures() {
    {
        let app = TestApp::demo().await;
        let second = app.another_instance().await;
        fail_logins(&app.anonymous(), IM_DAVINCI, PER_ACCOUNT_AND_ADDRESS.free).await;
        let res = log_in(&second.anonymous(), IM_DAVINCI, "demo-davinci").await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

async fn a_form_without_its_csrf_token_changes_nothing() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let id = app.project_of("25LN", "netwerk").await;
    let res = s
        .post_raw(&format!("/projecten/{id}/verwijderen"), &[])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.shows("Formulier verlopen"));
    let res = s
        .post_raw(
            &format!("/projecten/{id}/verwijderen"),
            &[("csrf", "vervalst-token-van-een-andere-site-0123456789")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        app.store().project(id).await.is_ok(),
        "the project is still there"
    );
    // The login form needs it too (against login CSRF).
    let anon = app.anonymous();
    assert_eq!(
        anon.post_raw(
            "/inloggen",
            &[("email", IM_HORIZON), ("password", "demo-horizon")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn every_page_sends_security_headers() {
    let app = TestApp::demo().await;
    for path in ["/", "/projecten", "/api/v1/projects", "/bestaat-niet"] {
        let res = app.anonymous().get(path).await;
        let csp = res.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(res.header("x-content-type-options"), "nosniff");
        assert_eq!(res.header("x-frame-options"), "DENY");
    }
}

async fn pages_use_no_inline_script_or_style() {
    let app = TestApp::demo().await;
    let s = app.login(BEHEERDER).await;
    let id = app.project_of("25LN", "netwerk").await;
    for path in [
        "/",
        "/projecten",
        &format!("/projecten/{id}"),
        &format!("/projecten/{id}/bewerken"),
        "/themas",
        "/beheer/agenda",
        "/api",
    ] {
        let body = s.get(path).await.body;
        assert!(
            !body.contains("<script>") && !body.contains("style=") && !body.contains("<style"),
            "{path} has inline script or style"
        );
    }
}

async fn each_role_sees_the_menu_it_may_use() {
    let app = TestApp::demo().await;
    assert!(
        !app.anonymous()
            .get("/")
            .await
            .body
            .contains("href=\"/beheer\"")
    );
    assert!(
        !app.login(LEZER)
            .await
            .get("/")
            .await
            .body
            .contains("href=\"/beheer\"")
    );
    assert!(
        !app.login(IM_HORIZON)
            .await
            .get("/")
            .await
            .body
            .contains("href=\"/beheer\"")
    );
    let regie = app.login(REGIEGROEP).await.get("/beheer").await;
    assert!(
        regie.body.contains("href=\"/beheer/agenda\"")
            && !regie.body.contains("href=\"/beheer/gebruikers\"")
    );
    let admin = app.login(BEHEERDER).await.get("/beheer").await;
    for section in [
        "instellingen",
        "agenda",
        "drijfveren",
        "criteria",
        "gebruikers",
    ] {
        assert!(
            admin.body.contains(&format!("href=\"/beheer/{section}\"")),
            "{section}"
        );
    }
}

/// `/healthz` says the process is alive; `/readyz` that it may take requests: the portfolio is
/// loaded and the change log followed.
async fn health_and_readiness_say_what_is_not_ready() {
    let app = TestApp::new().await;
    let res = app.anonymous().get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    let store = app.store().clone();
    let res = app.anonymous().get("/readyz").await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    store.warm().await.unwrap();
    let res = app.anonymous().get("/readyz").await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.body, "change log not followed yet");
    store.follow_changes().await.unwrap();
    let res = app.anonymous().get("/readyz").await;
    assert_eq!((res.status, res.body.as_str()), (StatusCode::OK, "ready"));
}

async fn every_response_carries_a_request_id() {
    let app = TestApp::demo().await;
    let res = app.anonymous().get("/projecten").await;
    assert_eq!(res.header("x-request-id").len(), 36, "a generated UUID");
    let kept = app
        .anonymous()
        .with_header("x-request-id", "proxy-123")
        .get("/")
        .await;
    assert_eq!(kept.header("x-request-id"), "proxy-123");
}

async fn an_address_that_does_not_parse_gets_a_page_in_the_users_language() {
    let app = TestApp::demo().await;
    let page = app
        .login(BEHEERDER)
        .await
        .get("/beheer/instellingen/25LN")
        .await;
    // An id that cannot exist is answered as one that does not (issue 7).
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("<html lang=\"nl\">") && page.shows("Niet gevonden"));
    let api = app.anonymous().get("/api/v1/projects/abc").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.header("content-type"), "application/problem+json");
}

async fn back_links_never_leave_the_site_and_never_break() {
    let app = TestApp::demo().await;
    let s = app.anonymous();
    for terug in [
        "/%5Cevil.example",
        "/%09/evil.example",
        "//evil.example",
        "https://evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "/%00",
    ] {
        let res = s.get(&format!("/taal/en?terug={terug}")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{terug}");
        assert_eq!(res.location(), "/", "language switch with terug={terug}");
        let login = s.get(&format!("/inloggen?terug={terug}")).await;
        assert_eq!(login.status, StatusCode::OK, "{terug}");
        assert!(
            login.body.contains(r#"name="terug" value="/""#),
            "login form with terug={terug} keeps only a local path"
        );
    }
    let res = s.get("/taal/en?terug=/projecten%3Fq%3Dcaf%C3%A9").await;
    assert_eq!(res.location(), "/projecten?q=caf%C3%A9");
}

async fn a_body_too_large_is_refused_with_a_clear_answer() {
    let app = TestApp::demo().await;
    let token = app.token(IM_HORIZON).await;
    // One title of 5 MB: more than the 4 MB any request may carry.
    let big = format!(r#"{{"title": "{}"}}"#, "x".repeat(5 * 1024 * 1024));
    let res = app
        .anonymous()
        .with_bearer(&token)
        .request(
            axum::http::Method::POST,
            "/api/v1/projects",
            Some("application/json"),
            big,
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.header("content-type"), "application/problem+json");
    assert_eq!(res.json()["status"], 413);
    assert!(res.json()["title"].as_str().unwrap().contains("4 MB"));
}

async fn a_multipart_form_passes_the_csrf_check_with_its_token_only() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    // A file-upload form sends multipart/form-data; without its token it changes nothing.
    let forged = s
        .post_multipart("/uitloggen", &[("notitie", "van een andere site")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.shows("Formulier verlopen"));
    assert!(s.get("/").await.shows("Hanna Horizon"), "still logged in");
    let csrf = s.csrf().await;
    let res = s
        .post_multipart("/uitloggen", &[("csrf", &csrf), ("notitie", "gewoon")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(!s.get("/").await.shows("Hanna Horizon"), "logged out");
}

async fn a_form_over_4_mb_gets_the_too_large_page_not_the_csrf_page() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let csrf = s.csrf().await;
    let big = "x".repeat(5 * 1024 * 1024);
    let res = s
        .post_raw("/projecten", &[("csrf", &csrf), ("title", &big)])
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        res.shows("Te groot"),
        "{}",
        &res.body[..res.body.len().min(500)]
    );
    assert!(!res.shows("Formulier verlopen"));
}

async fn an_empty_password_or_email_is_said_at_its_field() {
    let app = TestApp::demo().await;
    let s = app.anonymous();
    let res = log_in(&s, IM_HORIZON, "").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.text_of("e-password").as_deref(),
        Some("Vul je wachtwoord in.")
    );
    assert!(
        !res.shows("klopt niet"),
        "nothing was checked, so nothing was wrong"
    );
    let res = log_in(&s, "", "demo-horizon").await;
    assert_eq!(
        res.text_of("e-email").as_deref(),
        Some("Vul je e-mailadres in.")
    );
    // A slip is not a guess: it does not count towards the delays.
    assert!(app.store().login_throttle_keys().await.unwrap().is_empty());
}

/// The session is looked up in a database that cannot answer (issue 29, defect 10): the person
/// gets "try again" (503 with Retry-After), never the page as if they were not logged in.
async fn a_failing_database_is_a_503_never_an_anonymous_visitor() {
    let app = TestApp::demo().await;
    // A second instance, which has not seen this session yet, loses its database.
    let other = app.another_instance().await;
    let token = app
        .session_of(LEZER)
        .await
        .cookie(stip_web::auth::session::SESSION_COOKIE)
        .unwrap();
    let s = other.anonymous();
    s.set_cookie(stip_web::auth::session::SESSION_COOKIE, &token);
    other.store().close().await;
    let page = s.get("/projecten").await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert_eq!(page.header("retry-after"), "2");
    assert!(page.shows("Even niet bereikbaar"), "{}", page.body);
    assert!(!page.shows("Je ziet nu alleen openbare projecten."));
    let api = s.get("/api/v1/projects").await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        api.header("content-type")
            .starts_with("application/problem+json")
    );
    assert_eq!(api.json()["status"], 503);
    assert_eq!(api.header("retry-after"), "2");
    // The first instance, whose database answers, still knows the person.
    let here = app.anonymous();
    here.set_cookie(stip_web::auth::session::SESSION_COOKIE, &token);
    assert_eq!(here.get("/api/v1/projects").await.status, StatusCode::OK);
}

/// A script on a page that was open too long (or another site) calls the API with the session
/// cookie but without the page's CSRF token: refused, and told what to do about it.
async fn an_api_call_without_its_csrf_token_says_to_reload_the_page() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    let res = s
        .request(
            axum::http::Method::POST,
            "/api/v1/projects",
            Some("application/json"),
            r#"{"title": "Zonder token"}"#,
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let problem = res.json();
    assert_eq!(problem["title"], "Formulier verlopen");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("laad de pagina opnieuw"),
        "{problem}"
    );
}
