//! Scenarios: a selection's conditions saved under a name, their outcome on the portfolio now, and
//! two or three compared (`/prioriteren/scenarios`, `/api/v1/prioritisation/scenarios`).

pub(super) mod api;
pub(super) mod pages;
