//! The workshop as it runs: each person's page (phase by phase), the projector's view, moving
//! phases, revealing notes, and the live stream (`/werksessies/{id}`, `/api/v1/workshops/{id}/…`).

pub(super) mod api;
pub(super) mod pages;

// The page shown again with a refused note.
pub(super) use pages::show_page;
