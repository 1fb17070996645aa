//! A printable document as PDF, written by Stip itself (with `pdf-writer`): headings,
//! paragraphs, bullets and labelled bars on numbered A4 pages. It is set in DejaVu Sans, embedded
//! in the binary and in each document as a subset of the glyphs it uses (`font`), so every
//! European name prints (Latin, Greek, Cyrillic) and reads back when copied. The blocks are laid
//! out first and then written, so each page can say "n / N", a bar never leaves its label behind
//! and a heading never ends a page.

mod font;

use font::{Glyphs, Style, width};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// Line height as a multiple of the type size.
const LEADING: f32 = 1.35;
const TEXT: f32 = 10.5;
const LABEL: f32 = 9.5;

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

/// Whether a line may break at `c`: at any space but the non-breaking ones ("€ 12", "12 %").
fn breaks(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// `text` broken into lines no wider than `max` points: between words, and inside a word only
/// when it is wider than a line by itself (a web address).
fn lines(text: &str, size: f32, style: Style, max: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(breaks).filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, style) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            let mut wide = 0.0;
            for c in word.chars() {
                let w = width(c.encode_utf8(&mut [0; 4]), size, style);
                if wide + w > max && !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    wide = 0.0;
                }
                line.push(c);
                wide += w;
            }
        }
        out.push(line);
    }
    out
}

/// Something drawn in a row, `down` points below the row's top: a line of text (`down` to its
/// baseline) or a bar (to its bottom edge).
#[derive(Debug)]
enum Mark {
    Text {
        x: f32,
        down: f32,
        size: f32,
        style: Style,
        text: String,
    },
    Bar {
        x: f32,
        down: f32,
        width: f32,
        height: f32,
    },
}

/// What goes to a page as one: a line of text, or a bar with its number.
#[derive(Debug)]
struct Row {
    /// Space above the row, left out at the top of a page.
    space: f32,
    height: f32,
    marks: Vec<Mark>,
    /// Whether the row stays on the page of the row after it (a heading's lines, a bar's label).
    keep: bool,
}

/// The blocks as rows, from top to bottom.
#[derive(Default)]
struct Rows {
    rows: Vec<Row>,
    space: f32,
}

impl Rows {
    fn space(&mut self, points: f32) {
        self.space += points;
    }

    fn push(&mut self, height: f32, marks: Vec<Mark>, keep: bool) {
        let space = std::mem::take(&mut self.space);
        self.rows.push(Row {
            space,
            height,
            marks,
            keep,
        });
    }

    /// `text` from `x` to the right margin, a row per line.
    fn text(&mut self, x: f32, text: &str, size: f32, style: Style, keep: bool) {
        let height = size * LEADING;
        for line in lines(text, size, style, WIDTH - MARGIN - x) {
            let mark = Mark::Text {
                x,
                down: height,
                size,
                style,
                text: line,
            };
            self.push(height, vec![mark], keep);
        }
    }
}

fn layout(blocks: &[Block]) -> Vec<Row> {
    let mut rows = Rows::default();
    for block in blocks {
        match block {
            Block::Title(t) => {
                rows.text(MARGIN, t, 18.0, Style::Bold, true);
                rows.space(8.0);
            }
            Block::Heading(level, t) => {
                rows.space(10.0);
                let size = if *level <= 1 { 14.0 } else { 12.0 };
                rows.text(MARGIN, t, size, Style::Bold, true);
                rows.space(2.0);
            }
            Block::Paragraph(t) => {
                rows.text(MARGIN, t, TEXT, Style::Regular, false);
                rows.space(4.0);
            }
            Block::Bullet(t) => {
                let first = rows.rows.len();
                rows.text(MARGIN + 14.0, t, TEXT, Style::Regular, false);
                // The bullet sits on the first line.
                rows.rows[first].marks.push(Mark::Text {
                    x: MARGIN + 3.0,
                    down: TEXT * LEADING,
                    size: TEXT,
                    style: Style::Regular,
                    text: "\u{2022}".into(),
                });
            }
            Block::Bar {
                label,
                value,
                max,
                shown,
            } => {
                rows.text(MARGIN, label, LABEL, Style::Regular, true);
                let room = WIDTH - 2.0 * MARGIN - 60.0;
                let length = if *max > 0.0 {
                    ((value / max) as f32 * room).max(if *value > 0.0 { 2.0 } else { 0.0 })
                } else {
                    0.0
                };
                // The number after the bar; one too wide for the space kept for it ends at the
                // margin.
                let after =
                    (MARGIN + length + 6.0).min(WIDTH - MARGIN - width(shown, LABEL, Style::Bold));
                let marks = vec![
                    Mark::Bar {
                        x: MARGIN,
                        down: 14.0,
                        width: length,
                        height: 10.0,
                    },
                    Mark::Text {
                        x: after,
                        down: 12.5,
                        size: LABEL,
                        style: Style::Bold,
                        text: shown.clone(),
                    },
                ];
                rows.push(14.0, marks, false);
                rows.space(4.0);
            }
        }
    }
    rows.rows
}

/// A row on its page, its top `top` points above the page's bottom edge.
#[derive(Debug)]
struct Placed {
    top: f32,
    row: Row,
}

/// The rows on pages: a row goes to the next page when it does not fit, together with the rows
/// before it that keep with it (unless they would not fit on any page).
fn paginate(rows: Vec<Row>) -> Vec<Vec<Placed>> {
    let top = HEIGHT - MARGIN;
    // Below each row's own height: the height of the rows after it that it keeps with.
    let mut kept = vec![0.0; rows.len()];
    for i in (0..rows.len().saturating_sub(1)).rev() {
        if rows[i].keep {
            kept[i] = rows[i + 1].space + rows[i + 1].height + kept[i + 1];
        }
    }
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = top;
    for (row, kept) in rows.into_iter().zip(kept) {
        let together = row.height + kept;
        let need = if together <= top - MARGIN {
            together
        } else {
            row.height
        };
        let mut space = row.space;
        let page = pages.last().expect("a page");
        if page.is_empty() {
            space = 0.0;
        } else if y - space - need < MARGIN {
            pages.push(Vec::new());
            y = top;
            space = 0.0;
        }
        y -= space;
        let height = row.height;
        pages
            .last_mut()
            .expect("a page")
            .push(Placed { top: y, row });
        y -= height;
    }
    pages
}

/// The font resource name of `style`.
fn resource(style: Style) -> Name<'static> {
    match style {
        Style::Regular => Name(b"F1"),
        Style::Bold => Name(b"F2"),
    }
}

fn show(
    content: &mut Content,
    glyphs: &mut Glyphs,
    x: f32,
    y: f32,
    size: f32,
    style: Style,
    text: &str,
) {
    content.begin_text();
    content.set_font(resource(style), size);
    content.next_line(x, y);
    content.show(pdf_writer::Str(&glyphs.encode(text, style)));
    content.end_text();
}

/// Page `number` of `total` as a content stream.
fn draw(page: &[Placed], number: usize, total: usize, glyphs: &mut Glyphs) -> Vec<u8> {
    let mut content = Content::new();
    for placed in page {
        for mark in &placed.row.marks {
            match mark {
                Mark::Text {
                    x,
                    down,
                    size,
                    style,
                    text,
                } => show(
                    &mut content,
                    glyphs,
                    *x,
                    placed.top - down,
                    *size,
                    *style,
                    text,
                ),
                Mark::Bar {
                    x,
                    down,
                    width,
                    height,
                } => {
                    if *width > 0.0 {
                        content.set_fill_rgb(0.05, 0.35, 0.65);
                        content.rect(*x, placed.top - down, *width, *height);
                        content.fill_nonzero();
                        content.set_fill_gray(0.0);
                    }
                }
            }
        }
    }
    let footer = format!("{number} / {total}");
    content.set_fill_gray(0.35);
    let x = (WIDTH - width(&footer, 9.0, Style::Regular)) / 2.0;
    show(
        &mut content,
        glyphs,
        x,
        MARGIN / 2.0,
        9.0,
        Style::Regular,
        &footer,
    );
    content.finish().into_vec()
}

/// `bytes` compressed for a stream with the FlateDecode filter.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

/// The document as PDF bytes, with `title` as its title.
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let pages = paginate(layout(blocks));
    let mut glyphs = Glyphs::new();
    let total = pages.len();
    let contents: Vec<Vec<u8>> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| draw(page, i + 1, total, &mut glyphs))
        .collect();

    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let fonts: Vec<(Style, Ref)> = Style::ALL
        .into_iter()
        .filter(|s| glyphs.uses(*s))
        .map(|s| (s, next.bump()))
        .collect();
    let page_ids: Vec<(Ref, Ref)> = contents
        .iter()
        .map(|_| (next.bump(), next.bump()))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(page_ids.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Stip"));
    for (style, id) in &fonts {
        glyphs.write(&mut pdf, *style, *id, &mut next);
    }
    for ((id, content_id), content) in page_ids.into_iter().zip(contents) {
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut names = resources.fonts();
        for (style, font) in &fonts {
            names.pair(resource(*style), *font);
        }
        names.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &deflate(&content))
            .filter(Filter::FlateDecode);
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

    /// The text of a PDF as `pdftotext` reads it (poppler-utils), pages separated by a form feed.
    fn pdf_text(bytes: &[u8]) -> String {
        read(bytes, &[])
    }

    /// The text of a PDF as `pdftotext` with `options` reads it.
    fn read(bytes: &[u8], options: &[&str]) -> String {
        use std::io::Write;
        let mut child = std::process::Command::new("pdftotext")
            .args(options)
            .args(["-enc", "UTF-8", "-", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("pdftotext (apt-get install poppler-utils)");
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "pdftotext could not read the PDF");
        String::from_utf8(out.stdout).unwrap()
    }

    /// The pages of a PDF's text.
    fn pages(bytes: &[u8]) -> Vec<String> {
        split(&pdf_text(bytes))
    }

    fn split(text: &str) -> Vec<String> {
        let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
        // pdftotext ends the last page with a form feed too.
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        pages
    }

    fn flat(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn paragraphs(n: usize) -> Vec<Block> {
        (1..=n)
            .map(|i| Block::Paragraph(format!("Alinea {i}")))
            .collect()
    }

    #[test]
    fn every_european_name_reads_back_as_written() {
        let names = "Łódź, Işık, Çelik, Øvergaard, Ørsted ✓ – € “quoted”";
        let more = "Ğündüz Şahin, Nőt Žižek, Ærø ‘ja’ Σωκράτης Достоевский ǅ ẞ";
        let bytes = render(
            names,
            &[
                Block::Title(names.into()),
                Block::Paragraph(names.into()),
                Block::Bullet(more.into()),
            ],
        );
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pdf_text(&bytes);
        // The title in its own line or lines, the paragraph in one.
        assert!(flat(&text).starts_with(names), "{text}");
        assert!(text.lines().any(|l| l == names), "{text}");
        assert!(text.contains(more), "{text}");
        assert!(!text.contains('?') && !text.contains('\u{FFFD}'), "{text}");
    }

    #[test]
    fn a_character_the_font_lacks_prints_as_the_replacement_character() {
        let text = pdf_text(&render("x", &[Block::Paragraph("Tokyo 東京".into())]));
        assert!(text.contains("Tokyo \u{FFFD}\u{FFFD}"), "{text}");
    }

    #[test]
    fn every_page_says_its_number_and_the_total() {
        let bytes = render("Lang", &paragraphs(100));
        // In the order the page draws it: pdftotext's layout reading drops the spaces of a
        // short line of one-character words ("1/3"), as if it were letter-spaced.
        let pages = split(&read(&bytes, &["-raw"]));
        assert_eq!(pages.len(), 3);
        for (i, page) in pages.iter().enumerate() {
            let lines: Vec<&str> = page
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(
                lines.last(),
                Some(&format!("{} / 3", i + 1).as_str()),
                "{page}"
            );
        }
        assert!(flat(&pages[0]).starts_with("Alinea 1 Alinea 2"));
        assert!(flat(&pages[2]).contains("Alinea 100"));
    }

    #[test]
    fn a_bar_moves_to_the_next_page_with_its_label() {
        let bar = Block::Bar {
            label: "Het label".into(),
            value: 3.0,
            max: 4.0,
            shown: "37".into(),
        };
        let label = LABEL * LEADING;
        let mut moved_with_room_for_the_label = false;
        for n in 30..50 {
            let mut blocks = paragraphs(n);
            blocks.push(bar.clone());
            // Where the bar went, and whether its label alone would have fitted on page 1.
            let laid = paginate(layout(&blocks));
            let last = laid[0].last().unwrap();
            let room = last.top - last.row.height - MARGIN;
            if laid.len() == 2 && room >= 4.0 + label {
                moved_with_room_for_the_label = true;
            }
            let pages = pages(&render("Balk", &blocks));
            let page = pages
                .iter()
                .position(|p| p.contains("Het label"))
                .expect("the label");
            let lines: Vec<&str> = pages[page].lines().map(str::trim).collect();
            let at = lines.iter().position(|l| *l == "Het label").unwrap();
            assert!(
                lines[at + 1..].contains(&"37"),
                "{n} paragraphs: the bar's number after its label on page {}:\n{}",
                page + 1,
                pages[page]
            );
        }
        assert!(moved_with_room_for_the_label);
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        for n in 30..52 {
            let mut blocks = paragraphs(n);
            blocks.push(Block::Heading(1, "Kop".into()));
            blocks.push(Block::Paragraph("Eerste regel na de kop".into()));
            for page in pages(&render("Kop", &blocks)) {
                let lines: Vec<&str> = page
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                if let Some(at) = lines.iter().position(|l| *l == "Kop") {
                    assert_eq!(
                        lines.get(at + 1),
                        Some(&"Eerste regel na de kop"),
                        "{n}: {page}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_titles_labels_and_words_wrap_inside_the_margins() {
        let title = "Verslag van de netwerkbijeenkomst over data-ondersteund onderwijs, \
                     studiesucces en de gezamenlijke dashboards van de Nederlandse hogescholen";
        let label = "Welke van de volgende dashboards gebruikt uw instelling al in het \
                     onderwijs, of is zij van plan binnen twee jaar in te voeren?";
        let address = format!("https://example.org/{}", "lang".repeat(40));
        let blocks = [
            Block::Title(title.into()),
            Block::Heading(2, title.into()),
            Block::Bar {
                label: label.into(),
                value: 4.0,
                max: 4.0,
                shown: "€ 1.234.567,89 mln".into(),
            },
            Block::Bullet(address.clone()),
        ];
        let laid = paginate(layout(&blocks));
        let mut texts = 0;
        for placed in laid.iter().flatten() {
            for mark in &placed.row.marks {
                if let Mark::Text {
                    x,
                    size,
                    style,
                    text,
                    ..
                } = mark
                {
                    texts += 1;
                    let right = x + width(text, *size, *style);
                    assert!(right <= WIDTH - MARGIN + 0.01, "{text:?} ends at {right}");
                }
            }
        }
        // Six lines unwrapped (with the bar's number and the bullet); the title, the heading,
        // the label and the address take two lines or more each.
        assert!(texts >= 6 + 4, "{texts}");
        let text = flat(&pdf_text(&render(title, &blocks)));
        assert!(text.contains(title), "{text}");
        assert!(text.contains(label), "{text}");
        assert!(text.contains("€ 1.234.567,89 mln"), "{text}");
        assert!(text.replace(' ', "").contains(&address), "{text}");
    }

    #[test]
    fn the_widths_are_the_fonts_own() {
        // DejaVu Sans: 'i' is narrower than 'm', bold wider than regular, and a size scales it.
        assert!(width("i", 10.0, Style::Regular) < width("m", 10.0, Style::Regular));
        assert!(width("Stip", 10.0, Style::Regular) < width("Stip", 10.0, Style::Bold));
        let w = width("Łódź", 10.0, Style::Regular);
        assert!((width("Łódź", 20.0, Style::Regular) - 2.0 * w).abs() < 0.001);
        assert!(w > 0.0);
    }

    #[test]
    fn a_report_embeds_only_the_glyphs_it_uses() {
        let mut blocks = vec![
            Block::Title("Verslag: Netwerkbijeenkomst data-ondersteund onderwijs".into()),
            Block::Paragraph("Wanneer: 12 maart 2026, 13:00–16:00".into()),
            Block::Paragraph("Plaats: Utrecht".into()),
            Block::Heading(1, "Agenda".into()),
        ];
        blocks.extend(
            ["Opening", "Casus: dashboards", "Enquête", "Rondvraag"]
                .map(|t| Block::Bullet(t.into())),
        );
        blocks.push(Block::Heading(1, "Notulen".into()));
        blocks.extend(markdown(
            &"Dashboards delen we in het netwerk; de werkgroep (Łukasz Nowak, Ayşe Yılmaz) \
              schrijft een voorstel. "
                .repeat(12),
            2,
        ));
        blocks.push(Block::Heading(
            1,
            "Bijlage 1: Resultaten van Enquête vooraf".into(),
        ));
        for (label, value) in [("Ja", 12.0), ("Nee", 3.0), ("Weet ik niet", 5.0)] {
            blocks.push(Block::Bar {
                label: label.into(),
                value,
                max: 12.0,
                shown: format!("{value}"),
            });
        }
        let bytes = render("Verslag", &blocks);
        // The whole fonts are 1.4 MB; this report, with the subsets of its letters, 26 kB.
        assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
        assert!(flat(&pdf_text(&bytes)).contains("Ayşe Yılmaz"));
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
