-- Migration 015: agent registry (Week 2 Monday, seed 002).
-- agent_registry and agent_capabilities are GLOBAL (no workspace_id, no RLS); assignments and
-- performance are per workspace. 15 indexes, 2 RLS policies, the record_agent_execution
-- procedure, and the 72 agents of the five guilds. Idempotent: safe to run twice.

CREATE TABLE IF NOT EXISTS agent_registry (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug                  text NOT NULL UNIQUE,
  name                  text NOT NULL,
  agent_type            text NOT NULL CHECK (agent_type IN ('lord', 'researcher', 'creative', 'intelligence', 'guardian')),
  guild                 text NOT NULL CHECK (guild IN ('Council of Lords', 'Research', 'Muse', 'Matrix', 'Guardians')),
  model                 text NOT NULL DEFAULT 'gpt-4o-mini',
  temperature           numeric(3, 2) NOT NULL DEFAULT 0.7 CHECK (temperature BETWEEN 0 AND 2),
  max_tokens            integer NOT NULL DEFAULT 4096,
  tools                 text[] NOT NULL DEFAULT '{}',
  baseline_success_rate numeric(5, 2),
  version               text NOT NULL DEFAULT '1.0.0',
  is_active             boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE agent_registry IS 'Master registry of every agent; global, shared by all workspaces';
COMMENT ON COLUMN agent_registry.guild IS 'Council of Lords (strategy), Research, Muse (creative), Matrix (intelligence), Guardians (safety)';

CREATE TABLE IF NOT EXISTS agent_capabilities (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id           uuid NOT NULL REFERENCES agent_registry (id) ON DELETE CASCADE,
  capability         text NOT NULL,
  category           text NOT NULL CHECK (category IN ('research', 'analysis', 'creation', 'optimization', 'monitoring')),
  input_type         text NOT NULL,
  output_type        text NOT NULL,
  external_apis      text[] NOT NULL DEFAULT '{}',
  parameters_schema  jsonb NOT NULL DEFAULT '{}',
  avg_latency_ms     integer,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agent_id, capability)
);
COMMENT ON TABLE agent_capabilities IS 'What each agent can do, with its inputs, outputs and external APIs; global';

CREATE TABLE IF NOT EXISTS agent_assignments (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id          uuid NOT NULL REFERENCES agent_registry (id) ON DELETE CASCADE,
  campaign_id       uuid REFERENCES campaigns (id) ON DELETE CASCADE,
  assigned_by       uuid REFERENCES users (id) ON DELETE CASCADE,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'completed', 'failed', 'archived')),
  priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'critical')),
  config_overrides  jsonb NOT NULL DEFAULT '{}',
  daily_budget_cents integer,
  executions_count  integer NOT NULL DEFAULT 0,
  last_executed_at  timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE agent_assignments IS 'Agents put to work in a workspace, optionally on one campaign';

CREATE TABLE IF NOT EXISTS agent_performance (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id        uuid NOT NULL REFERENCES agent_registry (id) ON DELETE CASCADE,
  assignment_id   uuid REFERENCES agent_assignments (id) ON DELETE CASCADE,
  measured_on     date NOT NULL,
  measured_hour   integer NOT NULL CHECK (measured_hour BETWEEN 0 AND 23),
  executions      integer NOT NULL DEFAULT 0,
  successes       integer NOT NULL DEFAULT 0,
  failures        integer NOT NULL DEFAULT 0,
  p50_ms          integer,
  p95_ms          integer,
  p99_ms          integer,
  input_tokens    bigint NOT NULL DEFAULT 0,
  output_tokens   bigint NOT NULL DEFAULT 0,
  cost_cents      numeric(12, 4) NOT NULL DEFAULT 0,
  quality_score   numeric(5, 2),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, agent_id, measured_on, measured_hour)
);
COMMENT ON TABLE agent_performance IS 'Hourly execution metrics per agent and workspace';
COMMENT ON COLUMN agent_performance.cost_cents IS 'Model cost of the hour''s executions, in cents';

CREATE INDEX IF NOT EXISTS idx_agent_registry_type ON agent_registry (agent_type);
CREATE INDEX IF NOT EXISTS idx_agent_registry_guild ON agent_registry (guild);
CREATE INDEX IF NOT EXISTS idx_agent_registry_active ON agent_registry (is_active) WHERE is_active;
CREATE INDEX IF NOT EXISTS idx_agent_capabilities_agent ON agent_capabilities (agent_id);
CREATE INDEX IF NOT EXISTS idx_agent_capabilities_category ON agent_capabilities (category);
CREATE INDEX IF NOT EXISTS idx_agent_assignments_workspace ON agent_assignments (workspace_id);
CREATE INDEX IF NOT EXISTS idx_agent_assignments_agent ON agent_assignments (agent_id);
CREATE INDEX IF NOT EXISTS idx_agent_assignments_campaign ON agent_assignments (campaign_id);
CREATE INDEX IF NOT EXISTS idx_agent_assignments_status ON agent_assignments (workspace_id, status);
CREATE INDEX IF NOT EXISTS idx_agent_assignments_priority ON agent_assignments (workspace_id, priority);
CREATE INDEX IF NOT EXISTS idx_agent_performance_workspace ON agent_performance (workspace_id);
CREATE INDEX IF NOT EXISTS idx_agent_performance_agent_date ON agent_performance (agent_id, measured_on DESC);
CREATE INDEX IF NOT EXISTS idx_agent_performance_assignment ON agent_performance (assignment_id);
CREATE INDEX IF NOT EXISTS idx_agent_performance_date ON agent_performance (measured_on DESC, measured_hour);
CREATE INDEX IF NOT EXISTS idx_agent_performance_quality ON agent_performance (agent_id, quality_score);

CREATE OR REPLACE PROCEDURE record_agent_execution(
  p_assignment_id uuid, p_succeeded boolean, p_duration_ms integer,
  p_input_tokens integer, p_output_tokens integer, p_cost_cents numeric,
  p_at timestamptz DEFAULT now())
LANGUAGE plpgsql AS $$
DECLARE
  v_assignment agent_assignments%ROWTYPE;
BEGIN
  SELECT * INTO v_assignment FROM agent_assignments WHERE id = p_assignment_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'agent assignment % does not exist', p_assignment_id USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO agent_performance (workspace_id, agent_id, assignment_id, measured_on, measured_hour, executions, successes,
                                 failures, p50_ms, p95_ms, p99_ms, input_tokens, output_tokens, cost_cents)
  VALUES (v_assignment.workspace_id, v_assignment.agent_id, p_assignment_id, (p_at AT TIME ZONE 'UTC')::date,
          extract(hour FROM p_at AT TIME ZONE 'UTC')::integer, 1, p_succeeded::integer, (NOT p_succeeded)::integer,
          p_duration_ms, p_duration_ms, p_duration_ms, p_input_tokens, p_output_tokens, p_cost_cents)
  ON CONFLICT (workspace_id, agent_id, measured_on, measured_hour) DO UPDATE SET
    executions = agent_performance.executions + 1,
    successes = agent_performance.successes + EXCLUDED.successes,
    failures = agent_performance.failures + EXCLUDED.failures,
    p95_ms = greatest(agent_performance.p95_ms, EXCLUDED.p95_ms),
    p99_ms = greatest(agent_performance.p99_ms, EXCLUDED.p99_ms),
    input_tokens = agent_performance.input_tokens + EXCLUDED.input_tokens,
    output_tokens = agent_performance.output_tokens + EXCLUDED.output_tokens,
    cost_cents = agent_performance.cost_cents + EXCLUDED.cost_cents;
  UPDATE agent_assignments
     SET executions_count = executions_count + 1, last_executed_at = p_at,
         status = CASE WHEN status = 'active' OR p_succeeded THEN status ELSE 'failed' END
   WHERE id = p_assignment_id;
END;
$$;
COMMENT ON PROCEDURE record_agent_execution(uuid, boolean, integer, integer, integer, numeric, timestamptz)
  IS 'Logs one execution: folds it into the hour''s agent_performance row and counts it on the assignment';

DROP TRIGGER IF EXISTS trg_agent_registry_updated_at ON agent_registry;
CREATE TRIGGER trg_agent_registry_updated_at BEFORE UPDATE ON agent_registry
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_agent_capabilities_updated_at ON agent_capabilities;
CREATE TRIGGER trg_agent_capabilities_updated_at BEFORE UPDATE ON agent_capabilities
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_agent_assignments_updated_at ON agent_assignments;
CREATE TRIGGER trg_agent_assignments_updated_at BEFORE UPDATE ON agent_assignments
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_agent_performance_updated_at ON agent_performance;
CREATE TRIGGER trg_agent_performance_updated_at BEFORE UPDATE ON agent_performance
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

ALTER TABLE agent_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_performance ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS workspace_isolation ON agent_assignments;
CREATE POLICY workspace_isolation ON agent_assignments
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON agent_performance;
CREATE POLICY workspace_isolation ON agent_performance
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);

-- The 72 agents: 8 lords, 16 researchers, 20 creatives, 16 intelligence, 12 guardians.
INSERT INTO agent_registry (slug, name, agent_type, guild, model, temperature, max_tokens, tools, baseline_success_rate, version)
SELECT g.prefix || '-' || lpad(n::text, 2, '0'),
       g.title || ' ' || (ARRAY['Aurelius', 'Brisa', 'Cassius', 'Delphine', 'Ezra', 'Fenna', 'Gideon', 'Halia', 'Isolde', 'Jorin',
                                'Kaia', 'Lucan', 'Mireille', 'Nestor', 'Oriel', 'Petra', 'Quillon', 'Rhea', 'Soren', 'Talia'])[n],
       g.agent_type, g.guild,
       CASE WHEN g.agent_type = 'lord' THEN 'gpt-4o' WHEN n % 3 = 0 THEN 'claude-3-haiku' ELSE 'gpt-4o-mini' END,
       g.temperature, CASE WHEN g.agent_type = 'creative' THEN 8192 ELSE 4096 END, g.tools,
       70 + (n * 7) % 25, '1.' || (n % 4) || '.0'
FROM (VALUES ('lord', 'Council of Lords', 'lord', 'Lord', 0.3, 8, ARRAY['planner', 'delegate']),
             ('researcher', 'Research', 'res', 'Researcher', 0.2, 16, ARRAY['web_search', 'semrush', 'ahrefs']),
             ('creative', 'Muse', 'muse', 'Muse', 0.9, 20, ARRAY['copywriter', 'image_brief']),
             ('intelligence', 'Matrix', 'matrix', 'Analyst', 0.1, 16, ARRAY['newsapi', 'google_trends', 'sql']),
             ('guardian', 'Guardians', 'guard', 'Guardian', 0.0, 12, ARRAY['policy_check', 'pii_scan']))
     AS g (agent_type, guild, prefix, title, temperature, how_many, tools)
CROSS JOIN LATERAL generate_series(1, g.how_many) AS n
ON CONFLICT (slug) DO NOTHING;

INSERT INTO agent_capabilities (agent_id, capability, category, input_type, output_type, external_apis, avg_latency_ms)
SELECT a.id, c.capability, c.category, c.input_type, c.output_type, c.apis, 400 + length(a.slug) * 97 % 3000
FROM agent_registry a
JOIN (VALUES ('lord', 'plan_campaign', 'optimization', 'campaign_brief', 'quest_tree', ARRAY[]::text[]),
             ('lord', 'allocate_budget', 'optimization', 'campaign', 'budget_plan', ARRAY[]::text[]),
             ('researcher', 'keyword_research', 'research', 'topic', 'keyword_list', ARRAY['semrush', 'ahrefs']),
             ('researcher', 'competitor_teardown', 'research', 'competitor', 'report', ARRAY['brave']),
             ('creative', 'draft_post', 'creation', 'brief', 'markdown', ARRAY[]::text[]),
             ('creative', 'write_headlines', 'creation', 'content_item', 'headline_list', ARRAY[]::text[]),
             ('intelligence', 'detect_signals', 'monitoring', 'source_feed', 'signal_list', ARRAY['newsapi', 'twitter', 'google_trends']),
             ('intelligence', 'score_sentiment', 'analysis', 'text', 'score', ARRAY[]::text[]),
             ('guardian', 'brand_safety_review', 'monitoring', 'content_item', 'verdict', ARRAY[]::text[]))
     AS c (agent_type, capability, category, input_type, output_type, apis) ON c.agent_type = a.agent_type
ON CONFLICT (agent_id, capability) DO NOTHING;

-- Workspaces on paid plans get their Council of Lords to start with.
INSERT INTO agent_assignments (id, workspace_id, agent_id, assigned_by, priority)
SELECT md5('assignment:' || w.id || ':' || a.slug)::uuid, w.id, a.id, owner.user_id,
       CASE WHEN a.slug = 'lord-01' THEN 'high' ELSE 'normal' END
FROM workspaces w
JOIN workspace_members owner ON owner.workspace_id = w.id AND owner.role = 'owner'
JOIN agent_registry a ON a.agent_type = 'lord'
WHERE w.plan_id <> 'free' AND w.archived_at IS NULL
ON CONFLICT (id) DO NOTHING;
