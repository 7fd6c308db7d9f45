-- An agent-run database as it was before its MVP refactor (the situation of seed 004), populated.
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  project_id TEXT,
  app_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  policy_version INTEGER,
  heartbeat_at TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE run_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  payload BLOB,
  UNIQUE (run_id, seq)
);
CREATE INDEX run_events_kind_idx ON run_events (kind) WHERE kind <> 'noise';
CREATE TABLE agent_state_snapshots (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  state BLOB
);
CREATE TABLE screens (screen_id TEXT PRIMARY KEY, tenant_id TEXT, project_id TEXT, app_id TEXT, perceptual_hash64 TEXT, ocr_stems_hash TEXT);
CREATE TABLE actions (action_id TEXT PRIMARY KEY, screen_id TEXT NOT NULL, target_key TEXT, bounds_norm TEXT);
CREATE TABLE decisions (id INTEGER PRIMARY KEY, run_id TEXT REFERENCES runs (run_id), rationale TEXT);
CREATE TABLE checkpoints_index (id INTEGER PRIMARY KEY, run_id TEXT, path TEXT);
CREATE VIEW run_summary AS
  SELECT r.run_id, r.status, count(e.id) AS events FROM runs r LEFT JOIN run_events e ON e.run_id = r.run_id
  GROUP BY r.run_id, r.status;
CREATE TRIGGER screens_touch AFTER INSERT ON screens BEGIN
  UPDATE screens SET ocr_stems_hash = coalesce(NEW.ocr_stems_hash, 'none') WHERE screen_id = NEW.screen_id;
END;

INSERT INTO runs
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
SELECT 'run-' || i, 'tenant-' || (i % 7), CASE WHEN i % 3 = 0 THEN NULL ELSE 'p' || i END, 'app.' || (i % 11),
       CASE i % 5 WHEN 0 THEN 'queued' WHEN 1 THEN 'running' WHEN 2 THEN 'completed' WHEN 3 THEN 'failed' ELSE 'cancelled' END,
       i % 4, CASE WHEN i % 2 = 0 THEN datetime('2025-01-01', '+' || i || ' seconds') END,
       datetime('2025-01-01', '+' || i || ' minutes')
FROM n;
INSERT INTO run_events (run_id, seq, kind, payload)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
SELECT 'run-' || (1 + i % 500), i, CASE WHEN i % 10 = 0 THEN 'noise' ELSE 'step' END, randomblob(8) FROM n;
INSERT INTO agent_state_snapshots (run_id, state)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
SELECT 'run-' || i, CASE WHEN i % 9 = 0 THEN NULL ELSE 'é' || i END FROM n;
INSERT INTO screens (screen_id, tenant_id, project_id, app_id, perceptual_hash64)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
SELECT 's' || i, 't', 'p', 'app.' || (i % 11), hex(i * 7919) FROM n;
INSERT INTO actions
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
SELECT 'a' || i, 's' || (1 + i % 320), 'key' || i, '[' || (0.5 * i) || ', 0.25]' FROM n;
INSERT INTO decisions (run_id, rationale)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
SELECT 'run-' || i, 'because ' || i FROM n;
INSERT INTO checkpoints_index (run_id, path)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
SELECT 'run-' || i, '/tmp/' || i FROM n;
