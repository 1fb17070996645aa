-- The change log: every process learns of every write through it (see `crates/stip-store/src/changes.rs`).
-- Triggers append one entry per changed row in the writing transaction itself, so no write can
-- forget it: the kind of what changed and its id (a project, a user whose sessions and tokens
-- must be looked up again) or none (a reference list). `seq` only grows; entries older than
-- the retention window are pruned, and `change_log_pruned` remembers up to where, so a process
-- that fell behind that point knows to reload everything.
CREATE TABLE change_log (
    seq BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    entity_id BIGINT,
    logged_at BIGINT NOT NULL DEFAULT floor(extract(epoch FROM now()))::BIGINT
);
CREATE INDEX change_log_logged_at ON change_log(logged_at);
CREATE TABLE change_log_pruned (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    upto BIGINT NOT NULL
);
INSERT INTO change_log_pruned (id, upto) VALUES (1, 0);

-- Appends the entry for one changed row: TG_ARGV[0] is the kind, TG_ARGV[1] the column holding
-- the id (absent: none). A transaction takes the log's lock at its first entry and keeps it to
-- its commit, so entries become visible in `seq` order and a follower reading `seq > last`
-- never passes one that commits later. NOTIFY is sent at commit; one per transaction.
CREATE FUNCTION stip_log_change() RETURNS trigger AS $$
DECLARE
    entity BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(727400);
    IF TG_NARGS > 1 THEN
        IF TG_OP = 'DELETE' THEN
            entity := (to_jsonb(OLD) ->> TG_ARGV[1])::BIGINT;
        ELSE
            entity := (to_jsonb(NEW) ->> TG_ARGV[1])::BIGINT;
        END IF;
    END IF;
    INSERT INTO change_log (kind, entity_id) VALUES (TG_ARGV[0], entity);
    PERFORM pg_notify('stip_changes', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_logged AFTER INSERT OR UPDATE OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('project', 'id');
CREATE TRIGGER institutions_logged AFTER INSERT OR UPDATE OR DELETE ON institutions
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('institutions');
CREATE TRIGGER main_lines_logged AFTER INSERT OR UPDATE OR DELETE ON main_lines
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('main_lines');
CREATE TRIGGER themes_logged AFTER INSERT OR UPDATE OR DELETE ON themes
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('themes');
CREATE TRIGGER policy_drivers_logged AFTER INSERT OR UPDATE OR DELETE ON policy_drivers
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('policy_drivers');
CREATE TRIGGER criteria_logged AFTER INSERT OR UPDATE OR DELETE ON criteria
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('criteria');
CREATE TRIGGER users_logged AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('user', 'id');
CREATE TRIGGER sessions_logged AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('user', 'user_id');
CREATE TRIGGER api_tokens_logged AFTER DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('user', 'user_id');
