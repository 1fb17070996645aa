//! Every permission decision in Stip, in one place: who may see and do what.
//! Handlers ask [`may`]; list queries ask [`project_scope`]; the tests below cover every
//! role × action × visibility.

use crate::portfolio::{HistoryEntry, HistoryValue, Visibility};
use crate::user::Role;
use std::collections::HashMap;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User {
        id: i64,
        role: Role,
        institution_id: Option<i64>,
    },
}

impl Actor {
    /// The account as it acts: its role at its institution.
    pub fn of(user: &crate::user::User) -> Actor {
        Actor::User {
            id: user.id,
            role: user.role,
            institution_id: user.institution_id,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Anonymous => None,
            Actor::User { role, .. } => Some(*role),
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::Anonymous => None,
            Actor::User { id, .. } => Some(*id),
        }
    }

    pub fn institution_id(&self) -> Option<i64> {
        match self {
            Actor::Anonymous => None,
            Actor::User { institution_id, .. } => *institution_id,
        }
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ViewProject {
        institution_id: i64,
        visibility: Visibility,
    },
    CreateProject {
        institution_id: i64,
    },
    EditProject {
        institution_id: i64,
    },
    DeleteProject {
        institution_id: i64,
    },
    /// Importing an overview into the institution's portfolio.
    ImportProjects {
        institution_id: i64,
    },
    /// Reading the network's lists (institutions, themes) beyond what is public.
    ViewNetwork,
    ManageInstitutions,
    ManageAgenda,
    ManagePolicyDrivers,
    /// The MORA process areas (see `crate::mora`).
    ManageMoraAreas,
    ManageCriteria,
    ManageUsers,
    /// Scoring, ranking and computing selections over the projects the actor sees.
    Prioritise,
    /// Setting the criteria's weights of a view: an institution's portfolio, or the network's
    /// (`None`).
    WeighCriteria {
        institution_id: Option<i64>,
    },
    /// Reading the saved scenarios of a view.
    ViewScenarios {
        institution_id: Option<i64>,
    },
    /// Saving, changing and deleting the scenarios of a view.
    ManageScenarios {
        institution_id: Option<i64>,
    },
    /// Building, opening and closing surveys; inviting, reopening responses.
    ManageSurveys,
    /// Filling in the survey response of an institution (see `crate::survey`).
    RespondToSurvey {
        institution_id: i64,
    },
    /// Reading a survey's results: the regiegroep's while it runs, the network's once closed.
    ViewSurveyResults {
        closed: bool,
    },
    /// Reading the network meetings and saying whether one comes (see `crate::meeting`).
    ViewMeetings,
    /// Planning meetings, writing their minutes, seeing who comes.
    ManageMeetings,
    /// Following a live workshop and reading its results (see `crate::workshop`); taking part
    /// needs no account, only the join code.
    ViewWorkshops,
    /// Setting up workshops and moving them through their phases: the facilitator.
    RunWorkshops,
    /// Reading a theme's working group and its exchanges (see `crate::workgroup`).
    ViewWorkgroups,
    /// Keeping a theme's working group and logging its exchanges.
    ManageWorkgroups,
    /// Reading an institution's own positioning (see `crate::positioning`): only its own
    /// people, never anyone else, not even a beheerder.
    ViewPositioning {
        institution_id: i64,
    },
    /// Placing an institution on the axes and drawing its stakeholder map.
    PositionInstitution {
        institution_id: i64,
    },
    /// Reading the network's anonymised distributions.
    ViewNetworkPositioning,
    /// Configuring the aspects and the threshold of the distributions.
    ManagePositioning,
    /// Making, editing and activating versions of the agenda (see `crate::agenda_version`).
    ManageAgendaVersions,
}

pub fn may(actor: &Actor, action: Action) -> bool {
    use Action::*;
    let Actor::User {
        role,
        institution_id: own,
        ..
    } = *actor
    else {
        return matches!(
            action,
            ViewProject {
                visibility: Visibility::Openbaar,
                ..
            }
        );
    };
    // An institution's positioning is its own: the network sees it only anonymised.
    if let ViewPositioning { institution_id } | PositionInstitution { institution_id } = action {
        return own == Some(institution_id)
            && (matches!(action, ViewPositioning { .. })
                || matches!(role, Role::Informatiemanager | Role::Beheerder));
    }
    if role == Role::Beheerder {
        return true;
    }
    let is_own = |inst: i64| role == Role::Informatiemanager && own == Some(inst);
    match action {
        ViewProject {
            institution_id,
            visibility,
        } => visibility != Visibility::Instelling || own == Some(institution_id),
        CreateProject { institution_id }
        | EditProject { institution_id }
        | DeleteProject { institution_id }
        | ImportProjects { institution_id } => is_own(institution_id),
        ViewNetwork => true,
        ManageAgenda => role == Role::Regiegroep,
        ManageInstitutions | ManagePolicyDrivers | ManageMoraAreas | ManageCriteria
        | ManageUsers => false,
        Prioritise => true,
        // The regiegroep weighs for the network and for any institution that asks; an
        // informatiemanager for their own.
        WeighCriteria { institution_id } => {
            role == Role::Regiegroep || institution_id.is_some_and(is_own)
        }
        // The network's scenarios are the regiegroep's, an institution's its own.
        ManageScenarios {
            institution_id: None,
        } => role == Role::Regiegroep,
        ManageScenarios {
            institution_id: Some(inst),
        } => is_own(inst),
        ViewScenarios {
            institution_id: None,
        } => true,
        ViewScenarios {
            institution_id: Some(inst),
        } => role == Role::Regiegroep || own == Some(inst),
        ManageSurveys => role == Role::Regiegroep,
        RespondToSurvey { institution_id } => is_own(institution_id),
        ViewSurveyResults { closed } => closed || role == Role::Regiegroep,
        ViewMeetings => true,
        ManageMeetings => role == Role::Regiegroep,
        ViewWorkshops => true,
        RunWorkshops => role == Role::Regiegroep,
        ViewWorkgroups => true,
        ManageWorkgroups => role == Role::Regiegroep,
        ViewNetworkPositioning => true,
        ManagePositioning | ManageAgendaVersions => false,
        // Decided above, before a beheerder's right to everything.
        ViewPositioning { .. } | PositionInstitution { .. } => false,
    }
}

/// Which projects a list may show to an actor; the store turns this into a query condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectScope {
    /// Only `openbaar` projects.
    Public,
    /// `netwerk` and `openbaar` projects, plus every project of the actor's own institution.
    Network {
        own_institution: Option<i64>,
    },
    All,
}

pub fn project_scope(actor: &Actor) -> ProjectScope {
    match actor {
        Actor::Anonymous => ProjectScope::Public,
        Actor::User {
            role: Role::Beheerder,
            ..
        } => ProjectScope::All,
        Actor::User { institution_id, .. } => ProjectScope::Network {
            own_institution: *institution_id,
        },
    }
}

impl ProjectScope {
    /// The same decision as [`may`] with `ViewProject`, for one project.
    pub fn includes(&self, institution_id: i64, visibility: Visibility) -> bool {
        match self {
            ProjectScope::Public => visibility == Visibility::Openbaar,
            ProjectScope::Network { own_institution } => {
                visibility != Visibility::Instelling || *own_institution == Some(institution_id)
            }
            ProjectScope::All => true,
        }
    }
}

/// The part of a project's history `actor` may see: an entry only when they could see the
/// project at that version (what was written while it was `instelling` stays with the
/// institution after it is made public), the old values of an entry only when they could see
/// the version before it, and editors' names only when logged in. `entries` is the project's
/// history or a run of it (an unlisted previous version counts as `instelling`).
pub fn visible_history(
    actor: &Actor,
    institution_id: i64,
    entries: Vec<HistoryEntry>,
) -> Vec<HistoryEntry> {
    let sees = |visibility| {
        may(
            actor,
            Action::ViewProject {
                institution_id,
                visibility,
            },
        )
    };
    let at_version: HashMap<i64, Visibility> =
        entries.iter().map(|e| (e.version, e.visibility)).collect();
    entries
        .into_iter()
        .filter(|e| sees(e.visibility))
        .map(|mut e| {
            let before = at_version
                .get(&(e.version - 1))
                .copied()
                .unwrap_or(Visibility::Instelling);
            if !sees(before) {
                for change in &mut e.changes {
                    change.old = HistoryValue::Withheld;
                }
            }
            if *actor == Actor::Anonymous {
                e.user_name.clear();
            }
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Visibility::*;

    const HORIZON: i64 = 1;
    const DAVINCI: i64 = 2;

    fn actors() -> Vec<(&'static str, Actor)> {
        let user = |role, inst| Actor::User {
            id: 9,
            role,
            institution_id: inst,
        };
        vec![
            ("anonymous", Actor::Anonymous),
            ("beheerder", user(Role::Beheerder, None)),
            ("regiegroep", user(Role::Regiegroep, None)),
            (
                "regiegroep at horizon",
                user(Role::Regiegroep, Some(HORIZON)),
            ),
            ("im horizon", user(Role::Informatiemanager, Some(HORIZON))),
            ("im davinci", user(Role::Informatiemanager, Some(DAVINCI))),
            ("lezer", user(Role::Lezer, None)),
            ("lezer at horizon", user(Role::Lezer, Some(HORIZON))),
        ]
    }

    /// The full table: for a project of Horizon College, who may view it per visibility, and
    /// who may create, edit and delete it. Read each row as a sentence.
    #[test]
    fn every_role_action_and_visibility_on_a_horizon_project() {
        //                         view: instelling netwerk openbaar | create edit delete
        let expected: &[(&str, [bool; 3], [bool; 3])] = &[
            ("anonymous", [false, false, true], [false, false, false]),
            ("beheerder", [true, true, true], [true, true, true]),
            ("regiegroep", [false, true, true], [false, false, false]),
            (
                "regiegroep at horizon",
                [true, true, true],
                [false, false, false],
            ),
            ("im horizon", [true, true, true], [true, true, true]),
            ("im davinci", [false, true, true], [false, false, false]),
            ("lezer", [false, true, true], [false, false, false]),
            (
                "lezer at horizon",
                [true, true, true],
                [false, false, false],
            ),
        ];
        for ((name, actor), (ename, view, write)) in actors().into_iter().zip(expected) {
            assert_eq!(name, *ename);
            for (vis, want) in [Instelling, Netwerk, Openbaar].into_iter().zip(view) {
                let got = may(
                    &actor,
                    Action::ViewProject {
                        institution_id: HORIZON,
                        visibility: vis,
                    },
                );
                assert_eq!(got, *want, "{name} viewing a {vis} project");
                assert_eq!(
                    project_scope(&actor).includes(HORIZON, vis),
                    *want,
                    "{name} listing a {vis} project"
                );
            }
            let actions = [
                Action::CreateProject {
                    institution_id: HORIZON,
                },
                Action::EditProject {
                    institution_id: HORIZON,
                },
                Action::DeleteProject {
                    institution_id: HORIZON,
                },
            ];
            for (action, want) in actions.into_iter().zip(write) {
                assert_eq!(may(&actor, action), *want, "{name}: {action:?}");
            }
        }
    }

    #[test]
    fn management_per_role() {
        //            network institutions agenda drivers mora criteria users
        let expected: &[[bool; 7]] = &[
            [false, false, false, false, false, false, false],
            [true, true, true, true, true, true, true],
            [true, false, true, false, false, false, false],
            [true, false, true, false, false, false, false],
            [true, false, false, false, false, false, false],
            [true, false, false, false, false, false, false],
            [true, false, false, false, false, false, false],
            [true, false, false, false, false, false, false],
        ];
        let actions = [
            Action::ViewNetwork,
            Action::ManageInstitutions,
            Action::ManageAgenda,
            Action::ManagePolicyDrivers,
            Action::ManageMoraAreas,
            Action::ManageCriteria,
            Action::ManageUsers,
        ];
        for ((name, actor), row) in actors().into_iter().zip(expected) {
            for (action, want) in actions.into_iter().zip(row) {
                assert_eq!(may(&actor, action), *want, "{name}: {action:?}");
            }
        }
    }

    #[test]
    fn prioritising_per_role() {
        //   prioritise | weigh: network horizon | scenarios view: network horizon | manage: network horizon
        let expected: &[(&str, [bool; 7])] = &[
            (
                "anonymous",
                [false, false, false, false, false, false, false],
            ),
            ("beheerder", [true, true, true, true, true, true, true]),
            ("regiegroep", [true, true, true, true, true, true, false]),
            (
                "regiegroep at horizon",
                [true, true, true, true, true, true, false],
            ),
            ("im horizon", [true, false, true, true, true, false, true]),
            (
                "im davinci",
                [true, false, false, true, false, false, false],
            ),
            ("lezer", [true, false, false, true, false, false, false]),
            (
                "lezer at horizon",
                [true, false, false, true, true, false, false],
            ),
        ];
        let network = None;
        let horizon = Some(HORIZON);
        let actions = [
            Action::Prioritise,
            Action::WeighCriteria {
                institution_id: network,
            },
            Action::WeighCriteria {
                institution_id: horizon,
            },
            Action::ViewScenarios {
                institution_id: network,
            },
            Action::ViewScenarios {
                institution_id: horizon,
            },
            Action::ManageScenarios {
                institution_id: network,
            },
            Action::ManageScenarios {
                institution_id: horizon,
            },
        ];
        for ((name, actor), (ename, row)) in actors().into_iter().zip(expected) {
            assert_eq!(name, *ename);
            for (action, want) in actions.into_iter().zip(row) {
                assert_eq!(may(&actor, action), *want, "{name}: {action:?}");
            }
        }
    }

    #[test]
    fn surveys_per_role() {
        //   manage | respond for horizon | results while open | results once closed
        let expected: &[(&str, [bool; 4])] = &[
            ("anonymous", [false, false, false, false]),
            ("beheerder", [true, true, true, true]),
            ("regiegroep", [true, false, true, true]),
            ("regiegroep at horizon", [true, false, true, true]),
            ("im horizon", [false, true, false, true]),
            ("im davinci", [false, false, false, true]),
            ("lezer", [false, false, false, true]),
            ("lezer at horizon", [false, false, false, true]),
        ];
        let actions = [
            Action::ManageSurveys,
            Action::RespondToSurvey {
                institution_id: HORIZON,
            },
            Action::ViewSurveyResults { closed: false },
            Action::ViewSurveyResults { closed: true },
        ];
        for ((name, actor), (ename, row)) in actors().into_iter().zip(expected) {
            assert_eq!(name, *ename);
            for (action, want) in actions.into_iter().zip(row) {
                assert_eq!(may(&actor, action), *want, "{name}: {action:?}");
            }
        }
    }

    /// The scenario: written while `instelling`, changed, then made `openbaar`.
    #[test]
    fn history_shows_only_versions_the_viewer_could_see() {
        use crate::portfolio::FieldChange;
        let text = |t: &str| HistoryValue::Text(t.into());
        let code = |c: &str| HistoryValue::Code(c.into());
        let entry = |version, visibility, changes| HistoryEntry {
            version,
            changed_at: String::new(),
            user_id: None,
            user_name: "Karin".into(),
            visibility,
            changes,
        };
        let secret = "Vertrouwelijk: ontslag van 40 medewerkers ICT";
        let history = vec![
            entry(
                3,
                Openbaar,
                vec![FieldChange {
                    field: "visibility".into(),
                    old: code("instelling"),
                    new: code("openbaar"),
                }],
            ),
            entry(
                2,
                Instelling,
                vec![FieldChange {
                    field: "summary".into(),
                    old: text(secret),
                    new: text("Herinrichting ICT"),
                }],
            ),
            entry(1, Instelling, vec![]),
        ];
        let public = visible_history(&Actor::Anonymous, HORIZON, history.clone());
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].version, 3);
        assert_eq!(public[0].user_name, "");
        assert_eq!(public[0].changes[0].old, HistoryValue::Withheld);
        assert_eq!(public[0].changes[0].new, code("openbaar"));
        let own = Actor::User {
            id: 9,
            role: Role::Informatiemanager,
            institution_id: Some(HORIZON),
        };
        assert_eq!(visible_history(&own, HORIZON, history.clone()), history);
        let other = Actor::User {
            id: 9,
            role: Role::Lezer,
            institution_id: Some(DAVINCI),
        };
        let network = visible_history(&other, HORIZON, history);
        assert_eq!(network.len(), 1);
        assert_eq!(network[0].user_name, "Karin");
    }

    #[test]
    fn an_institutions_positioning_is_its_own_even_for_a_beheerder() {
        let user = |role, institution_id| Actor::User {
            id: 1,
            role,
            institution_id,
        };
        let view = Action::ViewPositioning { institution_id: 7 };
        let edit = Action::PositionInstitution { institution_id: 7 };
        assert!(may(&user(Role::Informatiemanager, Some(7)), edit));
        assert!(may(&user(Role::Lezer, Some(7)), view));
        assert!(!may(&user(Role::Lezer, Some(7)), edit));
        assert!(!may(&user(Role::Informatiemanager, Some(8)), view));
        assert!(!may(&user(Role::Beheerder, None), view));
        assert!(!may(&user(Role::Regiegroep, None), view));
        assert!(!may(&Actor::Anonymous, view));
        assert!(may(&user(Role::Beheerder, None), Action::ManagePositioning));
        assert!(!may(
            &user(Role::Regiegroep, None),
            Action::ManagePositioning
        ));
        assert!(may(
            &user(Role::Lezer, None),
            Action::ViewNetworkPositioning
        ));
        assert!(!may(&Actor::Anonymous, Action::ViewNetworkPositioning));
    }
}
