//! Scenarios: a selection's conditions saved under a name, with their outcome on the portfolio as
//! it is now, compared two or three side by side (`/prioriteren/scenarios`,
//! `/api/v1/prioritisation/scenarios`).

pub(super) mod api;
pub(super) mod pages;
