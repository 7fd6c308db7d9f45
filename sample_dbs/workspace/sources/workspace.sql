-- workspace.db: the workspace management system (WMS) database of seed 003, before the
-- consolidation: the 27 tables the seed lists (it says 26, then names 27), with its record
-- counts (62 workspace tasks, 53 components, 183 file mappings, 289 unregistered files, …) and
-- the 17 tables that were still empty. Generated with recursive counters: reproducible.

CREATE TABLE workflows (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE workflow_stages (
    id INTEGER PRIMARY KEY,
    workflow_id VARCHAR(64) NOT NULL REFERENCES workflows (id),
    name VARCHAR(200) NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE workspace_tasks (
    id VARCHAR(32) NOT NULL PRIMARY KEY,  -- WS-TASK-XXX
    title VARCHAR(500) NOT NULL,
    description TEXT,
    status VARCHAR(20) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'in_progress', 'blocked', 'completed', 'cancelled')),
    priority VARCHAR(20) NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    assignee VARCHAR(100),
    repo VARCHAR(100),
    workflow_id VARCHAR(64) REFERENCES workflows (id),
    created DATETIME NOT NULL,
    updated DATETIME NOT NULL,
    completed DATETIME
);
CREATE INDEX idx_workspace_tasks_status ON workspace_tasks (status);

CREATE TABLE workspace_sessions (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    agent VARCHAR(100) NOT NULL,
    focus VARCHAR(500),
    started_at DATETIME NOT NULL,
    ended_at DATETIME,
    summary TEXT
);

CREATE TABLE session_activities (
    id INTEGER PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL REFERENCES workspace_sessions (id),
    activity_type VARCHAR(50) NOT NULL,
    detail TEXT,
    occurred_at DATETIME NOT NULL
);

CREATE TABLE session_decisions (
    id INTEGER PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL REFERENCES workspace_sessions (id),
    decision TEXT NOT NULL,
    rationale TEXT,
    decided_at DATETIME NOT NULL
);

CREATE TABLE session_issues (
    id INTEGER PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL REFERENCES workspace_sessions (id),
    title VARCHAR(500) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'open'
);

CREATE TABLE architecture_decisions (
    id VARCHAR(16) NOT NULL PRIMARY KEY,  -- ADR-NNN
    title VARCHAR(300) NOT NULL,
    status VARCHAR(20) NOT NULL CHECK (status IN ('proposed', 'accepted', 'superseded', 'deprecated')),
    context TEXT,
    decision TEXT NOT NULL,
    consequences TEXT,
    decided_at DATETIME NOT NULL
);

CREATE TABLE architecture_components (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    layer VARCHAR(20) NOT NULL CHECK (layer IN ('core', 'service', 'adapter', 'interface', 'infrastructure')),
    repo VARCHAR(100) NOT NULL,
    path VARCHAR(500) NOT NULL,
    owner VARCHAR(100),
    description TEXT,
    created DATETIME NOT NULL
);

CREATE TABLE architecture_states (
    id INTEGER PRIMARY KEY,
    component_id VARCHAR(64) NOT NULL REFERENCES architecture_components (id),
    state VARCHAR(50) NOT NULL,
    recorded_at DATETIME NOT NULL
);

CREATE TABLE architecture_states_old (  -- left behind by an earlier refactor
    id INTEGER PRIMARY KEY,
    component VARCHAR(200) NOT NULL,
    state VARCHAR(50) NOT NULL,
    recorded_at DATETIME NOT NULL
);

CREATE TABLE architecture_tasks (
    id INTEGER PRIMARY KEY,
    workspace_task_id VARCHAR(32) REFERENCES workspace_tasks (id),
    decision_id VARCHAR(16) REFERENCES architecture_decisions (id),
    status VARCHAR(20) NOT NULL DEFAULT 'open'
);

CREATE TABLE component_placements (
    id INTEGER PRIMARY KEY,
    component_id VARCHAR(64) NOT NULL REFERENCES architecture_components (id),
    rule VARCHAR(200) NOT NULL,
    allowed_path VARCHAR(500) NOT NULL
);

CREATE TABLE code_component_mappings (
    id INTEGER PRIMARY KEY,
    file_path VARCHAR(500) NOT NULL UNIQUE,
    component_id VARCHAR(64) NOT NULL REFERENCES architecture_components (id),
    confidence FLOAT NOT NULL DEFAULT 1.0,
    mapped_at DATETIME NOT NULL
);
CREATE INDEX idx_code_component_mappings_component ON code_component_mappings (component_id);

CREATE TABLE unregistered_files (
    id INTEGER PRIMARY KEY,
    file_path VARCHAR(500) NOT NULL,
    repo VARCHAR(100) NOT NULL,
    reason VARCHAR(200) NOT NULL,
    detected_at DATETIME NOT NULL
);

CREATE TABLE code_changes (
    id INTEGER PRIMARY KEY,
    file_path VARCHAR(500) NOT NULL,
    change_type VARCHAR(20) NOT NULL,
    commit_sha VARCHAR(40),
    changed_at DATETIME NOT NULL
);

CREATE TABLE drift_scans (
    id INTEGER PRIMARY KEY,
    started_at DATETIME NOT NULL,
    finished_at DATETIME,
    files_scanned INTEGER,
    drift_count INTEGER
);

CREATE TABLE drift_detections (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES drift_scans (id),
    file_path VARCHAR(500) NOT NULL,
    expected_component VARCHAR(64),
    actual_component VARCHAR(64),
    detected_at DATETIME NOT NULL
);

CREATE TABLE violations (
    id INTEGER PRIMARY KEY,
    rule VARCHAR(200) NOT NULL,
    file_path VARCHAR(500) NOT NULL,
    detected_at DATETIME NOT NULL,
    resolved INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_rules (
    id INTEGER PRIMARY KEY,
    from_layer VARCHAR(20) NOT NULL,
    to_layer VARCHAR(20) NOT NULL,
    allowed INTEGER NOT NULL
);

CREATE TABLE scale_tiers (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    max_components INTEGER NOT NULL
);

CREATE TABLE work_contexts (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    repo VARCHAR(100) NOT NULL,
    branch VARCHAR(200),
    active INTEGER NOT NULL DEFAULT 0,
    created DATETIME NOT NULL
);

CREATE TABLE context_switches (
    id INTEGER PRIMARY KEY,
    from_context_id VARCHAR(64) REFERENCES work_contexts (id),
    to_context_id VARCHAR(64) NOT NULL REFERENCES work_contexts (id),
    reason TEXT,
    switched_at DATETIME NOT NULL
);

CREATE TABLE configuration_snapshots (
    id INTEGER PRIMARY KEY,
    taken_at DATETIME NOT NULL,
    content TEXT NOT NULL  -- JSON string
);

CREATE TABLE configuration_changes (
    id INTEGER PRIMARY KEY,
    snapshot_id INTEGER REFERENCES configuration_snapshots (id),
    key VARCHAR(200) NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_at DATETIME NOT NULL
);

CREATE TABLE cross_repo_issues (
    id INTEGER PRIMARY KEY,
    title VARCHAR(500) NOT NULL,
    source_repo VARCHAR(100) NOT NULL,
    target_repo VARCHAR(100) NOT NULL,
    related_task_id VARCHAR(32) REFERENCES workspace_tasks (id),
    status VARCHAR(20) NOT NULL DEFAULT 'open',
    created DATETIME NOT NULL
);

CREATE TABLE bastard_reports (  -- the "brutally honest" validator's reports
    id INTEGER PRIMARY KEY,
    session_id VARCHAR(64) REFERENCES workspace_sessions (id),
    verdict VARCHAR(20) NOT NULL CHECK (verdict IN ('pass', 'concerns', 'fail')),
    findings TEXT NOT NULL,  -- JSON array string
    created DATETIME NOT NULL
);

-- ---------------------------------------------------------------------------------------
-- Rows
-- ---------------------------------------------------------------------------------------

INSERT INTO workspace_sessions VALUES
    ('sess-2025-11-18', 'claude', 'Map meridian-core components into WMS', '2025-11-18 09:02:11', '2025-11-18 17:40:55',
     'Registered 41 components; 289 files still unregistered'),
    ('sess-2025-11-20', 'claude', 'Drift scan design', '2025-11-20 10:15:00', '2025-11-20 15:03:27', 'Drift scan spec drafted; ADR-004 proposed'),
    ('sess-2025-11-22', 'claude', 'Database consolidation, phase 1.1', '2025-11-22 08:30:00', NULL, NULL);

INSERT INTO session_activities (session_id, activity_type, detail, occurred_at) VALUES
    ('sess-2025-11-18', 'component_registered', 'meridian_core.orchestrator', '2025-11-18 10:12:40'),
    ('sess-2025-11-18', 'files_mapped', '183 files mapped to 53 components', '2025-11-18 16:55:02'),
    ('sess-2025-11-20', 'adr_proposed', 'ADR-004 drift detection', '2025-11-20 14:41:19'),
    ('sess-2025-11-22', 'schema_design', 'Consolidated schema design written', '2025-11-22 11:20:00');

INSERT INTO architecture_decisions VALUES
    ('ADR-001', 'SQLite for local state', 'accepted', 'Agents run on one machine', 'Keep all local state in SQLite files', 'No server to run; one writer at a time', '2025-09-02 10:00:00'),
    ('ADR-002', 'Separate databases per subsystem', 'superseded', 'Subsystems grew independently', 'One file per subsystem', 'Cross-database joins need ATTACH', '2025-09-15 10:00:00'),
    ('ADR-003', 'Layered component model', 'accepted', 'Imports crossed layers freely', 'core <- service <- adapter <- interface', 'Import rules become checkable', '2025-10-06 10:00:00'),
    ('ADR-004', 'Consolidate into workspace.db', 'proposed', 'ADR-002 made reporting painful', 'Move proposals, tasks and decisions into workspace.db', 'One backup, one connection; migration needed', '2025-11-20 14:41:19');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 53)
INSERT INTO architecture_components
SELECT printf('comp-%03d', i),
       CASE i % 5 WHEN 0 THEN 'core' WHEN 1 THEN 'service' WHEN 2 THEN 'adapter' WHEN 3 THEN 'interface' ELSE 'infra' END
         || '.' || CASE i % 7 WHEN 0 THEN 'orchestrator' WHEN 1 THEN 'queue' WHEN 2 THEN 'learning' WHEN 3 THEN 'sessions'
                              WHEN 4 THEN 'drift' WHEN 5 THEN 'storage' ELSE 'reporting' END || '_' || i,
       CASE i % 5 WHEN 0 THEN 'core' WHEN 1 THEN 'service' WHEN 2 THEN 'adapter' WHEN 3 THEN 'interface' ELSE 'infrastructure' END,
       CASE WHEN i % 3 = 0 THEN 'workspace' ELSE 'meridian-core' END,
       CASE WHEN i % 3 = 0 THEN 'workspace/' ELSE 'meridian_core/' END
         || CASE i % 7 WHEN 0 THEN 'orchestrator' WHEN 1 THEN 'queue' WHEN 2 THEN 'learning' WHEN 3 THEN 'sessions'
                       WHEN 4 THEN 'drift' WHEN 5 THEN 'db' ELSE 'reports' END || '/' || i,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'agent-' || (i % 4) END,
       NULL,
       datetime('2025-11-18 09:30:00', '+' || (i * 7) || ' minutes')
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 183)
INSERT INTO code_component_mappings (id, file_path, component_id, confidence, mapped_at)
SELECT i, c.path || '/' || CASE i % 6 WHEN 0 THEN '__init__' WHEN 1 THEN 'models' WHEN 2 THEN 'service'
                                       WHEN 3 THEN 'api' WHEN 4 THEN 'tests' ELSE 'utils' END || '_' || i || '.py',
       c.id, round(0.55 + (i * 37 % 45) / 100.0, 2), datetime('2025-11-18 12:00:00', '+' || (i * 89) || ' seconds')
FROM n JOIN architecture_components c ON c.id = printf('comp-%03d', 1 + (i * 11) % 53);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 289)
INSERT INTO unregistered_files (id, file_path, repo, reason, detected_at)
SELECT i,
       CASE i % 4 WHEN 0 THEN 'scripts/' WHEN 1 THEN 'meridian_core/experimental/' WHEN 2 THEN 'workspace/legacy/' ELSE 'tools/' END
         || 'file_' || i || CASE WHEN i % 9 = 0 THEN '.sh' ELSE '.py' END,
       CASE WHEN i % 2 = 0 THEN 'workspace' ELSE 'meridian-core' END,
       CASE WHEN i % 5 = 0 THEN 'matches no component path' WHEN i % 5 = 1 THEN 'component deleted'
            ELSE 'never registered' END,
       datetime('2025-11-18 16:00:00', '+' || (i * 13) || ' seconds')
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 62)
INSERT INTO workspace_tasks
SELECT printf('WS-TASK-%03d', i),
       CASE i % 8 WHEN 0 THEN 'Register components of ' WHEN 1 THEN 'Fix drift in ' WHEN 2 THEN 'Write ADR for '
                  WHEN 3 THEN 'Add import rule for ' WHEN 4 THEN 'Clean up ' WHEN 5 THEN 'Map files of '
                  WHEN 6 THEN 'Review session notes on ' ELSE 'Plan consolidation of ' END
         || CASE i % 5 WHEN 0 THEN 'orchestrator' WHEN 1 THEN 'task queue' WHEN 2 THEN 'learning loop'
                       WHEN 3 THEN 'sessions' ELSE 'storage' END,
       CASE WHEN i % 3 = 0 THEN 'From session sess-2025-11-' || (18 + i % 3 * 2) END,
       CASE WHEN i <= 38 THEN 'completed' WHEN i <= 44 THEN 'cancelled' WHEN i <= 50 THEN 'in_progress'
            WHEN i <= 53 THEN 'blocked' ELSE 'pending' END,
       CASE WHEN i % 10 = 0 THEN 'critical' WHEN i % 4 = 0 THEN 'high' WHEN i % 3 = 0 THEN 'low' ELSE 'medium' END,
       CASE WHEN i > 54 THEN NULL ELSE CASE i % 3 WHEN 0 THEN 'claude' WHEN 1 THEN 'agent-1' ELSE 'agent-2' END END,
       CASE WHEN i % 2 = 0 THEN 'workspace' ELSE 'meridian-core' END,
       NULL,
       datetime('2025-09-01 09:00:00', '+' || (i * 32) || ' hours'),
       datetime('2025-09-01 09:00:00', '+' || (i * 32 + 20) || ' hours'),
       CASE WHEN i <= 38 THEN datetime('2025-09-01 09:00:00', '+' || (i * 32 + 20) || ' hours') END
FROM n;

INSERT INTO cross_repo_issues (title, source_repo, target_repo, related_task_id, status, created) VALUES
    ('workspace imports meridian_core.db.models directly', 'workspace', 'meridian-core', 'WS-TASK-013', 'open', '2025-10-12 11:00:00'),
    ('Shared Base class would merge the two model sets', 'meridian-core', 'workspace', 'WS-TASK-024', 'open', '2025-10-30 15:20:00'),
    ('Task ids collide in reports (WS-TASK vs task-)', 'workspace', 'meridian-core', 'WS-TASK-056', 'open', '2025-11-14 09:45:00'),
    ('Proposal review CLI lives in the wrong repo', 'meridian-core', 'workspace', NULL, 'closed', '2025-09-22 16:10:00');

INSERT INTO work_contexts VALUES
    ('ctx-wms', 'Workspace management', 'workspace', 'main', 0, '2025-09-01 09:00:00'),
    ('ctx-core', 'Meridian core', 'meridian-core', 'main', 0, '2025-09-01 09:00:00'),
    ('ctx-drift', 'Drift detection', 'workspace', 'feature/drift-scan', 0, '2025-11-20 10:15:00'),
    ('ctx-consolidation', 'Database consolidation', 'workspace', 'feature/consolidate-db', 1, '2025-11-22 08:30:00');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
INSERT INTO bastard_reports (session_id, verdict, findings, created)
SELECT CASE WHEN i <= 4 THEN 'sess-2025-11-18' WHEN i <= 7 THEN 'sess-2025-11-20' ELSE 'sess-2025-11-22' END,
       CASE WHEN i % 3 = 0 THEN 'fail' WHEN i % 2 = 0 THEN 'concerns' ELSE 'pass' END,
       CASE WHEN i % 3 = 0 THEN '["claimed 100% mapped but 289 files are unregistered"]'
            WHEN i % 2 = 0 THEN '["no test covers the drift threshold"]' ELSE '[]' END,
       datetime('2025-11-18 17:00:00', '+' || (i * 13) || ' hours')
FROM n;

ANALYZE;
