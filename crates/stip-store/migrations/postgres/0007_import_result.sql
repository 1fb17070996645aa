-- What a confirmed import wrote (new, changed and unchanged counts, as JSON), so its page can
-- say so afterwards on whichever instance it is opened.
ALTER TABLE imports ADD COLUMN result TEXT;
CREATE INDEX imports_created_at ON imports(created_at);

-- Projects are logged once per statement instead of once per row: an import that writes
-- 15,000 projects in batches of 400 called the row trigger 15,000 times, each turning the
-- whole row into JSON twice to read its id and version. The statement triggers read the
-- rows a statement touched from its transition table, in one INSERT, and notify once.
CREATE FUNCTION stip_log_projects_written() RETURNS trigger AS $$
BEGIN
    INSERT INTO change_log (kind, entity_id, entity_version)
        SELECT 'project', id, version FROM written ORDER BY id;
    IF FOUND THEN
        PERFORM pg_notify('stip_changes', '');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION stip_log_projects_deleted() RETURNS trigger AS $$
BEGIN
    INSERT INTO change_log (kind, entity_id, entity_version)
        SELECT 'project', id, NULL FROM deleted ORDER BY id;
    IF FOUND THEN
        PERFORM pg_notify('stip_changes', '');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER projects_logged ON projects;
CREATE TRIGGER projects_inserted_logged AFTER INSERT ON projects
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION stip_log_projects_written();
CREATE TRIGGER projects_updated_logged AFTER UPDATE ON projects
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION stip_log_projects_written();
CREATE TRIGGER projects_deleted_logged AFTER DELETE ON projects
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION stip_log_projects_deleted();
