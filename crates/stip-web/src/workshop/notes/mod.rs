//! Notes: answers to the questions (phase 1) and notes of a kind on a theme, written, changed and
//! removed by their writer, hidden by the facilitator (`/werksessies/{id}/notities`, `…/notes`).

pub(super) mod api;
pub(super) mod pages;

// A note as the results show it.
pub(super) use api::{WorkshopNoteJson, note_json};
