//! Cells as people fill them in, read into the codes and notations of a project: `3-2-2021`
//! and Excel date serials, `€ 12.500,00`, `In uitvoering`, `Groen`, `data ondersteund onderwijs`.
//! A value that cannot be read is passed on as it was typed, so the project's own validation
//! refuses it with the value in the message.

use super::sheet::Cell;
use crate::number::Hundredths;
use crate::portfolio::{Character, EffortUnit, Horizon, Phase, Status, Visibility};
use chrono::NaiveDate;

/// Lower case, accents and everything but letters and digits left out: `Data-ondersteund
/// Onderwijs` and `data ondersteund onderwijs` are the same name.
pub fn normalise(raw: &str) -> String {
    raw.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            'ĳ' => Some('y'),
            _ => None,
        })
        .collect()
}

/// The first of `words` (normalised) that `raw` is, as its value.
fn word<T: Copy>(raw: &str, words: &[(&str, T)]) -> Option<T> {
    let n = normalise(raw);
    words.iter().find(|(w, _)| *w == n).map(|(_, v)| *v)
}

const PHASES: &[(&str, Phase)] = &[
    ("idee", Phase::Idee),
    ("idea", Phase::Idee),
    ("initiatief", Phase::Idee),
    ("wens", Phase::Idee),
    ("verkenning", Phase::Verkenning),
    ("verkennen", Phase::Verkenning),
    ("inverkenning", Phase::Verkenning),
    ("onderzoek", Phase::Verkenning),
    ("exploration", Phase::Verkenning),
    ("voorbereiding", Phase::Voorbereiding),
    ("invoorbereiding", Phase::Voorbereiding),
    ("planvorming", Phase::Voorbereiding),
    ("preparation", Phase::Voorbereiding),
    ("uitvoering", Phase::Uitvoering),
    ("inuitvoering", Phase::Uitvoering),
    ("lopend", Phase::Uitvoering),
    ("loopt", Phase::Uitvoering),
    ("actief", Phase::Uitvoering),
    ("execution", Phase::Uitvoering),
    ("inprogress", Phase::Uitvoering),
    ("running", Phase::Uitvoering),
    ("afgerond", Phase::Afgerond),
    ("gereed", Phase::Afgerond),
    ("klaar", Phase::Afgerond),
    ("opgeleverd", Phase::Afgerond),
    ("afgesloten", Phase::Afgerond),
    ("completed", Phase::Afgerond),
    ("done", Phase::Afgerond),
    ("finished", Phase::Afgerond),
    ("gestopt", Phase::Gestopt),
    ("gestaakt", Phase::Gestopt),
    ("geannuleerd", Phase::Gestopt),
    ("vervallen", Phase::Gestopt),
    ("stopped", Phase::Gestopt),
    ("cancelled", Phase::Gestopt),
    ("canceled", Phase::Gestopt),
    ("onhold", Phase::OnHold),
    ("gepauzeerd", Phase::OnHold),
    ("aangehouden", Phase::OnHold),
    ("gepauseerd", Phase::OnHold),
];

const STATUSES: &[(&str, Status)] = &[
    ("groen", Status::Groen),
    ("green", Status::Groen),
    ("g", Status::Groen),
    ("oranje", Status::Oranje),
    ("orange", Status::Oranje),
    ("amber", Status::Oranje),
    ("geel", Status::Oranje),
    ("yellow", Status::Oranje),
    ("o", Status::Oranje),
    ("rood", Status::Rood),
    ("red", Status::Rood),
    ("r", Status::Rood),
];

const HORIZONS: &[(&str, Horizon)] = &[
    ("kort", Horizon::Kort),
    ("kortetermijn", Horizon::Kort),
    ("short", Horizon::Kort),
    ("middellang", Horizon::Middellang),
    ("middellangetermijn", Horizon::Middellang),
    ("middel", Horizon::Middellang),
    ("medium", Horizon::Middellang),
    ("lang", Horizon::Lang),
    ("langetermijn", Horizon::Lang),
    ("long", Horizon::Lang),
];

const CHARACTERS: &[(&str, Character)] = &[
    ("basisoporde", Character::BasisOpOrde),
    ("basis", Character::BasisOpOrde),
    ("verbeteren", Character::Verbeteren),
    ("verbetering", Character::Verbeteren),
    ("improve", Character::Verbeteren),
    ("innoveren", Character::Innoveren),
    ("innovatie", Character::Innoveren),
    ("vernieuwing", Character::Innoveren),
    ("innovate", Character::Innoveren),
];

const VISIBILITIES: &[(&str, Visibility)] = &[
    ("instelling", Visibility::Instelling),
    ("eigeninstelling", Visibility::Instelling),
    ("institution", Visibility::Instelling),
    ("intern", Visibility::Instelling),
    ("netwerk", Visibility::Netwerk),
    ("network", Visibility::Netwerk),
    ("openbaar", Visibility::Openbaar),
    ("public", Visibility::Openbaar),
];

const UNITS: &[(&str, EffortUnit)] = &[
    ("fte", EffortUnit::Fte),
    ("uren", EffortUnit::Uren),
    ("uur", EffortUnit::Uren),
    ("u", EffortUnit::Uren),
    ("hours", EffortUnit::Uren),
    ("hour", EffortUnit::Uren),
];

/// A code of `T`, from the code itself or a word people use for it; else the text as typed.
fn code_or_typed<T: Copy>(raw: &str, words: &[(&str, T)], code: fn(T) -> &'static str) -> String {
    match word(raw, words) {
        Some(v) => code(v).to_string(),
        None => raw.trim().to_string(),
    }
}

pub fn phase(raw: &str) -> String {
    code_or_typed(raw, PHASES, Phase::code)
}
pub fn status(raw: &str) -> String {
    code_or_typed(raw, STATUSES, Status::code)
}
pub fn horizon(raw: &str) -> String {
    code_or_typed(raw, HORIZONS, Horizon::code)
}
pub fn character(raw: &str) -> String {
    code_or_typed(raw, CHARACTERS, Character::code)
}
pub fn visibility(raw: &str) -> String {
    code_or_typed(raw, VISIBILITIES, Visibility::code)
}
pub fn effort_unit(raw: &str) -> String {
    code_or_typed(raw, UNITS, EffortUnit::code)
}

/// Whether a text is a phase, by its code or a word people use for it.
pub fn is_phase(raw: &str) -> bool {
    word(raw, PHASES).is_some() || Phase::parse(raw.trim()).is_some()
}

/// Whether a text is a status (a RAG colour), by its code or a word people use for it.
pub fn is_status(raw: &str) -> bool {
    word(raw, STATUSES).is_some() || Status::parse(raw.trim()).is_some()
}

/// Whether a typed amount says it is money: `€ 45.000`, `45.000 euro`, `EUR 12.000`.
pub fn says_euro(raw: &str) -> bool {
    raw.contains('€') || raw.to_lowercase().contains("eur")
}

/// An amount as people type it: `€ 45.000,-`, `€45.000`, `45.000 euro`, `45k`, `ca. 10.000`,
/// `45.000,00`, `1,2 mln`; `None` when it is none of these.
pub fn amount(raw: &str) -> Option<Hundredths> {
    let mut t = raw.trim().to_lowercase().replace('\u{a0}', " ");
    for about in [
        "circa", "ca.", "ca ", "ongeveer", "±", "~", "+/-", "max.", "maximaal",
    ] {
        if let Some(rest) = t.strip_prefix(about) {
            t = rest.trim().to_string();
        }
    }
    for money in ["euros", "euro", "eur", "€"] {
        t = t.replace(money, "");
    }
    let mut t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    for dash in [",--", ",-", ".-", ",="] {
        if let Some(rest) = t.strip_suffix(dash) {
            t = rest.to_string();
        }
    }
    let (number, factor) = if let Some(n) = t.strip_suffix("mln").or(t.strip_suffix("miljoen")) {
        (n, 1_000_000)
    } else if let Some(n) = t.strip_suffix('k') {
        (n, 1_000)
    } else {
        (t.as_str(), 1)
    };
    let value = Hundredths::parse(number).ok()?;
    value.0.checked_mul(factor).map(Hundredths)
}

/// A budget cell as the project's parser reads it: a number cell exactly, an amount as people
/// type it in the form's notation, else the text as typed (so it is refused with it).
pub fn amount_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => amount(t).map_or_else(|| t.trim().to_string(), Hundredths::to_dutch),
        other => number_text(other),
    }
}

/// An effort as typed, with its unit when the cell names one: `1,5 fte`, `200 uur`.
pub fn effort(cell: &Cell) -> (String, Option<String>) {
    let typed = cell.text();
    let at = typed
        .find(|c: char| c.is_alphabetic())
        .unwrap_or(typed.len());
    let (amount, unit) = typed.split_at(at);
    match word(unit, UNITS) {
        Some(u) if !amount.trim().is_empty() => {
            (amount.trim().to_string(), Some(u.code().to_string()))
        }
        _ => (number_text(cell), None),
    }
}

/// Yes or no: `ja`, `x`, `1`, `waar`, `yes`, `true`; `nee`, `0`, `onwaar`, `no`, `false` or
/// empty. `None` for anything else.
pub fn yes_no(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Bool(b) => Some(*b),
        Cell::Number(n) => Some(*n != 0.0),
        _ => match normalise(&cell.text()).as_str() {
            "ja" | "j" | "x" | "yes" | "y" | "true" | "waar" | "1" => Some(true),
            "nee" | "n" | "no" | "false" | "onwaar" | "0" | "" => Some(false),
            _ => None,
        },
    }
}

/// An amount as the project's parser reads it: a number cell exactly, a text as typed
/// (`€ 12.500,00`, `12500`).
pub fn number_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(n) => {
            let cents = (n * 100.0).round() / 100.0;
            if cents.fract() == 0.0 {
                format!("{}", cents as i64)
            } else {
                // The project's parser reads a comma as the decimal mark.
                format!("{cents:.2}").replace('.', ",")
            }
        }
        other => other.text(),
    }
}

/// Excel counts days from 30 December 1899 (with 1900 wrongly a leap year, which only moves
/// dates before March 1900).
fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("jan", 1),
    ("februari", 2),
    ("feb", 2),
    ("maart", 3),
    ("mrt", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("juni", 6),
    ("jun", 6),
    ("juli", 7),
    ("jul", 7),
    ("augustus", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("oktober", 10),
    ("okt", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// A date cell, an Excel serial, or a date typed the Dutch way (`3-2-2021`, `03/02/2021`,
/// `3.2.21`, `3 februari 2021`) or as ISO; `None` when it is none of these.
pub fn date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Number(n) => from_serial(*n),
        Cell::Text(t) => typed_date(t.trim()),
        _ => None,
    }
}

fn typed_date(t: &str) -> Option<NaiveDate> {
    // ISO, with its four-digit year first: "01-03-21" is a Dutch date, not the year 1.
    if t.get(..4)
        .is_some_and(|y| y.chars().all(|c| c.is_ascii_digit()))
        && let Ok(d) = NaiveDate::parse_from_str(t.get(..10).unwrap_or(t), "%Y-%m-%d")
    {
        return Some(d);
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let [day, month, year] = parts[..] else {
        return None;
    };
    let day: u32 = day.parse().ok()?;
    let month: u32 = match month.parse() {
        Ok(m) => m,
        Err(_) => {
            let m = normalise(month);
            MONTHS.iter().find(|(name, _)| *name == m)?.1
        }
    };
    let year: i32 = match year.len() {
        4 => year.parse().ok()?,
        // Two digits: this century, as every date in a portfolio is.
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Which end of a period a date stands for: "maart 2021" starts on 1 March as a start date
/// and ends on 31 March as an end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// A date, or a period people give instead of one: a month (`maart 2021`, `mrt-21`,
/// `03-2021`), a quarter (`Q3 2021`, `2021-Q3`), a year (`2021`, also as a number cell), taken
/// at its start or end.
pub fn period_date(cell: &Cell, edge: Edge) -> Option<NaiveDate> {
    if let Cell::Number(n) = cell
        && n.fract() == 0.0
        && (1990.0..=2100.0).contains(n)
    {
        return year_edge(*n as i32, 1, 12, edge);
    }
    if let Some(d) = date(cell) {
        return Some(d);
    }
    let Cell::Text(t) = cell else { return None };
    let parts: Vec<String> = t
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.' | ','))
        .filter(|p| !p.is_empty())
        .map(normalise)
        .collect();
    let year = |p: &str| -> Option<i32> {
        match p.len() {
            4 => p.parse().ok().filter(|y| (1990..=2100).contains(y)),
            2 => p.parse::<i32>().ok().map(|y| 2000 + y),
            _ => None,
        }
    };
    let quarter = |p: &str| -> Option<u32> {
        p.strip_prefix('q')
            .or_else(|| p.strip_prefix("kw"))
            .and_then(|q| q.parse().ok())
            .filter(|q| (1..=4).contains(q))
    };
    let month = |p: &str| -> Option<u32> {
        MONTHS
            .iter()
            .find(|(name, _)| *name == p)
            .map(|(_, m)| *m)
            .or_else(|| p.parse().ok().filter(|m| (1..=12).contains(m)))
    };
    match &parts[..] {
        [y] => year_edge(year(y).filter(|_| y.len() == 4)?, 1, 12, edge),
        [a, b] => {
            if let (Some(q), Some(y)) = (quarter(a), year(b)) {
                year_edge(y, q * 3 - 2, q * 3, edge)
            } else if let (Some(y), Some(q)) = (year(a), quarter(b)) {
                year_edge(y, q * 3 - 2, q * 3, edge)
            } else {
                let (m, y) = (month(a)?, year(b)?);
                year_edge(y, m, m, edge)
            }
        }
        _ => None,
    }
}

/// The first day of month `first` or the last of month `last` of `year`.
fn year_edge(year: i32, first: u32, last: u32, edge: Edge) -> Option<NaiveDate> {
    match edge {
        Edge::Start => NaiveDate::from_ymd_opt(year, first, 1),
        Edge::End => {
            let (y, m) = if last == 12 {
                (year + 1, 1)
            } else {
                (year, last + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
        }
    }
}

/// The date as the project's parser reads it; the cell as typed when it is no date.
pub fn date_text(cell: &Cell, edge: Edge) -> String {
    match period_date(cell, edge) {
        Some(d) => d.to_string(),
        None => cell.text(),
    }
}

/// Names and codes of a reference list (themes, drivers, criteria) by their normalised forms.
pub struct Names {
    entries: Vec<(String, String)>,
}

impl Names {
    /// `(code, name)` pairs; a name's part in brackets counts on its own too, so `LLO` finds
    /// "Leven lang ontwikkelen (LLO)".
    pub fn new<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut entries = Vec::new();
        for (code, name) in items {
            entries.push((normalise(code), code.to_string()));
            entries.push((normalise(name), code.to_string()));
            if let (Some(open), Some(close)) = (name.find('('), name.rfind(')'))
                && open < close
            {
                entries.push((normalise(&name[open + 1..close]), code.to_string()));
                entries.push((normalise(&name[..open]), code.to_string()));
            }
        }
        entries.retain(|(n, _)| !n.is_empty());
        Names { entries }
    }

    /// Whether a cell names one or more of the list's entries and nothing else.
    pub fn knows_all(&self, raw: &str) -> bool {
        let codes = self.codes(raw);
        !codes.is_empty()
            && codes
                .iter()
                .all(|c| self.entries.iter().any(|(_, code)| code == c))
    }

    pub fn code(&self, raw: &str) -> Option<&str> {
        let n = normalise(raw);
        self.entries
            .iter()
            .find(|(name, _)| *name == n)
            .map(|(_, code)| code.as_str())
    }

    /// A cell naming one or more: the whole cell when it is one name, else its parts split at
    /// `;`, `|`, line breaks or `,`. Parts that together are one name count as that name
    /// ("Strategie, beleid en sturing, Instroom" is two MORA areas). An unknown part stays as
    /// typed, so it is refused by name.
    pub fn codes(&self, raw: &str) -> Vec<String> {
        if raw.trim().is_empty() {
            return Vec::new();
        }
        if let Some(code) = self.code(raw) {
            return vec![code.to_string()];
        }
        let parts: Vec<&str> = if raw.contains([';', '|', '\n']) {
            raw.split([';', '|', '\n']).collect()
        } else {
            raw.split([',', '/', '+']).collect()
        };
        let parts: Vec<&str> = parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let mut out = Vec::new();
        let mut at = 0;
        while at < parts.len() {
            // The longest run of parts from here that is one name; normalising leaves out the
            // separators, so the run's parts are simply put together.
            let found = (at + 1..=parts.len()).rev().find_map(|end| {
                let joined: String = parts[at..end].concat();
                self.code(&joined).map(|code| (end, code))
            });
            match found {
                Some((end, code)) => {
                    out.push(code.to_string());
                    at = end;
                }
                None => {
                    out.push(parts[at].to_string());
                    at += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_dates_in_every_notation_people_type() {
        let d = NaiveDate::from_ymd_opt(2021, 2, 3);
        for typed in [
            "3-2-2021",
            "03-02-2021",
            "3/2/2021",
            "3.2.21",
            "3 februari 2021",
            "2021-02-03",
        ] {
            assert_eq!(date(&Cell::Text(typed.into())), d, "{typed}");
        }
        assert_eq!(date(&Cell::Number(44230.0)), d, "an Excel serial");
        assert_eq!(date(&Cell::Text("31-02-2021".into())), None);
        assert_eq!(
            date_text(&Cell::Text("31-02-2021".into()), Edge::Start),
            "31-02-2021"
        );
    }

    #[test]
    fn months_quarters_and_years_stand_for_their_first_or_last_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let text = |t: &str| Cell::Text(t.into());
        for (typed, start, end) in [
            ("maart 2021", day(2021, 3, 1), day(2021, 3, 31)),
            ("mrt-21", day(2021, 3, 1), day(2021, 3, 31)),
            ("02-2024", day(2024, 2, 1), day(2024, 2, 29)),
            ("Q3 2021", day(2021, 7, 1), day(2021, 9, 30)),
            ("2021-Q4", day(2021, 10, 1), day(2021, 12, 31)),
            ("2021", day(2021, 1, 1), day(2021, 12, 31)),
            ("1-3-2021", day(2021, 3, 1), day(2021, 3, 1)),
            ("01-03-21", day(2021, 3, 1), day(2021, 3, 1)),
        ] {
            assert_eq!(period_date(&text(typed), Edge::Start), start, "{typed}");
            assert_eq!(period_date(&text(typed), Edge::End), end, "{typed}");
        }
        assert_eq!(
            period_date(&Cell::Number(2022.0), Edge::End),
            day(2022, 12, 31),
            "a year typed as a number"
        );
        assert_eq!(period_date(&text("Q5 2021"), Edge::Start), None);
        assert_eq!(period_date(&text("binnenkort"), Edge::Start), None);
    }

    #[test]
    fn amounts_as_people_type_them() {
        for (typed, cents) in [
            ("€ 45.000,-", 4_500_000),
            ("€45.000", 4_500_000),
            ("45.000 euro", 4_500_000),
            ("45k", 4_500_000),
            ("ca. 10.000", 1_000_000),
            ("45.000,00", 4_500_000),
            ("EUR 12.500,50", 1_250_050),
            ("1,2 mln", 120_000_000),
            ("12,5k", 1_250_000),
        ] {
            assert_eq!(amount(typed), Some(Hundredths(cents)), "{typed}");
        }
        assert_eq!(amount("veel"), None);
        assert_eq!(amount_text(&Cell::Text("€ 45.000,-".into())), "45.000");
        assert_eq!(amount_text(&Cell::Text("n.t.b.".into())), "n.t.b.");
    }

    #[test]
    fn words_for_phases_and_statuses_in_their_own_spelling() {
        assert_eq!(phase("In uitvoering"), "uitvoering");
        assert_eq!(phase("afgerond"), "afgerond");
        assert_eq!(phase("On hold"), "on-hold");
        assert_eq!(phase("bijna klaar"), "bijna klaar");
        assert_eq!(status("Groen"), "groen");
        assert_eq!(status("ROOD"), "rood");
        assert_eq!(status("amber"), "oranje");
    }

    #[test]
    fn theme_names_with_their_variations() {
        let names = Names::new([
            ("llo", "Leven lang ontwikkelen (LLO)"),
            ("data-ondersteund-onderwijs", "Data-ondersteund onderwijs"),
            ("leermiddelen", "Leermiddelen"),
            ("eigen-dossier", "Eigen dossier"),
        ]);
        assert_eq!(
            names.codes("data ondersteund onderwijs"),
            ["data-ondersteund-onderwijs"]
        );
        assert_eq!(
            names.codes("Data-ondersteund Onderwijs"),
            ["data-ondersteund-onderwijs"]
        );
        assert_eq!(names.codes("LLO"), ["llo"]);
        assert_eq!(
            names.codes("Leermiddelen; Eigen dossier"),
            ["leermiddelen", "eigen-dossier"]
        );
        assert_eq!(
            names.codes("Leermiddelen, Blockchain"),
            ["leermiddelen", "Blockchain"]
        );
        let areas = Names::new([
            ("strategie-beleid-sturing", "Strategie, beleid en sturing"),
            ("instroom", "Instroom"),
            ("bedrijfsvoering-hrm", "HRM"),
        ]);
        assert_eq!(
            areas.codes("Strategie, beleid en sturing, Instroom"),
            ["strategie-beleid-sturing", "instroom"]
        );
        assert_eq!(
            areas.codes("Bedrijfsvoering - HRM; instroom"),
            ["bedrijfsvoering-hrm", "instroom"]
        );
    }

    #[test]
    fn efforts_with_their_unit_and_amounts_as_typed() {
        assert_eq!(
            effort(&Cell::Text("1,5 fte".into())),
            ("1,5".into(), Some("fte".into()))
        );
        assert_eq!(
            effort(&Cell::Text("200 uur".into())),
            ("200".into(), Some("uren".into()))
        );
        assert_eq!(effort(&Cell::Number(2.0)), ("2".into(), None));
        assert_eq!(number_text(&Cell::Number(12500.5)), "12500,50");
        assert_eq!(yes_no(&Cell::Text("Ja".into())), Some(true));
        assert_eq!(yes_no(&Cell::Text("misschien".into())), None);
    }
}
