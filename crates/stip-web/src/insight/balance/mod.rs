//! The balance: the mix of character, horizon and quadrant, the network's and each institution's,
//! and one institution compared with the network (`/inzicht/balans`, `/api/v1/insight/balance`).

pub(super) mod api;
pub(super) mod pages;
