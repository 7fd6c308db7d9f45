-- UC-5: two signals about one competitor become an insight.
INSERT INTO intelligence_signals (id, workspace_id, source_type, data_source, category, title, confidence, relevance, competitor_id)
VALUES (md5('sc:s1')::uuid, md5('workspace:1')::uuid, 'competitor', 'semrush', 'competitor_activity',
        'Competitor doubled paid search spend', 90, 80, md5('competitor:1')::uuid),
       (md5('sc:s2')::uuid, md5('workspace:1')::uuid, 'competitor', 'linkedin', 'competitor_activity',
        'Competitor hiring five SDRs in EMEA', 70, 60, md5('competitor:1')::uuid);

-- scenario: only confident new signals are a priority
-- expect:
--   title                                | priority
--   Competitor doubled paid search spend | 72.00
SELECT title, priority FROM get_priority_signals(md5('workspace:1')::uuid);

-- scenario: two signals make a 55% insight and are marked actioned
SELECT create_insight_from_signals(md5('workspace:1')::uuid, ARRAY[md5('sc:s1')::uuid, md5('sc:s2')::uuid],
                                   'Competitor is moving upmarket in EMEA', 'threat');
-- expect:
--   title                                 | confidence
--   Competitor is moving upmarket in EMEA | 55
SELECT title, confidence FROM get_active_insights(md5('workspace:1')::uuid);
-- expect: 2
SELECT count(*) FROM intelligence_signals WHERE workspace_id = md5('workspace:1')::uuid AND status = 'actioned';

-- scenario: signals of another workspace cannot be used
-- expect: error: no signals of workspace
SELECT create_insight_from_signals(md5('workspace:2')::uuid, ARRAY[md5('sc:s1')::uuid], 'Borrowed insight');
