//! Helpers for HTML forms: checkboxes, and the field errors a template shows next to each input.

use crate::i18n::Lang;
use stip_core::Invalid;

/// Whether an option's code is the chosen value, whatever string types the template holds.
pub fn same(a: impl AsRef<str>, b: impl AsRef<str>) -> bool {
    a.as_ref() == b.as_ref()
}

/// The first value of `name` among a form's or a query's pairs; empty when it is not there.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// A form's rows `prefix[0].part`, `prefix[1].part`, … as sent, each as its `parts` in order;
/// the rows end at the first index the form does not have.
pub fn rows<const N: usize>(
    form: &[(String, String)],
    prefix: &str,
    parts: [&str; N],
) -> Vec<[String; N]> {
    (0..)
        .map_while(|i| {
            form.iter()
                .any(|(k, _)| k.starts_with(&format!("{prefix}[{i}].")))
                .then(|| parts.map(|p| param(form, &format!("{prefix}[{i}].{p}")).to_string()))
        })
        .collect()
}

/// Whether a checkbox was ticked: it sends its value (`1`, `on`) when ticked and nothing when not.
pub fn checked(value: &str) -> bool {
    !value.is_empty() && value != "false"
}

/// The errors of a form, translated, for templates.
#[derive(Clone, Debug)]
pub struct Errors {
    lang: Lang,
    invalid: Invalid,
    /// Messages the page words itself, per field: what a code alone cannot say (which line).
    worded: Vec<(String, String)>,
}

impl Errors {
    pub fn none(lang: Lang) -> Errors {
        Errors::new(lang, Invalid::default())
    }

    pub fn new(lang: Lang, invalid: Invalid) -> Errors {
        Errors {
            lang,
            invalid,
            worded: Vec::new(),
        }
    }

    /// The message for a refused `field` as the page words it, instead of its code's.
    pub fn worded(mut self, field: &str, message: String) -> Errors {
        self.worded.push((field.to_string(), message));
        self
    }

    fn worded_for(&self, field: &str) -> Option<&String> {
        self.worded.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }

    pub fn any(&self) -> bool {
        !self.invalid.is_empty()
    }

    /// The message for `field`, if it was refused.
    pub fn get(&self, field: &str) -> Option<String> {
        let code = self.invalid.for_field(field)?;
        Some(match self.worded_for(field) {
            Some(message) => message.clone(),
            None => self.lang.error_for(field, code),
        })
    }

    pub fn has(&self, field: &str) -> bool {
        self.invalid.for_field(field).is_some()
    }

    /// (field, "Label: message") for the summary at the top of the form.
    pub fn summary(&self) -> Vec<(String, String)> {
        self.invalid
            .0
            .iter()
            .map(|e| {
                let message = match self.worded_for(&e.field) {
                    Some(m) => format!("{}: {m}", self.lang.field_label(&e.field)),
                    None => self.lang.field_error(e),
                };
                (e.field.clone(), message)
            })
            .collect()
    }
}
