//! Logging in with SURFconext (issue 17), what can be checked without a provider: the
//! beheerder's rules (page and API), password login switched off for everyone but beheerders,
//! institutions' domains, and the pages for a provider that cannot be reached and for a way back
//! this browser did not start. The whole login against a real OpenID Connect provider is in the
//! browser suite (`e2e/tests/oidc.spec.js`).

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use stip_core::user::Role;
use stip_web::auth::sso::{Oidc, OidcConfig};

on_both!(
    without_sso_there_is_no_button_and_passwords_stay_whatever_the_rule,
    a_provider_that_cannot_be_reached_gives_a_page_to_try_again,
    a_way_back_this_browser_did_not_start_is_refused,
    the_beheerder_keeps_passwords_for_beheerders_only,
    only_the_beheerder_sets_the_rules_and_they_are_checked_by_field,
    institutions_take_their_domains_once,
    passwords_for_beheerders_only_end_what_a_password_opened,
);

const SETTINGS: &str = "/api/v1/login-settings";
const BEHEERDER: &str = "beheer@stip.demo";
const LEZER: &str = "lezer@stip.demo";

/// SURFconext configured at an address where nothing listens (port 9 on loopback: discard,
/// never served here), so every request to the provider fails at once.
fn unreachable_provider() -> Oidc {
    Oidc::new(OidcConfig {
        issuer: "http://127.0.0.1:9".into(),
        client_id: "stip".into(),
        client_secret: "geheim".into(),
        public_url: "http://stip.test".into(),
        scopes: vec!["openid".into(), "profile".into(), "email".into()],
    })
    .expect("a valid configuration")
}

async fn login_with_password(app: &TestApp, email: &str, password: &str) -> TestResponse {
    app.anonymous()
        .post_form("/inloggen", &[("email", email), ("password", password)])
        .await
}

async fn without_sso_there_is_no_button_and_passwords_stay_whatever_the_rule() {
    let app = TestApp::demo().await;
    let page = app.anonymous().get("/inloggen").await;
    assert!(
        !page.shows("Inloggen met je instellingsaccount"),
        "{}",
        page.body
    );
    assert_eq!(
        app.anonymous().get("/inloggen/oidc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.anonymous()
            .get("/inloggen/oidc/terug?code=x&state=y")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The rule is kept, but without SURFconext nobody could log in otherwise.
    let admin = app.login(BEHEERDER).await;
    let saved = admin
        .api(
            Method::PUT,
            SETTINGS,
            Some(json!({"password_login": "beheerders", "sso_role": "lezer"})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let settings = admin.get("/beheer/inloggen").await;
    assert!(
        settings.shows("SURFconext is niet ingesteld"),
        "{}",
        settings.body
    );
    let lezer = login_with_password(&app, LEZER, "demo-lezer-1").await;
    assert_eq!(lezer.status, StatusCode::SEE_OTHER, "{}", lezer.body);
}

async fn a_provider_that_cannot_be_reached_gives_a_page_to_try_again() {
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_oidc(unreachable_provider()));
    let page = app.anonymous().get("/inloggen?terug=/projecten").await;
    assert!(
        page.shows("Inloggen met je instellingsaccount (SURFconext)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/inloggen/oidc?terug=%2Fprojecten\""),
        "{}",
        page.body
    );
    let down = app.anonymous().get("/inloggen/oidc?terug=/projecten").await;
    assert_eq!(
        down.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        down.body
    );
    assert!(down.shows("Inloggen is niet gelukt"), "{}", down.body);
    assert!(
        down.shows("SURFconext is nu niet bereikbaar"),
        "{}",
        down.body
    );
    assert!(
        down.body
            .contains("href=\"/inloggen/oidc?terug=%2Fprojecten\""),
        "{}",
        down.body
    );
    assert!(down.shows("Opnieuw inloggen"));
    // Nothing was kept for a login that never left.
    let kept = stip_store::testing::scalar(app.store(), "SELECT COUNT(*) FROM oidc_logins").await;
    assert_eq!(kept.unwrap(), 0);
}

async fn a_way_back_this_browser_did_not_start_is_refused() {
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_oidc(unreachable_provider()));
    let s = app.anonymous();
    // No state cookie at all, and one that does not match: refused before the provider is asked
    // (it cannot be reached, so asking would give another page).
    let none = s.get("/inloggen/oidc/terug?code=abc&state=verzonnen").await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST, "{}", none.body);
    assert!(
        none.shows("verlopen of hoort niet bij deze browser"),
        "{}",
        none.body
    );
    assert!(none.shows("Opnieuw inloggen"));
    let cookie = app
        .anonymous()
        .with_header("cookie", "stip_oidc=anders")
        .get("/inloggen/oidc/terug?code=abc&state=verzonnen")
        .await;
    assert_eq!(cookie.status, StatusCode::BAD_REQUEST, "{}", cookie.body);
    // The same state in cookie and query, but none that Stip sent: refused too.
    let forged = app
        .anonymous()
        .with_header("cookie", "stip_oidc=verzonnen")
        .get("/inloggen/oidc/terug?code=abc&state=verzonnen")
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST, "{}", forged.body);
    assert!(!forged.shows("niet bereikbaar"));
    // And the provider saying the person cancelled, without a state Stip knows: the same.
    let cancelled = s.get("/inloggen/oidc/terug?error=access_denied").await;
    assert_eq!(cancelled.status, StatusCode::BAD_REQUEST);
    // A link page without a waiting link is refused the same way.
    let link = s.get("/inloggen/oidc/koppelen").await;
    assert_eq!(link.status, StatusCode::BAD_REQUEST, "{}", link.body);
    let post = s
        .post_form("/inloggen/oidc/koppelen", &[("password", "x")])
        .await;
    assert_eq!(post.status, StatusCode::BAD_REQUEST, "{}", post.body);
}

async fn the_beheerder_keeps_passwords_for_beheerders_only() {
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_oidc(unreachable_provider()));
    let admin = app.login(BEHEERDER).await;
    let saved = admin
        .post_form(
            "/beheer/inloggen",
            &[
                ("password_login", "beheerders"),
                ("sso_role", "informatiemanager"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = admin.get(saved.location()).await;
    assert!(
        page.shows("De instellingen zijn opgeslagen."),
        "{}",
        page.body
    );
    assert!(
        page.shows("Stip logt mensen in via SURFconext (http://127.0.0.1:9)"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"beheerders\" checked"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"informatiemanager\" selected"),
        "{}",
        page.body
    );

    // The right password of a lezer: refused, with the way that does work.
    let lezer = login_with_password(&app, LEZER, "demo-lezer-1").await;
    assert_eq!(lezer.status, StatusCode::FORBIDDEN, "{}", lezer.body);
    assert!(lezer.shows("alleen nog voor beheerders"), "{}", lezer.body);
    assert!(!lezer.header("set-cookie").contains("stip_session="));
    // A wrong password is still just wrong (the rule says nothing about the account).
    let wrong = login_with_password(&app, LEZER, "fout").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // A beheerder still gets in, to repair what SURFconext cannot.
    let beheerder = login_with_password(&app, BEHEERDER, "demo-beheerder").await;
    assert_eq!(
        beheerder.status,
        StatusCode::SEE_OTHER,
        "{}",
        beheerder.body
    );

    // Back to everyone: the lezer logs in again.
    admin
        .api(
            Method::PUT,
            SETTINGS,
            Some(json!({"password_login": "everyone", "sso_role": "lezer"})),
        )
        .await;
    let again = login_with_password(&app, LEZER, "demo-lezer-1").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
}

async fn only_the_beheerder_sets_the_rules_and_they_are_checked_by_field() {
    let app = TestApp::demo().await;
    assert_eq!(
        app.anonymous().get(SETTINGS).await.status,
        StatusCode::UNAUTHORIZED
    );
    for role in [Role::Regiegroep, Role::Informatiemanager, Role::Lezer] {
        let s = app.session(role).await;
        assert_eq!(
            s.get(SETTINGS).await.status,
            StatusCode::FORBIDDEN,
            "{role:?}"
        );
        let put = s
            .api(
                Method::PUT,
                SETTINGS,
                Some(json!({"password_login": "beheerders", "sso_role": "lezer"})),
            )
            .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(
            s.get("/beheer/inloggen").await.status,
            StatusCode::FORBIDDEN
        );
    }
    let admin = app.session(Role::Beheerder).await;
    let default = admin.get(SETTINGS).await;
    assert_eq!(
        default.json(),
        json!({"password_login": "everyone", "sso_role": "lezer"})
    );
    let refused = admin
        .api(
            Method::PUT,
            SETTINGS,
            Some(json!({"password_login": "niemand", "sso_role": "beheerder"})),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let fields = refused.refused_fields();
    assert_eq!(fields, ["password_login", "sso_role"]);
    assert_eq!(
        admin.get(SETTINGS).await.json()["password_login"],
        "everyone"
    );
    let form = admin
        .post_form(
            "/beheer/inloggen",
            &[("password_login", ""), ("sso_role", "regiegroep")],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        form.body.contains("href=\"#f-password_login\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("href=\"#f-sso_role\""), "{}", form.body);
    // The beheer page lists it.
    assert!(
        admin
            .get("/beheer")
            .await
            .body
            .contains("href=\"/beheer/inloggen\"")
    );
}

async fn institutions_take_their_domains_once() {
    let app = TestApp::demo().await;
    let admin = app.session(Role::Beheerder).await;
    let list = admin.get("/api/v1/institutions").await.json();
    let horizon = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["brin"] == "25LN")
        .unwrap();
    assert_eq!(horizon["domains"], json!(["horizon.demo"]));

    let fields = |domains: &'static str| {
        [
            ("brin", "31ZZ"),
            ("name", "Zeeland College"),
            ("short_name", "Zeeland"),
            ("region", ""),
            ("students", ""),
            ("domains", domains),
        ]
    };
    let bad = admin
        .post_form("/beheer/instellingen/nieuw", &fields("zeeland"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.shows("Vul domeinnamen in zoals horizoncollege.nl"),
        "{}",
        bad.body
    );
    let taken = admin
        .post_form(
            "/beheer/instellingen/nieuw",
            &fields("zeeland.nl horizon.demo"),
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.body
    );
    assert!(
        taken.shows("Deze waarde is al in gebruik."),
        "{}",
        taken.body
    );
    let made = admin
        .post_form(
            "/beheer/instellingen/nieuw",
            &fields("Zeeland.NL, student.zeeland.nl"),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let list = admin.get("/api/v1/institutions").await.json();
    let zeeland = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["brin"] == "31ZZ")
        .unwrap();
    assert_eq!(
        zeeland["domains"],
        json!(["zeeland.nl", "student.zeeland.nl"])
    );
    // The beheerder's list says which institutions SURFconext can find.
    let page = admin.get("/beheer/instellingen").await;
    assert!(page.shows("zeeland.nl student.zeeland.nl"), "{}", page.body);
}

/// Switching passwords to beheerders only ends what a password opened for everyone else (issue
/// 29): their sessions and the API tokens of accounts that can no longer log in at all; the
/// beheerder's own session and token go on.
async fn passwords_for_beheerders_only_end_what_a_password_opened() {
    let app = TestApp::demo()
        .await
        .with_state(|s| s.with_oidc(unreachable_provider()));
    let lezer = app.login(LEZER).await;
    assert_eq!(lezer.get("/api/v1/projects").await.status, StatusCode::OK);
    let lezer_token = app.token(LEZER).await;
    let admin = app.login(BEHEERDER).await;
    let admin_token = app.token(BEHEERDER).await;
    let saved = admin
        .post_form(
            "/beheer/inloggen",
            &[("password_login", "beheerders"), ("sso_role", "lezer")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = admin.get(saved.location()).await;
    assert!(page.shows("is nu uitgelogd"), "{}", page.body);

    // The lezer's session is over: the next page is an anonymous visitor's.
    let after = lezer.get("/api/v1/meetings").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.body);
    let by_token = app
        .anonymous()
        .with_bearer(&lezer_token)
        .get("/api/v1/meetings")
        .await;
    assert_eq!(by_token.status, StatusCode::UNAUTHORIZED);
    // The beheerder carries on, by session and by token.
    assert_eq!(admin.get("/api/v1/meetings").await.status, StatusCode::OK);
    let admin_api = app
        .anonymous()
        .with_bearer(&admin_token)
        .get("/api/v1/meetings")
        .await;
    assert_eq!(admin_api.status, StatusCode::OK);
}
