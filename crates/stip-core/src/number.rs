//! Numbers and dates as people type them in the Netherlands: "€ 12.500,50", "1,5", "31-12-2025".

use crate::ErrorCode;
use chrono::NaiveDate;

/// An amount with two decimals, kept as an integer number of hundredths (cents for euros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hundredths(pub i64);

impl Hundredths {
    /// Parses Dutch and international notations: "12.500", "12.500,50", "12500.5", "€ 1 000".
    /// A dot followed by exactly three digits is a thousands separator when there is no comma.
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let cleaned: String = raw
            .trim()
            .trim_start_matches('€')
            .trim_end_matches("EUR")
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        let cleaned = cleaned.trim_start_matches('€');
        if cleaned.is_empty() {
            return Err(ErrorCode::Required);
        }
        let (negative, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned),
        };
        let normalised = if body.contains(',') {
            body.replace('.', "").replace(',', ".")
        } else if body.split('.').skip(1).all(|g| g.len() == 3) && body.contains('.') {
            body.replace('.', "")
        } else {
            body.to_string()
        };
        let mut parts = normalised.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        let frac = parts.next().unwrap_or("");
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole)
            || (!frac.is_empty() && !digits(frac))
            || frac.len() > 2
            || whole.len() > 13
        {
            return Err(ErrorCode::NotANumber);
        }
        let whole: i64 = whole.parse().map_err(|_| ErrorCode::NotANumber)?;
        let frac: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| ErrorCode::NotANumber)?;
        let value = whole * 100 + frac;
        Ok(Hundredths(if negative { -value } else { value }))
    }

    /// Dutch notation with thousands separators; decimals only when there are any.
    pub fn to_dutch(self) -> String {
        self.grouped('.', ',')
    }

    /// English notation ("12,500.50"), as [`Hundredths::to_dutch`] with the marks swapped.
    pub fn to_english(self) -> String {
        self.grouped(',', '.')
    }

    fn grouped(self, thousands: char, decimal: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(thousands);
            }
            grouped.push(c);
        }
        match abs % 100 {
            0 => format!("{sign}{grouped}"),
            cents => format!("{sign}{grouped}{decimal}{cents:02}"),
        }
    }

    /// The value as a plain decimal number, for JSON and spreadsheets.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn from_f64(v: f64) -> Self {
        Hundredths((v * 100.0).round() as i64)
    }
}

/// Parses an optional number; empty means not set.
pub fn optional_amount(raw: &str) -> Result<Option<Hundredths>, ErrorCode> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Hundredths::parse(raw).map(Some)
    }
}

/// Parses a date as ISO (2025-12-31), as a browser's date input sends it, or Dutch (31-12-2025).
pub fn parse_date(raw: &str) -> Result<NaiveDate, ErrorCode> {
    let t = raw.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .map_err(|_| ErrorCode::NotADate)
}

pub fn optional_date(raw: &str) -> Result<Option<NaiveDate>, ErrorCode> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(raw).map(Some)
    }
}

/// Parses a whole number within bounds.
pub fn integer_in(raw: &str, min: i64, max: i64) -> Result<i64, ErrorCode> {
    let t: String = raw
        .trim()
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    let v: i64 = t.parse().map_err(|_| ErrorCode::NotANumber)?;
    if v < min || v > max {
        return Err(ErrorCode::OutOfRange { min, max });
    }
    Ok(v)
}

/// A page number or page size: digits only, within bounds. Stricter than [`integer_in`], which
/// reads "1.500" as fifteen hundred as people type amounts; in a URL `1.5` is a mistake.
pub fn page_number(raw: &str, min: i64, max: i64) -> Result<i64, ErrorCode> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(ErrorCode::NotAPageNumber);
    }
    // Digits only, so a failure here can only be a number too large for i64.
    match t.parse::<i64>() {
        Ok(v) if v == 0 && min >= 1 => Err(ErrorCode::NotAPageNumber),
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(ErrorCode::OutOfRange { min, max }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_whole_numbers_from_one() {
        assert_eq!(page_number("3", 1, 200), Ok(3));
        assert_eq!(page_number("1.5", 1, 200), Err(ErrorCode::NotAPageNumber));
        assert_eq!(page_number("COM1", 1, 200), Err(ErrorCode::NotAPageNumber));
        assert_eq!(page_number("-1", 1, 200), Err(ErrorCode::NotAPageNumber));
        assert_eq!(page_number("0", 1, 200), Err(ErrorCode::NotAPageNumber));
        assert_eq!(
            page_number("201", 1, 200),
            Err(ErrorCode::OutOfRange { min: 1, max: 200 })
        );
        assert_eq!(
            page_number("99999999999999999999", 1, 200),
            Err(ErrorCode::OutOfRange { min: 1, max: 200 })
        );
    }

    #[test]
    fn dutch_amounts_parse_to_cents() {
        assert_eq!(Hundredths::parse("12.500").unwrap().0, 1_250_000);
        assert_eq!(Hundredths::parse("€ 12.500,50").unwrap().0, 1_250_050);
        assert_eq!(Hundredths::parse("12500.5").unwrap().0, 1_250_050);
        assert_eq!(Hundredths::parse("1,5").unwrap().0, 150);
        assert_eq!(Hundredths::parse("1.250.000").unwrap().0, 125_000_000);
        assert_eq!(Hundredths::parse("twaalf"), Err(ErrorCode::NotANumber));
        assert_eq!(Hundredths::parse("12,345"), Err(ErrorCode::NotANumber));
    }

    #[test]
    fn amounts_print_the_dutch_way() {
        assert_eq!(Hundredths(1_250_000).to_dutch(), "12.500");
        assert_eq!(Hundredths(1_250_050).to_dutch(), "12.500,50");
        assert_eq!(Hundredths(150).to_dutch(), "1,50");
        assert_eq!(Hundredths(1_250_050).to_english(), "12,500.50");
    }

    #[test]
    fn dates_in_iso_and_dutch_notation() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(parse_date("2025-12-31"), Ok(d));
        assert_eq!(parse_date("31-12-2025"), Ok(d));
        assert_eq!(parse_date("morgen"), Err(ErrorCode::NotADate));
    }
}
