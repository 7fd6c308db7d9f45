-- Migration 014: gamification & achievements (Week 2 Monday, seed 002).
-- 3 tables, 1 enum, 10 indexes, 5 RLS policies, helper functions (two trigger functions,
-- unlock_achievement, and the refresh_user_stats procedure that backfills user_stats).
-- No down script: rolling back relies on the workbench (inverse of what it created, and the
-- backup of feature_flags taken before the UPDATE at the end). Idempotent: safe to run twice.

DO $$
BEGIN
  CREATE TYPE achievement_tier AS ENUM ('bronze', 'silver', 'gold', 'platinum');
EXCEPTION WHEN duplicate_object THEN NULL;
END;
$$;
COMMENT ON TYPE achievement_tier IS 'Badge tiers, lowest first';

CREATE TABLE IF NOT EXISTS achievements (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  code              text NOT NULL,
  name              text NOT NULL,
  badge_type        text NOT NULL CHECK (badge_type IN ('milestone', 'excellence', 'exploration', 'collaboration', 'speed', 'quality')),
  tier              achievement_tier NOT NULL DEFAULT 'bronze',
  points            integer NOT NULL DEFAULT 100 CHECK (points > 0),
  unlock_condition  jsonb NOT NULL DEFAULT '{}',
  rarity            text NOT NULL DEFAULT 'common' CHECK (rarity IN ('common', 'uncommon', 'rare', 'legendary')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, code)
);
COMMENT ON TABLE achievements IS 'Milestones and badges a workspace''s members can unlock';
COMMENT ON COLUMN achievements.unlock_condition IS 'Machine-readable rule, e.g. {"metric": "moves_completed", "gte": 10}';

CREATE TABLE IF NOT EXISTS user_achievements (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  achievement_id    uuid NOT NULL REFERENCES achievements (id) ON DELETE CASCADE,
  progress_percent  integer NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
  progress_data     jsonb NOT NULL DEFAULT '{}',
  unlocked_at       timestamptz,
  unlock_event      text,
  visibility        text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private', 'friends_only')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, achievement_id)
);
COMMENT ON TABLE user_achievements IS 'Each user''s progress towards, and unlocks of, achievements';

CREATE TABLE IF NOT EXISTS user_stats (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id           uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  moves_executed         integer NOT NULL DEFAULT 0,
  moves_succeeded        integer NOT NULL DEFAULT 0,
  move_success_rate      numeric(5, 2) NOT NULL DEFAULT 0,
  content_published      integer NOT NULL DEFAULT 0,
  content_engagements    bigint NOT NULL DEFAULT 0,
  points                 integer NOT NULL DEFAULT 0 CHECK (points >= 0),
  experience_level       integer NOT NULL DEFAULT 1,
  experience_percentage  numeric(5, 2) NOT NULL DEFAULT 0,
  badges_count           integer NOT NULL DEFAULT 0,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, user_id)
);
COMMENT ON TABLE user_stats IS 'Aggregate metrics per member: moves, content, points and level';
COMMENT ON COLUMN user_stats.experience_level IS 'One level per 1000 points, starting at 1';

CREATE INDEX IF NOT EXISTS idx_achievements_workspace ON achievements (workspace_id);
CREATE INDEX IF NOT EXISTS idx_achievements_badge_type ON achievements (badge_type, tier);
CREATE INDEX IF NOT EXISTS idx_user_achievements_user ON user_achievements (user_id);
CREATE INDEX IF NOT EXISTS idx_user_achievements_achievement ON user_achievements (achievement_id);
CREATE INDEX IF NOT EXISTS idx_user_achievements_workspace ON user_achievements (workspace_id);
CREATE INDEX IF NOT EXISTS idx_user_achievements_unlocked ON user_achievements (workspace_id, unlocked_at DESC)
  WHERE unlocked_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_user_stats_user ON user_stats (user_id);
CREATE INDEX IF NOT EXISTS idx_user_stats_points ON user_stats (workspace_id, points DESC);
CREATE INDEX IF NOT EXISTS idx_user_stats_level ON user_stats (experience_level);
CREATE INDEX IF NOT EXISTS idx_user_stats_success_rate ON user_stats (workspace_id, move_success_rate DESC);

CREATE OR REPLACE FUNCTION calculate_move_success_rate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.move_success_rate := CASE WHEN NEW.moves_executed > 0
                                THEN round(100.0 * NEW.moves_succeeded / NEW.moves_executed, 2) ELSE 0 END;
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION calculate_move_success_rate() IS 'Trigger: keeps user_stats.move_success_rate in step with the move counts';

CREATE OR REPLACE FUNCTION update_experience_level() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.experience_level := 1 + NEW.points / 1000;
  NEW.experience_percentage := round((NEW.points % 1000) / 10.0, 2);
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION update_experience_level() IS 'Trigger: one level every 1000 points; percentage is progress to the next';

CREATE OR REPLACE FUNCTION stamp_achievement_unlock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.progress_percent = 100 AND NEW.unlocked_at IS NULL THEN
    NEW.unlocked_at := now();
  END IF;
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION stamp_achievement_unlock() IS 'Trigger: a user achievement that reaches 100% is unlocked now';

CREATE OR REPLACE FUNCTION unlock_achievement(p_user_id uuid, p_achievement_id uuid, p_event text DEFAULT NULL)
RETURNS TABLE (success boolean, points_awarded integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_achievement achievements%ROWTYPE;
  v_row_count integer;
BEGIN
  SELECT * INTO v_achievement FROM achievements WHERE id = p_achievement_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'achievement % does not exist', p_achievement_id USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO user_achievements (workspace_id, user_id, achievement_id, progress_percent, unlocked_at, unlock_event)
  VALUES (v_achievement.workspace_id, p_user_id, p_achievement_id, 100, now(), p_event)
  ON CONFLICT (user_id, achievement_id) DO UPDATE
    SET progress_percent = 100, unlocked_at = now(), unlock_event = EXCLUDED.unlock_event
    WHERE user_achievements.unlocked_at IS NULL;
  GET DIAGNOSTICS v_row_count = ROW_COUNT;
  IF v_row_count = 0 THEN  -- already unlocked: nothing awarded twice
    RETURN QUERY SELECT false, 0;
    RETURN;
  END IF;
  INSERT INTO user_stats (workspace_id, user_id, points, badges_count)
  VALUES (v_achievement.workspace_id, p_user_id, v_achievement.points, 1)
  ON CONFLICT (workspace_id, user_id) DO UPDATE
    SET points = user_stats.points + EXCLUDED.points, badges_count = user_stats.badges_count + 1;
  RETURN QUERY SELECT true, v_achievement.points;
END;
$$;
COMMENT ON FUNCTION unlock_achievement(uuid, uuid, text) IS 'Unlocks an achievement and awards its points in one statement; false when already unlocked';

CREATE OR REPLACE PROCEDURE refresh_user_stats(p_workspace_id uuid DEFAULT NULL)
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_stats (workspace_id, user_id, moves_executed, moves_succeeded, content_published, content_engagements, points)
  SELECT m.workspace_id, m.user_id,
         coalesce(e.executed, 0), coalesce(e.succeeded, 0),
         coalesce(c.published, 0), coalesce(c.engagements, 0),
         100 * coalesce(e.succeeded, 0) + 150 * coalesce(c.published, 0)
  FROM workspace_members m
  LEFT JOIN (SELECT workspace_id, executed_by, count(*) AS executed, count(*) FILTER (WHERE outcome = 'success') AS succeeded
             FROM move_executions GROUP BY 1, 2) e ON e.workspace_id = m.workspace_id AND e.executed_by = m.user_id
  LEFT JOIN (SELECT ci.workspace_id, ci.author_id, count(DISTINCT ci.id) AS published, sum(p.engagements) AS engagements
             FROM content_items ci JOIN content_publications p ON p.content_item_id = ci.id GROUP BY 1, 2) c
         ON c.workspace_id = m.workspace_id AND c.author_id = m.user_id
  WHERE p_workspace_id IS NULL OR m.workspace_id = p_workspace_id
  ON CONFLICT (workspace_id, user_id) DO UPDATE
    SET moves_executed = EXCLUDED.moves_executed, moves_succeeded = EXCLUDED.moves_succeeded,
        content_published = EXCLUDED.content_published, content_engagements = EXCLUDED.content_engagements,
        points = greatest(user_stats.points, EXCLUDED.points)
    WHERE (user_stats.moves_executed, user_stats.moves_succeeded, user_stats.content_published, user_stats.content_engagements)
          IS DISTINCT FROM (EXCLUDED.moves_executed, EXCLUDED.moves_succeeded, EXCLUDED.content_published, EXCLUDED.content_engagements);
END;
$$;
COMMENT ON PROCEDURE refresh_user_stats(uuid) IS 'Recomputes user_stats from moves and content (all workspaces when given NULL)';

DROP TRIGGER IF EXISTS trg_user_stats_success_rate ON user_stats;
CREATE TRIGGER trg_user_stats_success_rate BEFORE INSERT OR UPDATE ON user_stats
  FOR EACH ROW EXECUTE FUNCTION calculate_move_success_rate();
DROP TRIGGER IF EXISTS trg_user_stats_experience_level ON user_stats;
CREATE TRIGGER trg_user_stats_experience_level BEFORE INSERT OR UPDATE ON user_stats
  FOR EACH ROW EXECUTE FUNCTION update_experience_level();
DROP TRIGGER IF EXISTS trg_user_achievements_unlock ON user_achievements;
CREATE TRIGGER trg_user_achievements_unlock BEFORE UPDATE ON user_achievements
  FOR EACH ROW EXECUTE FUNCTION stamp_achievement_unlock();
DROP TRIGGER IF EXISTS trg_achievements_updated_at ON achievements;
CREATE TRIGGER trg_achievements_updated_at BEFORE UPDATE ON achievements
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_user_achievements_updated_at ON user_achievements;
CREATE TRIGGER trg_user_achievements_updated_at BEFORE UPDATE ON user_achievements
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
DROP TRIGGER IF EXISTS trg_user_stats_updated_at ON user_stats;
CREATE TRIGGER trg_user_stats_updated_at BEFORE UPDATE ON user_stats
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

ALTER TABLE achievements ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_achievements ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_stats ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS workspace_isolation ON achievements;
CREATE POLICY workspace_isolation ON achievements
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON user_achievements;
CREATE POLICY workspace_isolation ON user_achievements
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS own_or_public ON user_achievements;
CREATE POLICY own_or_public ON user_achievements AS RESTRICTIVE
  USING (visibility = 'public' OR user_id = current_setting('app.current_user_id')::uuid);
DROP POLICY IF EXISTS workspace_isolation ON user_stats;
CREATE POLICY workspace_isolation ON user_stats
  USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
DROP POLICY IF EXISTS own_row_updates ON user_stats;
CREATE POLICY own_row_updates ON user_stats AS RESTRICTIVE FOR UPDATE
  USING (user_id = current_setting('app.current_user_id')::uuid);

-- The default achievement catalog in every workspace, then stats for every member.
INSERT INTO achievements (workspace_id, code, name, badge_type, tier, points, unlock_condition, rarity)
SELECT w.id, a.code, a.name, a.badge_type, a.tier::achievement_tier, a.points, a.cond::jsonb, a.rarity
FROM workspaces w CROSS JOIN (VALUES
  ('first_move', 'First move', 'milestone', 'bronze', 50, '{"metric": "moves_executed", "gte": 1}', 'common'),
  ('ten_moves', 'Ten moves in', 'milestone', 'silver', 200, '{"metric": "moves_executed", "gte": 10}', 'uncommon'),
  ('hundred_moves', 'Centurion', 'milestone', 'gold', 1000, '{"metric": "moves_executed", "gte": 100}', 'rare'),
  ('sharpshooter', 'Sharpshooter', 'excellence', 'gold', 500, '{"metric": "move_success_rate", "gte": 80}', 'rare'),
  ('first_publish', 'Hello, world', 'milestone', 'bronze', 50, '{"metric": "content_published", "gte": 1}', 'common'),
  ('prolific', 'Prolific', 'quality', 'silver', 300, '{"metric": "content_published", "gte": 25}', 'uncommon'),
  ('crowd_pleaser', 'Crowd pleaser', 'quality', 'platinum', 2000, '{"metric": "content_engagements", "gte": 50000}', 'legendary'),
  ('explorer', 'Explorer', 'exploration', 'bronze', 75, '{"metric": "channels_used", "gte": 3}', 'common'),
  ('team_player', 'Team player', 'collaboration', 'silver', 150, '{"metric": "comments_written", "gte": 20}', 'uncommon'),
  ('speed_runner', 'Speed runner', 'speed', 'gold', 400, '{"metric": "move_days", "lte": 7}', 'rare')
) AS a (code, name, badge_type, tier, points, cond, rarity)
ON CONFLICT (workspace_id, code) DO NOTHING;

CALL refresh_user_stats(NULL);

UPDATE feature_flags SET enabled = true, rollout_percentage = 25 WHERE key = 'gamification' AND NOT enabled;
