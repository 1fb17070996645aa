//! Things picked by name in a form (issue 32). A project: a text field with the projects the
//! person may see as suggestions (`<datalist>`; in a large network `stip.js` fills it from the
//! list API as one types), and here what was typed turned into the project: its "title —
//! institution" as suggested, its title, a part of its title only one project has, or its
//! number. An institution: its BRIN code, its name or short name, or a part of its name only
//! one institution has.

use std::sync::Arc;
use stip_core::ErrorCode;
use stip_core::portfolio::Project;

/// The projects `viewer` may see: what a project picker offers and takes.
pub async fn visible(
    state: &crate::AppState,
    viewer: &crate::auth::Viewer,
) -> Result<Vec<Arc<Project>>, stip_store::StoreError> {
    let scope = stip_core::access::project_scope(&viewer.actor);
    state
        .store
        .all_projects(&stip_core::portfolio::ProjectFilter::default(), scope)
        .await
}

/// Up to this many projects are suggested with the page itself; more come as one types.
pub const OFFERED: usize = 300;

/// How a project is suggested and shown in a picker: "title — institution".
pub fn label(p: &Project) -> String {
    format!("{} — {}", p.data.title, p.institution_name)
}

/// What a picker's text names.
#[derive(Debug, PartialEq)]
pub enum Picked {
    Nothing,
    Project(i64),
    /// Why not (no project, or more than one), with the labels of those that fit to choose
    /// from (at most ten).
    Refused(ErrorCode, Vec<String>),
}

/// The project among `visible` that `typed` names (see the module).
pub fn pick(visible: &[Arc<Project>], typed: &str) -> Picked {
    let text = typed.trim();
    if text.is_empty() {
        return Picked::Nothing;
    }
    if let Ok(id) = text.trim_start_matches('#').parse::<i64>() {
        return Picked::Project(id);
    }
    let wanted = text.to_lowercase();
    let one = |found: Vec<&Arc<Project>>| match found.as_slice() {
        [p] => Some(Picked::Project(p.id)),
        [] => None,
        many => Some(Picked::Refused(
            ErrorCode::InvalidChoice,
            many.iter().take(10).map(|p| label(p)).collect(),
        )),
    };
    let by = |fits: &dyn Fn(&Project) -> bool| -> Vec<&Arc<Project>> {
        visible.iter().filter(|p| fits(p)).collect()
    };
    one(by(&|p| label(p).to_lowercase() == wanted))
        .or_else(|| one(by(&|p| p.data.title.to_lowercase() == wanted)))
        .or_else(|| one(by(&|p| p.data.title.to_lowercase().contains(&wanted))))
        .unwrap_or(Picked::Refused(ErrorCode::Unknown, Vec::new()))
}

/// The suggestions a page brings along: every visible project's label in a small network,
/// none in a large one (then they come as one types).
pub fn offered(visible: &[Arc<Project>]) -> Vec<String> {
    if visible.len() > OFFERED {
        return Vec::new();
    }
    let mut labels: Vec<String> = visible.iter().map(|p| label(p)).collect();
    labels.sort_by_key(|l| l.to_lowercase());
    labels
}

/// The institution `typed` names among `lists`' (see the module); why not when none or more
/// than one fits.
pub fn institution<'a>(
    lists: &'a crate::lists::Lists,
    typed: &str,
) -> Result<&'a stip_core::institution::Institution, ErrorCode> {
    let text = typed.trim();
    let wanted = text.to_lowercase();
    let all = &lists.institutions;
    let exact = all.iter().find(|i| {
        i.data.brin.as_str().eq_ignore_ascii_case(text)
            || i.data.name.to_lowercase() == wanted
            || i.data.short_name.to_lowercase() == wanted
    });
    if let Some(i) = exact {
        return Ok(i);
    }
    let named: Vec<_> = all
        .iter()
        .filter(|i| !wanted.is_empty() && i.data.name.to_lowercase().contains(&wanted))
        .collect();
    match named.as_slice() {
        [i] => Ok(i),
        [] => Err(ErrorCode::Unknown),
        _ => Err(ErrorCode::InvalidChoice),
    }
}

/// Institutions as a datalist offers them, in the order given: (name, "BRIN · region").
pub fn institution_options<'a>(
    institutions: impl IntoIterator<Item = &'a stip_core::institution::Institution>,
) -> Vec<(String, String)> {
    institutions
        .into_iter()
        .map(|i| {
            (
                i.data.name.clone(),
                format!("{} · {}", i.data.brin, i.data.region),
            )
        })
        .collect()
}
