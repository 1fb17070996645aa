//! What pages share: the layout around every page, charts, Markdown, forms and the project
//! list (filters, table, choices).

pub mod chart;
pub mod form;
pub mod layout;
pub mod markdown;
pub mod project_list;
