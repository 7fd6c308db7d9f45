-- Migration 001: consolidate proposals.db, task_queue.db and orchestration_decisions.db into
-- workspace.db (seed 003, phase 1.1, "Option A: keep original names"). The profile attaches
-- the sources as proposals_source, task_queue_source and orch_source. Each table is created
-- in main with the seed's definition, then filled by a direct copy (same columns, same order).
-- The sources are only read; the existing 27 workspace tables are not touched.

CREATE TABLE main.proposals (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    hypothesis TEXT NOT NULL,
    rationale TEXT NOT NULL,
    pattern_id VARCHAR(255),
    performance_data TEXT,
    implementation_result TEXT,
    metadata TEXT,
    status VARCHAR(50) NOT NULL,
    created_at FLOAT NOT NULL,
    reviewed_at FLOAT,
    implemented_at FLOAT,
    review_notes TEXT
);
INSERT INTO main.proposals SELECT * FROM proposals_source.proposals;

-- `tasks` is the orchestrator's queue, not workspace_tasks (WMS tasks): both stay.
CREATE TABLE main.tasks (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    title VARCHAR(500) NOT NULL,
    description TEXT,
    status VARCHAR(100) NOT NULL,
    priority VARCHAR(50) NOT NULL,
    capability_required VARCHAR(255),
    estimated_tokens INTEGER,
    tags TEXT,
    dependencies TEXT,
    failures TEXT,
    metadata TEXT,
    file VARCHAR(500),
    created_by VARCHAR(255),
    created_at VARCHAR(100),
    updated_at VARCHAR(100),
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO main.tasks SELECT * FROM task_queue_source.tasks;

CREATE TABLE main.task_queue_metadata (
    key VARCHAR(255) NOT NULL PRIMARY KEY,
    value TEXT,
    updated_at VARCHAR(100)
);
INSERT INTO main.task_queue_metadata SELECT * FROM task_queue_source.task_queue_metadata;

CREATE TABLE IF NOT EXISTS main.orchestration_decisions (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    timestamp FLOAT NOT NULL,
    task_id VARCHAR(255) NOT NULL,
    agent_id VARCHAR(255),
    task_type VARCHAR(255),
    success INTEGER,
    failure_reason TEXT,
    tokens_used INTEGER,
    duration_seconds FLOAT,
    dry_run INTEGER DEFAULT 0,
    decision_process TEXT,
    metadata TEXT
);
INSERT INTO main.orchestration_decisions SELECT * FROM orch_source.orchestration_decisions;
