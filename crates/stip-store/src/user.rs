//! Accounts, server-side sessions and personal API tokens. Tokens are stored only as hashes.

use crate::{Boxed, boxed};
use crate::{Result, Store, StoreError, corrupt, now, on_pool};
use stip_core::Version;
use stip_core::user::{Email, Role, User};

crate::row! {
    struct UserRow {
        id: i64,
        email: String,
        name: String,
        role: String,
        institution_id: Option<i64>,
        active: bool,
        version: i64,
    }
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User> {
        Ok(User {
            role: Role::parse(&r.role).ok_or_else(|| corrupt("role", &r.role))?,
            id: r.id,
            email: r.email,
            name: r.name,
            institution_id: r.institution_id,
            active: r.active,
            version: r.version,
        })
    }
}

crate::row! {
    /// A personal API token as its owner sees it in the list (the token itself is never stored).
    #[derive(Clone, Debug)]
    pub struct ApiToken {
        pub id: i64,
        pub name: String,
        pub created_at: String,
        pub last_used_at: Option<String>,
    }
}

/// A new password for an account: its argon2 hash, and whether the account's personal API
/// tokens end with the old password (a reset after a leak must not leave a way in).
pub struct NewPassword<'a> {
    pub hash: &'a str,
    pub revoke_tokens: bool,
}

/// A new or edited account.
pub struct UserData<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub institution_id: Option<i64>,
    pub active: bool,
}

const COLUMNS: &str = "u.id, u.email, u.name, u.role, u.institution_id, u.active, u.version";

impl Store {
    #[inline(never)]
    pub fn create_user<'a>(
        &'a self,
        d: &'a UserData<'a>,
        password_hash: &'a str,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let id: i64 = on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO users (email, name, role, institution_id, password_hash, active, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(d.email.as_str())
            .bind(d.name)
            .bind(d.role.code())
            .bind(d.institution_id)
            .bind(password_hash)
            .bind(d.active)
            .bind(now())
            .fetch_one(pool)
            .await?
            });
            Ok(id)
        })
    }

    /// Saves an account edited from `version`; `Ok(false)` when someone saved it in between.
    /// With a new password the password changes in the same transaction, every open session of
    /// the account ends and, when asked, so do its personal API tokens.
    #[inline(never)]
    pub fn update_user<'a>(
        &'a self,
        id: i64,
        version: Version,
        d: &'a UserData<'a>,
        new_password: Option<&'a NewPassword<'a>>,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let version = version.get();
            let n = on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                let n = sqlx::query(
                "UPDATE users SET email = $1, name = $2, role = $3, institution_id = $4, active = $5, version = version + 1
                 WHERE id = $6 AND version = $7",
            )
            .bind(d.email.as_str())
            .bind(d.name)
            .bind(d.role.code())
            .bind(d.institution_id)
            .bind(d.active)
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
                if let (1, Some(new)) = (n, new_password) {
                    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                        .bind(new.hash)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    if new.revoke_tokens {
                        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
                n
            });
            // After the change: a lookup that raced with it is dropped, not kept.
            self.credentials.invalidate();
            if n == 0 {
                self.user(id).await?;
            }
            Ok(n == 1)
        })
    }

    #[inline(never)]
    pub fn users<'a>(&'a self) -> Boxed<'a, Result<Vec<User>>> {
        boxed(async move {
            let sql = format!("SELECT {COLUMNS} FROM users u ORDER BY u.name");
            let rows: Vec<UserRow> = on_pool!(self, read, |pool| sqlx::query_as(&sql)
                .fetch_all(pool)
                .await?);
            rows.into_iter().map(User::try_from).collect()
        })
    }

    #[inline(never)]
    pub fn user<'a>(&'a self, id: i64) -> Boxed<'a, Result<User>> {
        boxed(async move {
            let sql = format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1");
            let row: Option<UserRow> = on_pool!(self, read, |pool| sqlx::query_as(&sql)
                .bind(id)
                .fetch_optional(pool)
                .await?);
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    /// The account and its password hash, for logging in.
    #[inline(never)]
    pub fn user_for_login<'a>(
        &'a self,
        email: &'a str,
    ) -> Boxed<'a, Result<Option<(User, String)>>> {
        boxed(async move {
            // A login form or token command passes the address as typed; one with a control
            // character belongs to no account, and PostgreSQL would refuse a NUL in the query.
            if !Email::could_be(email) {
                return Ok(None);
            }
            let sql = format!("SELECT {COLUMNS}, u.password_hash FROM users u WHERE u.email = $1");
            let row = on_pool!(self, read, |pool| {
                sqlx::query(&sql)
                    .bind(email.trim().to_lowercase())
                    .fetch_optional(pool)
                    .await?
                    .map(|row| {
                        use sqlx::{FromRow, Row};
                        let hash: String = row.try_get("password_hash")?;
                        Ok::<_, sqlx::Error>((UserRow::from_row(&row)?, hash))
                    })
            });
            match row {
                None => Ok(None),
                Some(r) => {
                    let (u, hash) = r?;
                    Ok(Some((u.try_into()?, hash)))
                }
            }
        })
    }

    #[inline(never)]
    pub fn user_by_email<'a>(&'a self, email: &'a str) -> Boxed<'a, Result<User>> {
        boxed(async move {
            self.user_for_login(email)
                .await?
                .map(|(u, _)| u)
                .ok_or(StoreError::NotFound)
        })
    }

    #[inline(never)]
    pub fn create_session<'a>(
        &'a self,

        token_hash: &'a str,

        user_id: i64,

        csrf: &'a str,

        expires_at: &'a str,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            self.insert_session(token_hash, user_id, csrf, expires_at, None)
                .await
        })
    }

    /// A session; one begun at the provider keeps its ID token (for logging out there too).
    pub(crate) async fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: &str,
        id_token: Option<&str>,
    ) -> Result<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, id_token) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now())
                .bind(expires_at)
                .bind(id_token)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The active account of a session that has not expired, with the session's CSRF token.
    /// Answered from memory after the first time, until an account or session changes.
    #[inline(never)]
    pub fn session_user<'a>(
        &'a self,
        token_hash: &'a str,
    ) -> Boxed<'a, Result<Option<(User, String)>>> {
        boxed(async move {
            let now = now();
            if let Some(hit) = self.credentials.get(token_hash, &now) {
                return Ok(Some((hit.user, hit.csrf)));
            }
            let generation = self.credentials.generation();
            let found = self.fetch_session_user(token_hash, &now).await?;
            if let Some((user, csrf, expires_at)) = &found {
                self.credentials
                    .put(token_hash, generation, user, csrf, expires_at);
            }
            Ok(found.map(|(user, csrf, _)| (user, csrf)))
        })
    }

    /// The user of a personal API token; answered from memory like [`Store::session_user`].
    #[inline(never)]
    pub fn api_token_user<'a>(&'a self, token_hash: &'a str) -> Boxed<'a, Result<Option<User>>> {
        boxed(async move {
            if let Some(hit) = self.credentials.get(token_hash, &now()) {
                return Ok(Some(hit.user));
            }
            let generation = self.credentials.generation();
            let found = self.fetch_api_token_user(token_hash).await?;
            if let Some(user) = &found {
                self.credentials
                    .put(token_hash, generation, user, "", "9999");
            }
            Ok(found)
        })
    }

    async fn fetch_session_user(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<(User, String, String)>> {
        let sql = format!(
            "SELECT {COLUMNS}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active"
        );
        let row = on_pool!(self, read, |pool| {
            sqlx::query(&sql)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?
                .map(|row| {
                    use sqlx::{FromRow, Row};
                    let csrf: String = row.try_get("csrf_token")?;
                    let expires_at: String = row.try_get("expires_at")?;
                    Ok::<_, sqlx::Error>((UserRow::from_row(&row)?, csrf, expires_at))
                })
        });
        match row {
            None => Ok(None),
            Some(r) => {
                let (u, csrf, expires_at) = r?;
                Ok(Some((u.try_into()?, csrf, expires_at)))
            }
        }
    }

    #[inline(never)]
    pub fn delete_session<'a>(&'a self, token_hash: &'a str) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2")
                    .bind(token_hash)
                    .bind(now())
                    .execute(pool)
                    .await?;
            });
            self.credentials.invalidate();
            Ok(())
        })
    }

    #[inline(never)]
    pub fn create_api_token<'a>(
        &'a self,
        token_hash: &'a str,
        user_id: i64,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            self.create_named_api_token(token_hash, user_id, "")
                .await
                .map(|_| ())
        })
    }

    /// A personal API token with the name its owner gave it; returns its id.
    #[inline(never)]
    pub fn create_named_api_token<'a>(
        &'a self,
        token_hash: &'a str,
        user_id: i64,
        name: &'a str,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)
                 RETURNING id",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(name)
            .bind(now())
            .fetch_one(pool)
            .await
            .map_err(StoreError::from)
            })
        })
    }

    /// The personal API tokens of an account, newest first.
    #[inline(never)]
    pub fn api_tokens<'a>(&'a self, user_id: i64) -> Boxed<'a, Result<Vec<ApiToken>>> {
        boxed(async move {
            Ok(on_pool!(self, read, |pool| sqlx::query_as(
                "SELECT id, name, created_at, last_used_at FROM api_tokens
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?))
        })
    }

    /// Ends one personal API token of an account; `Ok(false)` when the account has no such token.
    #[inline(never)]
    pub fn revoke_api_token<'a>(&'a self, user_id: i64, id: i64) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
            self.credentials.invalidate();
            Ok(n == 1)
        })
    }

    /// The password hash of an account, to check the current password before changing it.
    #[inline(never)]
    pub fn password_hash<'a>(&'a self, user_id: i64) -> Boxed<'a, Result<String>> {
        boxed(async move {
            let hash: Option<String> = on_pool!(self, read, |pool| sqlx::query_scalar(
                "SELECT password_hash FROM users WHERE id = $1"
            )
            .bind(user_id)
            .fetch_optional(pool)
            .await?);
            hash.ok_or(StoreError::NotFound)
        })
    }

    /// A person changes their own password: every other session of theirs ends, and when asked
    /// their personal API tokens too.
    #[inline(never)]
    pub fn change_password<'a>(
        &'a self,
        user_id: i64,
        new: &'a NewPassword<'a>,
        keep_session: &'a str,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(new.hash)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user_id)
                    .bind(keep_session)
                    .execute(&mut *tx)
                    .await?;
                if new.revoke_tokens {
                    sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            });
            self.credentials.invalidate();
            Ok(())
        })
    }

    async fn fetch_api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.active"
        );
        let row: Option<UserRow> = on_pool!(self, read, |pool| sqlx::query_as(&sql)
            .bind(token_hash)
            .fetch_optional(pool)
            .await?);
        if row.is_some() {
            // Recorded when the token is looked up in the database, not on every request
            // answered from memory: "last used" is then right to within the cache's life.
            on_pool!(self, write, |pool| {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                    .bind(now())
                    .bind(token_hash)
                    .execute(pool)
                    .await?;
            });
        }
        row.map(User::try_from).transpose()
    }
}

/// Sessions and tokens already looked up, so a request need not ask the database who it is.
/// Any change to an account or a session empties it; entries remember the generation they were
/// read at, so a lookup that raced with a change is not kept.
#[derive(Default)]
pub(crate) struct Credentials {
    generation: std::sync::atomic::AtomicU64,
    map: std::sync::Mutex<std::collections::HashMap<String, Cached>>,
}

#[derive(Clone)]
pub(crate) struct Cached {
    generation: u64,
    pub(crate) user: User,
    pub(crate) csrf: String,
    expires_at: String,
}

impl Credentials {
    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Cached>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, token_hash: &str, now: &str) -> Option<Cached> {
        let generation = self.generation();
        self.lock()
            .get(token_hash)
            .filter(|c| c.generation == generation && c.expires_at.as_str() > now)
            .cloned()
    }

    fn put(&self, token_hash: &str, generation: u64, user: &User, csrf: &str, expires_at: &str) {
        let mut map = self.lock();
        if map.len() >= 10_000 {
            map.clear();
        }
        let entry = Cached {
            generation,
            user: user.clone(),
            csrf: csrf.to_string(),
            expires_at: expires_at.to_string(),
        };
        map.insert(token_hash.to_string(), entry);
    }

    pub(crate) fn invalidate(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.lock().clear();
    }
}
