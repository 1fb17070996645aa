//! Setting a workshop up: the list, a new one (its themes, groups, questions, dots and timer),
//! reading and deleting one (`/werksessies`, `/api/v1/workshops`).

pub(super) mod api;
pub(super) mod pages;

// The workshop as the API shows it, also after a phase moved.
pub(super) use api::{WorkshopJson, workshop_json};
