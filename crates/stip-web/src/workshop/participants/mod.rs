//! Who takes part: joining by code (or QR code), with or without an account and within the limits
//! on joining; changing group; the facilitator's list of participants and removing one.

pub(super) mod api;
pub(super) mod pages;
