-- UC-4: workspace 1 assigns a researcher to a campaign and logs two runs in one hour.
INSERT INTO campaigns (id, workspace_id, name) VALUES (md5('sc:campaign')::uuid, md5('workspace:1')::uuid, 'SEO cluster');
INSERT INTO agent_assignments (id, workspace_id, agent_id, campaign_id, assigned_by, priority)
SELECT md5('sc:assignment')::uuid, md5('workspace:1')::uuid, id, md5('sc:campaign')::uuid, md5('user:1')::uuid, 'high'
FROM agent_registry WHERE slug = 'res-01';

-- scenario: two executions fold into one hourly row
CALL record_agent_execution(md5('sc:assignment')::uuid, true, 1800, 1200, 900, 0.42, '2024-02-05 10:05+00');
CALL record_agent_execution(md5('sc:assignment')::uuid, false, 4100, 1500, 300, 0.38, '2024-02-05 10:40+00');
-- expect:
--   executions | successes | failures | cost_cents
--   2          | 1         | 1        | 0.8
SELECT executions, successes, failures, cost_cents FROM agent_performance
WHERE assignment_id = md5('sc:assignment')::uuid;

-- scenario: the assignment counts its runs
CALL record_agent_execution(md5('sc:assignment')::uuid, true, 900, 800, 400, 0.2, '2024-02-05 11:00+00');
-- expect: 1
SELECT executions_count FROM agent_assignments WHERE id = md5('sc:assignment')::uuid;

-- scenario: the registry is global: no workspace column
-- expect: no rows
SELECT column_name FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = 'agent_registry' AND column_name = 'workspace_id';
