//! Where Stip may send a browser back to after logging in or switching language: only a path on
//! this site. One check for every redirect target a request can name (`?terug=`).

/// `raw` when it is a path on this site, otherwise `/`. Browsers read `\` as `/` and drop tabs
/// and line breaks, so `/\evil.example` or `/<tab>/evil.example` would leave the site: any
/// backslash, whitespace or control character refuses the target. Characters outside ASCII are
/// percent-encoded, so the result is always a valid `Location` header.
pub fn local_path(raw: &str) -> String {
    let leaves_site = !raw.starts_with('/')
        || raw.starts_with("//")
        || raw
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if leaves_site {
        return "/".into();
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// `s` percent-encoded for a query value (`?terug=…`).
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(local_path("/projecten?theme=llo"), "/projecten?theme=llo");
        for away in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/a\0b",
            "",
            "evil.example",
        ] {
            assert_eq!(local_path(away), "/", "{away:?}");
        }
    }

    #[test]
    fn other_scripts_are_encoded_not_refused() {
        assert_eq!(local_path("/projecten?q=café"), "/projecten?q=caf%C3%A9");
    }
}
