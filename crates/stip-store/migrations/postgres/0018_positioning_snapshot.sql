-- Issue 29: the network's positioning distributions are computed from this snapshot of the
-- institutions' scores (JSON list of {axes, aspects}, no institution, in no meaningful order),
-- renewed only once at least `threshold` institutions saved a positioning since the last one
-- (`last_id`: the newest positionings row it includes). `taken_at` NULL: nothing published yet.
CREATE TABLE positioning_snapshot (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    positions TEXT NOT NULL,
    last_id BIGINT NOT NULL,
    taken_at TEXT
);
