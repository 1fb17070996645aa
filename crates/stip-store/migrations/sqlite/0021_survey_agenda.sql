-- The agenda version a survey was opened with (issue 32): its theme questions keep offering that
-- version's themes while it runs, also after another version is activated. Only the active
-- version can be taken and versions once active are never deleted, so no foreign key (which
-- would also tie the backup's table order to it). NULL: not opened yet, or opened before this.
ALTER TABLE surveys ADD COLUMN agenda_id INTEGER;
