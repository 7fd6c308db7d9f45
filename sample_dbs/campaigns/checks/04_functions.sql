-- WEEK_2_VERIFICATION_QUERIES, query set 4: helper functions and procedures.

-- check: week2_functions_exist
-- description: the helper functions of migrations 014-017, with their kind
-- expect:
--   proname                       | kind
--   acknowledge_alert             | function
--   calculate_move_success_rate   | trigger function
--   create_insight_from_signals   | function
--   create_system_alert           | function
--   get_active_insights           | function
--   get_critical_alerts           | function
--   get_priority_signals          | function
--   get_user_unread_notifications | function
--   mark_notification_as_read     | function
--   record_agent_execution        | procedure
--   refresh_user_stats            | procedure
--   send_user_notification        | function
--   stamp_achievement_unlock      | trigger function
--   unlock_achievement            | function
--   update_experience_level       | trigger function
SELECT p.proname,
       CASE WHEN p.prokind = 'p' THEN 'procedure'
            WHEN p.prorettype = 'trigger'::regtype THEN 'trigger function' ELSE 'function' END AS kind
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace AND p.proname <> 'update_updated_at_column'
ORDER BY p.proname;

-- check: updated_at_trigger_function_exists
-- description: the Week 1 trigger function every updated_at trigger runs
-- expect: 1
SELECT count(*) FROM pg_proc
WHERE pronamespace = 'public'::regnamespace AND proname = 'update_updated_at_column';

-- check: unlock_achievement_returns_points
-- description: the unlock function reports success and the points it awarded
-- expect: 'TABLE(success boolean, points_awarded integer)'
SELECT pg_get_function_result('unlock_achievement(uuid, uuid, text)'::regprocedure);

-- check: experience_level_every_1000_points
-- description: the stats triggers ran on the backfill: levels follow points
-- expect: no rows
SELECT id, points, experience_level FROM user_stats WHERE experience_level <> 1 + points / 1000;
