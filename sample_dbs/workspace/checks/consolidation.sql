-- The consolidation is complete and faithful: every record of every source is in
-- workspace.db, unchanged, and workspace.db's own tables are as they were. Each check reads
-- main (workspace.db) and the attached sources side by side.

-- check: consolidated_tables_present
-- description: the four tables of the seed's "Option A" are in workspace.db
-- expect:
--   name
--   orchestration_decisions
--   proposals
--   task_queue_metadata
--   tasks
SELECT name FROM main.sqlite_master
WHERE type = 'table' AND name IN ('proposals', 'tasks', 'task_queue_metadata', 'orchestration_decisions')
ORDER BY name;

-- check: workspace_table_count
-- description: 27 WMS tables plus the 4 consolidated ones
-- expect: 31
SELECT count(*) FROM main.sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'workbench\_%' ESCAPE '\';

-- check: record_counts_match_sources
-- description: as many records in workspace.db as in each source (the seed's ~91, plus decisions)
-- expect:
--   table_name              | source | consolidated
--   orchestration_decisions | 212    | 212
--   proposals               | 1      | 1
--   task_queue_metadata     | 5      | 5
--   tasks                   | 85     | 85
SELECT 'orchestration_decisions' AS table_name, (SELECT count(*) FROM orch_source.orchestration_decisions) AS source,
       (SELECT count(*) FROM main.orchestration_decisions) AS consolidated
UNION ALL SELECT 'proposals', (SELECT count(*) FROM proposals_source.proposals), (SELECT count(*) FROM main.proposals)
UNION ALL SELECT 'task_queue_metadata', (SELECT count(*) FROM task_queue_source.task_queue_metadata),
                 (SELECT count(*) FROM main.task_queue_metadata)
UNION ALL SELECT 'tasks', (SELECT count(*) FROM task_queue_source.tasks), (SELECT count(*) FROM main.tasks)
ORDER BY 1;

-- check: tasks_copied_unchanged
-- description: every source task is in workspace.db with every column equal
-- expect: no rows
SELECT * FROM task_queue_source.tasks EXCEPT SELECT * FROM main.tasks;

-- check: decisions_copied_unchanged
-- expect: no rows
SELECT * FROM orch_source.orchestration_decisions EXCEPT SELECT * FROM main.orchestration_decisions;

-- check: proposals_and_metadata_copied_unchanged
-- expect: no rows
SELECT 'proposals', id FROM (SELECT * FROM proposals_source.proposals EXCEPT SELECT * FROM main.proposals)
UNION ALL
SELECT 'task_queue_metadata', key FROM (SELECT * FROM task_queue_source.task_queue_metadata
                                        EXCEPT SELECT * FROM main.task_queue_metadata);

-- check: nothing_extra_in_workspace
-- description: no record in workspace.db that is not in its source
-- expect: 0
SELECT (SELECT count(*) FROM (SELECT * FROM main.tasks EXCEPT SELECT * FROM task_queue_source.tasks))
     + (SELECT count(*) FROM (SELECT * FROM main.orchestration_decisions EXCEPT SELECT * FROM orch_source.orchestration_decisions));

-- check: decisions_point_at_known_tasks
-- description: the seed keeps no foreign key between them; the data still agrees
-- expect: no rows
SELECT d.id, d.task_id FROM main.orchestration_decisions d
LEFT JOIN main.tasks t ON t.id = d.task_id
WHERE t.id IS NULL;

-- check: consolidated_indexes
-- description: the 14 indexes of the seed's "New Indexes to Create"
-- expect: 14
SELECT count(*) FROM main.sqlite_master
WHERE type = 'index' AND tbl_name IN ('proposals', 'tasks', 'task_queue_metadata', 'orchestration_decisions')
  AND name LIKE 'idx\_%' ESCAPE '\';

-- check: workspace_records_unchanged
-- description: the WMS tables keep the seed's record counts
-- expect:
--   table_name              | records
--   architecture_components | 53
--   architecture_decisions  | 4
--   bastard_reports         | 8
--   code_component_mappings | 183
--   cross_repo_issues       | 4
--   session_activities      | 4
--   unregistered_files      | 289
--   work_contexts           | 4
--   workspace_sessions      | 3
--   workspace_tasks         | 62
SELECT 'architecture_components' AS table_name, count(*) AS records FROM main.architecture_components
UNION ALL SELECT 'architecture_decisions', count(*) FROM main.architecture_decisions
UNION ALL SELECT 'bastard_reports', count(*) FROM main.bastard_reports
UNION ALL SELECT 'code_component_mappings', count(*) FROM main.code_component_mappings
UNION ALL SELECT 'cross_repo_issues', count(*) FROM main.cross_repo_issues
UNION ALL SELECT 'session_activities', count(*) FROM main.session_activities
UNION ALL SELECT 'unregistered_files', count(*) FROM main.unregistered_files
UNION ALL SELECT 'work_contexts', count(*) FROM main.work_contexts
UNION ALL SELECT 'workspace_sessions', count(*) FROM main.workspace_sessions
UNION ALL SELECT 'workspace_tasks', count(*) FROM main.workspace_tasks
ORDER BY 1;
