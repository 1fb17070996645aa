//! Who is invited: every invitation's progress and link for the regiegroep, a submitted response
//! reopened on request, a link renewed (`/enquetes/{id}`, `/api/v1/surveys/{id}/invitations`).

pub(super) mod api;
pub(super) mod pages;
