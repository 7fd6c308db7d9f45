-- UC-7: engagement per channel for workspace 1, as the weekly report shows it.

-- scenario: every published item of the workspace has a publication on its channel
-- expect: no rows
SELECT c.id FROM content_items c
WHERE c.workspace_id = md5('workspace:1')::uuid AND c.status = 'published'
  AND NOT EXISTS (SELECT 1 FROM content_publications p WHERE p.content_item_id = c.id AND p.channel = c.channel);

-- scenario: the report has one row per channel used
-- expect: rows: >= 3
SELECT p.channel, sum(p.impressions) AS impressions, sum(p.engagements) AS engagements
FROM content_publications p WHERE p.workspace_id = md5('workspace:1')::uuid
GROUP BY p.channel;

-- scenario: an unknown channel is refused
-- expect: error: content_channel
INSERT INTO content_items (workspace_id, author_id, title, channel)
VALUES (md5('workspace:1')::uuid, md5('user:1')::uuid, 'TikTok teaser', 'tiktok');
