//! What the list's filters look at, packed beside each project: bits for its codes, its BRIN
//! as bytes, the choices it made; and a filter put in those terms.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;
use stip_core::portfolio::{
    Character, Horizon, Perspective, Phase, Project, ProjectFilter, Quadrant, Status, Visibility,
    status_set_before,
};

pub(super) struct Entry {
    pub(super) project: Arc<Project>,
    /// Lower-case title, summary and description, for the text filter.
    pub(super) text: String,
}

/// What the list's filters look at, packed beside each project's place in an order, so scanning
/// the whole portfolio reads one contiguous array instead of following a pointer per project.
#[derive(Clone, Copy)]
pub(super) struct Keys {
    /// The entry's number, for the text filter's bit set.
    pub(super) n: u32,
    pub(super) institution_id: i64,
    pub(super) brin: [u8; 4],
    /// One bit per theme code, per driver code and per MORA area code (see [`Bits`]).
    pub(super) themes: u64,
    /// The bit of the main theme alone.
    pub(super) primary_theme: u64,
    pub(super) drivers: u64,
    pub(super) mora_areas: u64,
    pub(super) visibility: Visibility,
    pub(super) phase: Phase,
    pub(super) status: Option<Status>,
    pub(super) status_date: Option<NaiveDate>,
    pub(super) shareable: bool,
    pub(super) character: Option<Character>,
    pub(super) horizon: Option<Horizon>,
    pub(super) perspective: Perspective,
}

#[derive(Clone)]
pub(super) struct Slot {
    pub(super) keys: Keys,
    pub(super) entry: Arc<Entry>,
}

/// Bit numbers for codes, handed out as codes appear. Past 64 codes the bits cannot say it
/// and the list falls back to reading the projects themselves.
#[derive(Default)]
pub(super) struct Bits {
    pub(super) of: HashMap<String, u32>,
    pub(super) overflow: bool,
}

impl Bits {
    pub(super) fn mask(&mut self, codes: &[String]) -> u64 {
        let mut mask = 0;
        for code in codes {
            let next = self.of.len() as u32;
            let bit = *self.of.entry(code.clone()).or_insert(next);
            if bit < 64 {
                mask |= 1 << bit;
            } else {
                self.overflow = true;
            }
        }
        mask
    }

    /// The bit of a code being filtered on: `Some(0)` (nothing matches) for a code no project has.
    pub(super) fn of(&self, code: &Option<String>) -> Option<u64> {
        code.as_ref().map(|c| self.bit(c))
    }

    fn bit(&self, code: &str) -> u64 {
        self.of.get(code).filter(|b| **b < 64).map_or(0, |b| 1 << b)
    }

    /// The bits of codes being filtered on, any of which matches; `None` for no filter.
    pub(super) fn any_of(&self, codes: &[String]) -> Option<u64> {
        (!codes.is_empty()).then(|| codes.iter().fold(0, |mask, c| mask | self.bit(c)))
    }
}

/// A [`ProjectFilter`] in terms of [`Keys`]; the text is checked through the index's `TextHits`.
pub(super) struct KeyFilter<'a> {
    pub(super) filter: &'a ProjectFilter,
    pub(super) brin: Option<[u8; 4]>,
    pub(super) theme: Option<u64>,
    pub(super) also_theme: Option<u64>,
    pub(super) driver: Option<u64>,
    pub(super) mora: Option<u64>,
}

impl KeyFilter<'_> {
    pub(super) fn matches(&self, k: &Keys) -> bool {
        let f = self.filter;
        self.brin.is_none_or(|b| b == k.brin)
            && self.theme.is_none_or(|bit| {
                let themes = if f.primary_only {
                    k.primary_theme
                } else {
                    k.themes
                };
                themes & bit != 0
            })
            && self.also_theme.is_none_or(|bit| k.themes & bit != 0)
            && self.driver.is_none_or(|bit| k.drivers & bit != 0)
            && self.mora.is_none_or(|bits| k.mora_areas & bits != 0)
            && f.phase.is_none_or(|x| x == k.phase)
            && f.status.is_none_or(|x| Some(x) == k.status)
            && f.status_before
                .is_none_or(|day| status_set_before(k.phase, k.status, k.status_date, day))
            && (!f.shareable || k.shareable)
            && f.quadrant
                .is_none_or(|q| Quadrant::of_perspective(&k.perspective) == Some(q))
            && f.character.is_none_or(|x| Some(x) == k.character)
            && f.horizon.is_none_or(|x| Some(x) == k.horizon)
            && f.perspective.is_none_or(|pole| k.perspective.leans(pole))
    }
}

pub(super) fn brin_bytes(brin: &str) -> [u8; 4] {
    let mut out = [0; 4];
    for (o, b) in out.iter_mut().zip(brin.bytes()) {
        *o = b;
    }
    out
}

pub(super) fn has_bit(bits: &[u64], n: u32) -> bool {
    bits.get(n as usize / 64)
        .is_some_and(|w| w & (1 << (n % 64)) != 0)
}
