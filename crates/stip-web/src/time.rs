//! Dates and times as the network reads them: in Dutch time (Europe/Amsterdam), written out in
//! the reader's language ("28 november 2026, 20:17").

use crate::i18n::Lang;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;

/// Today in the Netherlands.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&Amsterdam).date_naive()
}

/// A date written out: "28 november 2026" / "28 November 2026".
pub fn date(lang: Lang, d: NaiveDate) -> String {
    let month = lang.t(&format!("month.{}", d.month()));
    format!("{} {month} {}", d.day(), d.year())
}

/// A stored moment (ISO 8601 in UTC) in Dutch time, written out: "28 november 2026, 20:17".
/// A value that does not parse is shown as it is.
pub fn moment(lang: Lang, stored: &str) -> String {
    match stored.parse::<DateTime<Utc>>() {
        Ok(t) => {
            let local = t.with_timezone(&Amsterdam);
            format!(
                "{}, {:02}:{:02}",
                date(lang, local.date_naive()),
                local.hour(),
                local.minute()
            )
        }
        Err(_) => stored.to_string(),
    }
}

/// A moment as the database keeps it (UTC, microseconds), e.g. when something expires.
pub fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_shown_in_dutch_time_and_words() {
        // 19:17 UTC is 20:17 in the Dutch winter and 21:17 in the summer.
        assert_eq!(
            moment(Lang::Nl, "2026-11-28T19:17:03.123456Z"),
            "28 november 2026, 20:17"
        );
        assert_eq!(
            moment(Lang::En, "2026-07-01T19:17:03.123456Z"),
            "1 July 2026, 21:17"
        );
    }
}
