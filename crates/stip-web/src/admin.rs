//! Beheer: the management pages' shared parts. A list page and a form page described by data,
//! so each reference list (institutions, agenda, drivers, MORA areas, criteria, users) only says
//! its fields.

use crate::auth::Viewer;
use crate::http::extract::Form;
use crate::http::extract::Id;
use crate::ui::form::Errors;
use crate::ui::layout::{Chrome, render};
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use stip_core::access::Action;
use stip_core::{Invalid, Version};
use stip_store::StoreError;

pub enum Kind {
    Text,
    Email,
    Password,
    Number,
    Colour,
    Textarea,
    Checkbox,
    /// (value, label); the first text is the empty choice, if any.
    Select(Vec<(String, String)>, String),
}

pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub kind: Kind,
    pub hint: String,
    /// Required fields are the usual case; the others say "(optioneel)" in their label.
    pub required: bool,
    optional: String,
}

impl Field {
    pub fn new(c: &Chrome, name: &'static str, value: impl Into<String>, kind: Kind) -> Field {
        Field {
            name,
            label: c.t(&format!("field.{name}")),
            value: value.into(),
            kind,
            hint: String::new(),
            required: false,
            optional: c.t("form.optional"),
        }
    }

    /// The label as shown: "Regio (optioneel)" for a field that may stay empty (WCAG 3.3.2, as
    /// the GOV.UK and NL Design System patterns mark them).
    pub fn shown_label(&self) -> String {
        if self.required || matches!(self.kind, Kind::Checkbox) {
            self.label.clone()
        } else {
            format!("{} {}", self.label, self.optional)
        }
    }

    pub fn hint(mut self, hint: String) -> Field {
        self.hint = hint;
        self
    }

    /// Adds a warning to the hint: the value is allowed, but probably not what was meant.
    pub fn warning(mut self, warning: Option<String>) -> Field {
        if let Some(w) = warning {
            self.hint = format!("{} {w}", self.hint).trim().to_string();
        }
        self
    }

    /// A field that must be filled in; fields without this are marked optional.
    pub fn required(mut self, _c: &Chrome) -> Field {
        self.required = true;
        self
    }

    pub fn is(&self, kind: &str) -> bool {
        matches!(
            (&self.kind, kind),
            (Kind::Text, "text")
                | (Kind::Email, "email")
                | (Kind::Password, "password")
                | (Kind::Number, "number")
                | (Kind::Colour, "colour")
                | (Kind::Textarea, "textarea")
                | (Kind::Checkbox, "checkbox")
                | (Kind::Select(..), "select")
        )
    }

    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Email => "email",
            Kind::Password => "password",
            Kind::Number => "text",
            _ => "text",
        }
    }

    pub fn options(&self) -> &[(String, String)] {
        match &self.kind {
            Kind::Select(o, _) => o,
            _ => &[],
        }
    }

    pub fn empty_option(&self) -> &str {
        match &self.kind {
            Kind::Select(_, e) => e,
            _ => "",
        }
    }

    pub fn checked(&self) -> bool {
        !self.value.is_empty() && self.value != "false"
    }
}

#[derive(Template)]
#[template(path = "admin/form.html")]
pub struct FormPage {
    pub c: Chrome,
    pub title: String,
    pub action: String,
    pub back: String,
    /// The name of the list `back` leads to, for the breadcrumb.
    pub back_label: String,
    pub fields: Vec<Field>,
    pub errors: Errors,
    pub version: i64,
    /// Shown when someone saved the record after this form was opened.
    pub conflict: bool,
    /// The page that deletes the record, and its link's text, for kinds that may be deleted.
    pub delete: Option<(String, String)>,
}

impl FormPage {
    pub fn new(
        c: Chrome,
        title: String,
        action: String,
        (back, back_label): (&str, String),
        fields: Vec<Field>,
    ) -> FormPage {
        let errors = Errors::none(c.lang);
        FormPage {
            c,
            title,
            action,
            back: back.into(),
            back_label,
            fields,
            errors,
            version: 0,
            conflict: false,
            delete: None,
        }
    }

    /// The version of the record the form edits, sent back on save.
    pub fn version(mut self, version: i64) -> FormPage {
        self.version = version;
        self
    }

    /// The form as opened.
    pub fn show(self) -> Response {
        render(&self)
    }

    /// The form again with what was refused next to each field (422).
    pub fn refused(mut self, errors: Errors) -> Response {
        self.errors = errors;
        with_status(render(&self), StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// The form again after someone else saved the record in between (409).
    pub fn conflict(mut self) -> Response {
        self.conflict = true;
        with_status(render(&self), StatusCode::CONFLICT)
    }
}

fn with_status(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct ListPage {
    pub c: Chrome,
    pub title: String,
    pub intro: String,
    pub new_href: String,
    pub new_label: String,
    pub columns: Vec<String>,
    /// (link of the first cell, cells)
    pub rows: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    c: Chrome,
    sections: Vec<(&'static str, String, String)>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/beheer", get(index))
}

async fn index(viewer: Viewer) -> Response {
    // (right, page, translation key of its title; the key + `_text` describes it)
    let all = [
        (
            Action::ManageInstitutions,
            "/beheer/instellingen",
            "admin.institutions",
        ),
        (Action::ManageAgenda, "/beheer/agenda", "admin.agenda"),
        (
            Action::ManagePolicyDrivers,
            "/beheer/drijfveren",
            "admin.drivers",
        ),
        (Action::ManageMoraAreas, "/beheer/mora", "mora.title"),
        (Action::ManageCriteria, "/beheer/criteria", "admin.criteria"),
        (Action::ManageUsers, "/beheer/gebruikers", "admin.users"),
        (Action::ManageUsers, "/beheer/inloggen", "admin.login"),
    ];
    let sections: Vec<_> = all
        .into_iter()
        .filter(|(a, _, _)| viewer.may(*a))
        .map(|(_, href, key)| {
            (
                href,
                viewer.lang.t(key),
                viewer.lang.t(&format!("{key}_text")),
            )
        })
        .collect();
    if sections.is_empty() {
        return viewer
            .require(Action::ManageAgenda)
            .err()
            .unwrap_or(Error::Forbidden)
            .into_response();
    }
    render(&IndexPage {
        c: viewer.chrome(),
        sections,
    })
}

/// The record of a reference list that `found` picks, or NotFound.
pub fn one<T>(list: Vec<T>, found: impl Fn(&T) -> bool) -> Result<T, StoreError> {
    list.into_iter().find(found).ok_or(StoreError::NotFound)
}

/// A kind of record the beheer pages add and edit with one form (institutions, main lines,
/// themes, policy drivers, criteria). The kind says who may manage it, its fields, how to read,
/// check and store them; the handlers of [`manage`] do the rest the same way for every kind:
/// the right is checked first, bad input comes back next to its field (422), and a save from
/// a version someone else has saved since comes back as a conflict (409) with the input kept.
pub trait Managed: Send + Sync + 'static {
    /// The form's fields, read by name from the submitted form.
    type Input: Default + DeserializeOwned + Send + Sync;
    type Data: Send + Sync;
    /// What the form needs beyond the record (the main lines a theme may belong to).
    type Context: Send + Sync;
    /// The right to add and edit records of this kind.
    const ACTION: Action;
    /// Where the forms are: `{PATH}/nieuw` and `{PATH}/{id}`.
    const PATH: &'static str;
    /// The page a saved form returns to.
    const BACK: &'static str;
    /// Translation key of that page's title, named in the breadcrumb.
    const LIST: &'static str;
    /// Translation key of the new-record form's title.
    const NEW_TITLE: &'static str;

    fn context(state: &AppState) -> impl Future<Output = Result<Self::Context, StoreError>> + Send;
    /// The new-record form's starting values.
    fn blank() -> Self::Input {
        Self::Input::default()
    }
    /// The name the edit form's title shows.
    fn name(input: &Self::Input) -> &str;
    fn fields(c: &Chrome, input: &Self::Input, cx: &Self::Context) -> Vec<Field>;
    fn parse(input: &Self::Input, cx: &Self::Context) -> Result<Self::Data, Invalid>;
    /// The stored record as the form shows it, with its version.
    fn find(
        state: &AppState,
        id: i64,
    ) -> impl Future<Output = Result<(Self::Input, i64), StoreError>> + Send;
    fn create(
        state: &AppState,
        data: &Self::Data,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Saves the record edited from `version`; `Ok(false)` when someone saved it in between.
    fn update(
        state: &AppState,
        id: i64,
        version: Version,
        data: &Self::Data,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// The page that deletes record `id` and its link's text, for a kind that may be deleted.
    fn delete_link(_c: &Chrome, _id: i64) -> Option<(String, String)> {
        None
    }
}

/// A submitted beheer form: the kind's fields and, on an edit form, the version it started from.
#[derive(Deserialize)]
struct Submitted<I> {
    #[serde(default)]
    version: String,
    #[serde(flatten)]
    input: I,
}

/// The add and edit forms of a managed kind.
pub fn manage<T: Managed>() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{}/nieuw", T::PATH),
            get(new::<T>).post(create::<T>),
        )
        .route(
            &format!("{}/{{id}}", T::PATH),
            get(edit::<T>).post(update::<T>),
        )
}

/// The form for a new record (`id` None) or for editing record `id`.
fn form<T: Managed>(
    viewer: &Viewer,
    id: Option<i64>,
    input: &T::Input,
    cx: &T::Context,
) -> FormPage {
    let c = viewer.chrome();
    let (title, action) = match id {
        None => (c.t(T::NEW_TITLE), format!("{}/nieuw", T::PATH)),
        Some(id) => (
            format!("{}: {}", c.t("admin.edit"), T::name(input)),
            format!("{}/{id}", T::PATH),
        ),
    };
    let fields = T::fields(&c, input, cx);
    let back = (T::BACK, c.t(T::LIST));
    let delete = id.and_then(|id| T::delete_link(&c, id));
    FormPage {
        delete,
        ..FormPage::new(c, title, action, back, fields)
    }
}

/// The form's context when the viewer may manage `T`.
async fn admitted<T: Managed>(state: &AppState, viewer: &Viewer) -> Result<T::Context, Error> {
    viewer.require(T::ACTION)?;
    Ok(T::context(state).await?)
}

async fn new<T: Managed>(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    let cx = admitted::<T>(&state, &viewer).await?;
    Ok(form::<T>(&viewer, None, &T::blank(), &cx).show())
}

async fn create<T: Managed>(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(Submitted { input, .. }): Form<Submitted<T::Input>>,
) -> Result<Response, Error> {
    let cx = admitted::<T>(&state, &viewer).await?;
    let refused =
        |invalid| form::<T>(&viewer, None, &input, &cx).refused(Errors::new(viewer.lang, invalid));
    let data = match T::parse(&input, &cx) {
        Ok(data) => data,
        Err(invalid) => return Ok(refused(invalid)),
    };
    match T::create(&state, &data).await {
        Ok(_) => Ok(Redirect::to(T::BACK).into_response()),
        Err(StoreError::Invalid(invalid)) => Ok(refused(invalid)),
        Err(e) => Err(e.into()),
    }
}

async fn edit<T: Managed>(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    let cx = admitted::<T>(&state, &viewer).await?;
    let (input, version) = T::find(&state, id).await?;
    Ok(form::<T>(&viewer, Some(id), &input, &cx)
        .version(version)
        .show())
}

async fn update<T: Managed>(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(Submitted { input, version }): Form<Submitted<T::Input>>,
) -> Result<Response, Error> {
    let cx = admitted::<T>(&state, &viewer).await?;
    let version = Version::from_form(&version).get();
    let page = |version| form::<T>(&viewer, Some(id), &input, &cx).version(version);
    let data = match T::parse(&input, &cx) {
        Ok(data) => data,
        Err(invalid) => return Ok(page(version).refused(Errors::new(viewer.lang, invalid))),
    };
    match T::update(&state, id, Version(version), &data).await {
        Ok(true) => Ok(Redirect::to(T::BACK).into_response()),
        Ok(false) => {
            let (_, current) = T::find(&state, id).await?;
            Ok(page(current).conflict())
        }
        Err(StoreError::Invalid(invalid)) => {
            Ok(page(version).refused(Errors::new(viewer.lang, invalid)))
        }
        Err(e) => Err(e.into()),
    }
}
