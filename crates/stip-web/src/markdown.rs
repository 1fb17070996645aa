//! User Markdown as safe HTML, for descriptions, minutes and anything else people write.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Only these link schemes survive; `javascript:`, `data:`, `vbscript:` and the rest are dropped
/// from links and images, whatever their case.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto"]));
    b
});

/// Markdown as HTML. Raw HTML in the text is shown as text, and the result is cleaned by ammonia,
/// so nothing a person writes can run or link to script.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let parser = Parser::new(text).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    CLEANER.clean(&out).to_string()
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn markdown_never_passes_html_through() {
        let html = markdown("## Doel\n\n<script>alert(1)</script>\n\nmet *nadruk*");
        assert!(html.contains("<h2>Doel</h2>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("<em>nadruk</em>"));
    }

    #[test]
    fn links_and_images_with_script_schemes_lose_their_target() {
        for text in [
            "[klik](javascript:alert(1))",
            "[klik](JaVaScRiPt:alert(1))",
            "[klik](data:text/html;base64,PHNjcmlwdD4=)",
            "[klik](vbscript:msgbox)",
            "![beeld](javascript:alert(1))",
            "[klik][ref]\n\n[ref]: javascript:alert(1)",
        ] {
            let html = markdown(text).to_lowercase();
            assert!(!html.contains("javascript:"), "{text}: {html}");
            assert!(!html.contains("data:"), "{text}: {html}");
            assert!(!html.contains("vbscript:"), "{text}: {html}");
        }
    }

    #[test]
    fn ordinary_links_stay() {
        let html = markdown("[SURF](https://www.surf.nl) en [mail](mailto:im@horizon.nl)");
        assert!(html.contains("href=\"https://www.surf.nl\""));
        assert!(html.contains("href=\"mailto:im@horizon.nl\""));
    }
}
