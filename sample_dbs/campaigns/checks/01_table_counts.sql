-- WEEK_2_VERIFICATION_QUERIES, query set 1: table counts.
-- Week 1 left 43 tables; migrations 013-017 add 16, so these fail until all five are applied.

-- check: week2_table_count
-- description: 43 tables after Week 1 plus the 16 of migrations 013-017
-- expect: 59
SELECT count(*) FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE';

-- check: week2_tables_per_migration
-- description: every migration created all of its tables
-- expect:
--   migration | tables
--   '013'     | 5
--   '014'     | 3
--   '015'     | 4
--   '016'     | 2
--   '017'     | 2
SELECT m.migration, count(t.table_name) AS tables
FROM (VALUES ('013', 'positioning'), ('013', 'message_architecture'), ('013', 'campaigns'),
             ('013', 'campaign_quests'), ('013', 'campaign_cohorts'),
             ('014', 'achievements'), ('014', 'user_achievements'), ('014', 'user_stats'),
             ('015', 'agent_registry'), ('015', 'agent_capabilities'), ('015', 'agent_assignments'),
             ('015', 'agent_performance'),
             ('016', 'intelligence_signals'), ('016', 'market_insights'),
             ('017', 'system_alerts'), ('017', 'user_notifications')) AS m (migration, table_name)
LEFT JOIN information_schema.tables t
       ON t.table_schema = 'public' AND t.table_name = m.table_name AND t.table_type = 'BASE TABLE'
GROUP BY m.migration
ORDER BY m.migration;

-- check: week1_tables_untouched
-- description: the Week 2 migrations only add tables; the Week 1 core is all still there
-- expect: 43
SELECT count(*) FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  AND table_name NOT IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                         'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                         'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                         'system_alerts', 'user_notifications');
