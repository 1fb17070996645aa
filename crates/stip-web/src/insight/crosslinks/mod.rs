//! The cross-links: how many projects two themes share (`/inzicht/dwarsverbanden`,
//! `/api/v1/insight/crosslinks`).

pub(super) mod api;
pub(super) mod pages;
