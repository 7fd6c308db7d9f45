-- One plain migration without a down script, in the spirit of seed 004's MVP refactor.
DROP VIEW run_summary;
DROP TRIGGER screens_touch ON screens;
DROP FUNCTION touch_screen();
DROP TABLE decisions;
DROP TABLE checkpoints_index;

CREATE TYPE run_status_enum AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ALTER COLUMN status DROP DEFAULT;
ALTER TABLE runs ALTER COLUMN status TYPE run_status_enum USING status::run_status_enum;
ALTER TABLE runs ALTER COLUMN status SET DEFAULT 'queued';
ALTER TABLE runs DROP COLUMN tenant_id, DROP COLUMN project_id, DROP COLUMN policy_version, DROP COLUMN heartbeat_at;
ALTER TABLE runs RENAME COLUMN app_id TO app_package;
ALTER TABLE runs ADD COLUMN worker_id text;

ALTER TABLE screens DROP COLUMN tenant_id, DROP COLUMN project_id, DROP COLUMN ocr_stems_hash;
ALTER TABLE screens RENAME COLUMN app_id TO app_package;
ALTER TABLE screens RENAME COLUMN perceptual_hash64 TO perceptual_hash;

ALTER TABLE actions RENAME COLUMN target_key TO target_selector;
ALTER TABLE actions RENAME COLUMN bounds_norm TO target_bounds;
DELETE FROM actions WHERE screen_id NOT IN (SELECT screen_id FROM screens);
ALTER TABLE actions ADD CONSTRAINT actions_screen_fk FOREIGN KEY (screen_id) REFERENCES screens (screen_id) ON DELETE CASCADE;

ALTER TABLE agent_state_snapshots RENAME TO run_state_snapshots;
ALTER TABLE run_events DROP CONSTRAINT run_events_run_id_fkey;
ALTER TABLE run_events ADD CONSTRAINT run_events_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (run_id) ON DELETE CASCADE;

COMMENT ON TABLE runs IS 'Tracks agent exploration runs. Each run explores one app.';
COMMENT ON COLUMN runs.run_id IS 'Unique identifier for the run (ulid format)';
CREATE VIEW run_summary AS
  SELECT r.run_id, r.app_package, r.status, count(e.id) AS events FROM runs r LEFT JOIN run_events e ON e.run_id = r.run_id
  GROUP BY r.run_id, r.app_package, r.status;
