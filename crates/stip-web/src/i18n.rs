//! Languages: Dutch by default, English on request (a cookie set by the language switch, or
//! `Accept-Language`). The locale is per request; the process-global one is never used.

use axum::http::HeaderMap;
use stip_core::number::Hundredths;
use stip_core::{ErrorCode, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

pub const LANG_COOKIE: &str = "stip_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, offered by the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// The cookie wins; otherwise the first of Dutch or English in `Accept-Language` by weight.
    pub fn from_request(headers: &HeaderMap, cookie: Option<&str>) -> Lang {
        if let Some(lang) = cookie.and_then(Lang::parse) {
            return lang;
        }
        let Some(accept) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::Nl;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in accept.split(',') {
            let mut bits = part.trim().split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .find_map(|b| {
                    b.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Nl)
    }

    pub fn t(self, key: &str) -> String {
        rust_i18n::t!(key, locale = self.code()).into_owned()
    }

    /// A text with arguments: `t_with("list.total", &[("n", "28")])` fills in `%{n}`.
    pub fn t_with(self, key: &str, args: &[(&str, &str)]) -> String {
        let (names, values): (Vec<&str>, Vec<String>) =
            args.iter().map(|(k, v)| (*k, v.to_string())).unzip();
        rust_i18n::replace_patterns(&self.t(key), &names, &values)
    }

    /// "Probeer het over 3 minuten opnieuw.": when to try again after `seconds`, in whole
    /// minutes rounded up (a 429's `Retry-After` in words).
    pub fn try_again_in(self, seconds: u64) -> String {
        match seconds.div_ceil(60) {
            0 | 1 => self.t("retry.one_minute"),
            n => self.t_with("retry.minutes", &[("n", &n.to_string())]),
        }
    }

    /// The label of a code of a kind, e.g. `label("phase", "on-hold")` → "On hold".
    pub fn label(self, kind: &str, code: &str) -> String {
        self.t(&format!("{kind}.{code}"))
    }

    /// A field error as a sentence, e.g. "Vul dit veld in." or "Gebruik een getal, bijvoorbeeld 12.500".
    pub fn error(self, code: &ErrorCode) -> String {
        self.message(&format!("error.{}", code.key()), code)
    }

    /// The message for `code` on `field`: the field's own sentence when it has one ("Vul een
    /// titel in."), otherwise the general one.
    pub fn error_for(self, field: &str, code: &ErrorCode) -> String {
        self.specific(field, code)
            .unwrap_or_else(|| self.error(code))
    }

    /// `error_for.<field>.<code>`, if that text exists.
    fn specific(self, field: &str, code: &ErrorCode) -> Option<String> {
        // A choice on the conflict page between two values of a field.
        if let Some(choice_of) = field.strip_prefix("keep_") {
            let name = self.t(&format!("field.{choice_of}"));
            return Some(self.t_with("conflict.choose_error", &[("field", &name)]));
        }
        let field = if field.starts_with("score_") {
            "score"
        } else if field.starts_with("answers.") {
            "answer"
        } else {
            field
        };
        let key = format!("error_for.{field}.{}", code.key());
        let text = self.message(&key, code);
        (!text.ends_with(&key)).then_some(text)
    }

    fn message(self, key: &str, code: &ErrorCode) -> String {
        let locale = self.code();
        match *code {
            ErrorCode::TooLong { max } => rust_i18n::t!(key, locale = locale, max = max),
            ErrorCode::TooShort { min } => rust_i18n::t!(key, locale = locale, min = min),
            ErrorCode::OutOfRange { min, max } => {
                rust_i18n::t!(key, locale = locale, min = min, max = max)
            }
            ErrorCode::MalformedJson { line, column } => {
                rust_i18n::t!(key, locale = locale, line = line, column = column)
            }
            ErrorCode::NotACandidate { id } | ErrorCode::ForcedInAndOut { id } => {
                rust_i18n::t!(key, locale = locale, id = id)
            }
            ErrorCode::RequiresExcluded { id, required } => {
                rust_i18n::t!(key, locale = locale, id = id, required = required)
            }
            ErrorCode::ForcedOverCap { needed, cap } => {
                let amount = |h: i64| match self {
                    Lang::Nl => Hundredths(h).to_dutch(),
                    Lang::En => Hundredths(h).to_english(),
                };
                rust_i18n::t!(
                    key,
                    locale = locale,
                    needed = amount(needed),
                    cap = amount(cap)
                )
            }
            ErrorCode::LeavesProjectsWithoutTheme { projects } => {
                rust_i18n::t!(key, locale = locale, projects = projects)
            }
            _ => rust_i18n::t!(key, locale = locale),
        }
        .into_owned()
    }

    /// A field error for a summary at the top of a form: the field's own sentence ("Vul een
    /// titel in."), or the field's name with the general one ("Budget: Vul een bedrag in …").
    pub fn field_error(self, e: &FieldError) -> String {
        if let Some(text) = self.specific(&e.field, &e.code) {
            return text;
        }
        format!("{}: {}", self.field_label(&e.field), self.error(&e.code))
    }

    /// The label of a field ("Titel"), of an element of one ("Thema's [1]"), or — for a name
    /// Stip does not know, such as an unknown field a client sent — the name as it was sent,
    /// never an i18n key.
    pub fn field_label(self, field: &str) -> String {
        if let Some(code) = field.strip_prefix("score_") {
            return format!("{} {code}", self.t("field.score"));
        }
        // A survey's answer (`answers.12`, by question id) and question (`questions[0].text`).
        if let Some(id) = field.strip_prefix("answers.") {
            return self.t_with("field.answer_to", &[("id", id)]);
        }
        if let Some((n, part)) = field
            .strip_prefix("questions[")
            .and_then(|rest| rest.split_once("]."))
            && let Ok(n) = n.parse::<usize>()
        {
            let n = (n + 1).to_string();
            let part = self.t(&format!("survey.field.{part}"));
            return self.t_with("field.question_part", &[("n", &n), ("part", &part)]);
        }
        if let Some(label) = self.positioning_label(field) {
            return label;
        }
        let end = field.find(['[', '.']).unwrap_or(field.len());
        let (base, rest) = field.split_at(end);
        let key = format!("field.{base}");
        let label = self.t(&key);
        if base.is_empty() || label == key || label.ends_with(&format!(".{key}")) {
            return field.to_string();
        }
        if rest.is_empty() {
            label
        } else {
            format!("{label} {rest}")
        }
    }
}

impl Lang {
    /// A field of a form made of rows and named parts: a positioning's axis
    /// (`axes.ict_business`), aspect or explanation by code, a stakeholder's part
    /// (`stakeholders[2].power`: "Stakeholder 3: Invloed"), an aspect of the settings, a main
    /// line or theme of an agenda version (`themes[8].colour`: "Thema 9: Kleur"), or a theme
    /// of the activation's mapping (`mapping.innovatie`).
    fn positioning_label(self, field: &str) -> Option<String> {
        use stip_core::positioning::AXES;
        if let Some(code) = field.strip_prefix("mapping.") {
            let code = code.split('[').next().unwrap_or(code);
            return Some(self.t_with("agenda_version.mapping_label", &[("code", code)]));
        }
        let code = field
            .strip_prefix("axes.")
            .or_else(|| field.strip_prefix("aspects."))
            .or_else(|| field.strip_prefix("explanations."));
        if let Some(code) = code {
            let name = AXES.iter().find(|a| a.code == code).map(|a| self.t(a.name));
            return Some(if field.starts_with("explanations.") {
                self.t_with(
                    "positioning.explanation_label",
                    &[("code", &name.unwrap_or_else(|| code.to_string()))],
                )
            } else {
                name.unwrap_or_else(|| self.t_with("positioning.aspect_label", &[("code", code)]))
            });
        }
        let (list, rest) = field.split_once('[')?;
        let (n, part) = rest.split_once("].")?;
        let n = (n.parse::<usize>().ok()? + 1).to_string();
        let (whole, part) = match list {
            "stakeholders" => (
                "positioning.stakeholder_n",
                format!("positioning.field.{part}"),
            ),
            "aspects" => (
                "positioning.aspect_n",
                format!("positioning.field.aspect_{part}"),
            ),
            "themes" => ("agenda_version.theme_n", format!("field.{part}")),
            "main_lines" => ("agenda_version.line_n", format!("field.{part}")),
            _ => return None,
        };
        Some(format!(
            "{}: {}",
            self.t_with(whole, &[("n", &n)]),
            self.t(&part)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn dutch_unless_asked_otherwise() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::from_request(&h, None), Lang::Nl);
        h.insert(
            "accept-language",
            HeaderValue::from_static("en-GB,en;q=0.9,nl;q=0.8"),
        );
        assert_eq!(Lang::from_request(&h, None), Lang::En);
        h.insert(
            "accept-language",
            HeaderValue::from_static("de, nl;q=0.9, en;q=0.5"),
        );
        assert_eq!(Lang::from_request(&h, None), Lang::Nl);
        assert_eq!(Lang::from_request(&h, Some("en")), Lang::En);
    }

    #[test]
    fn a_field_stip_does_not_know_is_shown_as_sent() {
        let label = |f: &str| Lang::Nl.field_label(f);
        assert_eq!(label("title"), "Titel");
        assert_eq!(label("evil"), "evil");
        assert_eq!(
            label("themes[0]"),
            format!("{} [0]", Lang::Nl.t("field.themes"))
        );
        let e = FieldError {
            field: "evil".into(),
            code: ErrorCode::UnknownField,
        };
        assert!(Lang::En.field_error(&e).starts_with("evil: "));
    }

    /// Every key of the Dutch file exists in the English one and the other way round.
    #[test]
    fn english_is_complete() {
        fn keys(yaml: &str) -> Vec<String> {
            let mut path: Vec<(usize, String)> = Vec::new();
            let mut out = Vec::new();
            for line in yaml.lines() {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("_version")
                {
                    continue;
                }
                let indent = line.len() - trimmed.len();
                let Some((key, value)) = trimmed.split_once(':') else {
                    continue;
                };
                while path.last().is_some_and(|(i, _)| *i >= indent) {
                    path.pop();
                }
                let full: Vec<&str> = path
                    .iter()
                    .map(|(_, k)| k.as_str())
                    .chain([key.trim()])
                    .collect();
                if value.trim().is_empty() {
                    path.push((indent, key.trim().to_string()));
                } else {
                    out.push(full.join("."));
                }
            }
            out.sort();
            out
        }
        let nl = keys(include_str!("../locales/nl.yml"));
        let en = keys(include_str!("../locales/en.yml"));
        assert!(nl.len() > 100, "the Dutch file has its keys");
        let missing: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let extra: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing in en: {missing:?}; only in en: {extra:?}"
        );
    }
}
