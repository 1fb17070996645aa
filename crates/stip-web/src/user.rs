//! Accounts: the beheerder adds people, gives them a role (and an institution for an
//! informatiemanager), resets passwords and deactivates accounts.

use crate::admin::{self, Field, Kind};
use crate::auth::Viewer;
use crate::auth::password::hash_password;
use crate::http::extract::Form;
use crate::http::extract::Id;
use crate::ui::form::{Errors, checked};
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use stip_core::Invalid;
use stip_core::access::Action;
use stip_core::institution::Institution;
use stip_core::user::{AccountData, AccountInput, Role};
use stip_store::StoreError;
use stip_store::user::{NewPassword, UserData};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer/gebruikers", get(list))
        .route("/beheer/gebruikers/nieuw", get(new).post(create))
        .route("/beheer/gebruikers/{id}", get(edit).post(update))
}

/// The account form as sent; checkboxes are present (`1`) or absent.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AccountForm {
    email: String,
    name: String,
    role: String,
    /// BRIN code; an informatiemanager needs one.
    institution: String,
    active: String,
    password: String,
    revoke_tokens: String,
    version: String,
}

/// Parses the account form (the rules are `AccountData::parse`, shared with `stip user add`).
pub fn parse_account(
    p: &AccountForm,
    institutions: &[Institution],
    password_required: bool,
) -> Result<AccountData, Invalid> {
    let input = AccountInput {
        email: p.email.clone(),
        name: p.name.clone(),
        role: p.role.clone(),
        institution: p.institution.clone(),
        active: checked(&p.active),
        password: p.password.clone(),
    };
    AccountData::parse(&input, institutions, password_required)
}

fn fields(c: &Chrome, p: &AccountForm, institutions: &[Institution], is_new: bool) -> Vec<Field> {
    let roles = Role::ALL
        .iter()
        .map(|r| (r.code().to_string(), c.label("role", r.code())))
        .collect();
    let insts = institutions
        .iter()
        .map(|i| (i.data.brin.to_string(), i.data.name.clone()))
        .collect();
    let mut fields = vec![
        Field::new(c, "email", &p.email, Kind::Email).required(c),
        Field::new(c, "name", &p.name, Kind::Text).required(c),
        Field::new(c, "role", &p.role, Kind::Select(roles, String::new())),
        Field::new(
            c,
            "institution",
            &p.institution,
            Kind::Select(insts, c.t("form.none")),
        )
        .hint(c.t("hint.user_institution")),
        Field::new(
            c,
            "active",
            if checked(&p.active) { "1" } else { "" },
            Kind::Checkbox,
        ),
    ];
    if is_new {
        fields.push(
            Field::new(c, "password", "", Kind::Password)
                .hint(c.t("hint.password"))
                .required(c),
        );
    } else {
        fields.push(Field::new(c, "password", "", Kind::Password).hint(c.t("hint.password_keep")));
        // A reset after a leak must not leave a token working: revoking is the default.
        fields.push(Field::new(
            c,
            "revoke_tokens",
            if checked(&p.revoke_tokens) { "1" } else { "" },
            Kind::Checkbox,
        ));
    }
    fields
}

/// The argon2 hash of a password, computed off the async threads (it takes tens of milliseconds).
async fn hashed(password: String) -> Result<String, Error> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    let (users, institutions) = (
        state.store.users().await?,
        state.store.institutions().await?,
    );
    let c = viewer.chrome();
    let rows = users
        .into_iter()
        .map(|u| {
            let inst = u
                .institution_id
                .and_then(|id| institutions.iter().find(|i| i.id == id))
                .map(|i| i.data.name.clone())
                .unwrap_or_default();
            let active = c.t(if u.active {
                "admin.active"
            } else {
                "admin.inactive"
            });
            (
                format!("/beheer/gebruikers/{}", u.id),
                vec![
                    u.name,
                    u.email,
                    c.label("role", u.role.code()),
                    inst,
                    active,
                ],
            )
        })
        .collect();
    Ok(render(&admin::ListPage {
        title: c.t("admin.users"),
        intro: c.t("admin.users_text"),
        new_href: "/beheer/gebruikers/nieuw".into(),
        new_label: c.t("admin.new_user"),
        columns: vec![
            c.t("field.name"),
            c.t("field.email"),
            c.t("field.role"),
            c.t("field.institution"),
            c.t("field.active"),
        ],
        rows,
        c,
    }))
}

fn form(
    viewer: &Viewer,
    p: &AccountForm,
    institutions: &[Institution],
    id: Option<i64>,
) -> admin::FormPage {
    let c = viewer.chrome();
    let title = match id {
        None => c.t("admin.new_user"),
        Some(_) => format!("{}: {}", c.t("admin.edit"), p.name),
    };
    let action = id
        .map(|id| format!("/beheer/gebruikers/{id}"))
        .unwrap_or_else(|| "/beheer/gebruikers/nieuw".into());
    let fields = fields(&c, p, institutions, id.is_none());
    let back = ("/beheer/gebruikers", c.t("admin.users"));
    admin::FormPage::new(c, title, action, back, fields)
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    let institutions = state.store.institutions().await?;
    let p = AccountForm {
        role: "lezer".into(),
        active: "1".into(),
        ..Default::default()
    };
    Ok(form(&viewer, &p, &institutions, None).show())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(p): Form<AccountForm>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    let institutions = state.store.institutions().await?;
    let again =
        |invalid| form(&viewer, &p, &institutions, None).refused(Errors::new(viewer.lang, invalid));
    let account = match parse_account(&p, &institutions, true) {
        Ok(a) => a,
        Err(invalid) => return Ok(again(invalid)),
    };
    let hash = hashed(account.password.clone().unwrap_or_default()).await?;
    let data = UserData {
        email: &account.email,
        name: &account.name,
        role: account.role,
        institution_id: account.institution_id,
        active: account.active,
    };
    match state.store.create_user(&data, &hash).await {
        Ok(_) => Ok(Redirect::to("/beheer/gebruikers").into_response()),
        Err(StoreError::Invalid(invalid)) => Ok(again(invalid)),
        Err(e) => Err(e.into()),
    }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    let (u, institutions) = (
        state.store.user(id).await?,
        state.store.institutions().await?,
    );
    let brin = u
        .institution_id
        .and_then(|id| institutions.iter().find(|i| i.id == id))
        .map(|i| i.data.brin.to_string())
        .unwrap_or_default();
    let p = AccountForm {
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.code().into(),
        institution: brin,
        active: if u.active { "1".into() } else { String::new() },
        revoke_tokens: "1".into(),
        ..Default::default()
    };
    Ok(form(&viewer, &p, &institutions, Some(id))
        .version(u.version)
        .show())
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<AccountForm>,
) -> Result<Response, Error> {
    viewer.require(Action::ManageUsers)?;
    let version: i64 = p.version.trim().parse().unwrap_or(0);
    let institutions = state.store.institutions().await?;
    let again = |version| form(&viewer, &p, &institutions, Some(id)).version(version);
    let account = match parse_account(&p, &institutions, false) {
        Ok(a) => a,
        Err(invalid) => {
            return Ok(again(version).refused(Errors::new(viewer.lang, invalid)));
        }
    };
    let hash = match account.password {
        Some(password) => Some(hashed(password).await?),
        None => None,
    };
    let data = UserData {
        email: &account.email,
        name: &account.name,
        role: account.role,
        institution_id: account.institution_id,
        active: account.active,
    };
    let new_password = hash.as_deref().map(|hash| NewPassword {
        hash,
        revoke_tokens: checked(&p.revoke_tokens),
    });
    match state
        .store
        .update_user(
            id,
            stip_core::Version(version),
            &data,
            new_password.as_ref(),
        )
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            let current = state.store.user(id).await?.version;
            return Ok(again(current).conflict());
        }
        Err(StoreError::Invalid(invalid)) => {
            return Ok(again(version).refused(Errors::new(viewer.lang, invalid)));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to("/beheer/gebruikers").into_response())
}
