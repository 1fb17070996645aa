-- The change log: every process learns of every write through it (see `crates/stip-store/src/changes.rs`).
-- Triggers append one entry per changed row in the writing transaction itself, so no write can
-- forget it: the kind of what changed and its id (a project, a user whose sessions and tokens
-- must be looked up again) or none (a reference list). `seq` only grows; entries older than
-- the retention window are pruned, and `change_log_pruned` remembers up to where, so a process
-- that fell behind that point knows to reload everything.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    entity_id INTEGER,
    logged_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX change_log_logged_at ON change_log(logged_at);
CREATE TABLE change_log_pruned (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    upto INTEGER NOT NULL
);
INSERT INTO change_log_pruned (id, upto) VALUES (1, 0);
CREATE TRIGGER projects_insert_logged AFTER INSERT ON projects BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('project', NEW.id);
END;
CREATE TRIGGER projects_update_logged AFTER UPDATE ON projects BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('project', NEW.id);
END;
CREATE TRIGGER projects_delete_logged AFTER DELETE ON projects BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('project', OLD.id);
END;
CREATE TRIGGER institutions_insert_logged AFTER INSERT ON institutions BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('institutions', NULL);
END;
CREATE TRIGGER institutions_update_logged AFTER UPDATE ON institutions BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('institutions', NULL);
END;
CREATE TRIGGER institutions_delete_logged AFTER DELETE ON institutions BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('institutions', NULL);
END;
CREATE TRIGGER main_lines_insert_logged AFTER INSERT ON main_lines BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('main_lines', NULL);
END;
CREATE TRIGGER main_lines_update_logged AFTER UPDATE ON main_lines BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('main_lines', NULL);
END;
CREATE TRIGGER main_lines_delete_logged AFTER DELETE ON main_lines BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('main_lines', NULL);
END;
CREATE TRIGGER themes_insert_logged AFTER INSERT ON themes BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('themes', NULL);
END;
CREATE TRIGGER themes_update_logged AFTER UPDATE ON themes BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('themes', NULL);
END;
CREATE TRIGGER themes_delete_logged AFTER DELETE ON themes BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('themes', NULL);
END;
CREATE TRIGGER policy_drivers_insert_logged AFTER INSERT ON policy_drivers BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('policy_drivers', NULL);
END;
CREATE TRIGGER policy_drivers_update_logged AFTER UPDATE ON policy_drivers BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('policy_drivers', NULL);
END;
CREATE TRIGGER policy_drivers_delete_logged AFTER DELETE ON policy_drivers BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('policy_drivers', NULL);
END;
CREATE TRIGGER criteria_insert_logged AFTER INSERT ON criteria BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('criteria', NULL);
END;
CREATE TRIGGER criteria_update_logged AFTER UPDATE ON criteria BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('criteria', NULL);
END;
CREATE TRIGGER criteria_delete_logged AFTER DELETE ON criteria BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('criteria', NULL);
END;
CREATE TRIGGER users_update_logged AFTER UPDATE ON users BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('user', NEW.id);
END;
CREATE TRIGGER users_delete_logged AFTER DELETE ON users BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('user', OLD.id);
END;
CREATE TRIGGER sessions_delete_logged AFTER DELETE ON sessions BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('user', OLD.user_id);
END;
CREATE TRIGGER api_tokens_delete_logged AFTER DELETE ON api_tokens BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('user', OLD.user_id);
END;
