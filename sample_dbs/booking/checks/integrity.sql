-- Integrity beyond what foreign keys say: every row stays inside its own business (tenant),
-- and the money and the calendar add up. Foreign-key orphans and CHECK values are covered by
-- the built-in checks (see builtins.toml).

-- check: payments belong to their order's business
-- tags: integrity, tenancy
-- expect: no rows
SELECT p.id, p.biz_id, b.biz_id AS order_biz_id
FROM payments p JOIN booking_orders b ON b.id = p.booking_order_id
WHERE p.biz_id <> b.biz_id;

-- check: customers book within their own business
-- tags: integrity, tenancy
-- expect: no rows
SELECT b.id, b.biz_id, u.biz_id AS customer_biz_id
FROM booking_orders b JOIN users u ON u.id = b.customer_user_id
WHERE u.biz_id <> b.biz_id;

-- check: resources serve their own business
-- tags: integrity, tenancy
-- expect: no rows
SELECT f.id, f.biz_id, r.biz_id AS resource_biz_id
FROM fulfillment_units f JOIN resources r ON r.id = f.resource_id
WHERE r.biz_id <> f.biz_id;

-- check: bookings end after they start
-- tags: integrity
-- expect: no rows
SELECT id, starts_at, ends_at FROM booking_orders WHERE ends_at <= starts_at;

-- check: every booking has a fulfillment unit
-- tags: integrity
-- expect: no rows
SELECT b.id FROM booking_orders b
WHERE NOT EXISTS (SELECT 1 FROM fulfillment_units f WHERE f.booking_order_id = b.id);

-- check: payments match the order total
-- tags: integrity, money
-- expect: no rows
SELECT p.id, p.amount_minor, b.total_minor
FROM payments p JOIN booking_orders b ON b.id = p.booking_order_id
WHERE p.amount_minor <> b.total_minor;

-- check: cancelled orders keep no captured payment
-- tags: integrity, money
-- expect: no rows
SELECT b.id FROM booking_orders b JOIN payments p ON p.booking_order_id = b.id
WHERE b.status = 'cancelled' AND p.status = 'captured';

-- check: card numbers are never stored
-- description: payments keep the processor's reference only; a card_number column must not exist
-- tags: safety, money
-- expect: error
SELECT card_number FROM payments;
