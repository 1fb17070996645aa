//! A project's field value as a page shows it, in the reader's language: the change history,
//! a conflict between two saves, an import's preview.

use crate::i18n::Lang;
use crate::lists::Lists;
use crate::ui::layout::Chrome;
use stip_core::number::Hundredths;
use stip_core::portfolio::HistoryValue;

/// The name of a field in the change history (and an import's changes), as the project page
/// names it: the history's themes are all of them, the primary theme first.
pub fn change_field(c: &Chrome, field: &str) -> String {
    match field {
        "themes" => c.t("field.all_themes"),
        "external_id" => c.t("import.page.external_id"),
        other => c.t(&format!("field.{other}")),
    }
}

/// A value in the change history as the page shows it, in the reader's language: labels and
/// names instead of codes, amounts and dates written as the reader writes them.
pub fn change_value(c: &Chrome, lists: &Lists, field: &str, value: &HistoryValue) -> String {
    let amount = |v: Hundredths| match c.lang {
        Lang::Nl => v.to_dutch(),
        Lang::En => v.to_english(),
    };
    let names = |codes: &[String], name: &dyn Fn(&str) -> String| {
        codes.iter().map(|x| name(x)).collect::<Vec<_>>().join(", ")
    };
    match value {
        HistoryValue::Empty => String::new(),
        HistoryValue::Withheld => "—".into(),
        HistoryValue::Text(text) => text.clone(),
        HistoryValue::Code(code) => c.label(field, code),
        HistoryValue::Date(d) => match c.lang {
            Lang::Nl => d.format("%d-%m-%Y").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        },
        HistoryValue::Euro(v) => match c.lang {
            Lang::Nl => format!("€ {}", amount(*v)),
            Lang::En => format!("€{}", amount(*v)),
        },
        HistoryValue::Effort(e) => format!(
            "{} {}",
            amount(e.amount),
            c.label("effort_unit", e.unit.code())
        ),
        HistoryValue::Axis(v) => match field {
            "perspective_strategic_operational" => c.label("axis_so", &v.to_string()),
            "perspective_ict_business" => c.label("axis_ib", &v.to_string()),
            _ => v.to_string(),
        },
        HistoryValue::List(items) => match field {
            "themes" => names(items, &|code| lists.theme_name(code)),
            "drivers" => names(items, &|code| lists.driver_name(code)),
            "mora_areas" => names(items, &|code| lists.mora_name(code)),
            _ => items.join(", "),
        },
        HistoryValue::Scores(scores) => scores
            .iter()
            .map(|(code, score)| format!("{}: {score}", lists.criterion_name(code)))
            .collect::<Vec<_>>()
            .join(", "),
        HistoryValue::Flag(yes) => c.t(if *yes {
            "common.answer_yes"
        } else {
            "common.answer_no"
        }),
    }
}
