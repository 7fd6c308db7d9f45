-- UC-17: prices depend on the time of day; the list price stays as the fallback.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Summit Climbing Gym', 'sc-summit-gym');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Wall rental', 'wall-rental', 'rental');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 60, 3000);

-- scenario: two evening units cost twice the unit price
UPDATE offer_versions SET unit_pricing_minor = 2000 WHERE id = 'sc_ofv';
-- expect: 4000
SELECT 2 * unit_pricing_minor FROM offer_versions WHERE id = 'sc_ofv';

-- scenario: a peak-hour rule raises the price by 25%
INSERT INTO pricing_rules (id, biz_id, offer_version_id, starts_at_time, ends_at_time, adjustment_bps)
VALUES ('sc_peak', 'sc_biz', 'sc_ofv', '17:00', '21:00', 2500);
-- expect: 3750
SELECT v.price_minor * (10000 + r.adjustment_bps) / 10000 FROM offer_versions v JOIN pricing_rules r ON r.offer_version_id = v.id;

-- scenario: the list price is the fallback
-- expect: 3000
SELECT price_minor FROM offer_versions WHERE id = 'sc_ofv';
