-- Live workshops (issue 15): joined by code, groups per perspective, notes per question and per
-- theme, and at most N red dots per participant. Every change is an event in workshop_events,
-- written in the same transaction; the change log (kind 'workshop') tells every Stip process,
-- which sends the events on to the screens that follow the workshop.
CREATE TABLE workshops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    dots_per_participant INTEGER NOT NULL,
    max_dots_per_theme INTEGER,
    themes TEXT NOT NULL,
    group_names TEXT NOT NULL,
    questions TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    hide_until_revealed BOOLEAN NOT NULL,
    revealed BOOLEAN NOT NULL DEFAULT FALSE,
    timer_minutes INTEGER,
    timer_ends_at TEXT,
    phase TEXT NOT NULL DEFAULT 'notities',
    priorities_saved_on TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX workshops_meeting ON workshops(meeting_id);

-- Someone taking part: a display name and a group; the token (its SHA-256) is their key.
CREATE TABLE workshop_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    group_index INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX workshop_participants_workshop ON workshop_participants(workshop_id);

-- A note: an answer to a question (question_index) or a note of a kind on a theme.
CREATE TABLE workshop_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES workshop_participants(id) ON DELETE CASCADE,
    question_index INTEGER,
    kind TEXT,
    theme_code TEXT,
    text TEXT NOT NULL,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX workshop_notes_workshop ON workshop_notes(workshop_id);

-- A red dot, under the id its client made: the same id twice is one dot.
CREATE TABLE workshop_dots (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES workshop_participants(id) ON DELETE CASCADE,
    theme_code TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    PRIMARY KEY (workshop_id, client_id)
);
CREATE INDEX workshop_dots_participant ON workshop_dots(participant_id);

-- What changed, in order: the id is the event's id in the stream (Last-Event-ID resumes).
CREATE TABLE workshop_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX workshop_events_workshop ON workshop_events(workshop_id, id);
CREATE TRIGGER workshop_events_logged AFTER INSERT ON workshop_events BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('workshop', NEW.workshop_id);
END;

-- The network's priorities as a workshop decided them, with the day.
CREATE TABLE network_priorities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id INTEGER REFERENCES workshops(id) ON DELETE SET NULL,
    decided_on TEXT NOT NULL,
    themes TEXT NOT NULL,
    created_at TEXT NOT NULL
);
