-- UC-10: one business runs several locations, each with its own timezone and resources.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Meridian Coworking', 'sc-meridian-coworking');
INSERT INTO locations (id, biz_id, name, timezone) VALUES
  ('sc_lon', 'sc_biz', 'London Bridge', 'Europe/London'),
  ('sc_lis', 'sc_biz', 'Lisbon Baixa', 'Europe/Lisbon');

-- scenario: each location keeps its own timezone
-- expect:
--   name          | timezone
--   London Bridge | Europe/London
--   Lisbon Baixa  | Europe/Lisbon
SELECT name, timezone FROM locations WHERE biz_id = 'sc_biz';

-- scenario: rooms are listed per location
INSERT INTO resources (id, biz_id, location_id, kind, name, capacity) VALUES
  ('sc_r1', 'sc_biz', 'sc_lon', 'room', 'Thames', 8),
  ('sc_r2', 'sc_biz', 'sc_lon', 'room', 'Fleet', 4),
  ('sc_r3', 'sc_biz', 'sc_lis', 'room', 'Tejo', 6);
-- expect: ordered
--   name          | rooms
--   Lisbon Baixa  | 1
--   London Bridge | 2
SELECT l.name, count(r.id) AS rooms FROM locations l JOIN resources r ON r.location_id = l.id
WHERE l.biz_id = 'sc_biz' GROUP BY l.name ORDER BY l.name;
