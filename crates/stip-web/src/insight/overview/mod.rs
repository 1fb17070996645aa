//! The network overview, the home page of people who log in: institutions × themes as a heatmap
//! (projects or euros), the phases and statuses, and the viewer's own projects that need
//! attention (`/inzicht`, `/api/v1/insight/heatmap`).

pub(super) mod api;
pub(super) mod pages;
