//! Logging in with SURFconext (OpenID Connect): provider accounts linked to Stip accounts,
//! logins under way at the provider, links waiting for a password, and the beheerder's rules.

use crate::user::UserData;
use crate::{Boxed, boxed};
use crate::{Result, Store, corrupt, now, on_pool};
use stip_core::sso::{LoginSettings, PasswordLogin};
use stip_core::user::{Role, User};

crate::row! {
    /// A login under way at the provider, as kept between the redirect there and the way back.
    #[derive(Debug, Clone)]
    pub struct PendingLogin {
        pub nonce: String,
        pub pkce_verifier: String,
        pub return_to: String,
        pub expires_at: String,
    }
}

crate::row! {
    /// A provider account waiting to be linked to the password account with its e-mail address.
    #[derive(Debug, Clone)]
    pub struct PendingLink {
        pub user_id: i64,
        pub issuer: String,
        pub subject: String,
        pub name: String,
        pub id_token: String,
        pub return_to: String,
        pub expires_at: String,
    }
}

impl Store {
    /// The beheerder's rules for logging in, or the defaults.
    #[inline(never)]
    pub fn login_settings<'a>(&'a self) -> Boxed<'a, Result<LoginSettings>> {
        boxed(async move {
            let row: Option<(String, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as("SELECT password_login, sso_role FROM login_settings WHERE id = 1")
                    .fetch_optional(pool)
                    .await?
            });
            let Some((password_login, sso_role)) = row else {
                return Ok(LoginSettings::default());
            };
            Ok(LoginSettings {
                password_login: PasswordLogin::parse(&password_login)
                    .ok_or_else(|| corrupt("password_login", &password_login))?,
                sso_role: Role::parse(&sso_role).ok_or_else(|| corrupt("sso_role", &sso_role))?,
            })
        })
    }

    /// Saves the beheerder's rules. When passwords become for beheerders only while SURFconext
    /// is there to log in with (`enforced`), what a password opened ends with them, in the same
    /// transaction: the sessions others began with a password, and the API tokens of accounts
    /// that now cannot log in at all (no SURFconext link). Gives how many sessions and tokens
    /// ended; every instance hears of it through the change log.
    #[inline(never)]
    pub fn save_login_settings<'a>(
        &'a self,
        s: &'a LoginSettings,
        enforced: bool,
    ) -> Boxed<'a, Result<(u64, u64)>> {
        boxed(async move {
            let ends = enforced && s.password_login == PasswordLogin::Beheerders;
            let ended = on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "INSERT INTO login_settings (id, password_login, sso_role) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE SET password_login = excluded.password_login,
                 sso_role = excluded.sso_role, version = login_settings.version + 1",
                )
                .bind(s.password_login.code())
                .bind(s.sso_role.code())
                .execute(&mut *tx)
                .await?;
                let mut ended = (0, 0);
                if ends {
                    ended.0 = sqlx::query(
                        "DELETE FROM sessions WHERE id_token IS NULL
                     AND user_id IN (SELECT id FROM users WHERE role <> 'beheerder')",
                    )
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    ended.1 = sqlx::query(
                        "DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users
                     WHERE role <> 'beheerder'
                     AND id NOT IN (SELECT user_id FROM user_identities))",
                    )
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }
                tx.commit().await?;
                ended
            });
            self.credentials.invalidate();
            Ok(ended)
        })
    }

    /// Keeps a login that goes to the provider now; forgets those that expired.
    #[inline(never)]
    pub fn start_oidc_login<'a>(
        &'a self,
        state_hash: &'a str,
        login: &'a PendingLogin,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                sqlx::query("DELETE FROM oidc_logins WHERE expires_at < $1")
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                "INSERT INTO oidc_logins (state_hash, nonce, pkce_verifier, return_to, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(state_hash)
            .bind(&login.nonce)
            .bind(&login.pkce_verifier)
            .bind(&login.return_to)
            .bind(&login.expires_at)
            .execute(&mut *tx)
            .await?;
                tx.commit().await?
            });
            Ok(())
        })
    }

    /// The login under way with this state, taken: it is used once, whatever comes of it.
    /// `None` when there is none or it expired.
    #[inline(never)]
    pub fn take_oidc_login<'a>(
        &'a self,
        state_hash: &'a str,
    ) -> Boxed<'a, Result<Option<PendingLogin>>> {
        boxed(async move {
            let row: Option<PendingLogin> = on_pool!(self, write, |pool| {
                sqlx::query_as(
                    "DELETE FROM oidc_logins WHERE state_hash = $1
                 RETURNING nonce, pkce_verifier, return_to, expires_at",
                )
                .bind(state_hash)
                .fetch_optional(pool)
                .await?
            });
            Ok(row.filter(|r| r.expires_at > now()))
        })
    }

    /// The account a provider account logs in to, if it is linked.
    #[inline(never)]
    pub fn identity_user<'a>(
        &'a self,
        issuer: &'a str,
        subject: &'a str,
    ) -> Boxed<'a, Result<Option<User>>> {
        boxed(async move {
            let id: Option<i64> = on_pool!(self, read, |pool| {
                sqlx::query_scalar(
                    "SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2",
                )
                .bind(issuer)
                .bind(subject)
                .fetch_optional(pool)
                .await?
            });
            match id {
                Some(id) => Ok(Some(self.user(id).await?)),
                None => Ok(None),
            }
        })
    }

    /// A linked account logs in again: the provider's name and e-mail address replace Stip's
    /// where they changed (an address another account has is left as it was). The account as
    /// it is now.
    #[inline(never)]
    pub fn sso_logged_in<'a>(
        &'a self,
        user: &'a User,
        issuer: &'a str,
        subject: &'a str,
        name: &'a str,
        email: Option<&'a str>,
    ) -> Boxed<'a, Result<User>> {
        boxed(async move {
            let email = email.unwrap_or(&user.email);
            on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND id <> $2")
                        .bind(email)
                        .bind(user.id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let email = if taken.is_some() {
                    tracing::warn!(
                        user = user.id,
                        "SURFconext gave an e-mail address another account has; the account keeps its own"
                    );
                    user.email.as_str()
                } else {
                    email
                };
                sqlx::query(
                    "UPDATE users SET name = $1, email = $2, version = version + 1
                 WHERE id = $3 AND (name <> $1 OR email <> $2)",
                )
                .bind(name)
                .bind(email)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                "UPDATE user_identities SET last_login_at = $1 WHERE issuer = $2 AND subject = $3",
            )
            .bind(now())
            .bind(issuer)
            .bind(subject)
            .execute(&mut *tx)
            .await?;
                tx.commit().await?
            });
            self.credentials.invalidate();
            self.user(user.id).await
        })
    }

    /// A first login: the account (without a password) and its link, both or neither.
    #[inline(never)]
    pub fn create_sso_user<'a>(
        &'a self,
        d: &'a UserData<'a>,
        issuer: &'a str,
        subject: &'a str,
    ) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let at = now();
            let id: i64 = on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, name, role, institution_id, password_hash, active, created_at)
                 VALUES ($1, $2, $3, $4, '', $5, $6) RETURNING id",
            )
            .bind(d.email.as_str())
            .bind(d.name)
            .bind(d.role.code())
            .bind(d.institution_id)
            .bind(d.active)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
                sqlx::query(LINK)
                    .bind(issuer)
                    .bind(subject)
                    .bind(id)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                id
            });
            Ok(id)
        })
    }

    /// Keeps a provider account waiting for its owner's password (an hour at most).
    #[inline(never)]
    pub fn save_oidc_link<'a>(
        &'a self,
        token_hash: &'a str,
        l: &'a PendingLink,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                sqlx::query("DELETE FROM oidc_links WHERE expires_at < $1")
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                "INSERT INTO oidc_links (token_hash, user_id, issuer, subject, name, id_token, return_to, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(token_hash)
            .bind(l.user_id)
            .bind(&l.issuer)
            .bind(&l.subject)
            .bind(&l.name)
            .bind(&l.id_token)
            .bind(&l.return_to)
            .bind(&l.expires_at)
            .execute(&mut *tx)
            .await?;
                tx.commit().await?
            });
            Ok(())
        })
    }

    /// The link waiting under this token, if it has not expired.
    #[inline(never)]
    pub fn oidc_link<'a>(&'a self, token_hash: &'a str) -> Boxed<'a, Result<Option<PendingLink>>> {
        boxed(async move {
            let row: Option<PendingLink> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT user_id, issuer, subject, name, id_token, return_to, expires_at
                 FROM oidc_links WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
            });
            Ok(row.filter(|r| r.expires_at > now()))
        })
    }

    /// The person proved the account is theirs: the provider account is linked to it and the
    /// waiting link is gone. `Ok(false)` when it was used already.
    #[inline(never)]
    pub fn complete_oidc_link<'a>(
        &'a self,
        token_hash: &'a str,
        l: &'a PendingLink,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let at = now();
            let done = on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                let n = sqlx::query("DELETE FROM oidc_links WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 1 {
                    sqlx::query(LINK)
                        .bind(&l.issuer)
                        .bind(&l.subject)
                        .bind(l.user_id)
                        .bind(&at)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                n == 1
            });
            Ok(done)
        })
    }

    /// Whether the account logs in through a provider.
    #[inline(never)]
    pub fn has_identity<'a>(&'a self, user_id: i64) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n: i64 = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT COUNT(*) FROM user_identities WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_one(pool)
                    .await?
            });
            Ok(n > 0)
        })
    }

    /// A session begun at the provider, with its ID token (for logging out there too).
    #[inline(never)]
    pub fn create_sso_session<'a>(
        &'a self,
        token_hash: &'a str,
        user_id: i64,
        csrf: &'a str,
        expires_at: &'a str,
        id_token: &'a str,
    ) -> Boxed<'a, Result<()>> {
        boxed(async move {
            self.insert_session(token_hash, user_id, csrf, expires_at, Some(id_token))
                .await
        })
    }

    /// The ID token a session began with at the provider, if it did.
    #[inline(never)]
    pub fn session_id_token<'a>(
        &'a self,
        token_hash: &'a str,
    ) -> Boxed<'a, Result<Option<String>>> {
        boxed(async move {
            let token: Option<Option<String>> = on_pool!(self, read, |pool| {
                sqlx::query_scalar("SELECT id_token FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(pool)
                    .await?
            });
            Ok(token.flatten())
        })
    }
}

/// Links a provider account to an account (inside the caller's transaction).
const LINK: &str =
    "INSERT INTO user_identities (issuer, subject, user_id, created_at, last_login_at)
     VALUES ($1, $2, $3, $4, $4)";
