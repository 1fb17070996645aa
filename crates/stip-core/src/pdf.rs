//! A printable document as PDF, written by Stip itself (with `pdf-writer`): headings,
//! paragraphs, bullets, label-and-value lines and bars, on A4 pages in the standard Helvetica
//! fonts (every PDF reader has them, so nothing is embedded and no font file ships). Text is
//! encoded as Windows-1252, which holds Dutch; a character it lacks prints as `?`.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// A piece of the document, laid out from top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// A heading of level 1 (section) or 2 (sub-section).
    Heading(u8, String),
    Paragraph(String),
    Bullet(String),
    /// A bar of `value` out of `max`, labelled, with its number written after it.
    Bar {
        label: String,
        value: f64,
        max: f64,
        shown: String,
    },
}

/// The width of `text` in Helvetica at `size`, near enough to break lines: the average glyph is
/// about half an em wide; wide and narrow ones are counted apart.
fn width(text: &str, size: f32, bold: bool) -> f32 {
    let em: f32 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | ' ' => 0.28,
            'f' | 't' | 'r' | '(' | ')' | '-' => 0.36,
            'm' | 'w' | 'M' | 'W' => 0.86,
            c if c.is_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.56,
            _ => 0.54,
        })
        .sum();
    em * size * if bold { 1.06 } else { 1.0 }
}

/// `text` broken into lines no wider than `max` points.
fn lines(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, bold) > max && !line.is_empty() {
                out.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        out.push(line);
    }
    out
}

/// Text as the font's encoding has it.
fn encoded(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}

struct Writer {
    pages: Vec<Content>,
    y: f32,
}

impl Writer {
    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        self.pages.last_mut().expect("a page")
    }

    /// Makes room for `height` points, on a new page when this one is full.
    fn room(&mut self, height: f32) {
        if self.pages.is_empty() || self.y - height < MARGIN {
            self.pages.push(Content::new());
            self.y = HEIGHT - MARGIN;
        }
    }

    fn text(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        let line = size * 1.35;
        self.room(line);
        self.y -= line;
        let y = self.y;
        let page = self.page();
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(&encoded(text)));
        page.end_text();
    }

    fn wrapped(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        for l in lines(text, size, bold, WIDTH - MARGIN - x) {
            self.text(x, &l, size, bold);
        }
    }
}

/// The document as PDF bytes, with `title` as its title.
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut w = Writer {
        pages: Vec::new(),
        y: HEIGHT - MARGIN,
    };
    for block in blocks {
        match block {
            Block::Title(t) => {
                w.wrapped(MARGIN, t, 18.0, true);
                w.y -= 8.0;
            }
            Block::Heading(level, t) => {
                w.y -= 10.0;
                w.room(40.0);
                w.wrapped(MARGIN, t, if *level <= 1 { 14.0 } else { 12.0 }, true);
                w.y -= 2.0;
            }
            Block::Paragraph(t) => {
                w.wrapped(MARGIN, t, 10.5, false);
                w.y -= 4.0;
            }
            Block::Bullet(t) => {
                let first = w.y;
                w.wrapped(MARGIN + 14.0, t, 10.5, false);
                // The bullet sits on the first line.
                let y = first - 10.5 * 1.35;
                if w.y < first {
                    let page = w.page();
                    page.begin_text();
                    page.set_font(REGULAR, 10.5);
                    page.next_line(MARGIN + 3.0, y.max(MARGIN));
                    page.show(Str(&encoded("\u{2022}")));
                    page.end_text();
                }
            }
            Block::Bar {
                label,
                value,
                max,
                shown,
            } => {
                w.wrapped(MARGIN, label, 9.5, false);
                w.room(16.0);
                w.y -= 14.0;
                let room = WIDTH - 2.0 * MARGIN - 60.0;
                let length = if *max > 0.0 {
                    ((value / max) as f32 * room).max(if *value > 0.0 { 2.0 } else { 0.0 })
                } else {
                    0.0
                };
                let y = w.y;
                let page = w.page();
                page.set_fill_rgb(0.05, 0.35, 0.65);
                page.rect(MARGIN, y, length, 10.0);
                page.fill_nonzero();
                page.set_fill_gray(0.0);
                page.begin_text();
                page.set_font(BOLD, 9.5);
                page.next_line(MARGIN + length + 6.0, y + 1.5);
                page.show(Str(&encoded(shown)));
                page.end_text();
                w.y -= 4.0;
            }
        }
    }
    if w.pages.is_empty() {
        w.pages.push(Content::new());
    }

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..w.pages.len())
        .map(|i| Ref::new(first + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    for (font, name) in [
        (regular, b"Helvetica".as_slice()),
        (bold, b"Helvetica-Bold"),
    ] {
        pdf.type1_font(font)
            .base_font(Name(name))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Stip"));
    for (i, content) in w.pages.into_iter().enumerate() {
        let id = page_ids[i];
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(REGULAR, regular);
        fonts.pair(BOLD, bold);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish().into_vec());
    }
    pdf.finish()
}

/// Markdown as blocks: headings, paragraphs and list items as text (emphasis and links drop to
/// their words).
pub fn markdown(text: &str, top: u8) -> Vec<Block> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current = String::new();
    let mut heading: Option<u8> = None;
    let mut in_item = false;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(level as u8);
                current.clear();
            }
            Event::Start(Tag::Item) => {
                in_item = true;
                current.clear();
            }
            Event::Start(Tag::Paragraph) if !in_item => current.clear(),
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(TagEnd::Heading(_)) => {
                let level = heading.take().unwrap_or(1) + top.saturating_sub(1);
                out.push(Block::Heading(level, std::mem::take(&mut current)));
            }
            Event::End(TagEnd::Item) => {
                in_item = false;
                out.push(Block::Bullet(std::mem::take(&mut current)));
            }
            Event::End(TagEnd::Paragraph) if !in_item => {
                out.push(Block::Paragraph(std::mem::take(&mut current)));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_a_pdf_with_its_text_and_breaks_long_lines() {
        let long = "woord ".repeat(200);
        let bytes = render(
            "Verslag",
            &[
                Block::Title("Verslag: netwerkbijeenkomst".into()),
                Block::Paragraph(long.clone()),
                Block::Bar {
                    label: "Ja".into(),
                    value: 3.0,
                    max: 4.0,
                    shown: "3".into(),
                },
            ],
        );
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.windows(7).any(|w| w == b"Verslag"));
        assert!(lines(&long, 10.5, false, WIDTH - 2.0 * MARGIN).len() > 3);
        assert_eq!(encoded("één"), vec![0xE9, 0xE9, b'n']);
    }

    #[test]
    fn markdown_becomes_headings_paragraphs_and_bullets() {
        let blocks = markdown(
            "## Conclusies\n\nWe **delen** dashboards.\n\n- een\n- twee",
            2,
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading(3, "Conclusies".into()),
                Block::Paragraph("We delen dashboards.".into()),
                Block::Bullet("een".into()),
                Block::Bullet("twee".into()),
            ]
        );
    }
}
