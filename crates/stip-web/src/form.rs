//! Helpers for HTML forms: reading repeated fields, and the field errors a template shows next
//! to each input.

use crate::i18n::Lang;
use stip_core::Invalid;

/// Whether an option's code is the chosen value, whatever string types the template holds.
pub fn same(a: impl AsRef<str>, b: impl AsRef<str>) -> bool {
    a.as_ref() == b.as_ref()
}

/// A submitted form as its (name, value) pairs. Only the account forms (user.rs) still read
/// pairs; every other form is a typed struct read by `extract::Form` (axum-extra).
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn checked(&self, key: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| k == key && !v.is_empty() && v != "false")
    }
}

/// The errors of a form, translated, for templates.
#[derive(Clone, Debug)]
pub struct Errors {
    lang: Lang,
    invalid: Invalid,
}

impl Errors {
    pub fn none(lang: Lang) -> Errors {
        Errors {
            lang,
            invalid: Invalid::default(),
        }
    }

    pub fn new(lang: Lang, invalid: Invalid) -> Errors {
        Errors { lang, invalid }
    }

    pub fn any(&self) -> bool {
        !self.invalid.is_empty()
    }

    /// The message for `field`, if it was refused.
    pub fn get(&self, field: &str) -> Option<String> {
        self.invalid
            .for_field(field)
            .map(|code| self.lang.error_for(field, code))
    }

    pub fn has(&self, field: &str) -> bool {
        self.invalid.for_field(field).is_some()
    }

    /// (field, "Label: message") for the summary at the top of the form.
    pub fn summary(&self) -> Vec<(String, String)> {
        self.invalid
            .0
            .iter()
            .map(|e| (e.field.clone(), self.lang.field_error(e)))
            .collect()
    }
}
