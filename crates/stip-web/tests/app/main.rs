//! Stip through HTTP, in process: what each role can see and do, as the issue names it.

mod account;
mod admin;
mod api;
mod auth;
mod portfolio;
mod support;
