//! The projects scored with a view's weights: the ranking, value against effort, and the scores
//! in the API (`/prioriteren`, `/prioriteren/waarde-inspanning`, `/api/v1/prioritisation/scores`).

pub(super) mod api;
pub(super) mod pages;
