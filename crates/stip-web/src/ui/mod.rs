//! What pages share: the project list (filters, table, choices).

pub mod project_list;
