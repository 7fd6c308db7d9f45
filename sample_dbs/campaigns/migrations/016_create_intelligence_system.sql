-- Migration 016: intelligence & signals (Week 2 Monday, seed 002).
-- 2 tables, 10 indexes, 2 RLS policies, 3 functions. No down script: the workbench rolls it
-- back by dropping what it created and restoring feature_flags from the backup it takes
-- before the UPDATE at the end. Idempotent: safe to run twice.

CREATE TABLE IF NOT EXISTS intelligence_signals (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id         uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  detected_by_agent_id uuid REFERENCES agent_registry (id) ON DELETE CASCADE,
  source_type          text NOT NULL CHECK (source_type IN ('competitor', 'market', 'trend', 'industry', 'customer')),
  data_source          text NOT NULL CHECK (data_source IN ('semrush', 'ahrefs', 'newsapi', 'brave', 'twitter', 'linkedin', 'google_trends', 'internal')),
  category             text NOT NULL CHECK (category IN ('competitor_activity', 'market_trend', 'industry_news', 'customer_sentiment', 'technology_shift')),
  title                text NOT NULL,
  summary              text,
  confidence           integer NOT NULL CHECK (confidence BETWEEN 0 AND 100),
  relevance            integer NOT NULL CHECK (relevance BETWEEN 0 AND 100),
  competitor_id        uuid REFERENCES competitors (id) ON DELETE CASCADE,
  cohort_id            uuid REFERENCES cohorts (id) ON DELETE CASCADE,
  campaign_id          uuid REFERENCES campaigns (id) ON DELETE CASCADE,
  status               text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'actioned', 'archived')),
  detected_at          timestamptz NOT NULL DEFAULT now(),
  expires_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE intelligence_signals IS 'Market signals gathered by agents, scored for confidence and relevance';
COMMENT ON COLUMN intelligence_signals.expires_at IS 'After this a signal is stale and drops out of the priority list';

CREATE TABLE IF NOT EXISTS market_insights (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id         uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  insight_type         text NOT NULL CHECK (insight_type IN ('opportunity', 'threat', 'trend', 'gap', 'pattern')),
  title                text NOT NULL,
  analysis             text,
  signal_ids           uuid[] NOT NULL DEFAULT '{}',
  confidence           integer NOT NULL CHECK (confidence BETWEEN 0 AND 100),
  business_implications text,
  recommended_actions  jsonb NOT NULL DEFAULT '[]',
  roi_potential_cents  bigint,
  relevant_from        date NOT NULL DEFAULT current_date,
  relevant_until       date,
  campaign_id          uuid REFERENCES campaigns (id) ON DELETE CASCADE,
  reviewed_by          uuid REFERENCES users (id) ON DELETE CASCADE,
  reviewed_at          timestamptz,
  superseded_by        uuid REFERENCES market_insights (id) ON DELETE CASCADE,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'superseded')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (relevant_until IS NULL OR relevant_until >= relevant_from)
);
COMMENT ON TABLE market_insights IS 'Insights synthesised from several signals, with actions and a review workflow';

CREATE INDEX IF NOT EXISTS idx_intelligence_signals_workspace_status ON intelligence_signals (workspace_id, status);
CREATE INDEX IF NOT EXISTS idx_intelligence_signals_category ON intelligence_signals (workspace_id, category);
CREATE INDEX IF NOT EXISTS idx_intelligence_signals_detected ON intelligence_signals (workspace_id, detected_at DESC);
CREATE INDEX IF NOT EXISTS idx_intelligence_signals_agent ON intelligence_signals (detected_by_agent_id);
CREATE INDEX IF NOT EXISTS idx_intelligence_signals_competitor ON intelligence_signals (competitor_id);
CREATE INDEX IF NOT EXISTS idx_market_insights_workspace_status ON market_insights (workspace_id, status);
CREATE INDEX IF NOT EXISTS idx_market_insights_type ON market_insights (workspace_id, insight_type);
CREATE INDEX IF NOT EXISTS idx_market_insights_relevance ON market_insights (relevant_from, relevant_until);
CREATE INDEX IF NOT EXISTS idx_market_insights_created ON market_insights (workspace_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_market_insights_campaign ON market_insights (campaign_id);

CREATE OR REPLACE FUNCTION create_insight_from_signals(
  p_workspace_id uuid, p_signal_ids uuid[], p_title text, p_insight_type text DEFAULT 'pattern')
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  v_found integer;
  v_id uuid;
BEGIN
  SELECT count(*) INTO v_found FROM intelligence_signals
   WHERE workspace_id = p_workspace_id AND id = ANY (p_signal_ids);
  IF v_found = 0 THEN
    RAISE EXCEPTION 'no signals of workspace % among the % given', p_workspace_id, cardinality(p_signal_ids);
  END IF;
  -- More corroborating signals, more confidence: 40 for one, +15 per extra signal, at most 95.
  INSERT INTO market_insights (workspace_id, insight_type, title, signal_ids, confidence)
  VALUES (p_workspace_id, p_insight_type, p_title, p_signal_ids, least(95, 40 + 15 * (v_found - 1)))
  RETURNING id INTO v_id;
  UPDATE intelligence_signals SET status = 'actioned'
   WHERE workspace_id = p_workspace_id AND id = ANY (p_signal_ids) AND status IN ('new', 'acknowledged');
  RETURN v_id;
END;
$$;
COMMENT ON FUNCTION create_insight_from_signals(uuid, uuid[], text, text) IS 'Synthesises signals into one insight; confidence grows with the signal count';

CREATE OR REPLACE FUNCTION get_active_insights(p_workspace_id uuid)
RETURNS TABLE (id uuid, insight_type text, title text, confidence integer, created_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT i.id, i.insight_type, i.title, i.confidence, i.created_at
  FROM market_insights i
  WHERE i.workspace_id = p_workspace_id AND i.status = 'active'
    AND i.relevant_from <= current_date AND (i.relevant_until IS NULL OR i.relevant_until >= current_date)
  ORDER BY i.confidence DESC, i.created_at DESC;
$$;
COMMENT ON FUNCTION get_active_insights(uuid) IS 'Active insights of a workspace within their relevance window, most confident first';

CREATE OR REPLACE FUNCTION get_priority_signals(p_workspace_id uuid, p_min_confidence integer DEFAULT 75)
RETURNS TABLE (id uuid, title text, category text, confidence integer, relevance integer, priority numeric)
LANGUAGE sql STABLE AS $$
  SELECT s.id, s.title, s.category, s.confidence, s.relevance, round(s.confidence * s.relevance / 100.0, 2)
  FROM intelligence_signals s
  WHERE s.workspace_id = p_workspace_id AND s.status = 'new' AND s.confidence >= p_min_confidence
    AND (s.expires_at IS NULL OR s.expires_at > now())
  ORDER BY 6 DESC, s.detected_at DESC;
$$;
COMMENT ON FUNCTION get_priority_signals(uuid, integer) IS 'Unreviewed signals above a confidence threshold, weighted confidence x relevance';

DROP TRIGGER IF EXISTS trg_intelligence_signals_updated_at ON intelligence_signals;
CREATE TRIGGER trg_intelligence_signals_updated_at BEFORE UPDATE ON intelligence_signals
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_market_insights_updated_at ON market_insights;
CREATE TRIGGER trg_market_insights_updated_at BEFORE UPDATE ON market_insights
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

ALTER TABLE intelligence_signals ENABLE ROW LEVEL SECURITY;
ALTER TABLE market_insights ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS workspace_isolation ON intelligence_signals;
CREATE POLICY workspace_isolation ON intelligence_signals
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON market_insights;
CREATE POLICY workspace_isolation ON market_insights
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);

UPDATE feature_flags SET enabled = true, rollout_percentage = 10 WHERE key = 'intelligence_feed' AND NOT enabled;
