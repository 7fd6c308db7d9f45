-- UC-4: a clinic books a practitioner into a slot of their weekly availability.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Clearwater Physio', 'sc-clearwater-physio');
INSERT INTO users (id, biz_id, email, display_name) VALUES ('sc_cust', 'sc_biz', 'tom@client.test', 'Tomas Novak');
INSERT INTO resources (id, biz_id, kind, name) VALUES ('sc_doc', 'sc_biz', 'person', 'Dr. Rosa Almeida');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Assessment', 'assessment', 'appointment');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 45, 7000);

-- scenario: a weekly rule opens Monday mornings
INSERT INTO availability_rules (id, biz_id, resource_id, mode, weekday, start_time, end_time)
VALUES ('sc_rule', 'sc_biz', 'sc_doc', 'recurring', 1, '08:00', '12:00');
-- expect: rows: 1
SELECT start_time, end_time FROM availability_rules WHERE resource_id = 'sc_doc' AND weekday = 1 AND mode = 'recurring';

-- scenario: booking the practitioner reserves them
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-02 08:00', '2026-03-02 08:45', 7000);
INSERT INTO fulfillment_units (id, biz_id, booking_order_id, resource_id, starts_at, ends_at)
VALUES ('sc_ffu', 'sc_biz', 'sc_bko', 'sc_doc', '2026-03-02 08:00', '2026-03-02 08:45');
-- expect: 1
SELECT count(*) FROM fulfillment_units f JOIN booking_orders b ON b.id = f.booking_order_id
WHERE f.resource_id = 'sc_doc' AND f.status = 'planned';

-- scenario: an unknown kind of resource is refused
-- expect: error: check constraint
INSERT INTO resources (id, biz_id, kind, name) VALUES ('sc_bot', 'sc_biz', 'robot', 'Massage robot');
