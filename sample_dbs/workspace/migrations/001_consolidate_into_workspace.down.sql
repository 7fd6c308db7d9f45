-- Down for 001: the consolidated tables leave workspace.db. Qualified with main, so that a
-- table missing from main can never resolve to the attached source of the same name.
DROP TABLE IF EXISTS main.orchestration_decisions;
DROP TABLE IF EXISTS main.task_queue_metadata;
DROP TABLE IF EXISTS main.tasks;
DROP TABLE IF EXISTS main.proposals;
