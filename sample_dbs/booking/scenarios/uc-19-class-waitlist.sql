-- UC-19: when a class is full, customers join its waitlist in order.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Northside Yoga', 'sc-northside-yoga');
INSERT INTO users (id, biz_id, email, display_name) VALUES
  ('sc_c1', 'sc_biz', 'hana@client.test', 'Hana Sato'), ('sc_c2', 'sc_biz', 'ivan@client.test', 'Ivan Petrov');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Hot yoga', 'hot-yoga', 'class');

-- scenario: a full class sends the next customer to the waitlist
INSERT INTO class_schedules (id, biz_id, offer_id, name, slug, recurrence_rule, capacity)
VALUES ('sc_cls', 'sc_biz', 'sc_off', 'Hot yoga Fri', 'hot-yoga-fri', 'FREQ=WEEKLY;BYDAY=FR', 2);
INSERT INTO class_occurrences (id, biz_id, class_schedule_id, occurrence_date, start_at, end_at, enrolled_count)
VALUES ('sc_occ', 'sc_biz', 'sc_cls', '2026-03-06', '2026-03-06 07:00', '2026-03-06 08:00', 2);
INSERT INTO queues (id, biz_id, name, slug) VALUES ('sc_wl', 'sc_biz', 'Hot yoga Fri waitlist', 'hot-yoga-fri-waitlist');
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, position) VALUES ('sc_e1', 'sc_biz', 'sc_wl', 'sc_c1', 1);
UPDATE class_occurrences SET waitlist_count = waitlist_count + 1 WHERE id = 'sc_occ';
-- expect: 1
SELECT waitlist_count FROM class_occurrences WHERE id = 'sc_occ';

-- scenario: the waitlist keeps arrival order
INSERT INTO queues (id, biz_id, name, slug) VALUES ('sc_wl', 'sc_biz', 'Hot yoga Fri waitlist', 'hot-yoga-fri-waitlist');
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, position) VALUES
  ('sc_e2', 'sc_biz', 'sc_wl', 'sc_c2', 2), ('sc_e1', 'sc_biz', 'sc_wl', 'sc_c1', 1);
-- expect: ordered
--   customer_user_id
--   sc_c1
--   sc_c2
SELECT customer_user_id FROM queue_entries WHERE queue_id = 'sc_wl' ORDER BY position;
