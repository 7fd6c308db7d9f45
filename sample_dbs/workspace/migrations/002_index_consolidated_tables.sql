-- Migration 002: the indexes of the seed's "New Indexes to Create" on the consolidated
-- tables. No down script: rolling back drops them (the inverse of CREATE INDEX).

CREATE INDEX main.idx_proposals_status ON proposals (status);
CREATE INDEX main.idx_proposals_created_at ON proposals (created_at);

CREATE INDEX main.idx_tasks_status ON tasks (status);
CREATE INDEX main.idx_tasks_priority ON tasks (priority);
CREATE INDEX main.idx_tasks_tags ON tasks (tags);
CREATE INDEX main.idx_tasks_updated_at ON tasks (updated_at);
CREATE INDEX main.idx_tasks_capability_required ON tasks (capability_required);

CREATE INDEX main.idx_task_queue_metadata_updated_at ON task_queue_metadata (updated_at);

CREATE INDEX main.idx_decisions_timestamp ON orchestration_decisions (timestamp);
CREATE INDEX main.idx_decisions_task_id ON orchestration_decisions (task_id);
CREATE INDEX main.idx_decisions_agent_id ON orchestration_decisions (agent_id);
CREATE INDEX main.idx_decisions_task_type ON orchestration_decisions (task_type);
CREATE INDEX main.idx_decisions_success ON orchestration_decisions (success);
CREATE INDEX main.idx_decisions_dry_run ON orchestration_decisions (dry_run);
