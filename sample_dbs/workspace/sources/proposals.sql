-- proposals.db: the learning-proposal store of meridian-core (seed 003), before consolidation.
-- One proposal, as in the seed. Timestamps are Unix seconds (FLOAT), unlike workspace.db.

CREATE TABLE proposals (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    hypothesis TEXT NOT NULL,
    rationale TEXT NOT NULL,
    pattern_id VARCHAR(255),
    performance_data TEXT,  -- JSON string
    implementation_result TEXT,
    metadata TEXT,  -- JSON string
    status VARCHAR(50) NOT NULL,
    created_at FLOAT NOT NULL,
    reviewed_at FLOAT,
    implemented_at FLOAT,
    review_notes TEXT
);

INSERT INTO proposals VALUES (
    'prop-7f3a9c21',
    'Routing code_review tasks to the agent with the lowest recent failure rate cuts retries by a third',
    'Over the last 212 orchestration decisions, 31 code_review failures came from two agents that also had the longest queues; failures cluster when an overloaded agent is chosen.',
    'pattern-agent-load-failures',
    '{"sample_size": 212, "failure_rate_before": 0.146, "retries_per_task": 1.38}',
    NULL,
    '{"source": "learning_loop", "confidence": 0.72, "generated_by": "meridian-core 0.9.4"}',
    'pending_review',
    1763164800.25,
    NULL,
    NULL,
    NULL
);
