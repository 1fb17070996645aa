//! rust-i18n reads `locales/*.yml` while compiling, which cargo does not see on its own:
//! without this, an edited text is not in the next build.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=templates");
}
