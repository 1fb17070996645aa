-- The portfolio core: institutions, the agenda, policy drivers, criteria, projects with history,
-- accounts, sessions and API tokens. Dates and timestamps are ISO text; money in cents.
-- Ids are AUTOINCREMENT: an id appears in addresses (/projecten/308), so a deleted row's id is
-- never given to a new one, as PostgreSQL's identity columns do.

CREATE TABLE institutions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    brin TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    students INTEGER,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE main_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL,
    main_line_id INTEGER REFERENCES main_lines(id),
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE policy_drivers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE criteria (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    weight INTEGER NOT NULL,
    direction TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    institution_id INTEGER REFERENCES institutions(id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    intended_result TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    project_lead TEXT NOT NULL DEFAULT '',
    contact_person TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL,
    status TEXT NOT NULL,
    status_note TEXT NOT NULL DEFAULT '',
    status_date TEXT,
    start_date TEXT,
    end_date TEXT,
    budget_cents INTEGER,
    effort_hundredths INTEGER,
    effort_unit TEXT,
    horizon TEXT,
    character TEXT,
    perspective_so INTEGER,
    perspective_ib INTEGER,
    primary_theme_id INTEGER NOT NULL REFERENCES themes(id),
    visibility TEXT NOT NULL,
    shareable BOOLEAN NOT NULL DEFAULT FALSE,
    case_summary TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_institution ON projects(institution_id);
CREATE INDEX projects_updated ON projects(updated_at);
CREATE INDEX projects_primary_theme ON projects(primary_theme_id);

CREATE TABLE project_themes (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES themes(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (project_id, theme_id)
);
CREATE INDEX project_themes_theme ON project_themes(theme_id, project_id);

CREATE TABLE project_drivers (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    driver_id INTEGER NOT NULL REFERENCES policy_drivers(id),
    PRIMARY KEY (project_id, driver_id)
);
CREATE INDEX project_drivers_driver ON project_drivers(driver_id, project_id);

CREATE TABLE project_scores (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria(id),
    score INTEGER NOT NULL,
    PRIMARY KEY (project_id, criterion_id)
);

CREATE TABLE project_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    user_name TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX project_history_project ON project_history(project_id, version);
