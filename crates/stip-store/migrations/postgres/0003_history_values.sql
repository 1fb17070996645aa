-- History stores values, not display text, and who could see each version.
-- `visibility`: the project's visibility at that version, so a version written while the project
-- was `instelling` stays with its institution after the project is made public. Rows written
-- before this migration get it from `Store::migrate`, which replays each project's visibility
-- changes; until then the default is the most private.
ALTER TABLE project_history ADD COLUMN visibility TEXT NOT NULL DEFAULT 'instelling';

-- Data migrations done in Rust after the SQL ones (old history texts become values), by name,
-- each once.
CREATE TABLE data_migrations (
    name TEXT PRIMARY KEY,
    done_at TEXT NOT NULL
);
