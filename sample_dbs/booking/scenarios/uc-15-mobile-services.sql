-- UC-15: a mobile groomer drives to clients; the van is the resource.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Mobile Paws Grooming', 'sc-mobile-paws');

-- scenario: the van is marked as a mobile resource
INSERT INTO resources (id, biz_id, kind, name, is_mobile) VALUES ('sc_van', 'sc_biz', 'vehicle', 'Grooming van 1', true);
-- expect: 1
SELECT count(*) FROM resources WHERE biz_id = 'sc_biz' AND is_mobile;

-- scenario: a van takes at most two bookings at a time
INSERT INTO resources (id, biz_id, kind, name, is_mobile, max_simultaneous_bookings)
VALUES ('sc_van', 'sc_biz', 'vehicle', 'Grooming van 1', true, 2);
-- expect: 2
SELECT max_simultaneous_bookings FROM resources WHERE id = 'sc_van';

-- scenario: resources stay put unless marked mobile
INSERT INTO resources (id, biz_id, kind, name) VALUES ('sc_salon', 'sc_biz', 'room', 'Salon room');
-- expect: false
SELECT is_mobile FROM resources WHERE id = 'sc_salon';
