-- WEEK_2_VERIFICATION_QUERIES, query set 2: foreign keys and their integrity.
-- Declared foreign keys are also checked for orphans by the built-in checks; the queries
-- here cover what no foreign key can enforce (tenants that must match, arrays of ids).

-- check: week2_new_foreign_keys
-- description: the report promises 40+ new foreign keys on the 16 new tables
-- expect: >= 40
SELECT count(*) FROM information_schema.table_constraints
WHERE constraint_schema = 'public' AND constraint_type = 'FOREIGN KEY'
  AND table_name IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                     'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                     'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                     'system_alerts', 'user_notifications');

-- check: week2_foreign_keys_cascade
-- description: "all foreign keys properly defined with CASCADE delete"
-- expect: no rows
SELECT tc.table_name, tc.constraint_name, rc.delete_rule
FROM information_schema.table_constraints tc
JOIN information_schema.referential_constraints rc
  ON rc.constraint_schema = tc.constraint_schema AND rc.constraint_name = tc.constraint_name
WHERE tc.constraint_schema = 'public' AND tc.constraint_type = 'FOREIGN KEY' AND rc.delete_rule <> 'CASCADE'
  AND tc.table_name IN ('positioning', 'message_architecture', 'campaigns', 'campaign_quests', 'campaign_cohorts',
                        'achievements', 'user_achievements', 'user_stats', 'agent_registry', 'agent_capabilities',
                        'agent_assignments', 'agent_performance', 'intelligence_signals', 'market_insights',
                        'system_alerts', 'user_notifications');

-- check: user_stats_belong_to_members
-- description: every stats row is for a member of that workspace (no foreign key says so)
-- expect: no rows
SELECT s.workspace_id, s.user_id
FROM user_stats s
LEFT JOIN workspace_members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id
WHERE m.user_id IS NULL;

-- check: user_achievements_same_workspace
-- description: an unlocked achievement is one of the user's own workspace
-- expect: no rows
SELECT ua.id FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id
WHERE a.workspace_id <> ua.workspace_id;

-- check: campaign_cohorts_same_workspace
-- description: a campaign targets only cohorts of its own workspace
-- expect: no rows
SELECT cc.campaign_id, cc.cohort_id
FROM campaign_cohorts cc
JOIN campaigns c ON c.id = cc.campaign_id
JOIN cohorts h ON h.id = cc.cohort_id
WHERE c.workspace_id <> cc.workspace_id OR h.workspace_id <> cc.workspace_id;

-- check: agent_assignments_by_members
-- description: agents are assigned by members of the workspace they work for
-- expect: no rows
SELECT a.id FROM agent_assignments a
LEFT JOIN workspace_members m ON m.workspace_id = a.workspace_id AND m.user_id = a.assigned_by
WHERE a.assigned_by IS NOT NULL AND m.user_id IS NULL;

-- check: market_insights_signals_exist
-- description: every signal an insight was built from still exists, in the same workspace
-- expect: no rows
SELECT i.id, s.signal_id
FROM market_insights i CROSS JOIN LATERAL unnest(i.signal_ids) AS s (signal_id)
LEFT JOIN intelligence_signals g ON g.id = s.signal_id AND g.workspace_id = i.workspace_id
WHERE g.id IS NULL;
