-- Network meetings (issue 14): each tied to a theme and a case (a project), with its agenda
-- (JSON list of {time, title, owner}), minutes (Markdown), decisions (JSON list of texts) and
-- follow-up actions (JSON list of {text, owner, due_on, status}).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    theme_code TEXT,
    case_project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    presenter TEXT NOT NULL,
    agenda TEXT NOT NULL,
    minutes TEXT NOT NULL,
    decisions TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meetings_starts_at ON meetings(starts_at);

-- Who says they come.
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    attending BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- A person's calendar feed: a secret address that lists the meetings (kept as it is, so the
-- meetings page can show it again; it opens nothing but the list every member reads).
CREATE TABLE calendar_feeds (
    user_id INTEGER NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- A meeting's appendices: the results of a survey, shown inside its report, in this order.
CREATE TABLE meeting_appendices (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, survey_id)
);
