//! The `stip` binary as operators run it: one test binary (linked once) with a module per story.

mod cli;
mod common;
mod exchange;
mod instances;
