-- Migration 017: alerts & notifications (Week 2 Monday, seed 002).
-- 2 tables, the alert_severity enum, 12 indexes, 3 RLS policies, 6 functions.
-- Idempotent: safe to run twice.

DO $$
BEGIN
  CREATE TYPE alert_severity AS ENUM ('critical', 'high', 'medium', 'low', 'info');
EXCEPTION WHEN duplicate_object THEN NULL;
END;
$$;
COMMENT ON TYPE alert_severity IS 'How urgent an alert is, most urgent first';

CREATE TABLE IF NOT EXISTS system_alerts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  severity          alert_severity NOT NULL DEFAULT 'medium',
  alert_type        text NOT NULL CHECK (alert_type IN ('performance', 'error', 'milestone', 'anomaly', 'action_required', 'opportunity')),
  title             text NOT NULL,
  message           text,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'acknowledged', 'resolved', 'dismissed')),
  source_agent_id   uuid REFERENCES agent_registry (id) ON DELETE CASCADE,
  source_signal_id  uuid REFERENCES intelligence_signals (id) ON DELETE CASCADE,
  campaign_id       uuid REFERENCES campaigns (id) ON DELETE CASCADE,
  cohort_id         uuid REFERENCES cohorts (id) ON DELETE CASCADE,
  move_id           uuid REFERENCES moves (id) ON DELETE CASCADE,
  data_points       jsonb NOT NULL DEFAULT '{}',
  acknowledged_by   uuid REFERENCES users (id) ON DELETE CASCADE,
  acknowledged_at   timestamptz,
  resolved_by       uuid REFERENCES users (id) ON DELETE CASCADE,
  resolved_at       timestamptz,
  expires_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE system_alerts IS 'Alerts raised by agents, signals or events, with acknowledgement and resolution';
COMMENT ON COLUMN system_alerts.data_points IS 'The metrics behind the alert, e.g. {"ctr": 0.4, "baseline_ctr": 1.9}';

CREATE TABLE IF NOT EXISTS user_notifications (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  alert_id          uuid REFERENCES system_alerts (id) ON DELETE CASCADE,
  notification_type text NOT NULL CHECK (notification_type IN ('alert', 'achievement', 'message', 'reminder', 'summary')),
  channel           text NOT NULL DEFAULT 'in_app' CHECK (channel IN ('in_app', 'email', 'slack', 'sms', 'push')),
  title             text NOT NULL,
  body              text,
  action_url        text,
  priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  is_read           boolean NOT NULL DEFAULT false,
  read_at           timestamptz,
  delivery_status   text NOT NULL DEFAULT 'pending' CHECK (delivery_status IN ('pending', 'delivered', 'failed', 'bounced')),
  expires_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE user_notifications IS 'One notification to one user on one channel, with read and delivery state';
COMMENT ON COLUMN user_notifications.action_url IS 'Where the call to action leads';

CREATE INDEX IF NOT EXISTS idx_system_alerts_workspace_status ON system_alerts (workspace_id, status);
CREATE INDEX IF NOT EXISTS idx_system_alerts_severity ON system_alerts (workspace_id, severity);
CREATE INDEX IF NOT EXISTS idx_system_alerts_created ON system_alerts (workspace_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_system_alerts_campaign ON system_alerts (campaign_id);
CREATE INDEX IF NOT EXISTS idx_system_alerts_agent ON system_alerts (source_agent_id);
CREATE INDEX IF NOT EXISTS idx_system_alerts_signal ON system_alerts (source_signal_id);
CREATE INDEX IF NOT EXISTS idx_user_notifications_user ON user_notifications (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_user_notifications_unread ON user_notifications (user_id) WHERE NOT is_read;
CREATE INDEX IF NOT EXISTS idx_user_notifications_type ON user_notifications (workspace_id, notification_type);
CREATE INDEX IF NOT EXISTS idx_user_notifications_priority ON user_notifications (user_id, priority);
CREATE INDEX IF NOT EXISTS idx_user_notifications_channel ON user_notifications (channel, delivery_status);
CREATE INDEX IF NOT EXISTS idx_user_notifications_alert ON user_notifications (alert_id);

CREATE OR REPLACE FUNCTION create_system_alert(
  p_workspace_id uuid, p_severity alert_severity, p_alert_type text, p_title text,
  p_source_agent_id uuid DEFAULT NULL, p_campaign_id uuid DEFAULT NULL, p_data_points jsonb DEFAULT '{}')
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO system_alerts (workspace_id, severity, alert_type, title, source_agent_id, campaign_id, data_points)
  VALUES (p_workspace_id, p_severity, p_alert_type, p_title, p_source_agent_id, p_campaign_id, p_data_points)
  RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;
COMMENT ON FUNCTION create_system_alert(uuid, alert_severity, text, text, uuid, uuid, jsonb) IS 'Raises an alert for a workspace; returns its id';

CREATE OR REPLACE FUNCTION send_user_notification(
  p_user_id uuid, p_workspace_id uuid, p_type text, p_title text,
  p_channel text DEFAULT 'in_app', p_priority text DEFAULT 'normal', p_alert_id uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM workspace_members WHERE user_id = p_user_id AND workspace_id = p_workspace_id) THEN
    RAISE EXCEPTION 'user % is not a member of workspace %', p_user_id, p_workspace_id;
  END IF;
  INSERT INTO user_notifications (workspace_id, user_id, alert_id, notification_type, channel, title, priority,
                                  delivery_status)
  VALUES (p_workspace_id, p_user_id, p_alert_id, p_type, p_channel, p_title, p_priority,
          CASE WHEN p_channel = 'in_app' THEN 'delivered' ELSE 'pending' END)
  RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;
COMMENT ON FUNCTION send_user_notification(uuid, uuid, text, text, text, text, uuid) IS 'Notifies one member; in-app notifications are delivered at once';

CREATE OR REPLACE FUNCTION acknowledge_alert(p_alert_id uuid, p_user_id uuid)
RETURNS boolean
LANGUAGE sql AS $$
  UPDATE system_alerts SET status = 'acknowledged', acknowledged_by = p_user_id, acknowledged_at = now()
  WHERE id = p_alert_id AND status = 'active'
  RETURNING true;
$$;
COMMENT ON FUNCTION acknowledge_alert(uuid, uuid) IS 'Marks an active alert acknowledged by a user; NULL when it was not active';

CREATE OR REPLACE FUNCTION mark_notification_as_read(p_notification_id uuid)
RETURNS boolean
LANGUAGE sql AS $$
  UPDATE user_notifications SET is_read = true, read_at = coalesce(read_at, now())
  WHERE id = p_notification_id
  RETURNING true;
$$;
COMMENT ON FUNCTION mark_notification_as_read(uuid) IS 'Marks a notification read, keeping the first read time';

CREATE OR REPLACE FUNCTION get_user_unread_notifications(p_user_id uuid)
RETURNS TABLE (id uuid, title text, notification_type text, priority text, created_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT n.id, n.title, n.notification_type, n.priority, n.created_at
  FROM user_notifications n
  WHERE n.user_id = p_user_id AND NOT n.is_read AND (n.expires_at IS NULL OR n.expires_at > now())
  ORDER BY array_position(ARRAY['urgent', 'high', 'normal', 'low'], n.priority), n.created_at DESC;
$$;
COMMENT ON FUNCTION get_user_unread_notifications(uuid) IS 'A user''s unexpired unread notifications, most urgent then newest first';

CREATE OR REPLACE FUNCTION get_critical_alerts(p_workspace_id uuid)
RETURNS TABLE (id uuid, severity alert_severity, title text, status text, created_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT a.id, a.severity, a.title, a.status, a.created_at
  FROM system_alerts a
  WHERE a.workspace_id = p_workspace_id AND a.severity IN ('critical', 'high')
    AND a.status IN ('active', 'acknowledged') AND (a.expires_at IS NULL OR a.expires_at > now())
  ORDER BY a.created_at DESC;
$$;
COMMENT ON FUNCTION get_critical_alerts(uuid) IS 'Unresolved critical and high alerts of a workspace, newest first';

DROP TRIGGER IF EXISTS trg_system_alerts_updated_at ON system_alerts;
CREATE TRIGGER trg_system_alerts_updated_at BEFORE UPDATE ON system_alerts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_user_notifications_updated_at ON user_notifications;
CREATE TRIGGER trg_user_notifications_updated_at BEFORE UPDATE ON user_notifications
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

ALTER TABLE system_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_notifications ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS workspace_isolation ON system_alerts;
CREATE POLICY workspace_isolation ON system_alerts
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON user_notifications;
CREATE POLICY workspace_isolation ON user_notifications
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS own_notifications ON user_notifications;
CREATE POLICY own_notifications ON user_notifications AS RESTRICTIVE
  USING (user_id = current_setting('app.current_user_id')::uuid);
