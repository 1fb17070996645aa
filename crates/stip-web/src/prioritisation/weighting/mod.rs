//! The criteria's weights per view, typed or derived from pairwise comparison (AHP)
//! (`/prioriteren/weging`, `/api/v1/prioritisation/weights` and `/ahp`).

pub(super) mod api;
pub(super) mod pages;
