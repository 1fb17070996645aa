-- The workshop's comparing step (issue 33): after the first round, duos and trios of the
-- participants' institutions lay their portfolios side by side (/vergelijken) and write down
-- what they could do together. A participant says which institution they are from (a person
-- who logs in is of their own); the groups are institution ids, JSON [[id, id], [id, id, id]],
-- formed when the step starts and again when the facilitator asks; a group's notes keep the
-- group's institutions, so a later regrouping does not move them.
ALTER TABLE workshop_participants ADD COLUMN institution_id INTEGER REFERENCES institutions(id) ON DELETE SET NULL;
ALTER TABLE workshops ADD COLUMN compare_groups TEXT;
CREATE TABLE workshop_together (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES workshop_participants(id) ON DELETE CASCADE,
    institutions TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX workshop_together_workshop ON workshop_together(workshop_id);
