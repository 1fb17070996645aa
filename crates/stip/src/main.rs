//! The `stip` command (see the library for what it does).

fn main() -> anyhow::Result<()> {
    stip::main()
}
