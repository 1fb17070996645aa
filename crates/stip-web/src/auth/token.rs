//! Every token Stip hands out: random and URL-safe. Sessions, personal API tokens (`stip_…`)
//! and workshop participants' tokens (`stipw_…`) are stored only as their SHA-256, so a copy
//! of the database opens nothing; survey invitation links and calendar feeds are links, kept as
//! they are, and the store takes them from here.

use axum::http::{HeaderMap, header};
use base64::Engine;
use sha2::{Digest, Sha256};

/// How a personal API token starts.
pub const API_TOKEN_PREFIX: &str = "stip_";

/// How a workshop participant's token starts, so it is told apart from a personal API token.
pub const WORKSHOP_TOKEN_PREFIX: &str = "stipw_";

/// 32 random bytes, URL-safe base64: sessions, CSRF tokens, state and link secrets, survey
/// invitation links and calendar feeds.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as their SHA-256, so a copy of the database opens no session.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new personal API token and the hash to store.
pub fn new_api_token() -> (String, String) {
    let token = format!("{API_TOKEN_PREFIX}{}", random_token());
    let hash = token_hash(&token);
    (token, hash)
}

/// A new workshop participant token and the hash to store.
pub fn new_workshop_token() -> (String, String) {
    let token = format!("{WORKSHOP_TOKEN_PREFIX}{}", random_token());
    let hash = token_hash(&token);
    (token, hash)
}

/// The token a request carries as `Authorization: Bearer …`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}
