-- WEEK_2_VERIFICATION_QUERIES, query set 5: triggers.

-- check: week2_updated_at_triggers
-- description: each of the 16 new tables keeps updated_at current
-- expect: 16
SELECT count(*) FROM information_schema.triggers
WHERE trigger_schema = 'public' AND event_manipulation = 'UPDATE'
  AND trigger_name LIKE 'trg\_%\_updated\_at'
  AND action_statement = 'EXECUTE FUNCTION update_updated_at_column()'
  AND event_object_table IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                             'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                             'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                             'system_alerts', 'user_notifications');

-- check: gamification_triggers
-- description: the stats and unlock triggers of migration 014
-- expect:
--   tgname                          | table_name        | function
--   trg_user_achievements_unlock    | user_achievements | stamp_achievement_unlock
--   trg_user_stats_experience_level | user_stats        | update_experience_level
--   trg_user_stats_success_rate     | user_stats        | calculate_move_success_rate
SELECT t.tgname, c.relname AS table_name, p.proname AS function
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
  AND p.proname IN ('stamp_achievement_unlock', 'update_experience_level', 'calculate_move_success_rate')
ORDER BY t.tgname;

-- check: every_updated_at_column_has_its_trigger
-- description: no table with updated_at is missing the trigger that maintains it
-- expect: no rows
SELECT c.table_name FROM information_schema.columns c
WHERE c.table_schema = 'public' AND c.column_name = 'updated_at'
  AND NOT EXISTS (SELECT 1 FROM information_schema.triggers t
                  WHERE t.trigger_schema = 'public' AND t.event_object_table = c.table_name
                    AND t.action_statement = 'EXECUTE FUNCTION update_updated_at_column()');
