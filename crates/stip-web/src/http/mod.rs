//! What every handler shares about HTTP itself: the one error type and how it is answered,
//! extractors whose refusals are that error, client addresses, redirects and downloads, and the
//! JSON Schemas the API document gives its parameters.

pub mod address;
pub mod download;
pub mod error;
pub mod extract;
pub mod redirect;
pub mod schema;
