-- WEEK_2_VERIFICATION_QUERIES, summary: the "End State" numbers of the Week 2 Monday report.

-- check: week2_new_indexes
-- description: the explicitly named indexes per migration (12, 10, 15, 10, 12)
-- expect: 59
SELECT count(*) FROM pg_indexes
WHERE schemaname = 'public' AND indexname LIKE 'idx\_%'
  AND tablename IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                    'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                    'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                    'system_alerts', 'user_notifications');

-- check: week2_enums
-- description: Week 1's two enums plus achievement_tier (014) and alert_severity (017)
-- expect:
--   typname
--   achievement_tier
--   alert_severity
--   content_channel
--   member_role
SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype = 'e' ORDER BY typname;

-- check: week2_tables_commented
-- description: "comprehensive comments and documentation": every new table has a comment
-- expect: no rows
SELECT c.relname FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NULL
  AND c.relname IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                    'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                    'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                    'system_alerts', 'user_notifications');

-- check: agents_registered
-- description: "master registry of all 70+ agents" across the five guilds
-- expect:
--   guild            | agents
--   Council of Lords | 8
--   Guardians        | 12
--   Matrix           | 16
--   Muse             | 20
--   Research         | 16
SELECT guild, count(*) AS agents FROM agent_registry GROUP BY guild ORDER BY guild;

-- check: feature_flags_switched_on
-- description: gamification (014) and the intelligence feed (016) are rolled out
-- expect:
--   key               | enabled | rollout_percentage
--   gamification      | true    | 25
--   intelligence_feed | true    | 10
SELECT key, enabled, rollout_percentage FROM feature_flags
WHERE key IN ('gamification', 'intelligence_feed') ORDER BY key;
