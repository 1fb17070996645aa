//! A main theme for a row whose theme cannot be read: proposed from the projects in the network
//! most like the row's text, shown to the person, and taken only when they accept it (for that
//! row or for all rows at once) — never silently.

use super::lists::Lists;
use crate::portfolio::ProjectInput;

/// A main theme proposed for a row, with the projects it was found from.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The proposed main theme (a code of the active agenda).
    pub theme: String,
    /// The projects most like the row that have this main theme, best first: why it is
    /// proposed.
    pub like: Vec<Alike>,
    /// Whether the row takes it: the person accepted it for this row or for all.
    pub accepted: bool,
}

/// A project a suggestion was found from, as the person who imports may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alike {
    pub id: i64,
    pub title: String,
    pub institution: String,
}

/// What proposes a main theme for a row's text; `None` when nothing in the network is like it.
pub type Suggest<'a> = &'a (dyn Fn(&ProjectInput) -> Option<Suggestion> + Sync);

/// Proposes nothing.
pub fn no_suggestions(_: &ProjectInput) -> Option<Suggestion> {
    None
}

/// For a row read into `input` whose main theme is missing or no theme of the agenda: the
/// suggestion for it, and the theme the person `chosen` for the row or, when they `accept`
/// suggestions, the suggested one put in `input`.
pub(super) fn suggest_theme(
    input: &mut ProjectInput,
    chosen: Option<&String>,
    accept: bool,
    lists: &Lists,
    suggest: Suggest<'_>,
) -> Option<Suggestion> {
    if lists.has_theme(&input.primary_theme) {
        return None;
    }
    let mut suggestion = suggest(input);
    match chosen {
        Some(chosen) if lists.has_theme(chosen) => {
            if let Some(s) = &mut suggestion {
                s.accepted = *chosen == s.theme;
            }
            input.primary_theme = chosen.clone();
        }
        _ => {
            if let Some(s) = suggestion.as_mut().filter(|_| accept) {
                s.accepted = true;
                input.primary_theme = s.theme.clone();
            }
        }
    }
    // The theme taken is not also among the other themes.
    let primary = input.primary_theme.clone();
    input.themes.retain(|t| *t != primary);
    suggestion
}
