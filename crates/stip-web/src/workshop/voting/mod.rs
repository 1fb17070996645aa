//! Voting with dots: a dot placed on a theme (the same client id twice is one dot) and taken back
//! (`/werksessies/{id}/stippen`, `/api/v1/workshops/{id}/dots/{client_id}`).

pub(super) mod api;
pub(super) mod pages;
