//! The duos and trios of a workshop's comparing step (issue 33) as pages and answers name them:
//! their institutions' codes and names, their comparison page, and the step as the workshop's
//! page shows it.

use crate::AppState;
use crate::lists::Lists;
use stip_core::workshop::{Participant, Workshop};

/// The BRIN codes of institutions (ids), in order; one Stip no longer knows is left out.
pub(crate) fn brins(lists: &Lists, ids: &[i64]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| lists.institutions.iter().find(|i| i.id == *id))
        .map(|i| i.data.brin.to_string())
        .collect()
}

/// The names of institutions (ids), in order.
pub(crate) fn names(lists: &Lists, ids: &[i64]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| lists.institutions.iter().find(|i| i.id == *id))
        .map(|i| i.data.name.clone())
        .collect()
}

/// The comparison page of institutions by BRIN code.
pub(crate) fn href(brins: &[String]) -> String {
    let query: Vec<String> = brins.iter().map(|b| format!("instelling={b}")).collect();
    format!("/vergelijken?{}", query.join("&"))
}

/// The duo or trio a participant is in: their institution's group.
pub(crate) fn group_of<'a>(w: &'a Workshop, p: &Participant) -> Option<&'a Vec<i64>> {
    let institution = p.institution_id?;
    w.compare_groups
        .as_ref()?
        .iter()
        .find(|g| g.contains(&institution))
}

/// A duo or trio as the workshop's page shows it.
pub(crate) struct GroupView {
    /// "Horizon College en DaVinci College".
    pub names: String,
    /// Their comparison page.
    pub href: String,
    /// Whether the viewer is in it.
    pub mine: bool,
    /// Who of the participants is in it (empty in an anonymous workshop).
    pub people: String,
    /// (id, text, writer or empty) of what it wrote down.
    pub notes: Vec<(i64, String, String)>,
}

/// The comparing step on the workshop's page.
#[derive(Default)]
pub(crate) struct Comparing {
    pub groups: Vec<GroupView>,
    /// What the groups wrote that are not formed any more (a regrouping since).
    pub earlier: Vec<GroupView>,
    /// The viewer's institution's name, when they said it.
    pub mine: String,
    /// Institutions to choose from: (name, BRIN · region).
    pub options: Vec<(String, String)>,
    /// How many participants have not said their institution.
    pub without: usize,
}

/// The comparing step for one viewer (their participant, if they take part).
pub(crate) async fn comparing(
    state: &AppState,
    c: &crate::ui::layout::Chrome,
    lists: &Lists,
    w: &Workshop,
    me: Option<&Participant>,
    participants: &[Participant],
) -> Result<Comparing, stip_store::StoreError> {
    let written = crate::workshop::together(state, w).await?;
    let notes_of = |ids: &[i64]| -> Vec<(i64, String, String)> {
        written
            .iter()
            .filter(|g| g.institutions == ids)
            .flat_map(|g| &g.notes)
            .map(|n| {
                let author = if w.data.anonymous {
                    String::new()
                } else {
                    n.author.clone()
                };
                (n.id, n.text.clone(), author)
            })
            .collect()
    };
    let view = |ids: &Vec<i64>| GroupView {
        names: c.lang.and_list(names(lists, ids)),
        href: href(&brins(lists, ids)),
        mine: me
            .and_then(|p| p.institution_id)
            .is_some_and(|i| ids.contains(&i)),
        people: if w.data.anonymous {
            String::new()
        } else {
            participants
                .iter()
                .filter(|p| p.institution_id.is_some_and(|i| ids.contains(&i)))
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        },
        notes: notes_of(ids),
    };
    let formed = w.compare_groups.clone().unwrap_or_default();
    let groups = formed.iter().map(view).collect();
    let earlier = written
        .iter()
        .filter(|g| !formed.contains(&g.institutions))
        .map(|g| view(&g.institutions))
        .collect();
    let mine = me
        .and_then(|p| p.institution_id)
        .map(|id| names(lists, &[id]).join(""))
        .unwrap_or_default();
    let mut options = crate::ui::picker::institution_options(&lists.institutions);
    options.sort_by_key(|(name, _)| name.to_lowercase());
    Ok(Comparing {
        groups,
        earlier,
        mine,
        options,
        without: participants
            .iter()
            .filter(|p| p.institution_id.is_none())
            .count(),
    })
}
