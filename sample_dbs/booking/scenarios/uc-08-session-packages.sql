-- UC-8: a customer buys a pack of sessions and books them one at a time.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Harbor Physio', 'sc-harbor-physio');
INSERT INTO users (id, biz_id, email, display_name, role) VALUES
  ('sc_staff', 'sc_biz', 'ana@harbor.test', 'Ana Costa', 'staff'),
  ('sc_cust', 'sc_biz', 'omar@client.test', 'Omar Haddad', 'customer');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Rehab session', 'rehab-session', 'package');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 45, 6500);

-- scenario: a customer buys ten sessions
INSERT INTO package_products (id, biz_id, offer_id, name, slug, session_count, price_minor)
VALUES ('sc_pkg', 'sc_biz', 'sc_off', 'Ten rehab sessions', 'ten-rehab', 10, 58000);
INSERT INTO customer_purchases (id, biz_id, package_product_id, customer_user_id, sessions_total, sessions_remaining)
VALUES ('sc_cp', 'sc_biz', 'sc_pkg', 'sc_cust', 10, 10);
-- expect: 10
SELECT sessions_remaining FROM customer_purchases WHERE id = 'sc_cp' AND status = 'active';

-- scenario: a booking uses one session of the package
INSERT INTO package_products (id, biz_id, offer_id, name, slug, session_count, price_minor)
VALUES ('sc_pkg', 'sc_biz', 'sc_off', 'Ten rehab sessions', 'ten-rehab', 10, 58000);
INSERT INTO customer_purchases (id, biz_id, package_product_id, customer_user_id, sessions_total, sessions_remaining)
VALUES ('sc_cp', 'sc_biz', 'sc_pkg', 'sc_cust', 10, 10);
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor, customer_purchase_id)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-09 09:00', '2026-03-09 09:45', 0, 'sc_cp');
UPDATE customer_purchases SET sessions_used = sessions_used + 1, sessions_remaining = sessions_remaining - 1
WHERE id = (SELECT customer_purchase_id FROM booking_orders WHERE id = 'sc_bko');
-- expect:
--   sessions_used | sessions_remaining
--   1             | 9
SELECT sessions_used, sessions_remaining FROM customer_purchases WHERE id = 'sc_cp';

-- scenario: staff keep a private note on a package booking
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-09 09:00', '2026-03-09 09:45', 0);
INSERT INTO booking_order_private_notes (id, biz_id, booking_order_id, author_user_id, note)
VALUES ('sc_note', 'sc_biz', 'sc_bko', 'sc_staff', 'Knee still swollen; keep it gentle');
-- expect: 1
SELECT count(*) FROM booking_order_private_notes WHERE booking_order_id = 'sc_bko';
