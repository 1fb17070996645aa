//! Pagination shared by every list: a page of items with the total over all pages.

use serde::Serialize;

/// A page of a list, with the total number of matching items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        (self.total.div_ceil(self.per_page as u64)).max(1) as u32
    }
}
