-- UC-11: payments by card, cash and voucher are recorded against bookings.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Copper Kettle Cooking', 'sc-copper-kettle');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_cust', 'sc_biz', 'wen@client.test', 'Wen Li');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Pasta workshop', 'pasta', 'class');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 180, 12000);
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-12 18:00', '2026-03-12 21:00', 12000);

-- scenario: card, cash and voucher payments add up
INSERT INTO payments (id, biz_id, booking_order_id, amount_minor, method, paid_at) VALUES
  ('sc_p1', 'sc_biz', 'sc_bko', 6000, 'card', '2026-03-01 10:00'),
  ('sc_p2', 'sc_biz', 'sc_bko', 2000, 'cash', '2026-03-12 17:50'),
  ('sc_p3', 'sc_biz', 'sc_bko', 4000, 'voucher', '2026-03-12 17:51');
-- expect: 12000
SELECT sum(amount_minor) FROM payments WHERE booking_order_id = 'sc_bko';

-- scenario: an unknown payment method is refused
-- expect: error: check constraint
INSERT INTO payments (id, biz_id, booking_order_id, amount_minor, method, paid_at)
VALUES ('sc_p4', 'sc_biz', 'sc_bko', 100, 'seashells', '2026-03-12 18:00');
