//! The workshop as it runs: the one page a participant, the facilitator and a follower each see
//! their own way (phase by phase), the projector's view, moving phases, revealing notes, and
//! the live stream (`/werksessies/{id}`, `/api/v1/workshops/{id}/phase`, `/reveal`, `/events`).

pub(super) mod api;
pub(super) mod pages;

// The page shown again with a refused note.
pub(super) use pages::show_page;
