-- UC-9: a customer cancels and the payment is refunded.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Clearwater Dental', 'sc-clearwater-dental');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_cust', 'sc_biz', 'priya@client.test', 'Priya Shah');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Cleaning', 'cleaning', 'appointment');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 30, 9500);
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, status, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', 'confirmed', '2026-03-10 08:30', '2026-03-10 09:00', 9500);
INSERT INTO payments (id, biz_id, booking_order_id, amount_minor, method, paid_at)
VALUES ('sc_pay', 'sc_biz', 'sc_bko', 9500, 'card', '2026-03-01 12:00');

-- scenario: a cancelled booking's payment is refunded
UPDATE booking_orders SET status = 'cancelled' WHERE id = 'sc_bko';
UPDATE payments SET status = 'refunded' WHERE booking_order_id = 'sc_bko';
-- expect:
--   status    | payment
--   cancelled | refunded
SELECT b.status, p.status AS payment FROM booking_orders b JOIN payments p ON p.booking_order_id = b.id WHERE b.id = 'sc_bko';

-- scenario: a made-up booking status is refused
-- expect: error: check constraint
UPDATE booking_orders SET status = 'lost' WHERE id = 'sc_bko';
