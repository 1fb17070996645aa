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
/// so nothing a person writes can run or link to script. Headings start at level `top` (a page
/// whose sections are h2 passes 3), so a `# Aanleiding` never outranks the page's own sections.
pub fn markdown(text: &str, top: u8) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd, html};
    let shift = |level: HeadingLevel| {
        HeadingLevel::try_from((level as usize + usize::from(top.saturating_sub(1))).min(6))
            .unwrap_or(HeadingLevel::H6)
    };
    let parser = Parser::new(text).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
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
        let html = markdown("## Doel\n\n<script>alert(1)</script>\n\nmet *nadruk*", 1);
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
            let html = markdown(text, 1).to_lowercase();
            assert!(!html.contains("javascript:"), "{text}: {html}");
            assert!(!html.contains("data:"), "{text}: {html}");
            assert!(!html.contains("vbscript:"), "{text}: {html}");
        }
    }

    #[test]
    fn headings_sit_below_the_pages_own_sections() {
        let html = markdown("# Aanleiding\n\n## Doel\n\n###### Diep", 3);
        assert!(html.contains("<h3>Aanleiding</h3>") && html.contains("<h4>Doel</h4>"));
        assert!(html.contains("<h6>Diep</h6>"), "never deeper than h6");
    }

    #[test]
    fn ordinary_links_stay() {
        let html = markdown(
            "[SURF](https://www.surf.nl) en [mail](mailto:im@horizon.nl)",
            1,
        );
        assert!(html.contains("href=\"https://www.surf.nl\""));
        assert!(html.contains("href=\"mailto:im@horizon.nl\""));
    }
}
