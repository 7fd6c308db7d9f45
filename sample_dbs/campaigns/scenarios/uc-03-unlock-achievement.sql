-- UC-3: user 49 (a member of workspace 1) unlocks "Centurion" (1000 points).

-- scenario: the first unlock awards the points
-- expect:
--   success | points_awarded
--   true    | 1000
SELECT * FROM unlock_achievement(md5('user:49')::uuid,
  (SELECT id FROM achievements WHERE workspace_id = md5('workspace:1')::uuid AND code = 'hundred_moves'), 'sc');

-- scenario: a second unlock awards nothing
SELECT * FROM unlock_achievement(md5('user:49')::uuid,
  (SELECT id FROM achievements WHERE workspace_id = md5('workspace:1')::uuid AND code = 'hundred_moves'), 'sc');
-- expect:
--   success | points_awarded
--   false   | 0
SELECT * FROM unlock_achievement(md5('user:49')::uuid,
  (SELECT id FROM achievements WHERE workspace_id = md5('workspace:1')::uuid AND code = 'hundred_moves'), 'sc');

-- scenario: 1000 more points is one more level
UPDATE user_stats SET points = 0 WHERE workspace_id = md5('workspace:1')::uuid AND user_id = md5('user:49')::uuid;
SELECT * FROM unlock_achievement(md5('user:49')::uuid,
  (SELECT id FROM achievements WHERE workspace_id = md5('workspace:1')::uuid AND code = 'hundred_moves'), 'sc');
-- expect: 2
SELECT experience_level FROM user_stats WHERE workspace_id = md5('workspace:1')::uuid AND user_id = md5('user:49')::uuid;
