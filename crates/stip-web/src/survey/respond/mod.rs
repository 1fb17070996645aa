//! Answering a survey: the respondent's form, its preview, the surveys waiting on the home page,
//! and the caller's own response in the API (`/enquete/{token}`, `/api/v1/surveys/{id}/response`).

pub(super) mod api;
pub(super) mod pages;
