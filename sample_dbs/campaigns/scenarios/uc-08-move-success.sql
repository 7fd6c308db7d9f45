-- UC-8: a move's success score is the share of its executions that succeeded.

-- scenario: every scored move agrees with its executions
-- expect: no rows
SELECT m.id FROM moves m
JOIN move_executions e ON e.move_id = m.id
GROUP BY m.id, m.success_score
HAVING m.success_score <> round(100.0 * count(*) FILTER (WHERE e.outcome = 'success') / count(*), 2);

-- scenario: planned moves have no score yet
-- expect: 0
SELECT count(*) FROM moves WHERE status = 'planned' AND success_score IS NOT NULL;

-- scenario: a move cannot end before it starts
-- expect: error: moves_check
INSERT INTO moves (workspace_id, owner_id, name, starts_on, ends_on)
VALUES (md5('workspace:1')::uuid, md5('user:1')::uuid, 'Backwards move', '2024-03-01', '2024-02-01');
