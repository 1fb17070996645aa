//! Stip through HTTP, in process: what each role can see and do, as the issue names it.

/// Runs each listed test on SQLite and on PostgreSQL, as the store's conformance suite does.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                crate::support::Backend::Sqlite.run(super::$name()).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                crate::support::Backend::Postgres.run(super::$name()).await
            })*
        }
    };
}

mod account;
mod admin;
mod agenda_version;
mod api;
mod auth;
mod contract;
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
