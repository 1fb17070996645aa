-- Versions of the strategic agenda (issue 16). The active version's main lines and themes are the
-- live `main_lines` and `themes` (every project refers to those); a concept keeps its content as
-- JSON ({main_lines, themes}) until it is activated, and a previous version gets the content it
-- had when it was superseded, and the themes every project had then (`agenda_project_themes`).
-- A concept's `base` is the active content it copied, to see what changed there since.
-- `agenda_reviews` flags projects whose primary theme the activation could not keep as it was.
CREATE TABLE agendas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('concept', 'actief', 'vorig')),
    content TEXT,
    base TEXT,
    mapping TEXT,
    created_at TEXT NOT NULL,
    activated_at TEXT,
    superseded_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX agendas_one_active ON agendas(status) WHERE status = 'actief';
INSERT INTO agendas (name, status, created_at, activated_at)
VALUES ('Strategische agenda digitalisering mbo', 'actief', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE agenda_project_themes (
    agenda_id INTEGER NOT NULL REFERENCES agendas(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    themes TEXT NOT NULL,
    PRIMARY KEY (agenda_id, project_id)
);
CREATE INDEX agenda_project_themes_project ON agenda_project_themes(project_id);

CREATE TABLE agenda_reviews (
    agenda_id INTEGER NOT NULL REFERENCES agendas(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    old_themes TEXT NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (agenda_id, project_id)
);
CREATE INDEX agenda_reviews_project ON agenda_reviews(project_id);
