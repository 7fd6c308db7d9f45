-- UC-1: a solo consultant keeps private notes on bookings, never shown to the client.

-- Setup: a business, its consultant, a client and one booking.
INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Oakline Coaching', 'sc-oakline-coaching');
INSERT INTO users (id, biz_id, email, display_name, role) VALUES
  ('sc_staff', 'sc_biz', 'maya@oakline.test', 'Maya Okafor', 'owner'),
  ('sc_cust', 'sc_biz', 'leo@client.test', 'Leo Marsh', 'customer');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Career session', 'career-session', 'appointment');
INSERT INTO offer_versions (id, biz_id, offer_id, version, status, duration_min, price_minor)
VALUES ('sc_ofv', 'sc_biz', 'sc_off', 1, 'active', 60, 9000);
INSERT INTO booking_orders (id, biz_id, offer_version_id, customer_user_id, starts_at, ends_at, total_minor)
VALUES ('sc_bko', 'sc_biz', 'sc_ofv', 'sc_cust', '2026-03-02 10:00', '2026-03-02 11:00', 9000);

-- scenario: the consultant writes a private note on a booking
INSERT INTO booking_order_private_notes (id, biz_id, booking_order_id, author_user_id, note)
VALUES ('sc_note1', 'sc_biz', 'sc_bko', 'sc_staff', 'Wants to move into product management');
-- The note is on the booking.
-- expect: 1
SELECT count(*) FROM booking_order_private_notes WHERE booking_order_id = 'sc_bko';

-- scenario: notes come back newest first
INSERT INTO booking_order_private_notes (id, biz_id, booking_order_id, author_user_id, note, created_at)
VALUES ('sc_note1', 'sc_biz', 'sc_bko', 'sc_staff', 'First call went well', '2026-03-02 11:05'),
       ('sc_note2', 'sc_biz', 'sc_bko', 'sc_staff', 'Send reading list', '2026-03-02 11:10');
-- expect: ordered
--   note
--   Send reading list
--   First call went well
SELECT note FROM booking_order_private_notes WHERE booking_order_id = 'sc_bko' ORDER BY created_at DESC;

-- scenario: a pinned note stays on top
INSERT INTO booking_order_private_notes (id, biz_id, booking_order_id, author_user_id, note, is_pinned, created_at)
VALUES ('sc_note1', 'sc_biz', 'sc_bko', 'sc_staff', 'Allergic to lavender oil', true, '2026-03-01 09:00'),
       ('sc_note2', 'sc_biz', 'sc_bko', 'sc_staff', 'Prefers morning slots', false, '2026-03-02 09:00');
-- expect: 'Allergic to lavender oil'
SELECT note FROM booking_order_private_notes WHERE booking_order_id = 'sc_bko'
ORDER BY is_pinned DESC, created_at DESC LIMIT 1;

-- scenario: a note without an author is refused
-- expect: error: author_user_id
INSERT INTO booking_order_private_notes (id, biz_id, booking_order_id, note)
VALUES ('sc_note1', 'sc_biz', 'sc_bko', 'Who wrote this?');
