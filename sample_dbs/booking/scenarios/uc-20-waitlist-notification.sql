-- UC-20: when a spot opens, the first person on the waitlist is told, with an estimated wait.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Harbor Physio', 'sc-harbor-physio');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_c1', 'sc_biz', 'uma@client.test', 'Uma Rossi');

-- scenario: the first person waiting is notified
INSERT INTO queues (id, biz_id, name, slug) VALUES ('sc_wl', 'sc_biz', 'Cancellation list', 'cancellations');
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, position) VALUES ('sc_e1', 'sc_biz', 'sc_wl', 'sc_c1', 1);
UPDATE queue_entries SET status = 'notified', notified_at = '2026-03-06 09:15'
WHERE id = (SELECT id FROM queue_entries WHERE queue_id = 'sc_wl' AND status = 'waiting' ORDER BY position LIMIT 1);
-- expect:
--   status   | notified_at
--   notified | 2026-03-06 09:15
SELECT status, notified_at FROM queue_entries WHERE id = 'sc_e1';

-- scenario: the estimated wait is shown to the customer
INSERT INTO queues (id, biz_id, name, slug, estimated_service_time_min) VALUES ('sc_wl', 'sc_biz', 'Walk-in triage', 'triage', 20);
INSERT INTO queue_entries (id, biz_id, queue_id, customer_user_id, position, estimated_wait_min)
VALUES ('sc_e1', 'sc_biz', 'sc_wl', 'sc_c1', 2, 20);
-- expect: 20
SELECT estimated_wait_min FROM queue_entries WHERE id = 'sc_e1';
