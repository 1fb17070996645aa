//! Stip through HTTP, in process: what each role can see and do, as the issue names it.

mod admin;
mod api;
mod auth;
mod contract;
mod openapi;
mod portfolio;
mod support;
