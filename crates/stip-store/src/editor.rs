//! Who makes a change, as the histories show it: a project's saves and imports, and the agenda
//! activation that moves every project.

/// Who makes a change, as the history shows it.
#[derive(Debug, Clone)]
pub struct Editor {
    pub user_id: Option<i64>,
    pub name: String,
}
