//! A survey's results: per question with charts and tables, as a page, as the printable appendix
//! (also of a meeting's report), and in the API, counted and exported.

pub(super) mod api;
pub(super) mod pages;
