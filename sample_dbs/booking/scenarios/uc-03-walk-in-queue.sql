-- UC-3: walk-in customers join a queue at the front desk and are served in order.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Copper Comb Barbers', 'sc-copper-comb');
INSERT INTO locations (id, biz_id, name) VALUES ('sc_loc', 'sc_biz', 'High Street shop');
INSERT INTO users (id, biz_id, email, display_name) VALUES
  ('sc_c1', 'sc_biz', 'a@client.test', 'Arjun Mehta'),
  ('sc_c2', 'sc_biz', 'b@client.test', 'Bea Lindqvist'),
  ('sc_c3', 'sc_biz', 'c@client.test', 'Chen Wu');

-- scenario: a walk-in joins the queue
INSERT INTO queues (id, biz_id, location_id, name, slug) VALUES ('sc_q', 'sc_biz', 'sc_loc', 'Walk-ins', 'walk-ins');
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, position) VALUES ('sc_e1', 'sc_biz', 'sc_q', 'sc_c1', 1);
-- expect: 1
SELECT count(*) FROM queue_entries WHERE queue_id = 'sc_q' AND status = 'waiting';

-- scenario: customers are served first come, first served
INSERT INTO queues (id, biz_id, location_id, name, slug) VALUES ('sc_q', 'sc_biz', 'sc_loc', 'Walk-ins', 'walk-ins');
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, position) VALUES
  ('sc_e1', 'sc_biz', 'sc_q', 'sc_c1', 1), ('sc_e2', 'sc_biz', 'sc_q', 'sc_c2', 2), ('sc_e3', 'sc_biz', 'sc_q', 'sc_c3', 3);
UPDATE queue_entries SET status = 'served', served_at = '2026-03-04 10:20' WHERE id = 'sc_e1';
-- The next one up is the second to arrive.
-- expect: 'sc_c2'
SELECT customer_user_id FROM queue_entries WHERE queue_id = 'sc_q' AND status = 'waiting' ORDER BY position LIMIT 1;

-- scenario: a party of four waits as one entry
INSERT INTO queues (id, biz_id, location_id, name, slug) VALUES ('sc_q', 'sc_biz', 'sc_loc', 'Walk-ins', 'walk-ins');
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, party_size, position) VALUES ('sc_e1', 'sc_biz', 'sc_q', 'sc_c1', 4, 1);
-- expect: 4
SELECT sum(party_size) FROM queue_entries WHERE queue_id = 'sc_q';
