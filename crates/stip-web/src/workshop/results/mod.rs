//! The results: the themes ranked by dots with their notes, as files and in the API; the top three
//! saved as the network's priorities; and a meeting's workshops for its page and report.

pub(super) mod api;
pub(super) mod pages;
