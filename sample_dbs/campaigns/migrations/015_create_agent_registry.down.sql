-- Down for 015: the procedure and the four agent tables (assignments and performance first).
DROP PROCEDURE IF EXISTS record_agent_execution(uuid, boolean, integer, integer, integer, numeric, timestamptz);
DROP TABLE IF EXISTS agent_performance;
DROP TABLE IF EXISTS agent_assignments;
DROP TABLE IF EXISTS agent_capabilities;
DROP TABLE IF EXISTS agent_registry;
