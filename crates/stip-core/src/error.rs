//! Validation errors that name the field they belong to; the web layer translates the code.

use serde::Serialize;

/// Why a value was refused. The web layer turns the code into a sentence in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong {
        max: usize,
    },
    NotANumber,
    NotADate,
    EndBeforeStart,
    Unknown,
    Duplicate,
    InvalidBrin,
    InvalidChoice,
    OutOfRange {
        min: i64,
        max: i64,
    },
    InvalidEmail,
    InvalidColour,
    InvalidCode,
    InvalidLink,
    /// Not a domain name such as `horizoncollege.nl`.
    InvalidDomain,
    Taken,
    InstitutionRequired,
    TooShort {
        min: usize,
    },
    /// A control character (NUL, escape, …) other than tab and newline: invisible, often pasted
    /// by accident, and PostgreSQL cannot store NUL at all.
    ControlCharacter,
    /// A field the request may not carry; shown under the name it was sent as.
    UnknownField,
    /// A JSON value of the wrong type where a number belongs.
    ExpectedNumber,
    ExpectedText,
    ExpectedList,
    ExpectedObject,
    ExpectedBoolean,
    /// A body that is not JSON at all, with where reading stopped.
    MalformedJson {
        line: usize,
        column: usize,
    },
    NotAPageNumber,
    /// A parameter that takes one value, given more than once.
    Repeated,
    /// Not the account's current password.
    WrongPassword,
    /// An import row for a project the file already listed, in row `first`.
    DuplicateRow {
        first: usize,
    },
    /// An import row of another institution than the one imported into.
    OtherInstitution,
    /// A project a selection is told to force in or out that is not among its candidates.
    NotACandidate {
        id: i64,
    },
    /// A project forced both in and out.
    ForcedInAndOut {
        id: i64,
    },
    /// A project that must be chosen requires one that cannot be.
    RequiresExcluded {
        id: i64,
        required: i64,
    },
    /// What must be chosen needs more than the cap: amounts in hundredths (cents or FTE).
    ForcedOverCap {
        needed: i64,
        cap: i64,
    },
    /// Pairwise judgements that leave a pair of criteria out.
    MissingPair,
    /// A mapping of agenda themes that leaves projects without any theme.
    LeavesProjectsWithoutTheme {
        projects: i64,
    },
}

impl ErrorCode {
    /// The code as clients see it (`not_a_number`), and the key of its message.
    pub fn key(&self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::TooLong { .. } => "too_long",
            ErrorCode::TooShort { .. } => "too_short",
            ErrorCode::NotANumber => "not_a_number",
            ErrorCode::NotADate => "not_a_date",
            ErrorCode::EndBeforeStart => "end_before_start",
            ErrorCode::Unknown => "unknown",
            ErrorCode::Duplicate => "duplicate",
            ErrorCode::InvalidBrin => "invalid_brin",
            ErrorCode::InvalidChoice => "invalid_choice",
            ErrorCode::OutOfRange { .. } => "out_of_range",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::InvalidColour => "invalid_colour",
            ErrorCode::InvalidCode => "invalid_code",
            ErrorCode::InvalidLink => "invalid_link",
            ErrorCode::InvalidDomain => "invalid_domain",
            ErrorCode::Taken => "taken",
            ErrorCode::InstitutionRequired => "institution_required",
            ErrorCode::ControlCharacter => "control_character",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::ExpectedNumber => "expected_number",
            ErrorCode::ExpectedText => "expected_text",
            ErrorCode::ExpectedList => "expected_list",
            ErrorCode::ExpectedObject => "expected_object",
            ErrorCode::ExpectedBoolean => "expected_boolean",
            ErrorCode::MalformedJson { .. } => "malformed_json",
            ErrorCode::NotAPageNumber => "not_a_page_number",
            ErrorCode::Repeated => "repeated",
            ErrorCode::WrongPassword => "wrong_password",
            ErrorCode::DuplicateRow { .. } => "duplicate_row",
            ErrorCode::OtherInstitution => "other_institution",
            ErrorCode::NotACandidate { .. } => "not_a_candidate",
            ErrorCode::ForcedInAndOut { .. } => "forced_in_and_out",
            ErrorCode::RequiresExcluded { .. } => "requires_excluded",
            ErrorCode::ForcedOverCap { .. } => "forced_over_cap",
            ErrorCode::MissingPair => "missing_pair",
            ErrorCode::LeavesProjectsWithoutTheme { .. } => "leaves_projects_without_theme",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub code: ErrorCode,
}

/// One or more fields that were refused; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: &str, code: ErrorCode) -> Self {
        Invalid(vec![FieldError {
            field: field.to_string(),
            code,
        }])
    }

    pub fn push(&mut self, field: &str, code: ErrorCode) {
        self.0.push(FieldError {
            field: field.to_string(),
            code,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&ErrorCode> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.code)
    }

    /// Ok when nothing was refused, so a parser can end with `errors.into_result(value)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Invalid> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Records the error of `result` under `field` and gives back its value, if any.
    pub fn take<T>(&mut self, field: &str, result: Result<T, ErrorCode>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(code) => {
                self.push(field, code);
                None
            }
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {:?}", e.field, e.code))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for Invalid {}

/// A required text of at most `max` characters, trimmed; see [`optional_text`].
pub fn required_text(raw: &str, max: usize) -> Result<String, ErrorCode> {
    let t = optional_text(raw, max)?;
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    Ok(t)
}

/// An optional text of at most `max` characters: line endings made `\n`, each line's trailing
/// whitespace and the whole text's surrounding whitespace removed, so a text pasted from Windows
/// or re-sent by a browser saves as the same text (and records no change). Control characters
/// other than tab and newline are refused: they are invisible on screen, and PostgreSQL cannot
/// store NUL at all while SQLite can, so both backends must refuse them here, at the edge.
pub fn optional_text(raw: &str, max: usize) -> Result<String, ErrorCode> {
    let t = normalise_lines(raw);
    if has_control_character(&t) {
        return Err(ErrorCode::ControlCharacter);
    }
    if t.chars().count() > max {
        return Err(ErrorCode::TooLong { max });
    }
    Ok(t)
}

/// `\r\n` and a lone `\r` become `\n`, trailing whitespace of every line goes, and the text is
/// trimmed.
fn normalise_lines(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// Whether `text` holds a control character other than tab and newline.
pub fn has_control_character(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\t' && c != '\n')
}

/// A code as used in URLs: lowercase letters, digits and dashes.
pub fn code(raw: &str) -> Result<String, ErrorCode> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    let ok = t.len() <= 40
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !t.starts_with('-');
    if ok {
        Ok(t.to_string())
    } else {
        Err(ErrorCode::InvalidCode)
    }
}

/// A value chosen from a list of codes.
pub fn choice<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, ErrorCode> {
    if raw.trim().is_empty() {
        return Err(ErrorCode::Required);
    }
    parse(raw).ok_or(ErrorCode::InvalidChoice)
}

/// Like [`choice`], but an empty value means "not set".
pub fn optional_choice<T>(
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ErrorCode> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    parse(raw).map(Some).ok_or(ErrorCode::InvalidChoice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_newlines_and_lines_lose_trailing_spaces() {
        assert_eq!(
            optional_text("  eerste  \r\ntweede\t\rderde \n\n", 100),
            Ok("eerste\ntweede\nderde".to_string())
        );
        assert_eq!(optional_text("a\tb", 10), Ok("a\tb".to_string()));
    }

    #[test]
    fn control_characters_other_than_tab_and_newline_are_refused() {
        for bad in [
            "a\u{0}b",
            "\u{0}",
            "a\u{1b}[31mb",
            "a\u{7f}",
            "a\u{85}b",
            "a\u{8}b",
        ] {
            assert_eq!(
                optional_text(bad, 100),
                Err(ErrorCode::ControlCharacter),
                "{bad:?}"
            );
            assert_eq!(
                required_text(bad, 100),
                Err(ErrorCode::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_required_text_of_only_whitespace_is_missing() {
        assert_eq!(required_text(" \r\n\t ", 10), Err(ErrorCode::Required));
        assert_eq!(
            required_text("twaalf tekens", 5),
            Err(ErrorCode::TooLong { max: 5 })
        );
    }
}
