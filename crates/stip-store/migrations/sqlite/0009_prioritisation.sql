-- Prioritising (issue 12). A view (the network's portfolio, or one institution's) may weigh the
-- criteria its own way; without a row it weighs them as the criteria list does. Weights are JSON,
-- {"criterion code": weight in hundredths}, read and written whole.
CREATE TABLE weightings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_id INTEGER REFERENCES institutions(id) ON DELETE CASCADE,
    weights TEXT NOT NULL,
    -- The consistency ratio when the weights came from pairwise comparison, in ten-thousandths.
    consistency INTEGER,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
-- One per view; the network's has no institution.
CREATE UNIQUE INDEX weightings_view ON weightings ((COALESCE(institution_id, 0)));

-- A named scenario: its candidates (the list's filters as a query string), caps (cents,
-- hundredths of an FTE), projects forced in and out and requirements (JSON lists of ids and of
-- [A, B] pairs) and its own weights (JSON, as above). Its selection is worked out when read.
CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    institution_id INTEGER REFERENCES institutions(id) ON DELETE CASCADE,
    candidates TEXT NOT NULL,
    budget_cap BIGINT NOT NULL,
    fte_cap BIGINT,
    forced_in TEXT NOT NULL,
    forced_out TEXT NOT NULL,
    requires TEXT NOT NULL,
    weights TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX scenarios_institution ON scenarios(institution_id);
