-- Surveys (issue 13). A survey's questions are fixed once it is opened; opening makes one
-- invitation per institution (or per informatiemanager), each with its own link.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    respondent TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    opened_at TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE survey_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    help TEXT NOT NULL,
    -- JSON list of texts.
    options TEXT NOT NULL,
    required BOOLEAN NOT NULL
);
CREATE INDEX survey_questions_survey ON survey_questions(survey_id, position);

-- One per institution (user_id NULL) or per person. `answers` (JSON, question id → value) is
-- the draft, and the submitted response unless the survey is anonymous: then submitting moves
-- the answers to survey_anonymous_responses and leaves here only the status, with no time.
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    institution_id INTEGER NOT NULL REFERENCES institutions(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'open',
    answers TEXT,
    saved_at TEXT,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    submitted_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX survey_invitations_one ON survey_invitations(survey_id, institution_id, (COALESCE(user_id, 0)));

-- The answers of an anonymous survey: a random id, no time, no link to an invitation. Kept
-- in the order of the random id (no rowid), so not even the order of submitting shows.
CREATE TABLE survey_anonymous_responses (
    id TEXT NOT NULL PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_anonymous_responses_survey ON survey_anonymous_responses(survey_id);
