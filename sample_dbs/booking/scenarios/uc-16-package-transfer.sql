-- UC-16: a customer hands the rest of a package to a friend.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Northside Yoga', 'sc-northside-yoga');
INSERT INTO users (id, biz_id, email, display_name) VALUES
  ('sc_a', 'sc_biz', 'elif@client.test', 'Elif Yilmaz'), ('sc_b', 'sc_biz', 'jules@client.test', 'Jules Moreau');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Class pass', 'class-pass', 'package');

-- scenario: five remaining sessions move to a friend
INSERT INTO package_products (id, biz_id, offer_id, name, slug, session_count, price_minor, transferable)
VALUES ('sc_pkg', 'sc_biz', 'sc_off', 'Ten classes', 'ten-classes', 10, 15000, true);
INSERT INTO customer_purchases (id, biz_id, package_product_id, customer_user_id, status, sessions_total, sessions_used, sessions_remaining)
VALUES ('sc_cp_a', 'sc_biz', 'sc_pkg', 'sc_a', 'transferred', 10, 5, 0);
INSERT INTO customer_purchases (id, biz_id, package_product_id, customer_user_id, sessions_total, sessions_remaining, transferred_from_purchase_id)
VALUES ('sc_cp_b', 'sc_biz', 'sc_pkg', 'sc_b', 5, 5, 'sc_cp_a');
-- expect:
--   customer_user_id | sessions_remaining | transferred_from_purchase_id
--   sc_b             | 5                  | sc_cp_a
SELECT customer_user_id, sessions_remaining, transferred_from_purchase_id FROM customer_purchases WHERE id = 'sc_cp_b';

-- scenario: packages are not transferable unless the business says so
INSERT INTO package_products (id, biz_id, offer_id, name, slug, session_count, price_minor)
VALUES ('sc_pkg', 'sc_biz', 'sc_off', 'Five classes', 'five-classes', 5, 8000);
-- expect: false
SELECT transferable FROM package_products WHERE id = 'sc_pkg';
