-- UC-6: a practitioner earns a commission on each completed booking.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Summit Climbing', 'sc-summit-climbing');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_cust', 'sc_biz', 'nia@client.test', 'Nia Okafor');
INSERT INTO resources (id, biz_id, kind, name) VALUES ('sc_coach', 'sc_biz', 'person', 'Coach Sven');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Private lesson', 'private-lesson', 'appointment');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 60, 6000);
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, status, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', 'completed', '2026-03-06 18:00', '2026-03-06 19:00', 6000);
INSERT INTO fulfillment_units (id, biz_id, booking_order_id, resource_id, starts_at, ends_at, status)
VALUES ('sc_ffu', 'sc_biz', 'sc_bko', 'sc_coach', '2026-03-06 18:00', '2026-03-06 19:00', 'done');

-- scenario: a completed lesson earns the coach 7.5%
INSERT INTO resource_compensation_rates (id, biz_id, resource_id, rate_bps) VALUES ('sc_rate', 'sc_biz', 'sc_coach', 750);
-- expect: 450
SELECT b.total_minor * r.rate_bps / 10000
FROM booking_orders b
JOIN fulfillment_units f ON f.booking_order_id = b.id
JOIN resource_compensation_rates r ON r.resource_id = f.resource_id
WHERE b.id = 'sc_bko';

-- scenario: completed bookings are counted per practitioner
-- expect: 1
SELECT count(*) FROM booking_orders b JOIN fulfillment_units f ON f.booking_order_id = b.id
WHERE f.resource_id = 'sc_coach' AND b.status = 'completed';
