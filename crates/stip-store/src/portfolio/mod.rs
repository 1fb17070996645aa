//! Projects: reading, the filtered portfolio list, and saving with optimistic concurrency and a
//! change-history row written in the same transaction as the change.

pub(crate) mod history;
mod read;
pub(crate) mod references;
mod save;
pub(crate) mod write;

pub use crate::editor::Editor;
pub use save::{Edit, Edited, Saved};
