-- UC-6: a critical alert in workspace 1 is sent to its owner, read and acknowledged.
SELECT create_system_alert(md5('workspace:1')::uuid, 'critical', 'performance', 'Signup conversion fell by half',
                           NULL, NULL, '{"conversion": 0.9, "baseline": 1.9}');

-- scenario: the alert is among the critical ones
-- expect: 'Signup conversion fell by half'
SELECT title FROM get_critical_alerts(md5('workspace:1')::uuid);

-- scenario: the owner gets it unread, reads it, and it is gone from the inbox
SELECT send_user_notification(md5('user:1')::uuid, md5('workspace:1')::uuid, 'alert', 'Signup conversion fell by half',
                              'in_app', 'urgent', (SELECT id FROM system_alerts WHERE workspace_id = md5('workspace:1')::uuid));
-- expect: 1
SELECT count(*) FROM get_user_unread_notifications(md5('user:1')::uuid);
SELECT mark_notification_as_read(id) FROM user_notifications WHERE user_id = md5('user:1')::uuid;
-- expect: 0
SELECT count(*) FROM get_user_unread_notifications(md5('user:1')::uuid);

-- scenario: acknowledging records who and takes it out of the active state
SELECT acknowledge_alert((SELECT id FROM system_alerts WHERE workspace_id = md5('workspace:1')::uuid), md5('user:1')::uuid);
-- expect:
--   status       | acknowledged
--   acknowledged | true
SELECT status, acknowledged_by = md5('user:1')::uuid AS acknowledged FROM system_alerts
WHERE workspace_id = md5('workspace:1')::uuid;

-- scenario: notifying someone outside the workspace is refused
-- expect: error: is not a member
SELECT send_user_notification(md5('user:2')::uuid, md5('workspace:1')::uuid, 'alert', 'Not for you');
