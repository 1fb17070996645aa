//! A project's change history: the value of each field as the history keeps it, what changed
//! between two versions ([`diff`]), and the history's entries.

use super::{Character, Effort, EffortUnit, Horizon, ProjectData, Status, Visibility};
use crate::number::Hundredths;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

impl ProjectData {
    /// The names of [`ProjectData::history_fields`], in form order.
    pub const FIELDS: [&'static str; 26] = [
        "title",
        "summary",
        "description",
        "intended_result",
        "owner",
        "project_lead",
        "contact_person",
        "phase",
        "status",
        "status_note",
        "start_date",
        "end_date",
        "budget",
        "effort",
        "horizon",
        "character",
        "perspective_strategic_operational",
        "perspective_ict_business",
        "themes",
        "drivers",
        "mora_areas",
        "scores",
        "visibility",
        "shareable",
        "case_summary",
        "links",
    ];

    /// The fields shown in a project's change history, in form order, with their values.
    pub fn history_fields(&self) -> Vec<(&'static str, HistoryValue)> {
        use HistoryValue as V;
        let code = |c: Option<&'static str>| c.map_or(V::Empty, |c| V::Code(c.to_string()));
        let date = |d: Option<NaiveDate>| d.map_or(V::Empty, V::Date);
        let axis = |a: Option<u8>| a.map_or(V::Empty, V::Axis);
        vec![
            ("title", V::Text(self.title.clone())),
            ("summary", V::Text(self.summary.clone())),
            ("description", V::Text(self.description.clone())),
            ("intended_result", V::Text(self.intended_result.clone())),
            ("owner", V::Text(self.owner.clone())),
            ("project_lead", V::Text(self.project_lead.clone())),
            ("contact_person", V::Text(self.contact_person.clone())),
            ("phase", code(Some(self.phase.code()))),
            ("status", code(self.status.map(Status::code))),
            ("status_note", V::Text(self.status_note.clone())),
            ("start_date", date(self.start_date)),
            ("end_date", date(self.end_date)),
            ("budget", self.budget.map_or(V::Empty, V::Euro)),
            ("effort", self.effort.map_or(V::Empty, V::Effort)),
            ("horizon", code(self.horizon.map(Horizon::code))),
            ("character", code(self.character.map(Character::code))),
            (
                "perspective_strategic_operational",
                axis(self.perspective.strategic_operational),
            ),
            (
                "perspective_ict_business",
                axis(self.perspective.ict_business),
            ),
            ("themes", V::List(self.themes.clone())),
            ("drivers", V::List(self.drivers.clone())),
            ("mora_areas", V::List(self.mora_areas.clone())),
            ("scores", V::Scores(self.scores.clone())),
            ("visibility", code(Some(self.visibility.code()))),
            ("shareable", V::Flag(self.shareable)),
            ("case_summary", V::Text(self.case_summary.clone())),
            ("links", V::List(self.links.clone())),
        ]
    }
}

/// A field's value as the change history keeps it: the value itself, never a rendering in one
/// language, so each reader sees it in their own language and exports keep the numbers.
///
/// In JSON (the database and the API) it is the plain value, as the project API has it: a text,
/// a code or `null` (not set); an ISO date; a budget as a number of euros; an effort as
/// `{"amount": 1.5, "unit": "fte"}`; a perspective 1–5; a list of theme, driver or MORA area
/// codes or links; scores as `{"urgentie": 3}`; `true`/`false`. The field's name tells which it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryValue {
    /// Not set (an empty date, amount or choice).
    Empty,
    Text(String),
    /// A code of a fixed list (phase, status, horizon, character, visibility).
    Code(String),
    Date(NaiveDate),
    Euro(Hundredths),
    Effort(Effort),
    /// A position 1–5 on a perspective axis.
    Axis(u8),
    /// Theme, driver or MORA area codes, or links.
    List(Vec<String>),
    /// Score 1–5 per criterion code.
    Scores(BTreeMap<String, u8>),
    Flag(bool),
    /// Not shown to this reader: the value belongs to a version they could not see
    /// (see `access::visible_history`). Never stored; `null` in JSON.
    Withheld,
}

impl HistoryValue {
    /// Nothing filled in: no value, an empty text or list, no scores, or an unticked box.
    pub fn is_empty(&self) -> bool {
        match self {
            HistoryValue::Empty | HistoryValue::Withheld | HistoryValue::Flag(false) => true,
            HistoryValue::Text(t) | HistoryValue::Code(t) => t.is_empty(),
            HistoryValue::List(items) => items.is_empty(),
            HistoryValue::Scores(scores) => scores.is_empty(),
            _ => false,
        }
    }
}

/// What kind of value a history field holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Text,
    Code,
    Date,
    Euro,
    Effort,
    Axis,
    List,
    Scores,
    Flag,
}

impl ValueKind {
    fn of(field: &str) -> Option<ValueKind> {
        Some(match field {
            "title" | "summary" | "description" | "intended_result" | "owner" | "project_lead"
            | "contact_person" | "status_note" | "case_summary" => ValueKind::Text,
            "phase" | "status" | "horizon" | "character" | "visibility" => ValueKind::Code,
            "start_date" | "end_date" => ValueKind::Date,
            "budget" => ValueKind::Euro,
            "effort" => ValueKind::Effort,
            "perspective_strategic_operational" | "perspective_ict_business" => ValueKind::Axis,
            "themes" | "drivers" | "mora_areas" | "links" => ValueKind::List,
            "scores" => ValueKind::Scores,
            "shareable" => ValueKind::Flag,
            _ => return None,
        })
    }
}

impl HistoryValue {
    /// The value of `field` from its JSON form; `None` when it is not what the field holds.
    pub fn from_json(field: &str, v: serde_json::Value) -> Option<HistoryValue> {
        use serde_json::Value as J;
        let strings = |items: Vec<J>| -> Option<Vec<String>> {
            items
                .into_iter()
                .map(|i| match i {
                    J::String(s) => Some(s),
                    _ => None,
                })
                .collect()
        };
        let kind = ValueKind::of(field);
        Some(match (kind, v) {
            (_, J::Null) => HistoryValue::Empty,
            (Some(ValueKind::Text) | None, J::String(s)) => HistoryValue::Text(s),
            (Some(ValueKind::Code), J::String(s)) => HistoryValue::Code(s),
            (Some(ValueKind::Date), J::String(s)) => {
                HistoryValue::Date(NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()?)
            }
            (Some(ValueKind::Euro), J::Number(n)) => {
                HistoryValue::Euro(Hundredths::from_f64(n.as_f64()?))
            }
            (Some(ValueKind::Effort), J::Object(o)) => HistoryValue::Effort(Effort {
                amount: Hundredths::from_f64(o.get("amount")?.as_f64()?),
                unit: EffortUnit::parse(o.get("unit")?.as_str()?)?,
            }),
            (Some(ValueKind::Axis), J::Number(n)) => {
                HistoryValue::Axis(u8::try_from(n.as_u64()?).ok()?)
            }
            (Some(ValueKind::List) | None, J::Array(items)) => HistoryValue::List(strings(items)?),
            (Some(ValueKind::Scores), J::Object(o)) => HistoryValue::Scores(
                o.into_iter()
                    .map(|(k, v)| Some((k, u8::try_from(v.as_u64()?).ok()?)))
                    .collect::<Option<_>>()?,
            ),
            (Some(ValueKind::Flag) | None, J::Bool(b)) => HistoryValue::Flag(b),
            _ => return None,
        })
    }

    /// The value of `field` from the Dutch display text the history stored before it stored
    /// values ("12.500,50", "1,5 fte", "ja", "llo, innovatie", "urgentie: 3"); for migrating
    /// old rows. `None` when the text is not what that field would have shown.
    pub fn from_display_text(field: &str, text: &str) -> Option<HistoryValue> {
        let kind = ValueKind::of(field).unwrap_or(ValueKind::Text);
        let list = |sep: &str| -> Vec<String> {
            text.split(sep)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        if text.is_empty() && !matches!(kind, ValueKind::Text | ValueKind::List | ValueKind::Scores)
        {
            return Some(HistoryValue::Empty);
        }
        Some(match kind {
            ValueKind::Text => HistoryValue::Text(text.to_string()),
            ValueKind::Code => HistoryValue::Code(text.to_string()),
            ValueKind::Date => {
                HistoryValue::Date(NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?)
            }
            ValueKind::Euro => HistoryValue::Euro(Hundredths::parse(text).ok()?),
            ValueKind::Effort => {
                let (amount, unit) = text.rsplit_once(' ')?;
                HistoryValue::Effort(Effort {
                    amount: Hundredths::parse(amount).ok()?,
                    unit: EffortUnit::parse(unit)?,
                })
            }
            ValueKind::Axis => HistoryValue::Axis(text.parse().ok()?),
            ValueKind::List if field == "links" => HistoryValue::List(list("\n")),
            ValueKind::List => HistoryValue::List(list(", ")),
            ValueKind::Scores => HistoryValue::Scores(
                list(", ")
                    .iter()
                    .map(|pair| {
                        let (code, score) = pair.split_once(": ")?;
                        Some((code.to_string(), score.parse().ok()?))
                    })
                    .collect::<Option<_>>()?,
            ),
            ValueKind::Flag => match text {
                "ja" => HistoryValue::Flag(true),
                "nee" => HistoryValue::Flag(false),
                _ => return None,
            },
        })
    }
}

impl Serialize for HistoryValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HistoryValue::Empty | HistoryValue::Withheld => s.serialize_none(),
            HistoryValue::Text(t) | HistoryValue::Code(t) => s.serialize_str(t),
            HistoryValue::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
            HistoryValue::Euro(amount) => amount.serialize(s),
            HistoryValue::Effort(effort) => effort.serialize(s),
            HistoryValue::Axis(v) => s.serialize_u8(*v),
            HistoryValue::List(items) => items.serialize(s),
            HistoryValue::Scores(scores) => scores.serialize(s),
            HistoryValue::Flag(b) => s.serialize_bool(*b),
        }
    }
}

/// One field that changed between two versions of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: HistoryValue,
    pub new: HistoryValue,
}

impl<'de> serde::Deserialize<'de> for FieldChange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            field: String,
            old: serde_json::Value,
            new: serde_json::Value,
        }
        let raw = Raw::deserialize(d)?;
        let value = |v: serde_json::Value| {
            HistoryValue::from_json(&raw.field, v.clone()).ok_or_else(|| {
                serde::de::Error::custom(format!("'{v}' is not a value of {}", raw.field))
            })
        };
        Ok(FieldChange {
            old: value(raw.old.clone())?,
            new: value(raw.new.clone())?,
            field: raw.field,
        })
    }
}

/// The fields that differ between two versions, in form order.
pub fn diff(old: &ProjectData, new: &ProjectData) -> Vec<FieldChange> {
    old.history_fields()
        .into_iter()
        .zip(new.history_fields())
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, old), (_, new))| FieldChange {
            field: field.to_string(),
            old,
            new,
        })
        .collect()
}

/// A change-history entry: who changed which fields when, and who could see the project at
/// that version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub changed_at: String,
    /// Who saved it; `None` for an account since removed, or a save by a program.
    #[serde(skip)]
    pub user_id: Option<i64>,
    pub user_name: String,
    /// The project's visibility at this version (after this change).
    pub visibility: Visibility,
    pub changes: Vec<FieldChange>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::ProjectInput;
    use crate::portfolio::tests::{every_field_set, refs, valid};

    #[test]
    fn diff_lists_changed_fields_old_and_new() {
        let a = ProjectData::parse(&valid(), &refs()).unwrap();
        let b = ProjectData::parse(
            &ProjectInput {
                title: "Nieuw".into(),
                status: "rood".into(),
                ..valid()
            },
            &refs(),
        )
        .unwrap();
        let changes = diff(&a, &b);
        assert_eq!(changes.len(), 2);
        assert_eq!(
            changes[0],
            FieldChange {
                field: "title".into(),
                old: HistoryValue::Text("Dashboard studiesucces".into()),
                new: HistoryValue::Text("Nieuw".into())
            }
        );
        assert_eq!(changes[1].field, "status");
    }

    #[test]
    fn history_keeps_values_that_read_back_from_json() {
        let d = every_field_set();
        let fields: BTreeMap<_, _> = d.history_fields().into_iter().collect();
        assert_eq!(fields["budget"], HistoryValue::Euro(Hundredths(1_250_050)));
        assert_eq!(fields["shareable"], HistoryValue::Flag(true));
        assert_eq!(fields["end_date"], HistoryValue::Empty);
        let json = serde_json::to_value(diff(&ProjectData::parse(&valid(), &refs()).unwrap(), &d))
            .unwrap();
        let budget = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "budget")
            .unwrap();
        assert_eq!(budget["old"], serde_json::Value::Null);
        assert_eq!(budget["new"], serde_json::json!(12500.5));
        let effort = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "effort")
            .unwrap();
        assert_eq!(
            effort["new"],
            serde_json::json!({"amount": 1.5, "unit": "fte"})
        );
        let back: Vec<FieldChange> = serde_json::from_value(json).unwrap();
        assert_eq!(
            back,
            diff(&ProjectData::parse(&valid(), &refs()).unwrap(), &d)
        );
    }

    #[test]
    fn the_old_dutch_display_text_converts_to_values() {
        let d = every_field_set();
        let display = [
            ("title", "Dashboard studiesucces"),
            ("phase", "uitvoering"),
            ("start_date", "2025-01-01"),
            ("end_date", ""),
            ("budget", "12.500,50"),
            ("effort", "1,50 fte"),
            ("horizon", "kort"),
            ("character", ""),
            ("perspective_strategic_operational", "2"),
            ("themes", "llo, innovatie"),
            ("drivers", "krimp"),
            ("scores", "urgentie: 3"),
            ("shareable", "ja"),
            ("links", "https://example.org/a\nhttps://example.org/b"),
        ];
        let fields: BTreeMap<_, _> = d.history_fields().into_iter().collect();
        for (field, text) in display {
            assert_eq!(
                HistoryValue::from_display_text(field, text).as_ref(),
                Some(&fields[field]),
                "{field}: {text:?}"
            );
        }
        assert_eq!(
            HistoryValue::from_display_text("shareable", "nee"),
            Some(HistoryValue::Flag(false))
        );
        assert_eq!(HistoryValue::from_display_text("budget", "veel"), None);
    }
}
