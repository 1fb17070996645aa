//! Slowing down password guessing: failures counted in the database, so every instance sees
//! them, with waits that double after a few free tries.

use super::token::token_hash;
use crate::Error;
use chrono::{DateTime, Utc};
use stip_store::Store;

/// Slows down password guessing with delays that grow with each failure, counted in the
/// database so every instance sees them. Three counters: per (account, address), so one
/// person's typos or one attacker's guesses slow down that pair soon; per account, looser, so
/// guesses spread over many addresses still slow down (but a colleague elsewhere can make the
/// owner wait a little, never lock them out); per address, loosest, against one address trying
/// many accounts (behind a reverse proxy that is not trusted, every client shares one address).
pub struct LoginThrottle;

/// After `free` failures in a run, each further failure makes the next attempt wait twice as
/// long as the one before, from 2 seconds up to `max_wait` seconds.
#[derive(Clone, Copy)]
pub struct Policy {
    pub free: i64,
    pub max_wait: i64,
}

pub const PER_ACCOUNT_AND_ADDRESS: Policy = Policy {
    free: 5,
    max_wait: 60,
};
pub const PER_ACCOUNT: Policy = Policy {
    free: 10,
    max_wait: 30,
};
pub const PER_ADDRESS: Policy = Policy {
    free: 50,
    max_wait: 60,
};
/// The longest an answer from a busy address is held back.
pub const ADDRESS_DELAY_SECONDS: u64 = 2;
/// A run of failures is forgotten this long after its last failure.
const FORGET_AFTER_MINUTES: i64 = 15;

/// The longest e-mail address there can be (RFC 5321 path limit); anything longer is refused
/// before it reaches the throttle or the database.
pub const MAX_EMAIL: usize = 254;

impl Policy {
    fn wait_after(self, failures: i64) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(16) as u32;
        2i64.saturating_pow(doublings + 1).min(self.max_wait)
    }
}

impl LoginThrottle {
    /// The counters an attempt on `email` from `address` touches, as hashes: no submitted text
    /// is stored, and every key has the same small size.
    fn keys(email: &str, address: &str) -> [(String, Policy); 3] {
        [
            (
                token_hash(&format!("pair\n{email}\n{address}")),
                PER_ACCOUNT_AND_ADDRESS,
            ),
            (token_hash(&format!("account\n{email}")), PER_ACCOUNT),
            (token_hash(&format!("address\n{address}")), PER_ADDRESS),
        ]
    }

    /// Seconds to wait before an attempt on `email` from `address` is answered, if any: the
    /// account's own counters refuse until then. The address's counter only slows the answer
    /// down (by at most [`ADDRESS_DELAY_SECONDS`]) and never refuses: a whole college behind one
    /// NAT address shares it, and a correct password must always get in.
    pub(crate) async fn wait(
        store: &Store,
        email: &str,
        address: &str,
    ) -> Result<Option<u64>, Error> {
        let [(pair, _), (account, _), (by_address, _)] = Self::keys(email, address);
        let now = Utc::now();
        if let Some(until) = store.login_blocked_until(&[&pair, &account], now).await? {
            return Ok(Some(seconds_until(now, until)));
        }
        if let Some(until) = store.login_blocked_until(&[&by_address], now).await? {
            let secs = seconds_until(now, until).min(ADDRESS_DELAY_SECONDS);
            tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
        }
        Ok(None)
    }

    pub(crate) async fn fail(store: &Store, email: &str, address: &str) -> Result<(), Error> {
        let now = Utc::now();
        let forget = chrono::Duration::minutes(FORGET_AFTER_MINUTES);
        for (key, policy) in Self::keys(email, address) {
            let failures = store.record_login_failure(&key, now, forget).await?;
            let wait = policy.wait_after(failures);
            if wait > 0 {
                store
                    .block_login(&key, now + chrono::Duration::seconds(wait))
                    .await?;
            }
        }
        Ok(())
    }

    /// After a successful login the pair starts afresh; the account's and the address's
    /// counters run on, so one success does not buy an attacker new free guesses.
    pub(crate) async fn succeed(store: &Store, email: &str, address: &str) -> Result<(), Error> {
        let [(pair, _), ..] = Self::keys(email, address);
        Ok(store.forget_login_failures(&pair).await?)
    }
}

/// Whole seconds from `now` to `until`, rounded up, at least one.
fn seconds_until(now: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(0) as u64;
    ms.div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures_up_to_the_cap() {
        let p = PER_ACCOUNT_AND_ADDRESS;
        let waits: Vec<i64> = (1..=12).map(|n| p.wait_after(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(PER_ACCOUNT.wait_after(1_000_000), PER_ACCOUNT.max_wait);
    }
}
