-- Inloggen met SURFconext (issue 17, OpenID Connect).
-- An institution's home organisation domain(s) as SURFconext names them in the
-- `schac_home_organization` claim, lower case, separated by spaces (e.g. `horizoncollege.nl`).
ALTER TABLE institutions ADD COLUMN domains TEXT NOT NULL DEFAULT '';

-- Which provider account (issuer and subject) logs in to which Stip account.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities(user_id);

-- A login under way at the provider: kept from the redirect there until the browser is back
-- (at most ten minutes), found by the hash of its `state`, used once. In the database so any
-- instance can finish what another began.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- A provider account whose e-mail address belongs to an existing password account: linked only
-- once the person logs in with that password (found by the hash of a cookie's token).
CREATE TABLE oidc_links (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    name TEXT NOT NULL,
    id_token TEXT NOT NULL,
    return_to TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- The ID token of a session begun at the provider, for logging out there too.
ALTER TABLE sessions ADD COLUMN id_token TEXT;

-- The beheerder's choices: who may still log in with a password, and the role of an account
-- that SURFconext makes. Without the row: everyone, lezer.
CREATE TABLE login_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    password_login TEXT NOT NULL CHECK (password_login IN ('everyone', 'beheerders')),
    sso_role TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
