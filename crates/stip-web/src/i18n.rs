//! Languages: Dutch by default, English on request (a cookie set by the language switch, or
//! `Accept-Language`). The locale is per request; the process-global one is never used.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::LazyLock;
use stip_core::number::Hundredths;
use stip_core::{ErrorCode, FieldError};

/// Every text of both languages by key (`nav.skip`), read once from `locales/*.yml`, which are
/// part of the binary.
static TEXTS: LazyLock<[HashMap<String, String>; 2]> = LazyLock::new(|| {
    [
        read_texts("nl.yml", include_str!("../locales/nl.yml")),
        read_texts("en.yml", include_str!("../locales/en.yml")),
    ]
});

/// The texts of a locale file: nested keys, each ending in a double-quoted text. The files use
/// only this part of YAML (a key, a colon, and a quoted text or nothing, indented by level); a
/// line that is anything else stops Stip with its file and line, and the tests read both files.
fn read_texts(file: &str, yaml: &str) -> HashMap<String, String> {
    let mut texts = HashMap::new();
    let mut path: Vec<(usize, String)> = Vec::new();
    for (n, line) in yaml.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("_version:") {
            continue;
        }
        let wrong = |what: &str| panic!("locales/{file}, line {}: {what}: {line}", n + 1);
        let indent = line.len() - trimmed.len();
        let Some((key, value)) = trimmed
            .split_once(": ")
            .or_else(|| trimmed.strip_suffix(':').map(|key| (key, "")))
        else {
            wrong("not `key:` or `key: \"text\"`")
        };
        let key = key.trim_matches('"');
        while path.last().is_some_and(|(i, _)| *i >= indent) {
            path.pop();
        }
        let value = value.trim();
        if value.is_empty() {
            path.push((indent, key.to_string()));
            continue;
        }
        // A YAML double-quoted text with the escapes these files use (\" and \n) reads as JSON.
        let Ok(text) = serde_json::from_str::<String>(value) else {
            wrong("the text is not in double quotes")
        };
        let full = path
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key])
            .collect::<Vec<_>>()
            .join(".");
        texts.insert(full, text);
    }
    texts
}

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

    /// The text of `key` in this language, else in Dutch, else the key itself.
    pub fn t(self, key: &str) -> String {
        let [nl, en] = &*TEXTS;
        let texts = match self {
            Lang::Nl => nl,
            Lang::En => en,
        };
        texts
            .get(key)
            .or_else(|| nl.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// A text with arguments: `t_with("list.total", &[("n", "28")])` fills in `%{n}`, in one
    /// pass, so a value that itself holds `%{…}` (a title someone typed) stays as it is.
    ///
    /// A count of one reads in the singular: where `key` has a `key_one` text, `n` = 1 takes it
    /// ("1 ingediend antwoord", not "1 ingediende antwoorden").
    pub fn t_with(self, key: &str, args: &[(&str, &str)]) -> String {
        let one = format!("{key}_one");
        let singular =
            args.iter().any(|(k, v)| *k == "n" && *v == "1") && TEXTS[0].contains_key(&one);
        let text = self.t(if singular { &one } else { key });
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(start) = rest.find("%{") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}').map(|e| start + e) else {
                rest = &rest[start..];
                break;
            };
            let name = &rest[start + 2..end];
            match args.iter().find(|(k, _)| *k == name) {
                Some((_, value)) => out.push_str(value),
                None => out.push_str(&rest[start..=end]),
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Items as a sentence says them: "A, B en C" / "A, B and C".
    pub fn and_list(self, items: impl IntoIterator<Item = String>) -> String {
        let mut items: Vec<String> = items.into_iter().collect();
        let Some(last) = items.pop() else {
            return String::new();
        };
        if items.is_empty() {
            return last;
        }
        format!("{} {} {last}", items.join(", "), self.t("common.and"))
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
        let amount = |h: i64| match self {
            Lang::Nl => Hundredths(h).to_dutch(),
            Lang::En => Hundredths(h).to_english(),
        };
        let args: Vec<(&str, String)> = match *code {
            ErrorCode::TooLong { max } => vec![("max", max.to_string())],
            ErrorCode::TooShort { min } => vec![("min", min.to_string())],
            ErrorCode::OutOfRange { min, max } => {
                vec![("min", min.to_string()), ("max", max.to_string())]
            }
            ErrorCode::MalformedJson { line, column } => {
                vec![("line", line.to_string()), ("column", column.to_string())]
            }
            ErrorCode::NotACandidate { id } | ErrorCode::ForcedInAndOut { id } => {
                vec![("id", id.to_string())]
            }
            ErrorCode::RequiresExcluded { id, required } => {
                vec![("id", id.to_string()), ("required", required.to_string())]
            }
            ErrorCode::ForcedOverCap { needed, cap } => {
                vec![("needed", amount(needed)), ("cap", amount(cap))]
            }
            ErrorCode::LeavesProjectsWithoutTheme { projects } => {
                vec![("n", projects.to_string())]
            }
            _ => Vec::new(),
        };
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.t_with(key, &args)
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

    /// Every line of both locale files is read, and every key of the Dutch file exists in the
    /// English one and the other way round.
    #[test]
    fn english_is_complete() {
        let [nl, en] = &*TEXTS;
        assert!(nl.len() > 100, "the Dutch file has its keys");
        assert_eq!(Lang::Nl.t("nav.skip"), "Naar de inhoud");
        assert_eq!(Lang::En.t("nav.skip"), "Skip to content");
        let mut missing: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut extra: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
        missing.sort();
        extra.sort();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing in en: {missing:?}; only in en: {extra:?}"
        );
    }

    #[test]
    fn a_text_is_filled_in_and_a_missing_one_is_its_key() {
        assert_eq!(
            Lang::Nl.t_with("home.own_title", &[("name", "Da Vinci")]),
            "Mijn instelling: Da Vinci"
        );
        assert_eq!(
            Lang::En.t_with("home.own_title", &[("name", "%{name} & %{x}")]),
            "My institution: %{name} & %{x}"
        );
        assert_eq!(Lang::En.t("no.such.key"), "no.such.key");
    }

    #[test]
    fn a_count_of_one_reads_in_the_singular() {
        let n = |lang: Lang, key: &str, n: &str| lang.t_with(key, &[("n", n)]);
        assert_eq!(n(Lang::Nl, "survey.responses", "1"), "1 ingediend antwoord");
        assert_eq!(
            n(Lang::Nl, "survey.responses", "2"),
            "2 ingediende antwoorden"
        );
        assert_eq!(
            n(Lang::Nl, "survey.responses", "0"),
            "0 ingediende antwoorden"
        );
        assert_eq!(n(Lang::En, "survey.responses", "1"), "1 submitted response");
        assert_eq!(n(Lang::Nl, "workshop.n_dots", "1"), "1 stip");
        assert_eq!(n(Lang::Nl, "list.total", "1"), "1 project gevonden");
        assert_eq!(
            n(Lang::Nl, "retry.minutes", "1"),
            "Probeer het over 1 minuut opnieuw."
        );
        // A text without a singular keeps its one form.
        assert_eq!(n(Lang::Nl, "survey.question_n", "1"), "Vraag 1");
    }
}
