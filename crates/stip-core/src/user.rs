//! Accounts and their roles, and the rules an account must meet, written once for the
//! beheerder's form and the `stip user add` command.

use crate::error::{choice, has_control_character, required_text};
use crate::institution::{BrinCode, Institution};
use crate::{ErrorCode, Invalid, code_enum};
use serde::Serialize;

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

/// An e-mail address as accounts are known by it: lower case (people type it in any case and
/// expect to be recognised), one @, a dot in the domain, no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, ErrorCode> {
        let t = required_text(raw, 254)?.to_lowercase();
        let mut parts = t.splitn(2, '@');
        let local = parts.next().unwrap_or("");
        let domain = parts.next().unwrap_or("");
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !t.chars().any(char::is_whitespace);
        if ok {
            Ok(Email(t))
        } else {
            Err(ErrorCode::InvalidEmail)
        }
    }

    /// Whether `raw` could be an address at all: one with a control character cannot (none is
    /// ever stored), so a lookup need not ask the database, which may refuse it (PostgreSQL, NUL).
    pub fn could_be(raw: &str) -> bool {
        !has_control_character(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password long enough to resist guessing.
pub fn password(raw: &str) -> Result<String, ErrorCode> {
    if raw.chars().count() < 10 {
        return Err(ErrorCode::TooShort { min: 10 });
    }
    Ok(raw.to_string())
}

/// An account as typed, in the beheerder's form or on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountInput {
    pub email: String,
    pub name: String,
    pub role: String,
    /// BRIN code of the institution; empty for none.
    pub institution: String,
    pub active: bool,
    /// Empty when none was typed.
    pub password: String,
}

/// A valid account; the password only when one was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountData {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub institution_id: Option<i64>,
    pub active: bool,
    pub password: Option<String>,
}

impl AccountData {
    /// Checks an account against the rules: a valid e-mail address and a name, a known role,
    /// an institution from `institutions` (required for an informatiemanager), and a password of
    /// at least 10 characters when `password_required` or when one was typed.
    pub fn parse(
        input: &AccountInput,
        institutions: &[Institution],
        password_required: bool,
    ) -> Result<AccountData, Invalid> {
        let mut e = Invalid::default();
        let email = e.take("email", Email::parse(&input.email));
        let name = e.take("name", required_text(&input.name, 200));
        let role = e.take("role", choice(&input.role, Role::parse));
        let institution_id = if input.institution.trim().is_empty() {
            if role == Some(Role::Informatiemanager) {
                e.push("institution", ErrorCode::InstitutionRequired);
            }
            None
        } else {
            match BrinCode::parse(&input.institution) {
                Ok(brin) => match institutions.iter().find(|i| i.data.brin == brin) {
                    Some(i) => Some(i.id),
                    None => {
                        e.push("institution", ErrorCode::Unknown);
                        None
                    }
                },
                Err(code) => {
                    e.push("institution", code);
                    None
                }
            }
        };
        let password = if input.password.is_empty() && !password_required {
            None
        } else {
            e.take("password", password(&input.password))
        };
        match (email, name, role) {
            (Some(email), Some(name), Some(role)) if e.is_empty() => Ok(AccountData {
                email,
                name,
                role,
                institution_id,
                active: input.active,
                password,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::institution::InstitutionData;

    fn horizon() -> Vec<Institution> {
        vec![Institution {
            id: 7,
            data: InstitutionData {
                brin: BrinCode::parse("25LN").unwrap(),
                name: "Horizon College".into(),
                short_name: "Horizon".into(),
                region: String::new(),
                students: None,
                domains: vec![],
            },
            version: 1,
        }]
    }

    fn karin() -> AccountInput {
        AccountInput {
            email: " Karin@Horizon.NL ".into(),
            name: "Karin den Heijer".into(),
            role: "informatiemanager".into(),
            institution: "25ln".into(),
            active: true,
            password: "een-geheim-wachtwoord".into(),
        }
    }

    #[test]
    fn an_account_is_known_by_its_lower_case_address_and_finds_its_institution() {
        let a = AccountData::parse(&karin(), &horizon(), true).unwrap();
        assert_eq!(a.email.as_str(), "karin@horizon.nl");
        assert_eq!(a.institution_id, Some(7));
        assert_eq!(a.password.as_deref(), Some("een-geheim-wachtwoord"));
    }

    #[test]
    fn every_broken_rule_names_its_field() {
        let input = AccountInput {
            email: "geen-adres".into(),
            name: " ".into(),
            role: "informatiemanager".into(),
            institution: String::new(),
            active: true,
            password: "kort".into(),
        };
        let e = AccountData::parse(&input, &horizon(), false).unwrap_err();
        assert_eq!(e.for_field("email"), Some(&ErrorCode::InvalidEmail));
        assert_eq!(e.for_field("name"), Some(&ErrorCode::Required));
        assert_eq!(
            e.for_field("institution"),
            Some(&ErrorCode::InstitutionRequired)
        );
        assert_eq!(
            e.for_field("password"),
            Some(&ErrorCode::TooShort { min: 10 })
        );
        let unknown = AccountInput {
            institution: "99XX".into(),
            role: "baas".into(),
            ..karin()
        };
        let e = AccountData::parse(&unknown, &horizon(), true).unwrap_err();
        assert_eq!(e.for_field("institution"), Some(&ErrorCode::Unknown));
        assert_eq!(e.for_field("role"), Some(&ErrorCode::InvalidChoice));
    }

    #[test]
    fn a_password_is_only_needed_for_a_new_account() {
        let edit = AccountInput {
            password: String::new(),
            ..karin()
        };
        assert_eq!(
            AccountData::parse(&edit, &horizon(), false)
                .unwrap()
                .password,
            None
        );
        assert!(AccountData::parse(&edit, &horizon(), true).is_err());
    }

    #[test]
    fn an_address_with_a_control_character_is_refused() {
        assert_eq!(
            Email::parse("a\u{0}b@c.nl"),
            Err(ErrorCode::ControlCharacter)
        );
        assert!(!Email::could_be("a\u{0}b@c.nl"));
        assert!(Email::could_be("a@c.nl"));
    }
}
