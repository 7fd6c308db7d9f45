-- An agent-run database as it was before its MVP refactor (the situation of seed 004), populated.
CREATE TABLE runs (
  run_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  project_id text,
  app_id text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  policy_version integer,
  heartbeat_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE run_events (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs (run_id),
  seq integer NOT NULL,
  kind text NOT NULL,
  payload jsonb,
  UNIQUE (run_id, seq)
);
CREATE INDEX run_events_kind_idx ON run_events (kind) WHERE kind <> 'noise';
CREATE TABLE agent_state_snapshots (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  state bytea
);
CREATE TABLE screens (
  screen_id text PRIMARY KEY,
  tenant_id text,
  project_id text,
  app_id text,
  perceptual_hash64 text,
  ocr_stems_hash text
);
COMMENT ON TABLE screens IS 'Unique screens per app';
COMMENT ON COLUMN screens.perceptual_hash64 IS '64-bit perceptual hash, hex';
CREATE TABLE actions (action_id text PRIMARY KEY, screen_id text NOT NULL, target_key text, bounds_norm real[]);
CREATE TABLE decisions (id serial PRIMARY KEY, run_id text REFERENCES runs (run_id), rationale text);
ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY decisions_all ON decisions USING (true);
CREATE TABLE checkpoints_index (id serial PRIMARY KEY, run_id text, path text);
CREATE VIEW run_summary AS
  SELECT r.run_id, r.status, count(e.id) AS events FROM runs r LEFT JOIN run_events e ON e.run_id = r.run_id
  GROUP BY r.run_id, r.status;
CREATE FUNCTION touch_screen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.ocr_stems_hash := coalesce(NEW.ocr_stems_hash, 'none');
  RETURN NEW;
END $$;
CREATE TRIGGER screens_touch BEFORE INSERT ON screens FOR EACH ROW EXECUTE FUNCTION touch_screen();

INSERT INTO runs (run_id, tenant_id, project_id, app_id, status, policy_version, heartbeat_at, created_at)
SELECT 'run-' || i, 'tenant-' || (i % 7), CASE WHEN i % 3 = 0 THEN NULL ELSE 'p' || i END, 'app.' || (i % 11),
       (ARRAY['queued', 'running', 'completed', 'failed', 'cancelled'])[1 + i % 5], i % 4,
       CASE WHEN i % 2 = 0 THEN timestamptz '2025-01-01' + i * interval '1 second' END,
       timestamptz '2025-01-01' + i * interval '1 minute'
FROM generate_series(1, 500) i;
INSERT INTO run_events (run_id, seq, kind, payload)
SELECT 'run-' || (1 + i % 500), i, CASE WHEN i % 10 = 0 THEN 'noise' ELSE 'step' END,
       jsonb_build_object('i', i, 'text', 'é ' || i)
FROM generate_series(1, 3000) i;
INSERT INTO agent_state_snapshots (run_id, state) SELECT 'run-' || i, decode(md5(i::text), 'hex') FROM generate_series(1, 200) i;
INSERT INTO screens (screen_id, tenant_id, project_id, app_id, perceptual_hash64)
SELECT 's' || i, 't', 'p', 'app.' || (i % 11), md5(i::text) FROM generate_series(1, 300) i;
INSERT INTO actions SELECT 'a' || i, 's' || (1 + i % 320), 'key' || i, ARRAY[0.5 * i, 0.25] FROM generate_series(1, 600) i;
INSERT INTO decisions (run_id, rationale) SELECT 'run-' || i, 'because ' || i FROM generate_series(1, 100) i;
DELETE FROM decisions WHERE id > 90;
INSERT INTO checkpoints_index (run_id, path) SELECT 'run-' || i, '/tmp/' || i FROM generate_series(1, 50) i;
