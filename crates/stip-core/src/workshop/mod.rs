//! The live workshop (werksessie) of a network meeting: groups per perspective write notes per
//! question, then notes of four kinds per theme, then everyone places at most N red dots on the
//! themes; the themes ranked by dots are the network's priorities. What is checked and computed
//! here is pure; the store keeps the rules that need a transaction (the dot limit).
//!
//! The results, ranked and written out for the meeting's report, have a file of their own.

mod results;

pub use results::{
    GroupResult, QuestionResult, ThemeResult, perspectives, results, results_markdown,
    results_table, together_markdown, together_rows,
};

use crate::error::required_text;
use crate::{ErrorCode, Invalid};
use serde::Serialize;

crate::code_enum!(
    /// Where a workshop is; the facilitator moves it, every screen follows. `vergelijken` is
    /// optional: duos and trios of institutions compare their portfolios (issue 33).
    Phase {
        Notes => "notities",
        Comparing => "vergelijken",
        Ordering => "ordenen",
        Voting => "stemmen",
        Results => "resultaat",
    }
);

crate::code_enum!(
    /// The four kinds of notes per theme, each with its colour (never the only signal: a note
    /// always shows its label and icon too).
    NoteKind {
        Conclusion => "conclusie",
        Why => "waarom",
        Approach => "aanpak",
        Example => "voorbeeld",
    }
);

impl NoteKind {
    /// The kind's name in the exported results (the pages say it in the reader's language).
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Conclusion => "Conclusie",
            NoteKind::Why => "Waarom",
            NoteKind::Approach => "Aanpak",
            NoteKind::Example => "Voorbeeld/casus",
        }
    }

    /// A sign beside the label, so the kind shows without colour.
    pub fn icon(self) -> &'static str {
        match self {
            NoteKind::Conclusion => "✔",
            NoteKind::Why => "?",
            NoteKind::Approach => "➜",
            NoteKind::Example => "★",
        }
    }
}

/// The seed's four perspectives, the default groups.
pub const DEFAULT_GROUPS: [&str; 4] = ["Strategisch", "Operationeel", "ICT", "Business"];
pub const DEFAULT_DOTS: u32 = 3;
pub const MAX_DOTS: u32 = 20;
pub const MAX_GROUPS: usize = 12;
pub const MAX_QUESTIONS: usize = 12;
pub const MAX_NOTE: usize = 500;
pub const MAX_NAME: usize = 60;
pub const MAX_TIMER_MINUTES: u32 = 240;
/// The letters of a join code: no 0/O, 1/I/L, so it can be read from a projector and typed.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 6;

/// A workshop as the facilitator set it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkshopData {
    pub title: String,
    /// The meeting it belongs to; its results are an appendix of that meeting's report.
    pub meeting: Option<i64>,
    pub dots_per_participant: u32,
    /// At most this many of one participant's dots on one theme; `None`: no limit but the total.
    pub max_dots_per_theme: Option<u32>,
    /// The themes to order and vote on (codes), in the agenda's order.
    pub themes: Vec<String>,
    pub groups: Vec<String>,
    /// The questions the groups answer in phase 1.
    pub questions: Vec<String>,
    /// Notes are shown without their writer's name.
    pub anonymous: bool,
    /// In phase 2 a participant sees only their own notes until the facilitator reveals all.
    pub hide_until_revealed: bool,
    /// Minutes per phase, shown as a time to finish by; `None`: no timer.
    pub timer_minutes: Option<u32>,
}

/// A workshop as typed or sent; empty lists take the defaults.
#[derive(Debug, Clone, Default)]
pub struct WorkshopInput {
    pub title: String,
    pub meeting: Option<i64>,
    pub dots_per_participant: Option<i64>,
    pub max_dots_per_theme: Option<i64>,
    pub themes: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
    pub questions: Option<Vec<String>>,
    pub anonymous: bool,
    pub hide_until_revealed: bool,
    pub timer_minutes: Option<i64>,
}

/// The questions the seed's groups answered, the default of a new workshop.
pub fn default_questions() -> Vec<String> {
    vec![
        "Wat speelt er binnen jouw instelling rond de thema's van de agenda?".into(),
        "Welke rol heeft informatiemanagement daarin, vanuit jullie perspectief?".into(),
        "Wat moet het netwerk samen oppakken?".into(),
    ]
}

impl WorkshopInput {
    /// Checks every field; `agenda_themes` are the codes of the agenda's themes in order (the
    /// default), `meeting_exists` whether the given meeting is there.
    pub fn check(
        &self,
        agenda_themes: &[String],
        meeting_exists: impl Fn(i64) -> bool,
    ) -> Result<WorkshopData, Invalid> {
        let mut e = Invalid::default();
        let title = e.take("title", required_text(&self.title, 200));
        if let Some(m) = self.meeting
            && !meeting_exists(m)
        {
            e.push("meeting", ErrorCode::Unknown);
        }
        let dots = self.dots_per_participant.unwrap_or(DEFAULT_DOTS as i64);
        if !(1..=MAX_DOTS as i64).contains(&dots) {
            e.push(
                "dots_per_participant",
                ErrorCode::OutOfRange {
                    min: 1,
                    max: MAX_DOTS as i64,
                },
            );
        }
        if let Some(m) = self.max_dots_per_theme
            && !(1..=dots.max(1)).contains(&m)
        {
            e.push(
                "max_dots_per_theme",
                ErrorCode::OutOfRange {
                    min: 1,
                    max: dots.max(1),
                },
            );
        }
        let themes = match &self.themes {
            Some(t) if !t.is_empty() => {
                let mut seen = Vec::new();
                for (i, code) in t.iter().enumerate() {
                    match theme_code(agenda_themes, code) {
                        None => e.push(&format!("themes[{i}]"), ErrorCode::Unknown),
                        Some(c) if seen.contains(c) => {
                            e.push(&format!("themes[{i}]"), ErrorCode::Duplicate)
                        }
                        Some(c) => seen.push(c.clone()),
                    }
                }
                seen
            }
            _ => agenda_themes.to_vec(),
        };
        if themes.is_empty() {
            e.push("themes", ErrorCode::Required);
        }
        let groups = names(
            &mut e,
            "groups",
            self.groups.as_deref(),
            MAX_GROUPS,
            80,
            DEFAULT_GROUPS.iter().map(|g| g.to_string()).collect(),
        );
        let questions = names(
            &mut e,
            "questions",
            self.questions.as_deref(),
            MAX_QUESTIONS,
            300,
            default_questions(),
        );
        if let Some(t) = self.timer_minutes
            && !(1..=MAX_TIMER_MINUTES as i64).contains(&t)
        {
            e.push(
                "timer_minutes",
                ErrorCode::OutOfRange {
                    min: 1,
                    max: MAX_TIMER_MINUTES as i64,
                },
            );
        }
        let Some(title) = title else {
            return Err(e);
        };
        e.into_result(WorkshopData {
            title,
            meeting: self.meeting,
            dots_per_participant: dots.clamp(1, MAX_DOTS as i64) as u32,
            max_dots_per_theme: self.max_dots_per_theme.map(|m| m.max(1) as u32),
            themes,
            groups,
            questions,
            anonymous: self.anonymous,
            hide_until_revealed: self.hide_until_revealed,
            timer_minutes: self.timer_minutes.map(|t| t.max(1) as u32),
        })
    }
}

/// A list of names (groups, questions): each required and at most `max_len` long, at most `max`
/// of them, none twice; absent or empty takes `default`.
fn names(
    e: &mut Invalid,
    field: &str,
    given: Option<&[String]>,
    max: usize,
    max_len: usize,
    default: Vec<String>,
) -> Vec<String> {
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return default;
    };
    if given.len() > max {
        e.push(
            field,
            ErrorCode::OutOfRange {
                min: 1,
                max: max as i64,
            },
        );
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in given.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if let Some(t) = e.take(&at, required_text(raw, max_len)) {
            if out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
                e.push(&at, ErrorCode::Duplicate);
            } else {
                out.push(t);
            }
        }
    }
    out
}

/// The code of `themes` that `raw` names, as typed (case and surrounding spaces do not matter).
pub fn theme_code<'a>(themes: &'a [String], raw: &str) -> Option<&'a String> {
    let raw = raw.trim();
    themes.iter().find(|t| t.eq_ignore_ascii_case(raw))
}

/// A workshop with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workshop {
    pub id: i64,
    /// What participants type (or scan) to join.
    pub code: String,
    #[serde(flatten)]
    pub data: WorkshopData,
    pub phase: Phase,
    /// Whether the facilitator has revealed the notes of phase 2 to everyone.
    pub revealed: bool,
    /// Whether the facilitator shows the running totals while people vote (hidden by
    /// default, so the first dots do not steer the rest).
    pub totals_shown: bool,
    /// When the current phase's time is up, if a timer runs (stored form, UTC).
    pub timer_ends_at: Option<String>,
    /// The day the top themes were saved as the network's priorities, if they were.
    pub priorities_saved_on: Option<String>,
    /// The duos and trios of institutions (ids) comparing their portfolios, once formed.
    pub compare_groups: Option<Vec<Vec<i64>>>,
    pub created_at: String,
}

impl Workshop {
    /// Whether the dots per theme may be shown to someone: always once voting is over, and
    /// while voting to the facilitator or when the facilitator shows them to everyone.
    pub fn totals_visible(&self, facilitator: bool) -> bool {
        self.phase != Phase::Voting || self.totals_shown || facilitator
    }

    /// How many dots one participant may still place on `theme`, given their dots.
    pub fn dots_left(&self, mine: &[Dot]) -> u32 {
        self.data
            .dots_per_participant
            .saturating_sub(mine.len() as u32)
    }

    /// Whether one more dot on `theme` by a participant with dots `mine` stays within the limits.
    pub fn may_place(&self, mine: &[Dot], theme: &str) -> Result<(), DotRefusal> {
        if self.phase != Phase::Voting {
            return Err(DotRefusal::NotVoting);
        }
        if mine.len() as u32 >= self.data.dots_per_participant {
            return Err(DotRefusal::NoDotsLeft);
        }
        if let Some(max) = self.data.max_dots_per_theme
            && mine.iter().filter(|d| d.theme == theme).count() as u32 >= max
        {
            return Err(DotRefusal::ThemeFull);
        }
        Ok(())
    }

    /// The group's name.
    pub fn group_name(&self, group: usize) -> &str {
        self.data.groups.get(group).map_or("", String::as_str)
    }
}

/// Why a dot is not placed (or taken back): each a 409 in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DotRefusal {
    NotVoting,
    NoDotsLeft,
    ThemeFull,
    /// The dot's id is another participant's.
    NotYours,
}

impl DotRefusal {
    pub fn key(self) -> &'static str {
        match self {
            DotRefusal::NotVoting => "workshop_not_voting",
            DotRefusal::NoDotsLeft => "workshop_no_dots_left",
            DotRefusal::ThemeFull => "workshop_theme_full",
            DotRefusal::NotYours => "workshop_dot_not_yours",
        }
    }
}

/// Someone taking part: joined by code with a display name, or logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub id: i64,
    pub workshop_id: i64,
    pub name: String,
    /// Index into the workshop's groups.
    pub group: usize,
    pub user_id: Option<i64>,
    /// The institution they are from: their own when logged in, else as they chose.
    pub institution_id: Option<i64>,
}

/// What a duo or trio of the comparing step wrote down they could do together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TogetherNote {
    pub id: i64,
    pub participant_id: i64,
    /// The writer's display name (not shown in an anonymous workshop).
    pub author: String,
    /// The group's institutions (ids) when it was written.
    pub institutions: Vec<i64>,
    pub text: String,
}

/// Duos (and a trio where the number is odd) of the different institutions, in the order
/// given: two institutions per group, the last three when one would be left alone. One
/// institution alone is a group of one (there is no one to compare with).
pub fn pair_up(institutions: &[i64]) -> Vec<Vec<i64>> {
    let mut distinct: Vec<i64> = Vec::new();
    for i in institutions {
        if !distinct.contains(i) {
            distinct.push(*i);
        }
    }
    let mut groups: Vec<Vec<i64>> = distinct.chunks(2).map(<[i64]>::to_vec).collect();
    if groups.len() > 1 && groups.last().is_some_and(|g| g.len() == 1) {
        let alone = groups.pop().expect("a last group")[0];
        groups.last_mut().expect("another group").push(alone);
    }
    groups
}

/// A note: in phase 1 an answer to a question (`question`), from phase 2 on a note of a kind
/// on a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: i64,
    pub participant_id: i64,
    /// The writer's display name (not shown in an anonymous workshop).
    pub author: String,
    pub group: usize,
    pub question: Option<usize>,
    pub kind: Option<NoteKind>,
    pub theme: Option<String>,
    pub text: String,
    /// Hidden by the facilitator: shown to no one but them.
    pub hidden: bool,
    pub created_at: String,
}

/// What a note is about, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    Question(usize),
    Theme { kind: NoteKind, theme: String },
}

/// A note as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct NoteInput {
    pub question: Option<i64>,
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub text: String,
}

impl NoteInput {
    pub fn check(&self, w: &Workshop) -> Result<(NoteTarget, String), Invalid> {
        let mut e = Invalid::default();
        let text = e.take("text", required_text(&self.text, MAX_NOTE));
        let target = match self.question {
            Some(q) if q < 0 || q as usize >= w.data.questions.len() => {
                e.push("question", ErrorCode::Unknown);
                None
            }
            Some(q) => Some(NoteTarget::Question(q as usize)),
            None => {
                let kind = match self.kind.as_deref().map(str::trim) {
                    None | Some("") => {
                        e.push("kind", ErrorCode::Required);
                        None
                    }
                    Some(k) => {
                        let kind = NoteKind::parse(k);
                        if kind.is_none() {
                            e.push("kind", ErrorCode::InvalidChoice);
                        }
                        kind
                    }
                };
                let theme = match self.theme.as_deref().map(str::trim) {
                    None | Some("") => {
                        e.push("theme", ErrorCode::Required);
                        None
                    }
                    Some(t) => {
                        let code = theme_code(&w.data.themes, t).cloned();
                        if code.is_none() {
                            e.push("theme", ErrorCode::Unknown);
                        }
                        code
                    }
                };
                kind.zip(theme)
                    .map(|(kind, theme)| NoteTarget::Theme { kind, theme })
            }
        };
        match (target, text) {
            (Some(t), Some(text)) if e.is_empty() => Ok((t, text)),
            _ => Err(e),
        }
    }
}

/// A join code as typed: spaces and dashes dropped, upper case.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A new random join code.
pub fn new_code() -> String {
    (0..CODE_LENGTH)
        .map(|_| CODE_ALPHABET[fastrand::usize(..CODE_ALPHABET.len())] as char)
        .collect()
}

/// A dot: a participant's vote on a theme, under the id the client made for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dot {
    pub client_id: String,
    pub participant_id: i64,
    pub theme: String,
}

/// A client's id for a dot: 1 to 64 letters, digits, `-` or `_` (a UUID fits).
pub fn check_client_id(raw: &str) -> bool {
    (1..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `note` is shown to participant `viewer` (`None`: the facilitator or a member who
/// follows along without taking part, who see what the projector shows).
pub fn note_visible(w: &Workshop, note: &Note, viewer: Option<i64>, facilitator: bool) -> bool {
    if facilitator {
        return true;
    }
    if note.hidden {
        return false;
    }
    let secret = w.data.hide_until_revealed && !w.revealed && note.kind.is_some();
    !secret || viewer == Some(note.participant_id)
}

/// What changed in a workshop, as sent to every screen that follows it (server-sent events).
/// It carries nothing a screen may not show: a note's text only when everyone may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Joined {
        participant: i64,
        group: usize,
        participants: i64,
    },
    Phase {
        phase: String,
        timer_ends_at: Option<String>,
    },
    Note {
        id: i64,
        kind: Option<String>,
        theme: Option<String>,
        question: Option<usize>,
        group: usize,
        /// Absent while the note is hidden from others.
        text: Option<String>,
    },
    NoteRemoved {
        id: i64,
    },
    Dot {
        client_id: String,
        theme: String,
        placed: bool,
        /// The theme's dots after this one; absent while the running totals are hidden.
        dots: Option<i64>,
    },
    Revealed,
    /// The facilitator showed or hid the running totals.
    Totals {
        shown: bool,
    },
    Priorities {
        themes: Vec<String>,
    },
    /// The duos and trios of the comparing step were formed (institution ids).
    Grouped {
        groups: Vec<Vec<i64>>,
    },
    /// A duo or trio wrote down what they could do together.
    Together {
        id: i64,
        institutions: Vec<i64>,
    },
    /// The facilitator removed a participant (their notes and dots went as `note_removed` and
    /// `dot` events just before).
    Left {
        participant: i64,
        participants: i64,
    },
}

impl Event {
    /// The event's name in the stream (`event:` line).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Joined { .. } => "joined",
            Event::Phase { .. } => "phase",
            Event::Note { .. } => "note",
            Event::NoteRemoved { .. } => "note_removed",
            Event::Dot { .. } => "dot",
            Event::Revealed => "revealed",
            Event::Totals { .. } => "totals",
            Event::Priorities { .. } => "priorities",
            Event::Grouped { .. } => "grouped",
            Event::Together { .. } => "together",
            Event::Left { .. } => "left",
        }
    }
}

/// A note as it goes to every screen: its text only when it is not hidden from others.
pub fn note_event(w: &Workshop, n: &Note) -> Event {
    let public = note_visible(w, n, None, false);
    Event::Note {
        id: n.id,
        kind: n.kind.map(|k| k.code().to_string()),
        theme: n.theme.clone(),
        question: n.question,
        group: n.group,
        text: public.then(|| n.text.clone()),
    }
}

/// The group a new participant goes to: the one with the fewest, the first of those.
pub fn least_filled_group(groups: usize, counts: &[i64]) -> usize {
    (0..groups.max(1))
        .min_by_key(|g| counts.get(*g).copied().unwrap_or(0))
        .unwrap_or(0)
}

/// Whether a timer of `minutes` from `now` gives an end; the end as a moment.
pub fn timer_end(
    minutes: Option<u32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    minutes.map(|m| now + chrono::Duration::minutes(m as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn workshop() -> Workshop {
        let themes: Vec<String> = ["LLO", "BURG", "LEER"].map(String::from).to_vec();
        Workshop {
            id: 1,
            code: "ABC234".into(),
            data: WorkshopInput {
                title: "Werksessie".into(),
                max_dots_per_theme: Some(2),
                ..Default::default()
            }
            .check(&themes, |_| true)
            .unwrap(),
            phase: Phase::Voting,
            revealed: false,
            totals_shown: false,
            timer_ends_at: None,
            priorities_saved_on: None,
            compare_groups: None,
            created_at: String::new(),
        }
    }

    pub(super) fn dot(id: &str, theme: &str) -> Dot {
        Dot {
            client_id: id.into(),
            participant_id: 7,
            theme: theme.into(),
        }
    }

    #[test]
    fn defaults_are_the_seeds_four_perspectives_three_dots_and_the_agendas_themes() {
        let w = workshop();
        assert_eq!(w.data.groups, DEFAULT_GROUPS.map(String::from).to_vec());
        assert_eq!(w.data.dots_per_participant, 3);
        assert_eq!(w.data.themes, ["LLO", "BURG", "LEER"]);
    }

    #[test]
    fn refusals_name_the_field() {
        let e = WorkshopInput {
            title: " ".into(),
            dots_per_participant: Some(0),
            themes: Some(vec!["LLO".into(), "XXX".into(), "LLO".into()]),
            groups: Some(vec!["ICT".into(), "ict".into()]),
            meeting: Some(9),
            ..Default::default()
        }
        .check(&["LLO".to_string()], |_| false)
        .unwrap_err();
        assert_eq!(e.for_field("title"), Some(&ErrorCode::Required));
        assert!(matches!(
            e.for_field("dots_per_participant"),
            Some(ErrorCode::OutOfRange { .. })
        ));
        assert_eq!(e.for_field("themes[1]"), Some(&ErrorCode::Unknown));
        assert_eq!(e.for_field("themes[2]"), Some(&ErrorCode::Duplicate));
        assert_eq!(e.for_field("groups[1]"), Some(&ErrorCode::Duplicate));
        assert_eq!(e.for_field("meeting"), Some(&ErrorCode::Unknown));
    }

    #[test]
    fn dots_stop_at_the_total_and_at_the_limit_per_theme() {
        let w = workshop();
        assert_eq!(w.may_place(&[], "LLO"), Ok(()));
        let two = [dot("a", "LLO"), dot("b", "LLO")];
        assert_eq!(w.may_place(&two, "LLO"), Err(DotRefusal::ThemeFull));
        assert_eq!(w.may_place(&two, "BURG"), Ok(()));
        let three = [dot("a", "LLO"), dot("b", "LLO"), dot("c", "BURG")];
        assert_eq!(w.may_place(&three, "LEER"), Err(DotRefusal::NoDotsLeft));
        let mut notes = w.clone();
        notes.phase = Phase::Notes;
        assert_eq!(notes.may_place(&[], "LLO"), Err(DotRefusal::NotVoting));
    }
    #[test]
    fn a_hidden_until_revealed_note_is_its_writers_and_the_facilitators_only() {
        let mut w = workshop();
        w.data.hide_until_revealed = true;
        let note = Note {
            id: 1,
            participant_id: 7,
            author: "Anna".into(),
            group: 0,
            question: None,
            kind: Some(NoteKind::Why),
            theme: Some("LLO".into()),
            text: "Omdat".into(),
            hidden: false,
            created_at: String::new(),
        };
        assert!(note_visible(&w, &note, Some(7), false));
        assert!(!note_visible(&w, &note, Some(8), false));
        assert!(note_visible(&w, &note, None, true));
        assert!(matches!(
            note_event(&w, &note),
            Event::Note { text: None, .. }
        ));
        w.revealed = true;
        assert!(note_visible(&w, &note, Some(8), false));
    }

    #[test]
    fn join_codes_are_read_as_typed() {
        assert_eq!(normalise_code(" abc-23 4"), "ABC234");
        let c = new_code();
        assert_eq!(c.len(), CODE_LENGTH);
        assert!(c.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert!(check_client_id("0b8f-44_x"));
        assert!(!check_client_id(""));
        assert!(!check_client_id("a b"));
    }

    #[test]
    fn institutions_pair_up_in_duos_and_a_trio_when_one_is_left() {
        assert_eq!(pair_up(&[1, 2, 2, 3, 4]), vec![vec![1, 2], vec![3, 4]]);
        assert_eq!(pair_up(&[5, 1, 2]), vec![vec![5, 1, 2]]);
        assert_eq!(pair_up(&[1, 2, 3, 4, 5]), vec![vec![1, 2], vec![3, 4, 5]]);
        assert_eq!(pair_up(&[7]), vec![vec![7]]);
        assert!(pair_up(&[]).is_empty());
    }
}
