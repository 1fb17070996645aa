//! What pages share: the layout around every page, charts, Markdown, forms, the project
//! list (filters, table, choices) and a project's values as shown.

pub mod chart;
pub mod form;
pub mod layout;
pub mod markdown;
pub mod picker;
pub mod project_list;
pub mod value;
