//! The choices of the project list's filter form and the project form: every code list in the
//! reader's language.

use crate::i18n::Lang;
use crate::lists::Lists;
use stip_core::portfolio::*;

pub fn options(lang: Lang, kind: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| (c.to_string(), lang.label(kind, c)))
        .collect()
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

/// Choices of the filter form and the project form.
pub struct Choices {
    pub phases: Vec<(String, String)>,
    pub statuses: Vec<(String, String)>,
    pub characters: Vec<(String, String)>,
    pub horizons: Vec<(String, String)>,
    pub perspectives: Vec<(String, String)>,
    pub visibilities: Vec<(String, String)>,
    pub effort_units: Vec<(String, String)>,
    pub sorts: Vec<(String, String)>,
    pub themes: Vec<(String, String)>,
    pub drivers: Vec<(String, String)>,
    /// Every MORA area, a sub-area named with its main area, in the architecture's order.
    pub mora_areas: Vec<(String, String)>,
    pub institutions: Vec<(String, String)>,
    pub axis_so: Vec<(String, String)>,
    pub axis_ib: Vec<(String, String)>,
    pub scores: Vec<(String, String)>,
}

impl Choices {
    pub fn new(lang: Lang, lists: &Lists) -> Choices {
        let sorts = SortKey::ALL
            .iter()
            .flat_map(|k| {
                [
                    (
                        k.code().to_string(),
                        format!(
                            "{} ({})",
                            lang.label("sort", k.code()),
                            lang.t("list.ascending")
                        ),
                    ),
                    (
                        format!("-{}", k.code()),
                        format!(
                            "{} ({})",
                            lang.label("sort", k.code()),
                            lang.t("list.descending")
                        ),
                    ),
                ]
            })
            .collect();
        let axis = |kind: &str| {
            (1..=5)
                .map(|v| (v.to_string(), lang.label(kind, &v.to_string())))
                .collect()
        };
        Choices {
            phases: options(lang, "phase", &codes(Phase::ALL, Phase::code)),
            statuses: options(lang, "status", &codes(Status::ALL, Status::code)),
            characters: options(lang, "character", &codes(Character::ALL, Character::code)),
            horizons: options(lang, "horizon", &codes(Horizon::ALL, Horizon::code)),
            perspectives: options(
                lang,
                "perspective",
                &codes(PerspectivePole::ALL, PerspectivePole::code),
            ),
            visibilities: options(
                lang,
                "visibility",
                &codes(Visibility::ALL, Visibility::code),
            ),
            effort_units: options(
                lang,
                "effort_unit",
                &codes(EffortUnit::ALL, EffortUnit::code),
            ),
            sorts,
            themes: lists
                .themes
                .iter()
                .map(|t| (t.data.code.clone(), t.data.name.clone()))
                .collect(),
            drivers: lists
                .drivers
                .iter()
                .map(|d| (d.code.clone(), d.name.clone()))
                .collect(),
            mora_areas: lists
                .mora_areas
                .iter()
                .map(|a| (a.data.code.clone(), lists.mora_name(&a.data.code)))
                .collect(),
            institutions: lists
                .institutions
                .iter()
                .map(|i| (i.data.brin.to_string(), i.data.name.clone()))
                .collect(),
            axis_so: axis("axis_so"),
            axis_ib: axis("axis_ib"),
            scores: (1..=5).map(|v| (v.to_string(), v.to_string())).collect(),
        }
    }
}
