//! Search and similar projects: the projects that match some words, and those of other
//! institutions most like one project (`/zoeken`, `/api/v1/search`, `/api/v1/projects/{id}/similar`).

pub(super) mod api;
pub(super) mod pages;
