-- UC-2: a client asks for a longer or shorter session than the default; price follows the length.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Harbor Massage', 'sc-harbor-massage');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_cust', 'sc_biz', 'ines@client.test', 'Ines Duarte');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Deep tissue massage', 'deep-tissue', 'appointment');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 60, 8000);

-- scenario: a 90-minute request is priced per 15-minute unit
UPDATE offer_versions SET unit_pricing_minor = 1500 WHERE id = 'sc_ofv';
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor, requested_duration_min)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-03 14:00', '2026-03-03 15:30', 9000, 90);
-- expect: 9000
SELECT b.requested_duration_min / 15 * v.unit_pricing_minor
FROM booking_orders b JOIN offer_versions v ON v.id = b.offer_version_id WHERE b.id = 'sc_bko';

-- scenario: staff confirm a shorter session than requested
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor, requested_duration_min)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-03 14:00', '2026-03-03 15:30', 9000, 90);
UPDATE booking_orders SET confirmed_duration_min = 60, status = 'confirmed' WHERE id = 'sc_bko';
-- expect: ordered
--   requested_duration_min | confirmed_duration_min | status
--   90                     | 60                     | confirmed
SELECT requested_duration_min, confirmed_duration_min, status FROM booking_orders WHERE id = 'sc_bko';

-- scenario: a fixed-length booking still works without a requested duration
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-03 09:00', '2026-03-03 10:00', 8000);
-- expect: 'pending'
SELECT status FROM booking_orders WHERE id = 'sc_bko';
