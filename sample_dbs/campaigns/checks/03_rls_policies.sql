-- WEEK_2_VERIFICATION_QUERIES, query set 3: row-level security.
-- Week 1 had 18 policies. Week 2 adds one workspace_isolation policy per tenant table, plus
-- restrictive per-user policies on user_achievements, user_stats and user_notifications.

-- check: week2_rls_policy_count
-- description: 18 from Week 1 and 17 from migrations 013-017
-- expect: 35
SELECT count(*) FROM pg_policies WHERE schemaname = 'public';

-- check: week2_policies_per_table
-- expect:
--   tablename            | policies
--   achievements         | 1
--   agent_assignments    | 1
--   agent_performance    | 1
--   campaign_cohorts     | 1
--   campaign_quests      | 1
--   campaigns            | 1
--   intelligence_signals | 1
--   market_insights      | 1
--   message_architecture | 1
--   positioning          | 1
--   system_alerts        | 1
--   user_achievements    | 2
--   user_notifications   | 2
--   user_stats           | 2
SELECT tablename, count(*) AS policies FROM pg_policies
WHERE schemaname = 'public'
  AND tablename IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                    'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                    'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                    'system_alerts', 'user_notifications')
GROUP BY tablename ORDER BY tablename;

-- check: week2_policies_use_workspace_setting
-- description: every workspace_isolation policy reads app.current_workspace_id
-- expect: no rows
SELECT tablename FROM pg_policies
WHERE schemaname = 'public' AND policyname = 'workspace_isolation'
  AND qual NOT LIKE '%current_setting(''app.current_workspace_id''::text)%';

-- check: week2_rls_enabled_on_tenant_tables
-- description: every new table with a workspace_id has row-level security on
-- expect: no rows
SELECT c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relrowsecurity
  AND c.relname IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                    'achievements', 'user_achievements', 'user_stats', 'agent_assignments', 'agent_performance',
                    'intelligence_signals', 'market_insights', 'system_alerts', 'user_notifications');

-- check: agent_registry_is_global
-- description: the registry and capabilities are shared by all workspaces: no RLS
-- expect:
--   relname            | relrowsecurity
--   agent_capabilities | false
--   agent_registry     | false
SELECT relname, relrowsecurity FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relname IN ('agent_registry', 'agent_capabilities')
ORDER BY relname;
