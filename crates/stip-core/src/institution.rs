//! Instellingen: the mbo institutions of the network, known by their BRIN code.

use crate::error::{optional_text, required_text};
use crate::number::integer_in;
use crate::{ErrorCode, Invalid};
use serde::{Deserialize, Serialize};

/// A BRIN code: four characters, two digits then two letters or digits (e.g. `25LJ`), upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BrinCode(String);

impl BrinCode {
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let t = raw.trim().to_ascii_uppercase();
        if t.is_empty() {
            return Err(ErrorCode::Required);
        }
        let b = t.as_bytes();
        let ok = b.len() == 4
            && b[0].is_ascii_digit()
            && b[1].is_ascii_digit()
            && b[2].is_ascii_alphanumeric()
            && b[3].is_ascii_alphanumeric();
        if ok {
            Ok(BrinCode(t))
        } else {
            Err(ErrorCode::InvalidBrin)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for BrinCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for BrinCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BrinCode::parse(&s)
            .map_err(|_| serde::de::Error::custom(format!("invalid BRIN code '{s}'")))
    }
}

/// An institution's editable data, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstitutionData {
    pub brin: BrinCode,
    pub name: String,
    pub short_name: String,
    pub region: String,
    pub students: Option<i64>,
    /// The home organisation domains SURFconext names its staff by (`schac_home_organization`),
    /// lower case; a first login with one of them makes an account at this institution.
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Institution {
    pub id: i64,
    #[serde(flatten)]
    pub data: InstitutionData,
    pub version: i64,
}

/// The institution form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InstitutionInput {
    pub brin: String,
    pub name: String,
    pub short_name: String,
    pub region: String,
    pub students: String,
    /// Domains separated by spaces, commas or new lines.
    pub domains: String,
}

impl InstitutionData {
    pub fn parse(input: &InstitutionInput) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        let brin = e.take("brin", BrinCode::parse(&input.brin));
        let name = e.take("name", required_text(&input.name, 200));
        let short_name = e.take("short_name", required_text(&input.short_name, 60));
        let region = e.take("region", optional_text(&input.region, 100));
        let students = if input.students.trim().is_empty() {
            Some(None)
        } else {
            e.take(
                "students",
                integer_in(&input.students, 0, 1_000_000).map(Some),
            )
        };
        let domains = e.take("domains", parse_domains(&input.domains));
        match (brin, name, short_name, region, students, domains) {
            (
                Some(brin),
                Some(name),
                Some(short_name),
                Some(region),
                Some(students),
                Some(domains),
            ) if e.is_empty() => Ok(InstitutionData {
                brin,
                name,
                short_name,
                region,
                students,
                domains,
            }),
            _ => Err(e),
        }
    }
}

impl From<&InstitutionData> for InstitutionInput {
    fn from(d: &InstitutionData) -> Self {
        InstitutionInput {
            brin: d.brin.to_string(),
            name: d.name.clone(),
            short_name: d.short_name.clone(),
            region: d.region.clone(),
            students: d.students.map(|s| s.to_string()).unwrap_or_default(),
            domains: d.domains.join(" "),
        }
    }
}

/// The most domains one institution lists.
pub const MAX_DOMAINS: usize = 20;

/// Domain names as typed (separated by spaces, commas, semicolons or new lines), in lower case,
/// each once, in the order given. A domain is two or more labels of letters, digits and
/// hyphens, as in `horizoncollege.nl` or `student.rocva.nl`.
pub fn parse_domains(raw: &str) -> Result<Vec<String>, ErrorCode> {
    let mut domains: Vec<String> = Vec::new();
    for part in raw.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        if part.is_empty() {
            continue;
        }
        let domain = normalise_domain(part).ok_or(ErrorCode::InvalidDomain)?;
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.len() > MAX_DOMAINS {
        return Err(ErrorCode::OutOfRange {
            min: 0,
            max: MAX_DOMAINS as i64,
        });
    }
    Ok(domains)
}

/// `raw` as a domain name in lower case, when it is one.
pub fn normalise_domain(raw: &str) -> Option<String> {
    let d = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    (d.len() <= 253 && d.contains('.') && d.split('.').all(label_ok)).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_lower_case_each_once_and_refused_when_not_a_domain() {
        assert_eq!(
            parse_domains(" HorizonCollege.nl, horizoncollege.nl\nstudent.horizoncollege.nl "),
            Ok(vec![
                "horizoncollege.nl".to_string(),
                "student.horizoncollege.nl".to_string()
            ])
        );
        assert_eq!(parse_domains(""), Ok(vec![]));
        for bad in ["horizon", "-a.nl", "a..nl", "http://a.nl", "a_b.nl"] {
            assert_eq!(parse_domains(bad), Err(ErrorCode::InvalidDomain), "{bad}");
        }
    }

    #[test]
    fn brin_codes_are_four_characters_two_digits_first() {
        assert_eq!(BrinCode::parse(" 25lj ").unwrap().as_str(), "25LJ");
        assert_eq!(BrinCode::parse("XYZ"), Err(ErrorCode::InvalidBrin));
        assert_eq!(BrinCode::parse("AB12"), Err(ErrorCode::InvalidBrin));
        assert_eq!(BrinCode::parse(""), Err(ErrorCode::Required));
    }

    #[test]
    fn an_institution_needs_a_name_and_a_valid_brin() {
        let err = InstitutionData::parse(&InstitutionInput {
            brin: "XYZ".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.for_field("brin"), Some(&ErrorCode::InvalidBrin));
        assert_eq!(err.for_field("name"), Some(&ErrorCode::Required));
    }

    #[test]
    fn a_control_character_in_a_name_or_region_is_refused() {
        let err = InstitutionData::parse(&InstitutionInput {
            brin: "25LN".into(),
            name: "Horizon\u{0}College".into(),
            short_name: "Horizon".into(),
            region: "Noord-\u{7}Holland".into(),
            students: String::new(),
            domains: String::new(),
        })
        .unwrap_err();
        assert_eq!(err.for_field("name"), Some(&ErrorCode::ControlCharacter));
        assert_eq!(err.for_field("region"), Some(&ErrorCode::ControlCharacter));
    }
}
