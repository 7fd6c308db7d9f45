-- orchestration_decisions.db: why the orchestrator gave each task to each agent (seed 003),
-- before consolidation. The seed found it could be empty; this sample holds 212 decisions
-- over the 85 tasks of task_queue.db, dry runs included. Timestamps are Unix seconds.

CREATE TABLE orchestration_decisions (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    timestamp FLOAT NOT NULL,
    task_id VARCHAR(255) NOT NULL,
    agent_id VARCHAR(255),
    task_type VARCHAR(255),
    success INTEGER,  -- 0 = False, 1 = True, NULL = Unknown
    failure_reason TEXT,
    tokens_used INTEGER,
    duration_seconds FLOAT,
    dry_run INTEGER DEFAULT 0,
    decision_process TEXT,  -- JSON string
    metadata TEXT  -- JSON string
);

CREATE INDEX idx_decisions_timestamp ON orchestration_decisions(timestamp);
CREATE INDEX idx_decisions_task_id ON orchestration_decisions(task_id);
CREATE INDEX idx_decisions_agent_id ON orchestration_decisions(agent_id);
CREATE INDEX idx_decisions_task_type ON orchestration_decisions(task_type);
CREATE INDEX idx_decisions_success ON orchestration_decisions(success);
CREATE INDEX idx_decisions_dry_run ON orchestration_decisions(dry_run);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 212)
INSERT INTO orchestration_decisions
SELECT printf('dec-%05d', i),
       1760950800 + i * 9137.5,
       printf('task-%04d', 1 + (i * 37) % 85),
       'agent-' || (i % 4),
       kind.name,
       CASE WHEN i % 9 = 0 THEN NULL WHEN i % 7 = 0 OR i % 11 = 0 THEN 0 ELSE 1 END,
       CASE WHEN i % 9 <> 0 AND (i % 7 = 0 OR i % 11 = 0)
            THEN CASE WHEN i % 2 = 0 THEN 'timeout after 600s' ELSE 'tests failed' END END,
       800 + (i * 7919) % 24000,
       round(12 + (i * 104729 % 5800) / 10.0, 1),
       CASE WHEN i % 17 = 0 THEN 1 ELSE 0 END,
       '{"candidates": ' || (2 + i % 3) || ', "chosen_by": "' || CASE WHEN i % 3 = 0 THEN 'lowest_load' ELSE 'capability_match' END
         || '", "score": ' || printf('%.2f', 0.5 + (i % 50) / 100.0) || '}',
       '{"orchestrator": "meridian-core 0.9.' || (i / 60) || '"}'
FROM n
JOIN (SELECT 0 AS k, 'code_review' AS name UNION ALL SELECT 1, 'refactor' UNION ALL SELECT 2, 'test_generation'
      UNION ALL SELECT 3, 'documentation' UNION ALL SELECT 4, 'migration') AS kind ON kind.k = ((i * 37) % 85 + 1) % 5;
