//! The roadmap: the projects on a timeline by their dates, grouped by theme or institution
//! (`/inzicht/roadmap`, `/api/v1/insight/roadmap`).

pub(super) mod api;
pub(super) mod pages;
