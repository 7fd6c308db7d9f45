-- UC-7: a studio runs recurring fitness classes with a fixed capacity.

INSERT INTO bizes (id, name, slug) VALUES ('sc_biz', 'Northside Yoga', 'sc-northside-yoga');
INSERT INTO locations (id, biz_id, name) VALUES ('sc_loc', 'sc_biz', 'Main studio');
INSERT INTO offers (id, biz_id, name, slug, kind) VALUES ('sc_off', 'sc_biz', 'Vinyasa flow', 'vinyasa-flow', 'class');

-- scenario: a weekly class is scheduled as a draft
INSERT INTO class_schedules (id, biz_id, offer_id, location_id, name, slug, recurrence_rule, capacity)
VALUES ('sc_cls', 'sc_biz', 'sc_off', 'sc_loc', 'Vinyasa Mon/Wed', 'vinyasa-mon-wed', 'FREQ=WEEKLY;BYDAY=MO,WE', 12);
-- expect: 'draft'
SELECT status FROM class_schedules WHERE id = 'sc_cls';

-- scenario: occurrences are generated from the schedule
INSERT INTO class_schedules (id, biz_id, offer_id, location_id, name, slug, recurrence_rule, capacity)
VALUES ('sc_cls', 'sc_biz', 'sc_off', 'sc_loc', 'Vinyasa Mon/Wed', 'vinyasa-mon-wed', 'FREQ=WEEKLY;BYDAY=MO,WE', 12);
INSERT INTO class_occurrences (id, biz_id, class_schedule_id, occurrence_date, start_at, end_at) VALUES
  ('sc_occ1', 'sc_biz', 'sc_cls', '2026-03-02', '2026-03-02 18:00', '2026-03-02 19:00'),
  ('sc_occ2', 'sc_biz', 'sc_cls', '2026-03-04', '2026-03-04 18:00', '2026-03-04 19:00');
-- expect: rows: 2
SELECT id FROM class_occurrences WHERE class_schedule_id = 'sc_cls' AND status = 'scheduled';

-- scenario: a full class has no seats left
INSERT INTO class_schedules (id, biz_id, offer_id, location_id, name, slug, recurrence_rule, capacity)
VALUES ('sc_cls', 'sc_biz', 'sc_off', 'sc_loc', 'Vinyasa Mon/Wed', 'vinyasa-mon-wed', 'FREQ=WEEKLY;BYDAY=MO,WE', 12);
INSERT INTO class_occurrences (id, biz_id, class_schedule_id, occurrence_date, start_at, end_at, enrolled_count)
VALUES ('sc_occ1', 'sc_biz', 'sc_cls', '2026-03-02', '2026-03-02 18:00', '2026-03-02 19:00', 12);
-- expect: 0
SELECT s.capacity - o.enrolled_count FROM class_occurrences o JOIN class_schedules s ON s.id = o.class_schedule_id
WHERE o.id = 'sc_occ1';
