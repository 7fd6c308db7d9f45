-- Down for 017: functions first (two of them take the enum), then the tables, then the enum.
DROP FUNCTION IF EXISTS get_critical_alerts(uuid);
DROP FUNCTION IF EXISTS get_user_unread_notifications(uuid);
DROP FUNCTION IF EXISTS mark_notification_as_read(uuid);
DROP FUNCTION IF EXISTS acknowledge_alert(uuid, uuid);
DROP FUNCTION IF EXISTS send_user_notification(uuid, uuid, text, text, text, text, uuid);
DROP FUNCTION IF EXISTS create_system_alert(uuid, alert_severity, text, text, uuid, uuid, jsonb);
DROP TABLE IF EXISTS user_notifications;
DROP TABLE IF EXISTS system_alerts;
DROP TYPE IF EXISTS alert_severity;
