//! Logging in with the institution's own account (SURFconext, OpenID Connect): what the
//! provider tells about a person, which institution their home organisation is, and the
//! beheerder's rules (who may still use a password, the role of an account SURFconext makes).

use crate::error::choice;
use crate::institution::{Institution, normalise_domain};
use crate::user::{Email, Role, User};
use crate::{Invalid, code_enum};
use serde::Deserialize;

code_enum!(
    /// Who may log in with a password once SURFconext is configured.
    PasswordLogin {
        Everyone => "everyone",
        Beheerders => "beheerders",
    }
);

/// The beheerder's choices; without any, everyone keeps their password and a new account is a
/// lezer (a beheerder promotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginSettings {
    pub password_login: PasswordLogin,
    pub sso_role: Role,
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings {
            password_login: PasswordLogin::Everyone,
            sso_role: Role::Lezer,
        }
    }
}

/// The roles an account made by SURFconext may get: those of someone at an institution.
pub const SSO_ROLES: &[Role] = &[Role::Lezer, Role::Informatiemanager];

/// The settings form or JSON body as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoginSettingsInput {
    pub password_login: String,
    pub sso_role: String,
}

impl LoginSettingsInput {
    pub fn check(&self) -> Result<LoginSettings, Invalid> {
        let mut e = Invalid::default();
        let password_login = e.take(
            "password_login",
            choice(&self.password_login, PasswordLogin::parse),
        );
        let sso_role = e.take(
            "sso_role",
            choice(&self.sso_role, |c| {
                Role::parse(c).filter(|r| SSO_ROLES.contains(r))
            }),
        );
        match (password_login, sso_role) {
            (Some(password_login), Some(sso_role)) if e.is_empty() => Ok(LoginSettings {
                password_login,
                sso_role,
            }),
            _ => Err(e),
        }
    }
}

impl LoginSettings {
    /// Whether `user` may log in with a password: always without SURFconext (no one would get
    /// in otherwise), and a beheerder always (to repair what is misconfigured).
    pub fn allows_password(&self, user: &User, sso_configured: bool) -> bool {
        !sso_configured
            || self.password_login == PasswordLogin::Everyone
            || user.role == Role::Beheerder
    }
}

/// What the provider says about the person logging in, from the ID token and the userinfo
/// endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    /// The provider's stable id of the person (`sub`); with the issuer, the key of the link.
    pub subject: String,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    /// SURFconext's `schac_home_organization`: the home organisation's domain.
    pub home_organisation: Option<String>,
}

impl Claims {
    /// The e-mail address, when the provider gave a valid one.
    pub fn email(&self) -> Option<Email> {
        self.email.as_deref().and_then(|e| Email::parse(e).ok())
    }

    /// The name to show: `name`, else given and family name, else the e-mail address; at most
    /// 200 characters, without control characters.
    pub fn display_name(&self) -> Option<String> {
        let joined = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [self.name.clone(), Some(joined), self.email.clone()]
            .into_iter()
            .flatten()
            .map(|n| {
                n.chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .find(|n| !n.is_empty())
    }

    /// The institution whose domains name the person's home organisation.
    pub fn institution<'a>(&self, institutions: &'a [Institution]) -> Option<&'a Institution> {
        let home = normalise_domain(self.home_organisation.as_deref()?)?;
        institutions.iter().find(|i| i.data.domains.contains(&home))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::institution::{BrinCode, InstitutionData};

    fn institution(id: i64, domains: &[&str]) -> Institution {
        Institution {
            id,
            data: InstitutionData {
                brin: BrinCode::parse("25LN").unwrap(),
                name: format!("Instelling {id}"),
                short_name: String::new(),
                region: String::new(),
                students: None,
                domains: domains.iter().map(|d| d.to_string()).collect(),
            },
            version: 1,
        }
    }

    #[test]
    fn the_home_organisation_finds_the_institution_whatever_its_case() {
        let list = [
            institution(1, &["davinci.nl"]),
            institution(2, &["horizoncollege.nl", "student.horizoncollege.nl"]),
        ];
        let claims = |home: &str| Claims {
            home_organisation: Some(home.into()),
            ..Claims::default()
        };
        assert_eq!(
            claims("HorizonCollege.nl").institution(&list).map(|i| i.id),
            Some(2)
        );
        assert_eq!(
            claims("student.horizoncollege.nl")
                .institution(&list)
                .map(|i| i.id),
            Some(2)
        );
        assert_eq!(claims("onbekend.nl").institution(&list), None);
        assert_eq!(claims("").institution(&list), None);
        assert_eq!(Claims::default().institution(&list), None);
    }

    #[test]
    fn the_name_falls_back_to_given_and_family_name_then_the_address() {
        let mut c = Claims {
            given_name: Some("Henk".into()),
            family_name: Some("Docent".into()),
            email: Some("Henk@Horizon.nl".into()),
            ..Claims::default()
        };
        assert_eq!(c.display_name().as_deref(), Some("Henk Docent"));
        c.name = Some(" H. Docent ".into());
        assert_eq!(c.display_name().as_deref(), Some("H. Docent"));
        c.name = None;
        c.given_name = None;
        c.family_name = None;
        assert_eq!(c.display_name().as_deref(), Some("Henk@Horizon.nl"));
        assert_eq!(c.email().unwrap().as_str(), "henk@horizon.nl");
    }

    #[test]
    fn passwords_stay_for_beheerders_and_for_everyone_without_sso() {
        let user = |role| User {
            id: 1,
            email: "a@b.nl".into(),
            name: "A".into(),
            role,
            institution_id: None,
            active: true,
            version: 1,
        };
        let only = LoginSettings {
            password_login: PasswordLogin::Beheerders,
            sso_role: Role::Lezer,
        };
        assert!(only.allows_password(&user(Role::Beheerder), true));
        assert!(!only.allows_password(&user(Role::Informatiemanager), true));
        assert!(only.allows_password(&user(Role::Lezer), false));
        assert!(LoginSettings::default().allows_password(&user(Role::Lezer), true));
    }

    #[test]
    fn settings_take_only_the_roles_of_someone_at_an_institution() {
        let input = |p: &str, r: &str| LoginSettingsInput {
            password_login: p.into(),
            sso_role: r.into(),
        };
        assert_eq!(
            input("beheerders", "informatiemanager").check(),
            Ok(LoginSettings {
                password_login: PasswordLogin::Beheerders,
                sso_role: Role::Informatiemanager
            })
        );
        let e = input("niemand", "beheerder").check().unwrap_err();
        assert!(e.for_field("password_login").is_some());
        assert!(e.for_field("sso_role").is_some());
    }
}
