-- Failed logins, counted in the database so that every instance on it sees the same counts.
-- One row per key: a SHA-256 of the normalised e-mail address, of the client address, or of
-- both (never the submitted text itself). `blocked_until` is when the next attempt may be
-- answered; a row is forgotten (and deleted) after `expires_at`.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_throttle_expires ON login_throttle(expires_at);

-- Personal API tokens get an id (to be listed and revoked one by one), a name their owner
-- gives them, and when they were last used. SQLite cannot add a primary key to a table, so
-- the table is built anew.
CREATE TABLE api_tokens_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
INSERT INTO api_tokens_new (token_hash, user_id, created_at)
    SELECT token_hash, user_id, created_at FROM api_tokens ORDER BY created_at;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
