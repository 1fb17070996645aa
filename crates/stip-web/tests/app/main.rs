//! Stip through HTTP, in process: what each role can see and do, as the issue names it.

// `on_both!` (each test once on SQLite and once on PostgreSQL) comes from the store.
#[macro_use]
extern crate stip_store;

mod account;
mod admin;
mod agenda_version;
mod answers;
mod api;
mod auth;
mod compare;
mod contract;
mod crawl;
mod exchange;
mod insight;
mod linked;
mod links;
mod meeting;
mod openapi;
mod portfolio;
mod positioning;
mod prioritisation;
mod races;
mod sso;
mod support;
mod survey;
mod survey_pages;
mod workgroup;
mod workshop;
