-- Weightings are kept in memory (a project's page shows its score by them, issue 32): every write
-- to them is in the change log, so every process forgets its copy (see changes.rs).
CREATE TRIGGER weightings_insert_logged AFTER INSERT ON weightings BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('weightings', NULL);
END;
CREATE TRIGGER weightings_update_logged AFTER UPDATE ON weightings BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('weightings', NULL);
END;
CREATE TRIGGER weightings_delete_logged AFTER DELETE ON weightings BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('weightings', NULL);
END;
