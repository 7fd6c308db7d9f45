-- UC-12: equipment is taken out of service for maintenance and cannot be booked meanwhile.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Bluefin Dive School', 'sc-bluefin-dive');
INSERT INTO resources (id, biz_id, kind, name) VALUES ('sc_tank', 'sc_biz', 'equipment', 'Compressor #2');

-- scenario: a compressor is blocked for its yearly service
INSERT INTO availability_rules (id, biz_id, resource_id, mode, start_time, end_time, valid_from, valid_to)
VALUES ('sc_block', 'sc_biz', 'sc_tank', 'blackout', '00:00', '23:59', '2026-04-01', '2026-04-03');
-- expect: 1
SELECT count(*) FROM availability_rules WHERE resource_id = 'sc_tank' AND mode = 'blackout';

-- scenario: equipment due for inspection is listed
-- expect: 1
SELECT count(*) FROM resources WHERE biz_id = 'sc_biz' AND kind = 'equipment' AND is_active;
