-- UC-1: one query over the consolidated workspace.db joins tasks and their decisions.

-- scenario: every decision belongs to a task in workspace.db
-- expect: no rows
SELECT d.id FROM main.orchestration_decisions d LEFT JOIN main.tasks t ON t.id = d.task_id WHERE t.id IS NULL;

-- scenario: failed tasks show the decisions that led to them
-- expect: rows: >= 1
SELECT t.id, t.title, d.agent_id, d.failure_reason
FROM main.tasks t JOIN main.orchestration_decisions d ON d.task_id = t.id
WHERE t.status = 'failed' AND d.success = 0;

-- scenario: success rate per task type, dry runs left out
-- expect: rows: 5
SELECT d.task_type, round(avg(d.success), 2) AS success_rate
FROM main.orchestration_decisions d WHERE d.dry_run = 0 AND d.success IS NOT NULL
GROUP BY d.task_type;
