-- One plain migration without a down script, in the spirit of seed 004's MVP refactor.
-- SQLite has no enum type and no ALTER COLUMN: the status check and new foreign keys come
-- with table rebuilds, the way SQLite alters tables.
DROP VIEW run_summary;
DROP TRIGGER screens_touch;
DROP TABLE decisions;
DROP TABLE checkpoints_index;

CREATE TABLE runs_new (
  run_id TEXT PRIMARY KEY,
  app_package TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  worker_id TEXT,
  created_at TEXT NOT NULL
);
INSERT INTO runs_new (run_id, app_package, status, created_at) SELECT run_id, app_id, status, created_at FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;

ALTER TABLE screens DROP COLUMN tenant_id;
ALTER TABLE screens DROP COLUMN project_id;
ALTER TABLE screens DROP COLUMN ocr_stems_hash;
ALTER TABLE screens RENAME COLUMN app_id TO app_package;
ALTER TABLE screens RENAME COLUMN perceptual_hash64 TO perceptual_hash;

DELETE FROM actions WHERE screen_id NOT IN (SELECT screen_id FROM screens);
CREATE TABLE actions_new (
  action_id TEXT PRIMARY KEY,
  screen_id TEXT NOT NULL REFERENCES screens (screen_id) ON DELETE CASCADE,
  target_selector TEXT,
  target_bounds TEXT
);
INSERT INTO actions_new SELECT action_id, screen_id, target_key, bounds_norm FROM actions;
DROP TABLE actions;
ALTER TABLE actions_new RENAME TO actions;

ALTER TABLE agent_state_snapshots RENAME TO run_state_snapshots;
CREATE VIEW run_summary AS
  SELECT r.run_id, r.app_package, r.status, count(e.id) AS events FROM runs r LEFT JOIN run_events e ON e.run_id = r.run_id
  GROUP BY r.run_id, r.app_package, r.status;
