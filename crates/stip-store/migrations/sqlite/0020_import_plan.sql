-- What the preview of an uploaded file showed, row by row (`n` new, `c<id>.<version>` changed,
-- `u<id>` unchanged, `e` a problem), so a commit writes what was shown or names the rows that
-- would do something else by now.
ALTER TABLE imports ADD COLUMN plan TEXT;

-- The row an import's transaction locks for its institution, so two imports into one
-- institution run one after the other in every process and the second sees what the first
-- made. It holds nothing else (and is not in a backup).
CREATE TABLE import_locks (
    institution_id INTEGER PRIMARY KEY REFERENCES institutions(id) ON DELETE CASCADE
);
