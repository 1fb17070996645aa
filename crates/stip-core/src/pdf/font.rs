//! The typeface of the PDF documents: DejaVu Sans, regular and bold, embedded in the binary
//! (`fonts/`, with its licence) for its widths, and written into each document as a subset of the
//! glyphs that document uses: a Type0 font (CIDFontType2, Identity-H) with a ToUnicode map, so
//! text can be copied and searched.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

/// The two faces a document is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Regular = 0,
    Bold = 1,
}

impl Style {
    pub(super) const ALL: [Style; 2] = [Style::Regular, Style::Bold];

    fn font(self) -> &'static Font {
        &FONTS[self as usize]
    }
}

struct Font {
    /// The PostScript name.
    name: &'static str,
    data: &'static [u8],
    face: Face<'static>,
    /// Font units per em, as a float to scale by.
    em: f32,
}

static FONTS: LazyLock<[Font; 2]> = LazyLock::new(|| {
    [
        Font::new("DejaVuSans", include_bytes!("../../fonts/DejaVuSans.ttf")),
        Font::new(
            "DejaVuSans-Bold",
            include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
        ),
    ]
});

/// What a character the font lacks prints as (and copies as): the replacement character, so a
/// reader sees something is missing instead of a wrong letter.
const MISSING: char = '\u{FFFD}';

impl Font {
    fn new(name: &'static str, data: &'static [u8]) -> Font {
        let face = Face::parse(data, 0).expect("the embedded font is a valid TrueType font");
        let em = f32::from(face.units_per_em());
        Font {
            name,
            data,
            face,
            em,
        }
    }

    /// The glyph `c` prints with, and the character it stands for in copied text.
    fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.face.glyph_index(c) {
            Some(g) => (g, c),
            None => (
                self.face.glyph_index(MISSING).unwrap_or(GlyphId(0)),
                MISSING,
            ),
        }
    }

    /// The advance width of glyph `g` in thousandths of an em (PDF glyph space).
    fn advance(&self, g: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * 1000.0 / self.em
    }

    fn scaled(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / self.em
    }
}

/// Whether `c` is drawn at all: control characters (a tab, a stray carriage return) are not.
fn drawn(c: char) -> bool {
    !c.is_control()
}

/// The width of `text` in points, set in `style` at `size`: the fonts' own advance widths (no
/// kerning, as no kerning is written either).
pub(super) fn width(text: &str, size: f32, style: Style) -> f32 {
    let font = style.font();
    let units: f32 = text
        .chars()
        .filter(|c| drawn(*c))
        .map(|c| font.advance(font.glyph(c).0))
        .sum();
    units * size / 1000.0
}

/// The glyphs a document uses, per style, numbered as they are in its subsets; and the
/// character each stands for.
pub(super) struct Glyphs {
    used: [Used; 2],
}

#[derive(Default)]
struct Used {
    remapper: GlyphRemapper,
    /// New glyph id to the text it copies as.
    chars: BTreeMap<u16, char>,
    any: bool,
}

/// The character collection of a font whose CIDs are its glyph ids.
const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

impl Glyphs {
    pub(super) fn new() -> Glyphs {
        Glyphs {
            used: [Used::default(), Used::default()],
        }
    }

    /// `text` as a content stream shows it in `style`: the subset's glyph ids, two bytes each
    /// (Identity-H).
    pub(super) fn encode(&mut self, text: &str, style: Style) -> Vec<u8> {
        let font = style.font();
        let used = &mut self.used[style as usize];
        used.any = true;
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars().filter(|c| drawn(*c)) {
            let (glyph, stands_for) = font.glyph(c);
            let new = used.remapper.remap(glyph.0);
            used.chars.entry(new).or_insert(stands_for);
            out.extend(new.to_be_bytes());
        }
        out
    }

    /// Whether any text was set in `style`.
    pub(super) fn uses(&self, style: Style) -> bool {
        self.used[style as usize].any
    }

    /// Writes the font of `style` as the Type0 font `id`, taking the ids of its parts from
    /// `next`.
    pub(super) fn write(&self, pdf: &mut Pdf, style: Style, id: Ref, next: &mut Ref) {
        let font = style.font();
        let used = &self.used[style as usize];
        let (cid, descriptor, cmap, file) = (next.bump(), next.bump(), next.bump(), next.bump());
        let subset =
            subsetter::subset(font.data, 0, &used.remapper).expect("the embedded font subsets");
        let base = format!("{}+{}", tag(&used.remapper), font.name);
        let base = Name(base.as_bytes());

        pdf.type0_font(id)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(IDENTITY)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font.widths().consecutive(
            0,
            used.remapper
                .remapped_gids()
                .map(|old| font.advance(GlyphId(old))),
        );
        cid_font.finish();

        let face = &font.face;
        let bbox = face.global_bounding_box();
        let weight = face.weight().to_number();
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                font.scaled(bbox.x_min),
                font.scaled(bbox.y_min),
                font.scaled(bbox.x_max),
                font.scaled(bbox.y_max),
            ))
            .italic_angle(face.italic_angle())
            .ascent(font.scaled(face.ascender()))
            .descent(font.scaled(face.descender()))
            .cap_height(font.scaled(face.capital_height().unwrap_or(face.ascender())))
            // Estimated from the weight, as other PDF writers do: the font does not say.
            .stem_v(10.0 + 0.244 * (f32::from(weight) - 50.0))
            .font_file2(file);

        let mut unicode = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
        for (glyph, c) in &used.chars {
            unicode.pair(*glyph, *c);
        }
        pdf.cmap(cmap, &super::deflate(&unicode.finish().into_vec()))
            .filter(Filter::FlateDecode);

        pdf.stream(file, &super::deflate(&subset))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);
    }
}

/// The six capital letters that name a subset ("ABCDEF+DejaVuSans"), from the glyphs in it:
/// the same subset always gets the same tag, different ones (almost always) different tags.
fn tag(remapper: &GlyphRemapper) -> String {
    // FNV-1a: stable across builds, unlike the standard library's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for glyph in remapper.remapped_gids() {
        for byte in glyph.to_be_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + (hash % 26) as u8);
            hash /= 26;
            letter
        })
        .collect()
}
