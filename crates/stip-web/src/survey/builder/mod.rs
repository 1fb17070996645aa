//! Building a survey: the list of surveys, a new one (from a template or blank), its settings and
//! questions, opening and deleting it (`/enquetes`, `/api/v1/surveys`).

pub(super) mod api;
pub(super) mod pages;
