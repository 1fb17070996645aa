-- Whether the facilitator shows the running totals while people vote (issue 32): hidden by
-- default, so the first dots do not steer the rest.
ALTER TABLE workshops ADD COLUMN totals_shown BOOLEAN NOT NULL DEFAULT FALSE;
