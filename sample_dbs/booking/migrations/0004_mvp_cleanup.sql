-- MVP cleanup, in the spirit of seed 004's refactor: one plain migration, no down script.
-- It moves data, drops a column, rebuilds two tables (SQLite's way to change types and add
-- constraints) and deletes expired rules. Before each destructive statement the workbench
-- copies the table into a backup; `workbench migrate down --steps 1` puts every row back.

-- Free-text booking notes move to the private notes table (UC-1) before the column goes.
INSERT INTO "booking_order_private_notes" ("id", "biz_id", "booking_order_id", "author_user_id", "note", "created_at", "updated_at")
SELECT 'bon_' || substr(b."id", 5), b."biz_id", b."id", owner."id", b."notes", b."created_at", b."updated_at"
FROM "booking_orders" b JOIN "users" owner ON owner."biz_id" = b."biz_id" AND owner."role" = 'owner'
WHERE b."notes" IS NOT NULL;
--> statement-breakpoint
-- booking_orders without notes; currency becomes text checked to three letters; an order must end after it starts.
CREATE TABLE "booking_orders_new" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL REFERENCES "bizes" ("id"),
  "offer_version_id" text NOT NULL REFERENCES "offer_versions" ("id"),
  "customer_user_id" text NOT NULL REFERENCES "users" ("id"),
  "status" text DEFAULT 'pending' NOT NULL
           CHECK ("status" IN ('pending', 'confirmed', 'cancelled', 'completed', 'no_show')),
  "starts_at" timestamp NOT NULL,
  "ends_at" timestamp NOT NULL,
  "total_minor" integer NOT NULL CHECK ("total_minor" >= 0),
  "currency" text DEFAULT 'USD' NOT NULL CHECK (length("currency") = 3),
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "requested_duration_min" integer,
  "confirmed_duration_min" integer,
  "customer_purchase_id" text,
  "payment_terms" text,
  CHECK ("ends_at" > "starts_at")
);
--> statement-breakpoint
INSERT INTO "booking_orders_new"
SELECT "id", "biz_id", "offer_version_id", "customer_user_id", "status", "starts_at", "ends_at", "total_minor",
       "currency", "created_at", "updated_at", "requested_duration_min", "confirmed_duration_min",
       "customer_purchase_id", "payment_terms"
FROM "booking_orders";
--> statement-breakpoint
DROP TABLE "booking_orders";
--> statement-breakpoint
ALTER TABLE "booking_orders_new" RENAME TO "booking_orders";
--> statement-breakpoint
CREATE INDEX "booking_orders_biz_starts_idx" ON "booking_orders" ("biz_id", "starts_at");
--> statement-breakpoint
CREATE INDEX "booking_orders_customer_idx" ON "booking_orders" ("customer_user_id");
--> statement-breakpoint
-- Queue entries get a real foreign key to their queue.
CREATE TABLE "queue_entries_new" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "queue_id" text NOT NULL REFERENCES "queues" ("id") ON DELETE CASCADE,
  "customer_user_id" text,
  "party_size" integer DEFAULT 1 NOT NULL,
  "status" text DEFAULT 'waiting' NOT NULL,
  "position" integer NOT NULL,
  "estimated_wait_min" integer,
  "notified_at" timestamp,
  "served_at" timestamp,
  "notes" text,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "deleted_at" timestamp
);
--> statement-breakpoint
INSERT INTO "queue_entries_new" SELECT * FROM "queue_entries";
--> statement-breakpoint
DROP TABLE "queue_entries";
--> statement-breakpoint
ALTER TABLE "queue_entries_new" RENAME TO "queue_entries";
--> statement-breakpoint
CREATE INDEX "queue_entries_queue_status_idx" ON "queue_entries" ("queue_id", "status", "position");
--> statement-breakpoint
-- The free-text address was never used; locations keep name and timezone.
ALTER TABLE "locations" DROP COLUMN "address";
--> statement-breakpoint
-- Expired one-off availability rules go.
DELETE FROM "availability_rules" WHERE "mode" = 'one_off' AND "valid_to" < '2026-04-01';
