-- UC-13: rentals keep a cleaning gap between bookings and may ask for a deposit.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Atlas Bike Rentals', 'sc-atlas-bikes');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'E-bike day hire', 'ebike-day', 'rental');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 480, 4500);

-- scenario: rentals keep a 30-minute gap for cleaning
UPDATE offer_versions SET min_gap_between_bookings_min = 30 WHERE id = 'sc_ofv';
-- expect: 30
SELECT min_gap_between_bookings_min FROM offer_versions WHERE id = 'sc_ofv';

-- scenario: a 20% deposit is taken up front
UPDATE offer_versions SET requires_deposit = true, deposit_percent_bps = 2000 WHERE id = 'sc_ofv';
-- expect: 900
SELECT price_minor * deposit_percent_bps / 10000 FROM offer_versions WHERE id = 'sc_ofv' AND requires_deposit;

-- scenario: a new version has no gap and no deposit until set
INSERT INTO offer_versions (id, biz_id, offer_id, version, duration_min, price_minor)
VALUES ('sc_ofv2', 'sc_biz', 'sc_off', 2, 240, 2500);
-- expect:
--   min_gap_between_bookings_min | requires_deposit
--   0                            | false
SELECT min_gap_between_bookings_min, requires_deposit FROM offer_versions WHERE id = 'sc_ofv2';
