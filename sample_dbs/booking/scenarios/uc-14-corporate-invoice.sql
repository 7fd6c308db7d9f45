-- UC-14: a corporate client books on invoice with payment terms.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Pinecrest Tutoring', 'sc-pinecrest');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_corp', 'sc_biz', 'hr@acme.test', 'Acme HR');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Team workshop', 'team-workshop', 'appointment');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 240, 180000);

-- scenario: a corporate booking carries net-30 terms
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor, payment_terms)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_corp', '2026-03-16 09:00', '2026-03-16 13:00', 180000, 'net_30');
-- expect: 'net_30'
SELECT payment_terms FROM booking_orders WHERE id = 'sc_bko';

-- scenario: the invoice is paid later
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_corp', '2026-03-16 09:00', '2026-03-16 13:00', 180000);
INSERT INTO payments (id, biz_id, booking_order_id, amount_minor, method, paid_at)
VALUES ('sc_pay', 'sc_biz', 'sc_bko', 180000, 'invoice', '2026-04-14 16:00');
-- expect: rows: 1
SELECT id FROM payments WHERE booking_order_id = 'sc_bko' AND method = 'invoice';
