-- Migration 013: positioning & campaigns core tables (Week 2 Monday, seed 002).
-- 5 tables, 12 indexes, 5 RLS policies, updated_at triggers. Idempotent: safe to run twice.

CREATE TABLE IF NOT EXISTS positioning (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  cohort_id     uuid REFERENCES cohorts (id) ON DELETE CASCADE,
  name          text NOT NULL,
  statement     text NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE positioning IS 'Positioning frameworks per market segment (cohort)';
COMMENT ON COLUMN positioning.statement IS 'For <cohort> who <need>, <product> is the <category> that <benefit>';

CREATE TABLE IF NOT EXISTS message_architecture (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  positioning_id  uuid NOT NULL REFERENCES positioning (id) ON DELETE CASCADE,
  core_message    text NOT NULL,
  content_pillars jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE message_architecture IS 'Messaging framework and content pillars derived from a positioning';

CREATE TABLE IF NOT EXISTS campaigns (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  positioning_id  uuid REFERENCES positioning (id) ON DELETE CASCADE,
  owner_id        uuid REFERENCES users (id) ON DELETE CASCADE,
  name            text NOT NULL,
  objective       text,
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'planning', 'active', 'paused', 'completed', 'archived')),
  budget_cents    bigint NOT NULL DEFAULT 0 CHECK (budget_cents >= 0),
  spent_cents     bigint NOT NULL DEFAULT 0 CHECK (spent_cents >= 0),
  starts_on       date,
  ends_on         date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
COMMENT ON TABLE campaigns IS 'Core campaign records: budget, lifecycle and performance of a group of moves';
COMMENT ON COLUMN campaigns.status IS 'draft -> planning -> active -> paused -> completed -> archived';

CREATE TABLE IF NOT EXISTS campaign_quests (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  campaign_id      uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  parent_quest_id  uuid REFERENCES campaign_quests (id) ON DELETE CASCADE,
  move_id          uuid REFERENCES moves (id) ON DELETE CASCADE,
  title            text NOT NULL,
  status           text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done', 'blocked')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE campaign_quests IS 'Objectives within a campaign; parent_quest_id nests them';

CREATE TABLE IF NOT EXISTS campaign_cohorts (
  campaign_id            uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  cohort_id              uuid NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  workspace_id           uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  allocation_percentage  numeric(5, 2) NOT NULL DEFAULT 100 CHECK (allocation_percentage BETWEEN 0 AND 100),
  target_count           integer NOT NULL DEFAULT 0,
  reached_count          integer NOT NULL DEFAULT 0,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, cohort_id)
);
COMMENT ON TABLE campaign_cohorts IS 'Which cohorts a campaign targets, with allocation and reach';

CREATE INDEX IF NOT EXISTS idx_positioning_workspace ON positioning (workspace_id);
CREATE INDEX IF NOT EXISTS idx_positioning_cohort ON positioning (cohort_id);
CREATE INDEX IF NOT EXISTS idx_message_architecture_workspace ON message_architecture (workspace_id);
CREATE INDEX IF NOT EXISTS idx_message_architecture_positioning ON message_architecture (positioning_id);
CREATE INDEX IF NOT EXISTS idx_campaigns_workspace ON campaigns (workspace_id);
CREATE INDEX IF NOT EXISTS idx_campaigns_workspace_status ON campaigns (workspace_id, status);
CREATE INDEX IF NOT EXISTS idx_campaigns_positioning ON campaigns (positioning_id);
CREATE INDEX IF NOT EXISTS idx_campaign_quests_campaign ON campaign_quests (campaign_id, status);
CREATE INDEX IF NOT EXISTS idx_campaign_quests_parent ON campaign_quests (parent_quest_id);
CREATE INDEX IF NOT EXISTS idx_campaign_quests_workspace ON campaign_quests (workspace_id);
CREATE INDEX IF NOT EXISTS idx_campaign_cohorts_cohort ON campaign_cohorts (cohort_id);
CREATE INDEX IF NOT EXISTS idx_campaign_cohorts_workspace ON campaign_cohorts (workspace_id);

DROP TRIGGER IF EXISTS trg_positioning_updated_at ON positioning;
CREATE TRIGGER trg_positioning_updated_at BEFORE UPDATE ON positioning
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_message_architecture_updated_at ON message_architecture;
CREATE TRIGGER trg_message_architecture_updated_at BEFORE UPDATE ON message_architecture
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_campaigns_updated_at ON campaigns;
CREATE TRIGGER trg_campaigns_updated_at BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_campaign_quests_updated_at ON campaign_quests;
CREATE TRIGGER trg_campaign_quests_updated_at BEFORE UPDATE ON campaign_quests
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_campaign_cohorts_updated_at ON campaign_cohorts;
CREATE TRIGGER trg_campaign_cohorts_updated_at BEFORE UPDATE ON campaign_cohorts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

ALTER TABLE positioning ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_architecture ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_quests ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_cohorts ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS workspace_isolation ON positioning;
CREATE POLICY workspace_isolation ON positioning
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON message_architecture;
CREATE POLICY workspace_isolation ON message_architecture
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON campaigns;
CREATE POLICY workspace_isolation ON campaigns
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON campaign_quests;
CREATE POLICY workspace_isolation ON campaign_quests
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON campaign_cohorts;
CREATE POLICY workspace_isolation ON campaign_cohorts
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
