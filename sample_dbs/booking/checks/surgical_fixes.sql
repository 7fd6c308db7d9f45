-- What migration 0003_surgical_schema_fixes promises, checked the way the seed's verification
-- file did after each migration. These fail on the sample as shipped and pass once 0003 is
-- applied (`2` on the Migrations screen, or `workbench migrate up`), so the Verify screen shows
-- both states. SQLite's catalog (sqlite_master, pragma_table_info) answers them.

-- check: table count
-- description: 10 baseline tables plus the 9 that 0003 creates
-- tags: migrations, counts
-- backend: sqlite
-- expect: 19
SELECT count(*) FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'workbench_%';

-- check: new tables of 0003
-- tags: migrations
-- backend: sqlite
-- expect:
--   name
--   booking_order_private_notes
--   class_occurrences
--   class_schedules
--   customer_purchases
--   package_products
--   queue_entries
--   queues
--   seat_map_seats
--   seat_maps
SELECT name FROM sqlite_master
WHERE type = 'table' AND name IN ('booking_order_private_notes', 'class_occurrences', 'class_schedules',
  'customer_purchases', 'package_products', 'queue_entries', 'queues', 'seat_map_seats', 'seat_maps')
ORDER BY name;

-- check: bookings of variable length
-- description: UC-2 needs the requested and the confirmed duration on each booking
-- tags: migrations
-- backend: sqlite
-- expect: 2
SELECT count(*) FROM pragma_table_info('booking_orders')
WHERE name IN ('requested_duration_min', 'confirmed_duration_min');
