//! Beheer: the management pages' shared parts. A list page and a form page described by data,
//! so each reference list (institutions, agenda, drivers, criteria, users) only says its fields.

use crate::AppState;
use crate::auth::Viewer;
use crate::form::Errors;
use crate::layout::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use stip_core::access::Action;

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
}

impl Field {
    pub fn new(c: &Chrome, name: &'static str, value: impl Into<String>, kind: Kind) -> Field {
        Field {
            name,
            label: c.t(&format!("field.{name}")),
            value: value.into(),
            kind,
            hint: String::new(),
        }
    }

    pub fn hint(mut self, hint: String) -> Field {
        self.hint = hint;
        self
    }

    /// Says before anyone makes a mistake that the field must be filled in (WCAG 3.3.2): "Required."
    /// goes in front of the hint, which the field's `aria-describedby` points to.
    pub fn required(mut self, c: &Chrome) -> Field {
        let required = c.t("hint.required");
        self.hint = if self.hint.is_empty() {
            required
        } else {
            format!("{required} {}", self.hint)
        };
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
    pub fields: Vec<Field>,
    pub errors: Errors,
    pub version: i64,
    /// Shown when someone saved the record after this form was opened.
    pub conflict: bool,
}

impl FormPage {
    pub fn new(
        c: Chrome,
        title: String,
        action: String,
        back: &str,
        fields: Vec<Field>,
    ) -> FormPage {
        let errors = Errors::none(c.lang);
        FormPage {
            c,
            title,
            action,
            back: back.into(),
            fields,
            errors,
            version: 0,
            conflict: false,
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
    let all = [
        (
            Action::ManageInstitutions,
            "/beheer/instellingen",
            "institutions",
        ),
        (Action::ManageAgenda, "/beheer/agenda", "agenda"),
        (Action::ManagePolicyDrivers, "/beheer/drijfveren", "drivers"),
        (Action::ManageCriteria, "/beheer/criteria", "criteria"),
        (Action::ManageUsers, "/beheer/gebruikers", "users"),
    ];
    let sections: Vec<_> = all
        .into_iter()
        .filter(|(a, _, _)| viewer.may(*a))
        .map(|(_, href, key)| {
            (
                href,
                viewer.lang.t(&format!("admin.{key}")),
                viewer.lang.t(&format!("admin.{key}_text")),
            )
        })
        .collect();
    if sections.is_empty() {
        return viewer
            .refusal(Action::ManageAgenda)
            .unwrap_or_else(|| crate::PageError::Forbidden.into_response());
    }
    render(&IndexPage {
        c: viewer.chrome(),
        sections,
    })
}

use axum::response::IntoResponse;
