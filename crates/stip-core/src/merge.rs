//! Merging an edit that started from an older version of a project with what others saved in
//! between, field by field: a three-way merge against the version the edit started from, whose
//! values the change history keeps.

use crate::portfolio::{HistoryEntry, HistoryValue, ProjectData};
use std::collections::BTreeMap;

/// The fields saved since a version, each with the value it had at that version: the `old` of
/// the earliest change to the field. `since` is newest first, as the history is read.
pub fn changed_since(since: &[HistoryEntry]) -> BTreeMap<&str, &HistoryValue> {
    let mut base = BTreeMap::new();
    for entry in since {
        for change in &entry.changes {
            // Older entries come later and overwrite: the earliest `old` stays.
            base.insert(change.field.as_str(), &change.old);
        }
    }
    base
}

/// An edit merged with the project as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The project as it is now, with the fields only the editor changed taken from the edit.
    /// A conflicting field keeps its current value.
    pub data: ProjectData,
    /// Fields both the editor and someone else changed, to different values, in form order.
    pub conflicts: Vec<&'static str>,
}

/// Three-way merge of `mine` (an edit of the version before `since`) into `current`: a field
/// only others changed keeps their value, a field only I changed takes mine, a field we both
/// changed to the same value is that value, and a field we both changed differently is a
/// conflict for a person to decide.
pub fn merge(current: &ProjectData, since: &[HistoryEntry], mine: &ProjectData) -> Merged {
    let base = changed_since(since);
    let mut data = current.clone();
    let mut conflicts = Vec::new();
    for ((field, now), (_, my)) in current
        .history_fields()
        .into_iter()
        .zip(mine.history_fields())
    {
        if my == now {
            continue;
        }
        match base.get(field) {
            // Nobody else changed it: the base is the current value, so I changed it.
            None => copy_field(&mut data, mine, field),
            // Only they changed it; I left it as it was.
            Some(&was) if *was == my => {}
            Some(_) => conflicts.push(field),
        }
    }
    Merged { data, conflicts }
}

/// The fields whose values differ between `a` and `b`, in form order.
pub fn differing_fields(a: &ProjectData, b: &ProjectData) -> Vec<&'static str> {
    a.history_fields()
        .into_iter()
        .zip(b.history_fields())
        .filter(|((_, x), (_, y))| x != y)
        .map(|((field, _), _)| field)
        .collect()
}

/// The fields in `touched` that were saved since the version before `since`: for an edit that
/// names the fields it sets (a merge patch), these are its conflicts.
pub fn touched_since<'a>(since: &[HistoryEntry], touched: &[&'a str]) -> Vec<&'a str> {
    let changed = changed_since(since);
    touched
        .iter()
        .copied()
        .filter(|f| changed.contains_key(f))
        .collect()
}

/// Sets `field` (a name of [`ProjectData::history_fields`]) of `dst` to its value in `src`.
pub fn copy_field(dst: &mut ProjectData, src: &ProjectData, field: &str) {
    match field {
        "title" => dst.title.clone_from(&src.title),
        "summary" => dst.summary.clone_from(&src.summary),
        "description" => dst.description.clone_from(&src.description),
        "intended_result" => dst.intended_result.clone_from(&src.intended_result),
        "owner" => dst.owner.clone_from(&src.owner),
        "project_lead" => dst.project_lead.clone_from(&src.project_lead),
        "contact_person" => dst.contact_person.clone_from(&src.contact_person),
        "phase" => dst.phase = src.phase,
        "status" => dst.status = src.status,
        "status_note" => dst.status_note.clone_from(&src.status_note),
        "start_date" => dst.start_date = src.start_date,
        "end_date" => dst.end_date = src.end_date,
        "budget" => dst.budget = src.budget,
        "effort" => dst.effort = src.effort,
        "horizon" => dst.horizon = src.horizon,
        "character" => dst.character = src.character,
        "perspective_strategic_operational" => {
            dst.perspective.strategic_operational = src.perspective.strategic_operational
        }
        "perspective_ict_business" => dst.perspective.ict_business = src.perspective.ict_business,
        "themes" => dst.themes.clone_from(&src.themes),
        "drivers" => dst.drivers.clone_from(&src.drivers),
        "mora_areas" => dst.mora_areas.clone_from(&src.mora_areas),
        "scores" => dst.scores.clone_from(&src.scores),
        "visibility" => dst.visibility = src.visibility,
        "shareable" => dst.shareable = src.shareable,
        "case_summary" => dst.case_summary.clone_from(&src.case_summary),
        "links" => dst.links.clone_from(&src.links),
        other => unreachable!("{other} is not a project field"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::{Status, Visibility, diff};

    fn base() -> ProjectData {
        crate::portfolio::tests::every_field_set()
    }

    /// The history entry of a save from `old` to `new`.
    fn saved(version: i64, old: &ProjectData, new: &ProjectData) -> HistoryEntry {
        HistoryEntry {
            version,
            changed_at: "2026-11-28T19:17:00Z".into(),
            user_id: Some(2),
            user_name: "Hanna Horizon".into(),
            visibility: new.visibility,
            changes: diff(old, new),
        }
    }

    #[test]
    fn fields_only_others_changed_keep_their_value_and_mine_are_taken() {
        let base = base();
        let mut theirs = base.clone();
        theirs.status = Some(Status::Rood);
        let mut mine = base.clone();
        mine.title = "Nieuwe titel".into();
        mine.status_note = "Loopt uit".into();
        let merged = merge(&theirs, &[saved(2, &base, &theirs)], &mine);
        assert_eq!(merged.conflicts, Vec::<&str>::new());
        assert_eq!(merged.data.status, Some(Status::Rood), "their status stays");
        assert_eq!(merged.data.title, "Nieuwe titel");
        assert_eq!(merged.data.status_note, "Loopt uit");
    }

    #[test]
    fn only_a_field_both_changed_differently_is_a_conflict() {
        let base = base();
        let mut theirs = base.clone();
        theirs.status = Some(Status::Rood);
        theirs.title = "Zelfde titel".into();
        let mut mine = base.clone();
        mine.status = Some(Status::Oranje);
        mine.title = "Zelfde titel".into();
        mine.visibility = Visibility::Openbaar;
        let merged = merge(&theirs, &[saved(2, &base, &theirs)], &mine);
        assert_eq!(merged.conflicts, vec!["status"]);
        assert_eq!(
            merged.data.status,
            Some(Status::Rood),
            "a conflict keeps the current value"
        );
        assert_eq!(merged.data.visibility, Visibility::Openbaar);
    }

    #[test]
    fn the_base_is_the_value_before_the_first_save_in_between() {
        let base = base();
        let mut second = base.clone();
        second.status = Some(Status::Rood);
        let mut third = second.clone();
        third.status = base.status;
        // Changed and changed back: my unchanged status is still theirs, not a conflict.
        let since = [saved(3, &second, &third), saved(2, &base, &second)];
        let mut mine = base.clone();
        mine.summary = "Korter".into();
        let merged = merge(&third, &since, &mine);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.data.summary, "Korter");
        assert_eq!(touched_since(&since, &["status", "title"]), vec!["status"]);
    }

    #[test]
    fn every_history_field_can_be_copied() {
        use crate::number::Hundredths;
        use crate::portfolio::tests::{refs, valid};
        use crate::portfolio::*;
        let mut to = ProjectData::parse(&valid(), &refs()).unwrap();
        let date = |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let from = ProjectData {
            title: "T".into(),
            summary: "S".into(),
            description: "D".into(),
            intended_result: "R".into(),
            owner: "O".into(),
            project_lead: "L".into(),
            contact_person: "C".into(),
            phase: Phase::Afgerond,
            status: Some(Status::Rood),
            status_note: "N".into(),
            start_date: date("2025-01-01"),
            end_date: date("2025-12-31"),
            budget: Some(Hundredths(100)),
            effort: Some(Effort {
                amount: Hundredths(150),
                unit: EffortUnit::Uren,
            }),
            horizon: Some(Horizon::Lang),
            character: Some(Character::Innoveren),
            perspective: Perspective {
                strategic_operational: Some(1),
                ict_business: Some(5),
            },
            themes: vec!["innovatie".into(), "llo".into()],
            drivers: vec!["krimp".into()],
            mora_areas: vec!["onderwijs-uitvoeren".into()],
            scores: [("urgentie".to_string(), 4)].into(),
            visibility: Visibility::Instelling,
            shareable: true,
            case_summary: "V".into(),
            links: vec!["https://example.org".into()],
        };
        // Every field differs, so a field copy_field forgets makes the two differ at the end.
        for ((field, a), (_, b)) in from.history_fields().into_iter().zip(to.history_fields()) {
            assert_ne!(a, b, "{field}");
        }
        for (field, _) in from.history_fields() {
            copy_field(&mut to, &from, field);
        }
        assert_eq!(to, from);
        let names: Vec<&str> = from.history_fields().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            names,
            ProjectData::FIELDS,
            "the field list names every field"
        );
    }
}
