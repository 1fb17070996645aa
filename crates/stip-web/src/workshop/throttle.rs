//! Keeps joining a workshop within bounds (issue 29), counted in the database so every instance
//! counts the same: joins per client address (a classroom behind one NAT address still gets in),
//! joins per workshop (many addresses cannot stuff one vote), and join codes that open nothing
//! per address (no guessing codes). Every lookup of a join code by a client goes through here.

use crate::auth::token::token_hash;
use chrono::{Duration, Utc};
use stip_core::workshop::Workshop;
use stip_store::{Store, StoreError};

/// At most `attempts` in a window of `window`.
#[derive(Clone, Copy)]
pub struct Limit {
    pub attempts: i64,
    pub window: Duration,
}

/// Sixty people in a room behind one address join in a minute, with room for a few who join
/// twice (another browser, a lost cookie).
pub const JOINS_PER_ADDRESS: Limit = Limit {
    attempts: 80,
    window: Duration::minutes(10),
};
/// Well above a network meeting (a hundred people at most), far below what stuffs a vote.
pub const JOINS_PER_WORKSHOP: Limit = Limit {
    attempts: 300,
    window: Duration::minutes(10),
};
/// Enough for a room's typos; a code has 6 of 30-odd signs, so guessing one stays hopeless.
pub const WRONG_CODES_PER_ADDRESS: Limit = Limit {
    attempts: 10,
    window: Duration::minutes(1),
};

/// Why a join is not answered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Too many joins from this address.
    Address,
    /// Too many join codes from this address that open nothing.
    WrongCodes,
    /// Too many joins of this workshop.
    Workshop,
}

/// A join refused for now: why, and the seconds until it may be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub reason: Reason,
    pub wait: u64,
}

impl Throttled {
    /// The key of its message (`workshop.throttled.<reason>`).
    pub fn key(self) -> &'static str {
        match self.reason {
            Reason::Address => "workshop.throttled.address",
            Reason::WrongCodes => "workshop.throttled.wrong_codes",
            Reason::Workshop => "workshop.throttled.workshop",
        }
    }
}

/// The counters' keys, as hashes: no client address is stored.
fn key(what: &str, of: &str) -> String {
    token_hash(&format!("workshop-{what}\n{of}"))
}

/// Whole seconds until `ends`, rounded up, at least one.
fn seconds_until(ends: chrono::DateTime<Utc>) -> u64 {
    let ms = (ends - Utc::now()).num_milliseconds().max(0) as u64;
    ms.div_ceil(1000).max(1)
}

/// Counts one attempt on `key` under `limit`; refused (with the wait) when it is over.
async fn count(
    store: &Store,
    key: &str,
    limit: Limit,
    reason: Reason,
) -> Result<Result<(), Throttled>, StoreError> {
    let w = store.count_attempt(key, Utc::now(), limit.window).await?;
    Ok(if w.attempts > limit.attempts {
        Err(Throttled {
            reason,
            wait: seconds_until(w.ends),
        })
    } else {
        Ok(())
    })
}

/// The workshop `code` opens, asked from `address`. While the address has typed too many codes
/// that open nothing, no code is looked up at all (a right one would tell a guesser it is
/// right); a code that opens nothing counts.
pub async fn open(
    store: &Store,
    address: &str,
    code: &str,
) -> Result<Result<Option<Workshop>, Throttled>, StoreError> {
    let wrong = key("wrong-code", address);
    if let Some(w) = store.attempts(&wrong, Utc::now()).await?
        && w.attempts >= WRONG_CODES_PER_ADDRESS.attempts
    {
        return Ok(Err(Throttled {
            reason: Reason::WrongCodes,
            wait: seconds_until(w.ends),
        }));
    }
    let found = store.workshop_by_code(code).await?;
    if found.is_none() {
        // Up to the limit it is answered (as a code that opens nothing); beyond it (guesses
        // sent at once, all before the first was counted) it is not.
        if let Err(t) = count(store, &wrong, WRONG_CODES_PER_ADDRESS, Reason::WrongCodes).await? {
            return Ok(Err(t));
        }
    }
    Ok(Ok(found))
}

/// Counts a join of workshop `w` from `address`; refused when either is over its limit.
pub async fn join(
    store: &Store,
    address: &str,
    w: &Workshop,
) -> Result<Result<(), Throttled>, StoreError> {
    let by_address = key("join-address", address);
    if let Err(t) = count(store, &by_address, JOINS_PER_ADDRESS, Reason::Address).await? {
        return Ok(Err(t));
    }
    let by_workshop = key("join-workshop", &w.id.to_string());
    count(store, &by_workshop, JOINS_PER_WORKSHOP, Reason::Workshop).await
}
