-- UC-4: the file-to-component map that WMS drift detection reads.

-- scenario: every mapped file points at a registered component
-- expect: no rows
SELECT m.file_path FROM main.code_component_mappings m
LEFT JOIN main.architecture_components c ON c.id = m.component_id WHERE c.id IS NULL;

-- scenario: low-confidence mappings are the ones to review
-- expect: rows: >= 1
SELECT file_path, confidence FROM main.code_component_mappings WHERE confidence < 0.7;

-- scenario: a file maps to one component only
-- expect: error: UNIQUE
INSERT INTO main.code_component_mappings (file_path, component_id, mapped_at)
SELECT file_path, component_id, '2025-11-22 12:00:00' FROM main.code_component_mappings LIMIT 1;
