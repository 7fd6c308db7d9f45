-- UC-1: a campaign for workspace 1, positioned for one cohort, reaching two.
INSERT INTO positioning (id, workspace_id, cohort_id, name, statement, status)
VALUES (md5('sc:positioning')::uuid, md5('workspace:1')::uuid, md5('cohort:1')::uuid, 'Trial users',
        'For teams in their first week, Northwind is the planner that shows results by Friday', 'active');
INSERT INTO campaigns (id, workspace_id, positioning_id, owner_id, name, status, budget_cents, starts_on, ends_on)
VALUES (md5('sc:campaign')::uuid, md5('workspace:1')::uuid, md5('sc:positioning')::uuid, md5('user:1')::uuid,
        'Q1 activation push', 'planning', 1500000, '2024-02-05', '2024-03-29');

-- scenario: budget split between two cohorts
INSERT INTO campaign_cohorts (campaign_id, cohort_id, workspace_id, allocation_percentage, target_count)
VALUES (md5('sc:campaign')::uuid, md5('cohort:1')::uuid, md5('workspace:1')::uuid, 60, 1200),
       (md5('sc:campaign')::uuid, md5('cohort:2')::uuid, md5('workspace:1')::uuid, 40, 800);
-- expect: 100
SELECT sum(allocation_percentage) FROM campaign_cohorts WHERE campaign_id = md5('sc:campaign')::uuid;

-- scenario: a campaign moves from planning to active
UPDATE campaigns SET status = 'active' WHERE id = md5('sc:campaign')::uuid;
-- expect: 'active'
SELECT status FROM campaigns WHERE id = md5('sc:campaign')::uuid;

-- scenario: an allocation above 100% is refused
-- expect: error: allocation_percentage
INSERT INTO campaign_cohorts (campaign_id, cohort_id, workspace_id, allocation_percentage)
VALUES (md5('sc:campaign')::uuid, md5('cohort:3')::uuid, md5('workspace:1')::uuid, 120);

-- scenario: an unknown status is refused
-- expect: error: campaigns_status_check
UPDATE campaigns SET status = 'launched' WHERE id = md5('sc:campaign')::uuid;
