-- UC-18: customers pick their seat from a venue's seat map.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Copper Kettle Cooking', 'sc-copper-kettle');
INSERT INTO locations (id, biz_id, name) VALUES ('sc_venue', 'sc_biz', 'Demo kitchen');

-- scenario: the demo kitchen has a seat map of two rows
INSERT INTO seat_maps (id, biz_id, venue_id, name, slug, width, height)
VALUES ('sc_map', 'sc_biz', 'sc_venue', 'Demo kitchen counter', 'counter', 2, 2);
INSERT INTO seat_map_seats (id, biz_id, seat_map_id, row_label, seat_number, x_position, y_position) VALUES
  ('sc_a1', 'sc_biz', 'sc_map', 'A', '1', 0, 0), ('sc_a2', 'sc_biz', 'sc_map', 'A', '2', 1, 0),
  ('sc_b1', 'sc_biz', 'sc_map', 'B', '1', 0, 1), ('sc_b2', 'sc_biz', 'sc_map', 'B', '2', 1, 1);
-- expect: rows: 4
SELECT id FROM seat_map_seats WHERE seat_map_id = 'sc_map' AND status = 'available';

-- scenario: a customer picks seat B2
INSERT INTO seat_maps (id, biz_id, venue_id, name, slug, width, height)
VALUES ('sc_map', 'sc_biz', 'sc_venue', 'Demo kitchen counter', 'counter', 2, 2);
INSERT INTO seat_map_seats (id, biz_id, seat_map_id, row_label, seat_number, x_position, y_position) VALUES
  ('sc_b1', 'sc_biz', 'sc_map', 'B', '1', 0, 1), ('sc_b2', 'sc_biz', 'sc_map', 'B', '2', 1, 1);
UPDATE seat_map_seats SET status = 'reserved' WHERE seat_map_id = 'sc_map' AND row_label = 'B' AND seat_number = '2';
-- expect: ordered
--   seat | status
--   B1   | available
--   B2   | reserved
SELECT row_label || seat_number AS seat, status FROM seat_map_seats WHERE seat_map_id = 'sc_map' ORDER BY seat;
