-- UC-3: a reviewer works through the pending proposal inside workspace.db.

-- scenario: the pending proposal is waiting for review
-- expect: 1
SELECT count(*) FROM main.proposals WHERE status = 'pending_review' AND reviewed_at IS NULL;

-- scenario: the reviewer accepts it with notes
UPDATE main.proposals SET status = 'accepted', reviewed_at = 1763798400.0,
       review_notes = 'Try it on code_review only for a week'
WHERE id = 'prop-7f3a9c21';
-- expect: 'accepted'
SELECT status FROM main.proposals WHERE id = 'prop-7f3a9c21';

-- scenario: a proposal needs a hypothesis
-- expect: error: NOT NULL
INSERT INTO main.proposals (id, rationale, status, created_at) VALUES ('prop-empty', 'none', 'draft', 1763798400.0);
