//! What the process tests share: the `stip` binary, run as an operator would.

use std::process::Command;

/// The `stip` command with `args`, its environment cleared of settings that would redirect it.
pub fn stip(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stip"));
    c.args(args)
        .env_remove("STIP_DATABASE_URL")
        .env_remove("STIP_ADDR")
        .env("STIP_LOG", "warn");
    c
}
