-- The agenda's working groups (issue 16): per theme its SAD working group (name, chair, contact,
-- members from institutions, as JSON [{name, institution}]), and a dated log of what the network
-- gave it (input) and what came back (output), with links, related projects and a meeting.
CREATE TABLE workgroups (
    theme_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    chair TEXT NOT NULL,
    contact TEXT NOT NULL,
    members TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE workgroup_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    theme_code TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
    happened_on TEXT NOT NULL,
    text TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '[]',
    projects TEXT NOT NULL DEFAULT '[]',
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX workgroup_log_theme ON workgroup_log(theme_code, happened_on);
