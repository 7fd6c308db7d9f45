-- UC-5: a room and a piece of equipment are booked together for one session.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Studio Lumen', 'sc-studio-lumen');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_cust', 'sc_biz', 'kofi@client.test', 'Kofi Mensah');
INSERT INTO resources (id, biz_id, kind, name) VALUES
  ('sc_room', 'sc_biz', 'room', 'Daylight studio'), ('sc_kit', 'sc_biz', 'equipment', 'Strobe kit');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Studio hire', 'studio-hire', 'rental');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 120, 15000);
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-05 13:00', '2026-03-05 15:00', 15000);

-- scenario: the studio and the strobe kit are booked together
INSERT INTO fulfillment_units (id, biz_id, booking_order_id, resource_id, secondary_resource_id, starts_at, ends_at)
VALUES ('sc_ffu', 'sc_biz', 'sc_bko', 'sc_room', 'sc_kit', '2026-03-05 13:00', '2026-03-05 15:00');
-- expect:
--   resource_id | secondary_resource_id
--   sc_room     | sc_kit
SELECT resource_id, secondary_resource_id FROM fulfillment_units WHERE booking_order_id = 'sc_bko';

-- scenario: the paired kit shows as busy
INSERT INTO fulfillment_units (id, biz_id, booking_order_id, resource_id, secondary_resource_id, starts_at, ends_at)
VALUES ('sc_ffu', 'sc_biz', 'sc_bko', 'sc_room', 'sc_kit', '2026-03-05 13:00', '2026-03-05 15:00');
-- expect: 1
SELECT count(*) FROM fulfillment_units
WHERE 'sc_kit' IN (resource_id, secondary_resource_id) AND starts_at < '2026-03-05 14:00' AND ends_at > '2026-03-05 13:30';
