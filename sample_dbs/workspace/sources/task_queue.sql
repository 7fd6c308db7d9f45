-- task_queue.db: the orchestrator's task queue (seed 003), before consolidation.
-- 85 tasks and 5 metadata keys, as in the seed. Times are ISO-8601 strings; list and object
-- fields are JSON text. Generated with a recursive counter, so the file is reproducible.

CREATE TABLE tasks (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    title VARCHAR(500) NOT NULL,
    description TEXT,
    status VARCHAR(100) NOT NULL,
    priority VARCHAR(50) NOT NULL,
    capability_required VARCHAR(255),
    estimated_tokens INTEGER,
    tags TEXT,  -- JSON array string
    dependencies TEXT,  -- JSON array string
    failures TEXT,  -- JSON array string
    metadata TEXT,  -- JSON string
    file VARCHAR(500),
    created_by VARCHAR(255),
    created_at VARCHAR(100),  -- ISO format string
    updated_at VARCHAR(100),  -- ISO format string
    version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX idx_tasks_status ON tasks(status);
CREATE INDEX idx_tasks_priority ON tasks(priority);
CREATE INDEX idx_tasks_tags ON tasks(tags);
CREATE INDEX idx_tasks_updated_at ON tasks(updated_at);

CREATE TABLE task_queue_metadata (
    key VARCHAR(255) NOT NULL PRIMARY KEY,
    value TEXT,  -- JSON string
    updated_at VARCHAR(100)  -- ISO format string
);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 85),
capability(k, name, verb) AS (VALUES (0, 'code_review', 'Review'), (1, 'refactor', 'Refactor'),
  (2, 'test_generation', 'Write tests for'), (3, 'documentation', 'Document'), (4, 'migration', 'Migrate')),
module(k, path) AS (VALUES (0, 'meridian_core/orchestrator/router.py'), (1, 'meridian_core/db/models.py'),
  (2, 'meridian_core/learning/proposals.py'), (3, 'workspace/wms/drift.py'), (4, 'workspace/db/models.py'),
  (5, 'meridian_core/queue/task_queue.py'), (6, 'workspace/cli/sessions.py'))
INSERT INTO tasks
SELECT printf('task-%04d', i),
       c.verb || ' ' || m.path,
       CASE WHEN i % 4 = 0 THEN 'Raised by drift scan: component boundary crossed in ' || m.path END,
       CASE WHEN i <= 52 THEN 'completed' WHEN i <= 60 THEN 'failed' WHEN i <= 68 THEN 'in_progress'
            WHEN i <= 72 THEN 'claimed' ELSE 'pending' END,
       CASE WHEN i % 11 = 0 THEN 'critical' WHEN i % 4 = 0 THEN 'high' WHEN i % 3 = 0 THEN 'low' ELSE 'normal' END,
       c.name,
       1500 + (i * 7919) % 18000,
       '["' || c.name || '"' || CASE WHEN i % 3 = 0 THEN ', "consolidation"' ELSE '' END || ']',
       CASE WHEN i > 10 AND i % 5 = 0 THEN '["' || printf('task-%04d', i - 7) || '"]' ELSE '[]' END,
       CASE WHEN i BETWEEN 53 AND 60 THEN '[{"agent": "agent-' || (i % 4) || '", "reason": "timeout after 600s"}]'
            WHEN i % 13 = 0 THEN '[{"agent": "agent-2", "reason": "tests failed"}]' ELSE '[]' END,
       '{"attempts": ' || (1 + i % 3) || ', "source": "' || CASE WHEN i % 4 = 0 THEN 'drift_scan' ELSE 'planner' END || '"}',
       m.path,
       CASE WHEN i % 4 = 0 THEN 'wms-drift-scanner' ELSE 'meridian-planner' END,
       strftime('%Y-%m-%dT%H:%M:%S', '2025-10-20 09:00:00', '+' || (i * 7) || ' hours'),
       strftime('%Y-%m-%dT%H:%M:%S', '2025-10-20 09:00:00', '+' || (i * 7 + 2 + i % 30) || ' hours'),
       CASE WHEN i <= 60 THEN 2 + i % 3 WHEN i <= 72 THEN 1 ELSE 0 END
FROM n
JOIN capability c ON c.k = i % 5
JOIN module m ON m.k = (i * 3) % 7;

INSERT INTO task_queue_metadata VALUES
    ('schema_version', '"3"', '2025-10-20T09:00:00'),
    ('last_claim_sweep', '{"at": "2025-11-21T17:55:02", "released": 2}', '2025-11-21T17:55:02'),
    ('claim_timeout_seconds', '600', '2025-10-28T11:12:40'),
    ('agents_registered', '["agent-0", "agent-1", "agent-2", "agent-3"]', '2025-11-02T08:30:00'),
    ('paused', 'false', '2025-11-18T16:45:10');
