-- Weightings are kept in memory (a project's page shows its score by them, issue 32): every write
-- to them is in the change log, so every process forgets its copy (see changes.rs).
CREATE TRIGGER weightings_logged AFTER INSERT OR UPDATE OR DELETE ON weightings
    FOR EACH ROW EXECUTE FUNCTION stip_log_change('weightings');
