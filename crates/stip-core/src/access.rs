//! Every permission decision in Stip, in one place: who may see and do what.
//! Handlers ask [`may`]; list queries ask [`project_scope`]; the tests below cover every
//! role × action × visibility.

use crate::portfolio::Visibility;
use crate::user::Role;

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
    /// Reading the network's lists (institutions, themes) beyond what is public.
    ViewNetwork,
    ManageInstitutions,
    ManageAgenda,
    ManagePolicyDrivers,
    ManageCriteria,
    ManageUsers,
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
        | DeleteProject { institution_id } => is_own(institution_id),
        ViewNetwork => true,
        ManageAgenda => role == Role::Regiegroep,
        ManageInstitutions | ManagePolicyDrivers | ManageCriteria | ManageUsers => false,
    }
}

/// Which projects a list may show to an actor; the store turns this into a query condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        //            network institutions agenda drivers criteria users
        let expected: &[[bool; 6]] = &[
            [false, false, false, false, false, false],
            [true, true, true, true, true, true],
            [true, false, true, false, false, false],
            [true, false, true, false, false, false],
            [true, false, false, false, false, false],
            [true, false, false, false, false, false],
            [true, false, false, false, false, false],
            [true, false, false, false, false, false],
        ];
        let actions = [
            Action::ViewNetwork,
            Action::ManageInstitutions,
            Action::ManageAgenda,
            Action::ManagePolicyDrivers,
            Action::ManageCriteria,
            Action::ManageUsers,
        ];
        for ((name, actor), row) in actors().into_iter().zip(expected) {
            for (action, want) in actions.into_iter().zip(row) {
                assert_eq!(may(&actor, action), *want, "{name}: {action:?}");
            }
        }
    }
}
