-- Issue 29: what an anonymous survey's results show while it is open. A snapshot of its
-- responses (their answers, in the order of their random ids), renewed only once at least
-- `threshold` (the positioning threshold, default 5) responses came in since the last one, so
-- no single response can be read off as the difference between two moments. `responses` = 0
-- and an empty list: nothing is shown yet.
CREATE TABLE survey_published_results (
    survey_id BIGINT NOT NULL PRIMARY KEY REFERENCES surveys(id) ON DELETE CASCADE,
    -- JSON list of the responses' answers (each the JSON text of one response).
    answers TEXT NOT NULL,
    responses BIGINT NOT NULL,
    published_at TEXT NOT NULL
);
