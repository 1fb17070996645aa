//! The store's tests, in one test binary (linked once): the conformance story, the change log
//! between processes, import and export, and backups. Every story runs on SQLite and on
//! PostgreSQL through `on_both!`.

#[macro_use]
extern crate stip_store;

mod backup;
mod changes;
mod conformance;
mod exchange;
