-- UC-2: a campaign's objective broken into quests, the leaves tied to existing moves.
INSERT INTO campaigns (id, workspace_id, name, status) VALUES
  (md5('sc:campaign')::uuid, md5('workspace:1')::uuid, 'Webinar season', 'active');
INSERT INTO campaign_quests (id, workspace_id, campaign_id, parent_quest_id, move_id, title) VALUES
  (md5('sc:q1')::uuid, md5('workspace:1')::uuid, md5('sc:campaign')::uuid, NULL, NULL, 'Fill three webinars'),
  (md5('sc:q2')::uuid, md5('workspace:1')::uuid, md5('sc:campaign')::uuid, md5('sc:q1')::uuid, md5('move:1')::uuid, 'Invite trial users'),
  (md5('sc:q3')::uuid, md5('workspace:1')::uuid, md5('sc:campaign')::uuid, md5('sc:q1')::uuid, md5('move:49')::uuid, 'Partner newsletter swap');

-- scenario: the quest tree reads back with depths
-- expect:
--   title                  | depth
--   Fill three webinars    | 1
--   Invite trial users     | 2
--   Partner newsletter swap | 2
WITH RECURSIVE tree AS (
  SELECT id, title, 1 AS depth FROM campaign_quests WHERE campaign_id = md5('sc:campaign')::uuid AND parent_quest_id IS NULL
  UNION ALL
  SELECT q.id, q.title, t.depth + 1 FROM campaign_quests q JOIN tree t ON q.parent_quest_id = t.id
)
SELECT title, depth FROM tree;

-- scenario: deleting the campaign removes its quests
DELETE FROM campaigns WHERE id = md5('sc:campaign')::uuid;
-- expect: 0
SELECT count(*) FROM campaign_quests WHERE campaign_id = md5('sc:campaign')::uuid;
