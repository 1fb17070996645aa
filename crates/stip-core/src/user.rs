//! Accounts and their roles.

use crate::error::required_text;
use crate::{ErrorCode, code_enum};

code_enum!(
    /// What an account may do; see `access` for the decisions.
    Role {
        Beheerder => "beheerder",
        Regiegroep => "regiegroep",
        Informatiemanager => "informatiemanager",
        Lezer => "lezer",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub institution_id: Option<i64>,
    pub active: bool,
    pub version: i64,
}

/// A normalised e-mail address (lower case, one @, a dot in the domain).
pub fn email(raw: &str) -> Result<String, ErrorCode> {
    let t = required_text(raw, 254)?.to_lowercase();
    let mut parts = t.splitn(2, '@');
    let local = parts.next().unwrap_or("");
    let domain = parts.next().unwrap_or("");
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !t.chars().any(|c| c.is_whitespace());
    if ok {
        Ok(t)
    } else {
        Err(ErrorCode::InvalidEmail)
    }
}

/// A password long enough to resist guessing.
pub fn password(raw: &str) -> Result<String, ErrorCode> {
    if raw.chars().count() < 10 {
        return Err(ErrorCode::TooShort { min: 10 });
    }
    Ok(raw.to_string())
}
