-- Import and export (issue 10). A project may carry the institution's own project number, by
-- which a later import of the same overview finds it again; unique within the institution.
ALTER TABLE projects ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX projects_external_id ON projects(institution_id, external_id);

-- The column mapping an institution chose at its last import, for the next one.
CREATE TABLE import_mappings (
    institution_id INTEGER PRIMARY KEY REFERENCES institutions(id) ON DELETE CASCADE,
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- An uploaded file awaiting confirmation (preview first, then commit), kept as it came so the
-- commit reads exactly what was previewed, on whichever instance it lands.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_id INTEGER NOT NULL REFERENCES institutions(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    file BLOB NOT NULL,
    mapping TEXT NOT NULL,
    created_at TEXT NOT NULL,
    committed_at TEXT
);
