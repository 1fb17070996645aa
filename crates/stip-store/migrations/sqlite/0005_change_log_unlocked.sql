-- Each project entry of the change log records the project's version after the change (none
-- for a deletion), so a process that already holds that version (it saved it) skips reading it
-- again (see `crates/stip-store/src/changes.rs`). On PostgreSQL this migration also drops the
-- log's commit-order lock; SQLite has one writer at a time and never had one.
ALTER TABLE change_log ADD COLUMN entity_version INTEGER;
DROP TRIGGER projects_insert_logged;
DROP TRIGGER projects_update_logged;
CREATE TRIGGER projects_insert_logged AFTER INSERT ON projects BEGIN
    INSERT INTO change_log (kind, entity_id, entity_version) VALUES ('project', NEW.id, NEW.version);
END;
CREATE TRIGGER projects_update_logged AFTER UPDATE ON projects BEGIN
    INSERT INTO change_log (kind, entity_id, entity_version) VALUES ('project', NEW.id, NEW.version);
END;
