-- Attempts counted per key in a fixed window (issue 29: joining a workshop), in the database so
-- that every Stip instance on it counts the same. The key is a SHA-256 made by the caller (of a
-- client address or a workshop, never the address itself); the policy (how many attempts per
-- how long) is the caller's. A row whose window has ended starts again at one, and is deleted
-- by a later attempt.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    window_ends TEXT NOT NULL
);
CREATE INDEX rate_limits_window_ends ON rate_limits(window_ends);

-- A participant's number in their workshop ("Deelnemer 3"), so the facilitator can tell them
-- apart and remove one; numbers are never given twice in a workshop, also after a removal.
ALTER TABLE workshops ADD COLUMN participants_joined INTEGER NOT NULL DEFAULT 0;
ALTER TABLE workshop_participants ADD COLUMN number INTEGER;
UPDATE workshop_participants SET number = (
    SELECT COUNT(*) FROM workshop_participants p
    WHERE p.workshop_id = workshop_participants.workshop_id AND p.id <= workshop_participants.id
);
UPDATE workshops SET participants_joined = (
    SELECT COALESCE(MAX(p.number), 0) FROM workshop_participants p WHERE p.workshop_id = workshops.id
);
