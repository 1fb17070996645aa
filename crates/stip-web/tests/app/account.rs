//! "Mijn account": one's own password and personal API tokens; tokens after a password reset.

use crate::support::*;
use axum::http::{Method, StatusCode};

on_both!(
    a_password_reset_by_a_beheerder_revokes_the_tokens_unless_unticked,
    the_account_page_makes_lists_and_revokes_personal_api_tokens,
    the_account_page_changes_the_own_password_after_the_current_one,
    the_account_page_needs_a_login,
);

/// Whether a personal API token still opens the API.
async fn works(app: &TestApp, token: &str) -> bool {
    let res = app
        .anonymous()
        .with_bearer(token)
        .api(Method::GET, "/api/v1/projects?per_page=1", None)
        .await;
    match res.status {
        StatusCode::OK => true,
        StatusCode::UNAUTHORIZED => false,
        other => panic!("unexpected {other}: {}", res.body),
    }
}

/// The id in the first "revoke" form of the account page.
fn first_revoke_id(page: &TestResponse) -> i64 {
    let start = page
        .body
        .find("/account/tokens/")
        .expect("a token to revoke")
        + 16;
    let rest = &page.body[start..];
    rest[..rest.find('/').unwrap()].parse().unwrap()
}

async fn a_password_reset_by_a_beheerder_revokes_the_tokens_unless_unticked() {
    let app = TestApp::demo().await;
    let token = app.token(IM_HORIZON).await;
    assert!(works(&app, &token).await);
    let hanna = app.store().user_by_email(IM_HORIZON).await.unwrap();
    let beheer = app.login(BEHEERDER).await;
    let form = beheer
        .get(&format!("/beheer/gebruikers/{}", hanna.id))
        .await;
    assert!(form.shows("Ook alle API-tokens intrekken"));
    assert!(
        form.body
            .contains(r#"name="revoke_tokens" value="1" checked"#),
        "ticked by default"
    );
    let reset = |version: String, revoke: bool| {
        let mut fields = vec![
            ("email", IM_HORIZON.to_string()),
            ("name", "Hanna Horizon".to_string()),
            ("role", "informatiemanager".to_string()),
            ("institution", "25LN".to_string()),
            ("active", "1".to_string()),
            ("password", "een-nieuw-wachtwoord".to_string()),
            ("version", version),
        ];
        if revoke {
            fields.push(("revoke_tokens", "1".to_string()));
        }
        fields
    };
    let version = |app: &TestApp| {
        let store = app.store().clone();
        async move { store.user(hanna.id).await.unwrap().version.to_string() }
    };
    let fields = reset(version(&app).await, false);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = beheer
        .post_form(&format!("/beheer/gebruikers/{}", hanna.id), &pairs)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(works(&app, &token).await, "unticked: the token stays");

    let fields = reset(version(&app).await, true);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = beheer
        .post_form(&format!("/beheer/gebruikers/{}", hanna.id), &pairs)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(!works(&app, &token).await, "the old token gets 401");
}

async fn the_account_page_makes_lists_and_revokes_personal_api_tokens() {
    let app = TestApp::demo().await;
    let s = app.login(IM_HORIZON).await;
    assert!(
        s.get("/").await.body.contains(r#"href="/account""#),
        "in the user menu"
    );
    let page = s.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Mijn account"));
    assert!(page.shows("Je hebt nog geen API-tokens."));

    let made = s
        .post_form("/account/tokens", &[("token_name", "Koppeling Power BI")])
        .await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.shows("Kopieer het nu"));
    let start = made
        .body
        .find("value=\"stip_")
        .expect("the token, shown once")
        + 7;
    let token = &made.body[start..start + made.body[start..].find('"').unwrap()];
    assert!(works(&app, token).await);

    let page = s.get("/account").await;
    assert!(page.shows("Koppeling Power BI"));
    assert!(!page.body.contains(token), "shown only once");
    let id = first_revoke_id(&page);

    // Someone else cannot revoke it.
    let other = app.login(IM_DAVINCI).await;
    let res = other
        .post_form(&format!("/account/tokens/{id}/intrekken"), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(works(&app, token).await);

    let res = s
        .post_form(&format!("/account/tokens/{id}/intrekken"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        s.get(res.location())
            .await
            .shows("Het token is ingetrokken.")
    );
    assert!(!works(&app, token).await);
    assert!(
        s.get("/account")
            .await
            .shows("Je hebt nog geen API-tokens.")
    );
}

async fn the_account_page_changes_the_own_password_after_the_current_one() {
    let app = TestApp::demo().await;
    let token = app.token(IM_HORIZON).await;
    let s = app.login(IM_HORIZON).await;
    let elsewhere = app.login(IM_HORIZON).await;
    let wrong = s
        .post_form(
            "/account/wachtwoord",
            &[
                ("current_password", "niet-mijn-wachtwoord"),
                ("new_password", "een-nieuw-wachtwoord"),
                ("revoke_tokens", "1"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.text_of("e-current_password").as_deref(),
        Some("Dit is niet je huidige wachtwoord.")
    );
    assert!(wrong.body.contains("error-summary"));
    let res = s
        .post_form(
            "/account/wachtwoord",
            &[
                ("current_password", "demo-horizon"),
                ("new_password", "een-nieuw-wachtwoord"),
                ("revoke_tokens", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        s.get(res.location())
            .await
            .shows("Je wachtwoord is gewijzigd.")
    );
    assert!(
        s.get("/").await.shows("Hanna Horizon"),
        "this session goes on"
    );
    assert!(
        !elsewhere.get("/").await.shows("Hanna Horizon"),
        "others end"
    );
    assert!(!works(&app, &token).await, "tokens revoked as asked");
    let again = app.anonymous();
    let res = again
        .post_form(
            "/inloggen",
            &[("email", IM_HORIZON), ("password", "een-nieuw-wachtwoord")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

async fn the_account_page_needs_a_login() {
    let app = TestApp::demo().await;
    let res = app.anonymous().get("/account").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/inloggen?terug=%2Faccount");
}
