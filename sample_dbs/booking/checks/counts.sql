-- Row counts of the booking sample, as the seed's verification file kept them by hand.
-- Run: workbench verify --project sample_dbs/booking (or `v` on the Verify screen).

-- check: businesses
-- description: the twelve sample businesses
-- tags: counts
-- expect: 12
SELECT count(*) FROM bizes;

-- check: users
-- tags: counts
-- expect: 3000
SELECT count(*) FROM users;

-- check: one owner per business
-- tags: counts
-- expect:
--   role     | n
--   owner    | 12
--   staff    | 120
--   customer | 2868
SELECT role, count(*) AS n FROM users GROUP BY role;

-- check: booking orders
-- tags: counts
-- expect: >= 20000
SELECT count(*) FROM booking_orders;

-- check: booking orders by status
-- description: the status mix the sample was generated with
-- tags: counts
-- expect:
--   status    | n
--   cancelled | 1052
--   completed | 13942
--   confirmed | 3098
--   no_show   | 358
--   pending   | 1550
SELECT status, count(*) AS n FROM booking_orders GROUP BY status;

-- check: paid orders
-- description: completed, confirmed and cancelled orders each have one payment
-- tags: counts
-- expect: between 18000 and 18200
SELECT count(*) FROM payments;
