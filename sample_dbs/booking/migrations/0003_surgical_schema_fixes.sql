-- Surgical schema fixes for the core use cases (seed 001, "0003_surgical_schema_fixes"):
-- ten new columns, nine new tables, six indexes. Purely additive, no down script: the workbench
-- undoes it by itself. Migrations 0000–0002 are the baseline already in ../schema.sql.
-- drizzle-kit layout: the order comes from meta/_journal.json, statements are separated by
-- breakpoints. SQLite adds one column per ALTER TABLE and knows no ADD COLUMN IF NOT EXISTS.
ALTER TABLE "resources" ADD COLUMN "is_mobile" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "max_simultaneous_bookings" integer;
--> statement-breakpoint
ALTER TABLE "booking_orders" ADD COLUMN "requested_duration_min" integer;
--> statement-breakpoint
ALTER TABLE "booking_orders" ADD COLUMN "confirmed_duration_min" integer;
--> statement-breakpoint
ALTER TABLE "booking_orders" ADD COLUMN "customer_purchase_id" text;
--> statement-breakpoint
ALTER TABLE "booking_orders" ADD COLUMN "payment_terms" text;
--> statement-breakpoint
ALTER TABLE "offer_versions" ADD COLUMN "unit_pricing_minor" integer;
--> statement-breakpoint
ALTER TABLE "offer_versions" ADD COLUMN "requires_deposit" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "offer_versions" ADD COLUMN "deposit_percent_bps" integer;
--> statement-breakpoint
ALTER TABLE "offer_versions" ADD COLUMN "min_gap_between_bookings_min" integer DEFAULT 0;
--> statement-breakpoint
ALTER TABLE "fulfillment_units" ADD COLUMN "secondary_resource_id" text;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "booking_order_private_notes" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "booking_order_id" text NOT NULL,
  "author_user_id" text NOT NULL,
  "note" text NOT NULL,
  "is_pinned" boolean DEFAULT false NOT NULL,
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "deleted_at" timestamp
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "queues" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "location_id" text,
  "name" varchar(200) NOT NULL,
  "slug" varchar(120) NOT NULL,
  "status" text DEFAULT 'active' NOT NULL,
  "max_capacity" integer,
  "estimated_service_time_min" integer DEFAULT 15 NOT NULL,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "deleted_at" timestamp
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "queue_entries" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "queue_id" text NOT NULL,
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
CREATE TABLE IF NOT EXISTS "class_schedules" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "offer_id" text NOT NULL,
  "location_id" text,
  "name" varchar(200) NOT NULL,
  "slug" varchar(120) NOT NULL,
  "status" text DEFAULT 'draft' NOT NULL,
  "timezone" varchar(50) DEFAULT 'UTC' NOT NULL,
  "recurrence_rule" varchar(500) NOT NULL,
  "capacity" integer NOT NULL,
  "min_enrollment" integer DEFAULT 0 NOT NULL,
  "auto_cancel_if_under" boolean DEFAULT false NOT NULL,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "deleted_at" timestamp
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "class_occurrences" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "class_schedule_id" text NOT NULL,
  "occurrence_date" date NOT NULL,
  "start_at" timestamp NOT NULL,
  "end_at" timestamp NOT NULL,
  "status" text DEFAULT 'scheduled' NOT NULL,
  "enrolled_count" integer DEFAULT 0 NOT NULL,
  "waitlist_count" integer DEFAULT 0 NOT NULL,
  "cancelled_at" timestamp,
  "cancellation_reason" text,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "package_products" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "offer_id" text NOT NULL,
  "name" varchar(200) NOT NULL,
  "slug" varchar(120) NOT NULL,
  "status" text DEFAULT 'draft' NOT NULL,
  "session_count" integer NOT NULL,
  "price_minor" integer NOT NULL,
  "currency" varchar(3) DEFAULT 'USD' NOT NULL,
  "expiry_type" text DEFAULT 'never' NOT NULL,
  "expiry_days" integer,
  "expiry_date" date,
  "transferable" boolean DEFAULT false NOT NULL,
  "refundable" boolean DEFAULT true NOT NULL,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "deleted_at" timestamp
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "customer_purchases" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "package_product_id" text NOT NULL,
  "customer_user_id" text NOT NULL,
  "status" text DEFAULT 'active' NOT NULL,
  "sessions_total" integer NOT NULL,
  "sessions_used" integer DEFAULT 0 NOT NULL,
  "sessions_remaining" integer NOT NULL,
  "purchased_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "expires_at" timestamp,
  "transferred_from_purchase_id" text,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "seat_maps" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "venue_id" text NOT NULL,
  "name" varchar(200) NOT NULL,
  "slug" varchar(120) NOT NULL,
  "status" text DEFAULT 'draft' NOT NULL,
  "width" integer NOT NULL,
  "height" integer NOT NULL,
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "deleted_at" timestamp
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "seat_map_seats" (
  "id" text PRIMARY KEY NOT NULL,
  "biz_id" text NOT NULL,
  "seat_map_id" text NOT NULL,
  "row_label" varchar(20) NOT NULL,
  "seat_number" varchar(20) NOT NULL,
  "x_position" integer NOT NULL,
  "y_position" integer NOT NULL,
  "status" text DEFAULT 'available' NOT NULL,
  "seat_type" varchar(50) DEFAULT 'standard',
  "metadata" jsonb DEFAULT '{}',
  "created_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updated_at" timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "booking_order_private_notes_biz_order_idx" ON "booking_order_private_notes" ("biz_id", "booking_order_id", "created_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "queues_biz_status_idx" ON "queues" ("biz_id", "status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "queue_entries_queue_status_idx" ON "queue_entries" ("queue_id", "status", "position");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "class_schedules_biz_offer_idx" ON "class_schedules" ("biz_id", "offer_id", "status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "class_occurrences_schedule_date_idx" ON "class_occurrences" ("class_schedule_id", "occurrence_date");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customer_purchases_customer_status_idx" ON "customer_purchases" ("customer_user_id", "status");
