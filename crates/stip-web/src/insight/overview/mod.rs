//! The network overview, the home page of people who log in: institutions × themes, phases and
//! statuses, and the viewer's projects that need attention (`/inzicht`, `/api/v1/insight/heatmap`).

pub(super) mod api;
pub(super) mod pages;
