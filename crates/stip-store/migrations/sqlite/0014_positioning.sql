-- Positionering (issue 16): every save of an institution's positioning is a row (the newest is
-- the current one, the rest its history): both axes, the aspects' scores and explanations by
-- code (JSON objects) and the stakeholder map (JSON [{name, power, interest, note, action}]).
-- The beheerder's settings (aspects, threshold) are one row; without it the seed's apply.
CREATE TABLE positionings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_id INTEGER NOT NULL REFERENCES institutions(id) ON DELETE CASCADE,
    axes TEXT NOT NULL,
    aspects TEXT NOT NULL DEFAULT '{}',
    explanations TEXT NOT NULL DEFAULT '{}',
    stakeholders TEXT NOT NULL DEFAULT '[]',
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_by_name TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE INDEX positionings_institution ON positionings(institution_id, id);

CREATE TABLE positioning_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    threshold INTEGER NOT NULL CHECK (threshold >= 3),
    aspects TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
