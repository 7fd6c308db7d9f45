-- Campaigns sample (PostgreSQL): the marketing platform of seed "002" as it stood after Week 1
-- (migrations 011-012 done): 43 tables, 18 row-level security policies, before the Week 2
-- migrations 013-017 in migrations/. Loaded by `workbench sample load campaigns URL` into an
-- empty database. Every row is generated below from generate_series, with ids derived by md5,
-- so two loads give the same rows (only defaults such as now() differ, and no row uses them).
--
-- Multi-tenant tables carry workspace_id; their policies read the tenant from the session:
--   SET app.current_workspace_id = '<workspace uuid>';

CREATE TYPE member_role AS ENUM ('owner', 'admin', 'editor', 'viewer');
COMMENT ON TYPE member_role IS 'What a member may do in a workspace';

CREATE TYPE content_channel AS ENUM ('blog', 'linkedin', 'twitter', 'newsletter', 'instagram', 'youtube');
COMMENT ON TYPE content_channel IS 'Where a piece of content is published';

CREATE FUNCTION update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION update_updated_at_column() IS 'Trigger function: keeps updated_at current on every UPDATE';

-- ---------------------------------------------------------------------------------------
-- Tenancy and billing
-- ---------------------------------------------------------------------------------------

CREATE TABLE plans (
  id                   text PRIMARY KEY,
  name                 text NOT NULL,
  monthly_price_cents  integer NOT NULL CHECK (monthly_price_cents >= 0),
  seat_limit           integer NOT NULL,
  ai_token_quota       bigint NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  slug         text NOT NULL UNIQUE,
  plan_id      text NOT NULL REFERENCES plans (id),
  industry     text NOT NULL,
  timezone     text NOT NULL DEFAULT 'UTC',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  archived_at  timestamptz
);
COMMENT ON TABLE workspaces IS 'A customer account: every tenant-owned row carries its id';

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE,
  full_name     text NOT NULL,
  locale        text NOT NULL DEFAULT 'en',
  last_seen_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS 'People who sign in; global, a user may belong to several workspaces';

CREATE TABLE workspace_members (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role          member_role NOT NULL DEFAULT 'editor',
  joined_at     timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, user_id)
);
CREATE INDEX idx_workspace_members_user ON workspace_members (user_id);

CREATE TABLE workspace_invitations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email         text NOT NULL,
  role          member_role NOT NULL DEFAULT 'editor',
  invited_by    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'expired', 'revoked')),
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_workspace_invitations_workspace ON workspace_invitations (workspace_id, status);

CREATE TABLE workspace_settings (
  workspace_id     uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  default_channel  content_channel NOT NULL DEFAULT 'blog',
  brand_color      text NOT NULL DEFAULT '#4f46e5',
  weekly_digest    boolean NOT NULL DEFAULT true,
  settings         jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  key_prefix    text NOT NULL UNIQUE,
  created_by    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  actor_id     uuid REFERENCES users (id) ON DELETE SET NULL,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    uuid,
  details      jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_log_workspace_created ON audit_log (workspace_id, created_at DESC);

CREATE TABLE subscriptions (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id          uuid NOT NULL UNIQUE REFERENCES workspaces (id) ON DELETE CASCADE,
  plan_id               text NOT NULL REFERENCES plans (id),
  status                text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled')),
  seats                 integer NOT NULL DEFAULT 1,
  current_period_start  date NOT NULL,
  current_period_end    date NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  subscription_id  uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  amount_cents     integer NOT NULL,
  currency         text NOT NULL DEFAULT 'USD',
  status           text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void')),
  issued_at        timestamptz NOT NULL,
  paid_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_invoices_workspace_issued ON invoices (workspace_id, issued_at DESC);

CREATE TABLE usage_records (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  metric        text NOT NULL CHECK (metric IN ('ai_tokens', 'moves_executed', 'content_generated', 'seats')),
  quantity      bigint NOT NULL,
  recorded_on   date NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, metric, recorded_on)
);

-- ---------------------------------------------------------------------------------------
-- Audience: personas, cohorts, contacts
-- ---------------------------------------------------------------------------------------

CREATE TABLE personas (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  job_title     text NOT NULL,
  pains         text,
  goals         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cohorts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  persona_id     uuid REFERENCES personas (id) ON DELETE SET NULL,
  name           text NOT NULL,
  description    text,
  criteria       jsonb NOT NULL DEFAULT '{}',
  size_estimate  integer NOT NULL DEFAULT 0,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'archived')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_cohorts_workspace ON cohorts (workspace_id, status);
COMMENT ON TABLE cohorts IS 'An audience segment that moves and campaigns target';

CREATE TABLE contacts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email            text NOT NULL,
  full_name        text NOT NULL,
  company          text,
  job_title        text,
  lifecycle_stage  text NOT NULL DEFAULT 'subscriber'
                   CHECK (lifecycle_stage IN ('subscriber', 'lead', 'mql', 'sql', 'customer', 'churned')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, email)
);

CREATE TABLE cohort_contacts (
  cohort_id   uuid NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  contact_id  uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cohort_id, contact_id)
);
CREATE INDEX idx_cohort_contacts_contact ON cohort_contacts (contact_id);

-- ---------------------------------------------------------------------------------------
-- Competitors
-- ---------------------------------------------------------------------------------------

CREATE TABLE competitors (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  website       text NOT NULL,
  category      text NOT NULL,
  threat_level  text NOT NULL DEFAULT 'medium' CHECK (threat_level IN ('low', 'medium', 'high')),
  notes         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_competitors_workspace ON competitors (workspace_id);

CREATE TABLE competitor_snapshots (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  competitor_id             uuid NOT NULL REFERENCES competitors (id) ON DELETE CASCADE,
  captured_on               date NOT NULL,
  domain_rating             integer CHECK (domain_rating BETWEEN 0 AND 100),
  organic_traffic           integer,
  ad_spend_estimate_cents   bigint,
  headline                  text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (competitor_id, captured_on)
);

CREATE TABLE competitor_pricing (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  competitor_id        uuid NOT NULL REFERENCES competitors (id) ON DELETE CASCADE,
  tier_name            text NOT NULL,
  monthly_price_cents  integer NOT NULL,
  observed_on          date NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------
-- Moves: the tactical plays a workspace runs against a cohort
-- ---------------------------------------------------------------------------------------

CREATE TABLE move_templates (
  id                     text PRIMARY KEY,
  name                   text NOT NULL,
  category               text NOT NULL CHECK (category IN ('acquisition', 'activation', 'retention', 'referral', 'revenue')),
  default_duration_days  integer NOT NULL,
  description            text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE moves (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  template_id    text REFERENCES move_templates (id),
  cohort_id      uuid REFERENCES cohorts (id) ON DELETE SET NULL,
  owner_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name           text NOT NULL,
  goal           text,
  status         text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'completed', 'abandoned')),
  starts_on      date NOT NULL,
  ends_on        date NOT NULL,
  success_score  numeric(5, 2),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on)
);
CREATE INDEX idx_moves_workspace_status ON moves (workspace_id, status);
CREATE INDEX idx_moves_cohort ON moves (cohort_id);
COMMENT ON TABLE moves IS 'A tactical play (content blitz, webinar, outreach) run against one cohort';
COMMENT ON COLUMN moves.success_score IS 'Share of executions that succeeded, 0-100; NULL until the first execution';

CREATE TABLE move_steps (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  move_id     uuid NOT NULL REFERENCES moves (id) ON DELETE CASCADE,
  position    integer NOT NULL,
  title       text NOT NULL,
  done        boolean NOT NULL DEFAULT false,
  due_on      date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (move_id, position)
);

CREATE TABLE move_executions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  move_id       uuid NOT NULL REFERENCES moves (id) ON DELETE CASCADE,
  executed_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  outcome       text NOT NULL CHECK (outcome IN ('success', 'partial', 'failure')),
  impressions   integer NOT NULL DEFAULT 0,
  clicks        integer NOT NULL DEFAULT 0,
  conversions   integer NOT NULL DEFAULT 0,
  executed_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_move_executions_move ON move_executions (move_id, executed_at DESC);

-- ---------------------------------------------------------------------------------------
-- Content
-- ---------------------------------------------------------------------------------------

CREATE TABLE content_items (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  move_id       uuid REFERENCES moves (id) ON DELETE SET NULL,
  author_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title         text NOT NULL,
  channel       content_channel NOT NULL,
  status        text NOT NULL DEFAULT 'idea' CHECK (status IN ('idea', 'draft', 'review', 'scheduled', 'published', 'archived')),
  word_count    integer NOT NULL DEFAULT 0,
  published_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_content_items_workspace_status ON content_items (workspace_id, status);
CREATE INDEX idx_content_items_move ON content_items (move_id);

CREATE TABLE content_versions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  content_item_id  uuid NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
  version          integer NOT NULL,
  body             text NOT NULL,
  created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (content_item_id, version)
);

CREATE TABLE content_publications (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  content_item_id  uuid NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
  channel          content_channel NOT NULL,
  external_url     text NOT NULL,
  published_at     timestamptz NOT NULL,
  impressions      integer NOT NULL DEFAULT 0,
  engagements      integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_content_publications_item ON content_publications (content_item_id);

CREATE TABLE assets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  uploaded_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  file_name     text NOT NULL,
  mime_type     text NOT NULL,
  size_bytes    bigint NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tags (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  UNIQUE (workspace_id, name)
);

CREATE TABLE content_tags (
  content_item_id  uuid NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
  tag_id           uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (content_item_id, tag_id)
);

CREATE TABLE comments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  content_item_id  uuid NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
  author_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  body             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------
-- Brand and SEO
-- ---------------------------------------------------------------------------------------

CREATE TABLE brand_profiles (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL UNIQUE REFERENCES workspaces (id) ON DELETE CASCADE,
  tagline       text NOT NULL,
  mission       text,
  tone          text NOT NULL DEFAULT 'confident' CHECK (tone IN ('playful', 'confident', 'expert', 'warm', 'bold')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE brand_voice_rules (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_profile_id  uuid NOT NULL REFERENCES brand_profiles (id) ON DELETE CASCADE,
  rule_type         text NOT NULL CHECK (rule_type IN ('do', 'dont')),
  rule              text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE keywords (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  phrase         text NOT NULL,
  search_volume  integer NOT NULL,
  difficulty     integer NOT NULL CHECK (difficulty BETWEEN 0 AND 100),
  intent         text NOT NULL CHECK (intent IN ('informational', 'navigational', 'commercial', 'transactional')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, phrase)
);

CREATE TABLE keyword_rankings (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  keyword_id  uuid NOT NULL REFERENCES keywords (id) ON DELETE CASCADE,
  checked_on  date NOT NULL,
  position    integer CHECK (position > 0),
  url         text,
  UNIQUE (keyword_id, checked_on)
);

-- ---------------------------------------------------------------------------------------
-- Experiments, metrics, events
-- ---------------------------------------------------------------------------------------

CREATE TABLE experiments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  move_id       uuid REFERENCES moves (id) ON DELETE SET NULL,
  name          text NOT NULL,
  hypothesis    text NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'concluded')),
  started_at    timestamptz,
  ended_at      timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE experiment_variants (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  experiment_id  uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  name           text NOT NULL,
  traffic_share  numeric(4, 3) NOT NULL CHECK (traffic_share > 0 AND traffic_share <= 1),
  visitors       integer NOT NULL DEFAULT 0,
  conversions    integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE metrics_daily (
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day            date NOT NULL,
  sessions       integer NOT NULL,
  signups        integer NOT NULL,
  mqls           integer NOT NULL,
  revenue_cents  bigint NOT NULL,
  PRIMARY KEY (workspace_id, day)
);

CREATE TABLE events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id       uuid REFERENCES users (id) ON DELETE SET NULL,
  name          text NOT NULL,
  properties    jsonb NOT NULL DEFAULT '{}',
  occurred_at   timestamptz NOT NULL
);
CREATE INDEX idx_events_workspace_occurred ON events (workspace_id, occurred_at DESC);

-- ---------------------------------------------------------------------------------------
-- Integrations, webhooks, flags, onboarding
-- ---------------------------------------------------------------------------------------

CREATE TABLE integrations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  provider      text NOT NULL CHECK (provider IN ('hubspot', 'salesforce', 'slack', 'google_analytics', 'semrush', 'linkedin')),
  status        text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'error', 'disconnected')),
  connected_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, provider)
);

CREATE TABLE webhooks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  target_url    text NOT NULL,
  event_types   text[] NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_id    uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_name    text NOT NULL,
  status_code   integer NOT NULL,
  duration_ms   integer NOT NULL,
  delivered_at  timestamptz NOT NULL
);

CREATE TABLE feature_flags (
  key                 text PRIMARY KEY,
  description         text NOT NULL,
  enabled             boolean NOT NULL DEFAULT false,
  rollout_percentage  integer NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE onboarding_steps (
  key       text PRIMARY KEY,
  title     text NOT NULL,
  position  integer NOT NULL UNIQUE
);

CREATE TABLE onboarding_progress (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  step_key      text NOT NULL REFERENCES onboarding_steps (key) ON DELETE CASCADE,
  completed_at  timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, step_key)
);

-- ---------------------------------------------------------------------------------------
-- updated_at triggers on every table that has the column; workspace isolation on 18 tables.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOR t IN SELECT table_name FROM information_schema.columns
           WHERE table_schema = 'public' AND column_name = 'updated_at' ORDER BY table_name LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()',
                   'trg_' || t || '_updated_at', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['workspace_members', 'workspace_invitations', 'api_keys', 'audit_log', 'subscriptions',
                           'invoices', 'cohorts', 'contacts', 'competitors', 'moves', 'move_executions',
                           'content_items', 'content_publications', 'brand_profiles', 'keywords', 'experiments',
                           'metrics_daily', 'integrations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY workspace_isolation ON %I USING (workspace_id = current_setting(''app.current_workspace_id'')::uuid)', t);
  END LOOP;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Rows. Workspace w is 1..48; user u belongs to workspace 1 + (u - 1) % 48, so the users of
-- workspace w are w + 48 k. Ids are md5('<kind>:<n>')::uuid; times count from 2024-01-08.
-- ---------------------------------------------------------------------------------------

INSERT INTO plans (id, name, monthly_price_cents, seat_limit, ai_token_quota, created_at, updated_at) VALUES
  ('free', 'Free', 0, 2, 200000, '2023-06-01', '2023-06-01'),
  ('starter', 'Starter', 4900, 5, 2000000, '2023-06-01', '2023-06-01'),
  ('growth', 'Growth', 19900, 20, 10000000, '2023-06-01', '2023-11-15'),
  ('scale', 'Scale', 79900, 100, 60000000, '2023-09-01', '2023-11-15');

INSERT INTO workspaces (id, name, slug, plan_id, industry, timezone, created_at, updated_at, archived_at)
SELECT md5('workspace:' || w)::uuid,
       base || CASE WHEN w > 24 THEN ' ' || (ARRAY['Labs', 'Group', 'Studio', 'Co'])[1 + w % 4] ELSE '' END,
       lower(replace(base, ' ', '-')) || CASE WHEN w > 24 THEN '-' || w ELSE '' END,
       (ARRAY['free', 'starter', 'growth', 'growth', 'scale'])[1 + w % 5],
       (ARRAY['SaaS', 'E-commerce', 'Fintech', 'Healthtech', 'Agency', 'Education'])[1 + w % 6],
       (ARRAY['UTC', 'Europe/London', 'America/New_York', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Singapore'])[1 + w % 6],
       timestamptz '2023-07-03 09:00+00' + (w * 4) * interval '1 day',
       timestamptz '2024-01-02 09:00+00' + (w % 9) * interval '1 day',
       CASE WHEN w % 23 = 0 THEN timestamptz '2024-01-05 12:00+00' END
FROM generate_series(1, 48) AS w,
     LATERAL (SELECT (ARRAY['Northwind', 'Brightpath', 'Cobalt Analytics', 'Lumen Health', 'Fernwood Goods', 'Tidewater Pay',
                            'Quillstone', 'Harbor & Pine', 'Vantage Learning', 'Orbital CRM', 'Saffron Kitchen', 'Kestrel Security',
                            'Mosaic HR', 'Driftwood Travel', 'Pebble Finance', 'Atlas Freight', 'Juniper Legal', 'Nimbus Cloud',
                            'Copperline', 'Evergreen Pets', 'Helios Solar', 'Marlow Books', 'Signal Peak', 'Wildflower Beauty'])[1 + (w - 1) % 24] AS base) AS b;

INSERT INTO users (id, email, full_name, locale, last_seen_at, created_at, updated_at)
SELECT md5('user:' || u)::uuid,
       lower(f || '.' || l) || u || '@example.com',
       f || ' ' || l,
       (ARRAY['en', 'en', 'en', 'de', 'fr', 'es'])[1 + u % 6],
       CASE WHEN u % 11 <> 0 THEN timestamptz '2024-01-20 08:00+00' + (u * 37 % 1440) * interval '1 minute' - (u % 19) * interval '1 day' END,
       timestamptz '2023-07-03 09:00+00' + (u * 13 % 180) * interval '1 day' + (u % 600) * interval '1 minute',
       timestamptz '2024-01-03 09:00+00' + (u % 12) * interval '1 hour'
FROM generate_series(1, 1800) AS u,
     LATERAL (SELECT (ARRAY['Ada', 'Bruno', 'Chiara', 'Dev', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivan', 'Jules', 'Kofi', 'Lena',
                            'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tomas', 'Uma', 'Vera', 'Wen', 'Yusuf'])[1 + (u * 7 + u / 31) % 24] AS f,
                     (ARRAY['Almeida', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jansen',
                            'Kowalski', 'Lindqvist', 'Moreau', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Sato'])[1 + (u * 5 + u / 17) % 18] AS l) AS n;

-- Every user in their home workspace; every sixth user also helps out in a second one.
INSERT INTO workspace_members (id, workspace_id, user_id, role, joined_at, created_at, updated_at)
SELECT md5('member:' || u || ':' || w)::uuid, md5('workspace:' || w)::uuid, md5('user:' || u)::uuid,
       CASE WHEN u <= 48 AND second = 0 THEN 'owner' WHEN u % 9 = 0 THEN 'admin' WHEN u % 5 = 0 THEN 'viewer' ELSE 'editor' END::member_role,
       timestamptz '2023-07-10 09:00+00' + (u * 13 % 180) * interval '1 day',
       timestamptz '2023-07-10 09:00+00' + (u * 13 % 180) * interval '1 day',
       timestamptz '2024-01-03 09:00+00'
FROM generate_series(1, 1800) AS u,
     LATERAL (SELECT 0 AS second, 1 + (u - 1) % 48 AS w
              UNION ALL SELECT 1, 1 + ((u - 1) % 48 + 17) % 48 WHERE u % 6 = 0) AS m;

INSERT INTO workspace_invitations (id, workspace_id, email, role, invited_by, status, expires_at, created_at, updated_at)
SELECT md5('invitation:' || i)::uuid, md5('workspace:' || w)::uuid,
       'invitee' || i || '@' || (ARRAY['gmail.com', 'outlook.com', 'proton.me', 'company.io'])[1 + i % 4],
       CASE WHEN (i / 48) % 4 = 0 THEN 'viewer' ELSE 'editor' END::member_role,
       md5('user:' || w)::uuid,
       (ARRAY['accepted', 'accepted', 'pending', 'expired', 'revoked'])[1 + i % 5],
       timestamptz '2023-08-01 09:00+00' + (i % 170) * interval '1 day' + interval '14 days',
       timestamptz '2023-08-01 09:00+00' + (i % 170) * interval '1 day',
       timestamptz '2023-08-01 09:00+00' + (i % 170) * interval '1 day'
FROM generate_series(1, 300) AS i, LATERAL (SELECT 1 + (i - 1) % 48 AS w) AS x;

INSERT INTO workspace_settings (workspace_id, default_channel, brand_color, weekly_digest, settings, created_at, updated_at)
SELECT md5('workspace:' || w)::uuid,
       (ARRAY['blog', 'linkedin', 'newsletter', 'twitter'])[1 + w % 4]::content_channel,
       (ARRAY['#4f46e5', '#0ea5e9', '#16a34a', '#ea580c', '#db2777'])[1 + w % 5],
       w % 7 <> 0,
       jsonb_build_object('week_starts_on', CASE WHEN w % 3 = 0 THEN 'sunday' ELSE 'monday' END, 'ai_assist', w % 4 <> 0),
       timestamptz '2023-07-03 09:00+00' + (w * 4) * interval '1 day',
       timestamptz '2024-01-02 09:00+00'
FROM generate_series(1, 48) AS w;

INSERT INTO api_keys (id, workspace_id, name, key_prefix, created_by, last_used_at, revoked_at, created_at, updated_at)
SELECT md5('api_key:' || k)::uuid, md5('workspace:' || w)::uuid,
       (ARRAY['Zapier', 'CI pipeline', 'Data warehouse sync', 'Internal dashboard', 'Webflow'])[1 + k % 5],
       'rf_' || substr(md5('api_key_prefix:' || k), 1, 10),
       md5('user:' || w)::uuid,
       CASE WHEN k % 4 <> 0 THEN timestamptz '2024-01-15 00:00+00' + (k % 9) * interval '1 day' END,
       CASE WHEN k % 13 = 0 THEN timestamptz '2023-12-01 00:00+00' END,
       timestamptz '2023-08-01 09:00+00' + (k * 3) * interval '1 day',
       timestamptz '2023-08-01 09:00+00' + (k * 3) * interval '1 day'
FROM generate_series(1, 120) AS k, LATERAL (SELECT 1 + (k - 1) % 48 AS w) AS x;

INSERT INTO subscriptions (id, workspace_id, plan_id, status, seats, current_period_start, current_period_end, created_at, updated_at)
SELECT md5('subscription:' || w)::uuid, ws.id, ws.plan_id,
       CASE WHEN ws.archived_at IS NOT NULL THEN 'canceled' WHEN w % 11 = 0 THEN 'past_due' WHEN ws.plan_id = 'free' THEN 'trialing' ELSE 'active' END,
       3 + w % 20, date '2024-01-01', date '2024-01-31', ws.created_at, ws.updated_at
FROM generate_series(1, 48) AS w JOIN workspaces ws ON ws.id = md5('workspace:' || w)::uuid;

INSERT INTO invoices (id, workspace_id, subscription_id, amount_cents, currency, status, issued_at, paid_at, created_at, updated_at)
SELECT md5('invoice:' || w || ':' || m)::uuid, md5('workspace:' || w)::uuid, md5('subscription:' || w)::uuid,
       p.monthly_price_cents + (w % 5) * 1500,
       CASE WHEN w % 4 = 0 THEN 'EUR' ELSE 'USD' END,
       CASE WHEN m = 6 AND w % 11 = 0 THEN 'open' ELSE 'paid' END,
       timestamptz '2023-08-01 00:00+00' + (m - 1) * interval '1 month',
       CASE WHEN NOT (m = 6 AND w % 11 = 0) THEN timestamptz '2023-08-03 00:00+00' + (m - 1) * interval '1 month' END,
       timestamptz '2023-08-01 00:00+00' + (m - 1) * interval '1 month',
       timestamptz '2023-08-03 00:00+00' + (m - 1) * interval '1 month'
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(1, 6) AS m
JOIN workspaces ws ON ws.id = md5('workspace:' || w)::uuid
JOIN plans p ON p.id = ws.plan_id
WHERE p.monthly_price_cents > 0;

INSERT INTO usage_records (workspace_id, metric, quantity, recorded_on, created_at)
SELECT md5('workspace:' || w)::uuid, metric, (w * 7919 + d * 104729 + length(metric) * 31) % (CASE metric WHEN 'ai_tokens' THEN 90000 ELSE 40 END) + 1,
       date '2023-10-01' + d, timestamptz '2023-10-02 00:05+00' + d * interval '1 day'
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(0, 89) AS d
CROSS JOIN unnest(ARRAY['ai_tokens', 'moves_executed']) AS metric;

INSERT INTO personas (id, workspace_id, name, job_title, pains, goals, created_at, updated_at)
SELECT md5('persona:' || p)::uuid, md5('workspace:' || (1 + (p - 1) % 48))::uuid,
       (ARRAY['Scaling Sarah', 'Founder Frank', 'Ops Olivia', 'Technical Tariq', 'Budget Bea'])[1 + (p - 1) / 48 % 5],
       (ARRAY['VP Marketing', 'Founder & CEO', 'Head of Operations', 'CTO', 'Finance Director'])[1 + (p - 1) / 48 % 5],
       (ARRAY['Pipeline is unpredictable', 'No time for marketing', 'Too many disconnected tools', 'Hates sales fluff', 'Cannot prove ROI'])[1 + (p - 1) / 48 % 5],
       (ARRAY['Hit quarterly pipeline target', 'Find first 100 customers', 'One source of truth', 'Evaluate quickly', 'Cut CAC by 20%'])[1 + (p - 1) / 48 % 5],
       timestamptz '2023-08-15 09:00+00' + p * interval '6 hours', timestamptz '2023-12-01 09:00+00'
FROM generate_series(1, 144) AS p;

-- Six cohorts per workspace: cohort c belongs to workspace 1 + (c - 1) / 6.
INSERT INTO cohorts (id, workspace_id, persona_id, name, description, criteria, size_estimate, status, created_at, updated_at)
SELECT md5('cohort:' || c)::uuid, md5('workspace:' || w)::uuid,
       md5('persona:' || (w + 48 * (c % 3)))::uuid,
       (ARRAY['Trial users, week 1', 'Enterprise evaluators', 'Churn risk', 'Power users', 'Newsletter subscribers', 'Event attendees'])[1 + (c - 1) % 6],
       (ARRAY['Signed up in the last 7 days', 'Companies above 500 employees in a trial', 'No login for 21 days',
              'Top decile by weekly activity', 'Subscribed, never converted', 'Registered for a webinar'])[1 + (c - 1) % 6],
       jsonb_build_object('min_score', 10 * (c % 7), 'region', (ARRAY['EMEA', 'NA', 'APAC', 'LATAM'])[1 + c % 4]),
       200 + (c * 7919) % 9800,
       CASE WHEN c % 17 = 0 THEN 'archived' WHEN c % 13 = 0 THEN 'draft' ELSE 'active' END,
       timestamptz '2023-08-20 09:00+00' + c * interval '14 hours', timestamptz '2023-12-15 09:00+00' + (c % 20) * interval '1 day'
FROM generate_series(1, 288) AS c, LATERAL (SELECT 1 + (c - 1) / 6 AS w) AS x;

INSERT INTO contacts (id, workspace_id, email, full_name, company, job_title, lifecycle_stage, created_at, updated_at)
SELECT md5('contact:' || n)::uuid, md5('workspace:' || (1 + (n - 1) % 48))::uuid,
       'contact' || n || '@' || (ARRAY['acme.io', 'globex.com', 'initech.co', 'umbrella.org', 'hooli.dev', 'vandelay.biz', 'stark.tech'])[1 + n % 7],
       (ARRAY['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Riley', 'Casey', 'Jamie'])[1 + n % 8] || ' ' ||
       (ARRAY['Nguyen', 'Smith', 'Kumar', 'Silva', 'Müller', 'Kim', 'Ahmed', 'Brown', 'Rossi'])[1 + (n / 8) % 9],
       (ARRAY['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark'])[1 + n % 7],
       (ARRAY['Marketing Manager', 'Growth Lead', 'CMO', 'Product Marketer', 'Demand Gen Specialist'])[1 + n % 5],
       (ARRAY['subscriber', 'subscriber', 'lead', 'lead', 'mql', 'sql', 'customer', 'churned'])[1 + (n * 31 + n / 48) % 8],
       timestamptz '2023-08-01 00:00+00' + (n * 17 % 170) * interval '1 day' + (n % 1440) * interval '1 minute',
       timestamptz '2023-12-20 00:00+00' + (n % 30) * interval '1 day'
FROM generate_series(1, 12000) AS n;

INSERT INTO cohort_contacts (cohort_id, contact_id, added_at)
SELECT md5('cohort:' || ((w - 1) * 6 + 1 + (n / 48 + j * 3) % 6))::uuid, md5('contact:' || n)::uuid,
       timestamptz '2023-09-01 00:00+00' + (n % 120) * interval '1 day'
FROM generate_series(1, 12000) AS n, LATERAL (SELECT 1 + (n - 1) % 48 AS w) AS x, generate_series(0, 1) AS j
WHERE j = 0 OR n % 3 = 0;

INSERT INTO competitors (id, workspace_id, name, website, category, threat_level, notes, created_at, updated_at)
SELECT md5('competitor:' || c)::uuid, md5('workspace:' || (1 + (c - 1) / 5))::uuid, name,
       'https://' || lower(replace(name, ' ', '')) || '.com',
       (ARRAY['Direct', 'Direct', 'Adjacent', 'Incumbent', 'Open source'])[1 + c % 5],
       (ARRAY['low', 'medium', 'medium', 'high'])[1 + (c * 7) % 4],
       CASE WHEN c % 3 = 0 THEN 'Raised a Series B last quarter; hiring SDRs' WHEN c % 5 = 0 THEN 'Undercuts us on price for small teams' END,
       timestamptz '2023-09-01 09:00+00' + c * interval '9 hours', timestamptz '2024-01-04 09:00+00'
FROM generate_series(1, 240) AS c,
     LATERAL (SELECT (ARRAY['HubSpot', 'Jasper', 'Copy.ai', 'Semrush', 'Mailchimp', 'Hootsuite', 'Marketo', 'Ahrefs',
                            'Buffer', 'Sprout Social', 'ActiveCampaign', 'Writer'])[1 + (c * 5) % 12] AS name) AS x;

INSERT INTO competitor_snapshots (id, competitor_id, captured_on, domain_rating, organic_traffic, ad_spend_estimate_cents, headline, created_at)
SELECT md5('snapshot:' || c || ':' || m)::uuid, md5('competitor:' || c)::uuid, date '2023-02-01' + m * interval '1 month',
       40 + (c * 7 + m) % 55, 10000 + (c * 7919 + m * 1543) % 900000, (c * 104729 + m * 7) % 50000000,
       (ARRAY['The AI marketing platform', 'Grow better', 'Marketing on autopilot', 'Content that converts'])[1 + (c + m) % 4],
       timestamptz '2023-02-01 06:00+00' + m * interval '1 month'
FROM generate_series(1, 240) AS c CROSS JOIN generate_series(0, 11) AS m;

INSERT INTO competitor_pricing (id, competitor_id, tier_name, monthly_price_cents, observed_on, created_at)
SELECT md5('pricing:' || c || ':' || t)::uuid, md5('competitor:' || c)::uuid,
       (ARRAY['Starter', 'Pro', 'Business'])[t], (ARRAY[2900, 9900, 39900])[t] + (c % 7) * 1000,
       date '2023-11-15' + (c % 30), timestamptz '2023-11-15 06:00+00' + (c % 30) * interval '1 day'
FROM generate_series(1, 240) AS c CROSS JOIN generate_series(1, 3) AS t;

INSERT INTO move_templates (id, name, category, default_duration_days, description, created_at, updated_at) VALUES
  ('content-blitz', 'Content blitz', 'acquisition', 14, 'Publish one piece a day on the cohort''s top channel', '2023-06-01', '2023-06-01'),
  ('webinar', 'Webinar', 'acquisition', 21, 'Host a live session and nurture attendees', '2023-06-01', '2023-06-01'),
  ('cold-outreach', 'Cold outreach sequence', 'acquisition', 28, 'Personalised email sequence to a target list', '2023-06-01', '2023-06-01'),
  ('onboarding-nudges', 'Onboarding nudges', 'activation', 10, 'In-app and email nudges for the first week', '2023-06-01', '2023-06-01'),
  ('feature-launch', 'Feature launch', 'activation', 14, 'Announce a feature to the users who need it', '2023-06-01', '2023-06-01'),
  ('win-back', 'Win-back campaign', 'retention', 21, 'Re-engage users with no login in three weeks', '2023-06-01', '2023-06-01'),
  ('customer-stories', 'Customer stories', 'retention', 30, 'Case studies that show value to lookalikes', '2023-06-01', '2023-06-01'),
  ('referral-push', 'Referral push', 'referral', 14, 'Double-sided referral incentive for power users', '2023-06-01', '2023-06-01'),
  ('community-ama', 'Community AMA', 'referral', 7, 'Ask-me-anything in the community channel', '2023-06-01', '2023-06-01'),
  ('upsell-annual', 'Annual plan upsell', 'revenue', 14, 'Offer annual billing to active monthly payers', '2023-06-01', '2023-06-01'),
  ('pricing-test', 'Pricing page test', 'revenue', 28, 'A/B test the pricing page layout', '2023-06-01', '2023-06-01'),
  ('seo-cluster', 'SEO topic cluster', 'acquisition', 45, 'Pillar page plus eight supporting articles', '2023-06-01', '2023-06-01');

-- 75 moves per workspace: move m belongs to workspace 1 + (m - 1) % 48 and targets one of its cohorts.
INSERT INTO moves (id, workspace_id, template_id, cohort_id, owner_id, name, goal, status, starts_on, ends_on, success_score, created_at, updated_at)
SELECT md5('move:' || m)::uuid, md5('workspace:' || w)::uuid, t.id,
       md5('cohort:' || ((w - 1) * 6 + 1 + (m / 48) % 6))::uuid,
       md5('user:' || (w + 48 * (m % 37)))::uuid,
       t.name || ' #' || (1 + (m - 1) / 48),
       (ARRAY['Book 40 demos', 'Lift trial-to-paid by 5 points', 'Reactivate 200 accounts', '1,000 newsletter sign-ups', 'Rank top 3 for the pillar keyword'])[1 + m % 5],
       CASE WHEN m > 3300 THEN 'planned' WHEN m > 3000 THEN 'in_progress' WHEN m % 17 = 0 THEN 'abandoned' ELSE 'completed' END,
       date '2023-07-03' + (m * 180 / 3600), date '2023-07-03' + (m * 180 / 3600) + t.default_duration_days,
       NULL, timestamptz '2023-07-01 09:00+00' + (m * 180 / 3600) * interval '1 day',
       timestamptz '2023-07-01 09:00+00' + (m * 180 / 3600 + 3) * interval '1 day'
FROM generate_series(1, 3600) AS m,
     LATERAL (SELECT 1 + (m - 1) % 48 AS w) AS x
JOIN LATERAL (SELECT * FROM move_templates ORDER BY id OFFSET (m * 7 + m / 48) % 12 LIMIT 1) AS t ON true;

INSERT INTO move_steps (id, move_id, position, title, done, due_on, created_at, updated_at)
SELECT md5('move_step:' || m || ':' || s)::uuid, md5('move:' || m)::uuid, s,
       (ARRAY['Brief and audience check', 'Produce assets', 'Launch and monitor'])[s],
       m <= 3000 OR (m <= 3300 AND s = 1),
       date '2023-07-03' + (m * 180 / 3600) + s * 4,
       timestamptz '2023-07-01 09:00+00' + (m * 180 / 3600) * interval '1 day',
       timestamptz '2023-07-01 09:00+00' + (m * 180 / 3600 + s * 4) * interval '1 day'
FROM generate_series(1, 3600) AS m CROSS JOIN generate_series(1, 3) AS s;

-- Four executions per started move (moves 1..3300 are completed, abandoned or in progress).
INSERT INTO move_executions (id, workspace_id, move_id, executed_by, outcome, impressions, clicks, conversions, executed_at, created_at)
SELECT md5('execution:' || e)::uuid, md5('workspace:' || w)::uuid, md5('move:' || m)::uuid,
       md5('user:' || (w + 48 * (e % 37)))::uuid,
       CASE WHEN (e * 7) % 10 < 6 THEN 'success' WHEN (e * 7) % 10 < 8 THEN 'partial' ELSE 'failure' END,
       500 + (e * 7919) % 20000, 10 + (e * 104729) % 900, (e * 31) % 60,
       timestamptz '2023-07-04 10:00+00' + (m * 180 / 3600 + (e - 1) / 3300 * 3) * interval '1 day',
       timestamptz '2023-07-04 10:00+00' + (m * 180 / 3600 + (e - 1) / 3300 * 3) * interval '1 day'
FROM generate_series(1, 13200) AS e, LATERAL (SELECT 1 + (e - 1) % 3300 AS m) AS mm, LATERAL (SELECT 1 + (m - 1) % 48 AS w) AS x;

UPDATE moves m SET success_score = s.score
FROM (SELECT move_id, round(100.0 * count(*) FILTER (WHERE outcome = 'success') / count(*), 2) AS score
      FROM move_executions GROUP BY move_id) AS s
WHERE m.id = s.move_id;

INSERT INTO content_items (id, workspace_id, move_id, author_id, title, channel, status, word_count, published_at, created_at, updated_at)
SELECT md5('content:' || i)::uuid, md5('workspace:' || w)::uuid,
       CASE WHEN i % 9 <> 0 THEN md5('move:' || (w + 48 * (i % 75)))::uuid END,
       md5('user:' || (w + 48 * (i % 37)))::uuid,
       (ARRAY['How we cut onboarding time in half', '7 signals your pipeline is stalling', 'The cohort playbook',
              'What our churned users told us', 'Pricing pages that convert', 'A field guide to positioning',
              'From webinar to won deal', 'Why we stopped gating content', 'The 30-minute competitor audit'])[1 + i % 9]
         || ' (' || (1 + (i - 1) / 48) || ')',
       (ARRAY['blog', 'linkedin', 'twitter', 'newsletter', 'instagram', 'youtube'])[1 + (i * 5 + i / 48) % 6]::content_channel,
       st, 150 + (i * 7919) % 2400,
       CASE WHEN st IN ('published', 'archived') THEN timestamptz '2023-07-10 08:00+00' + (i * 173 / 7200) * interval '1 day' END,
       timestamptz '2023-07-05 08:00+00' + (i * 173 / 7200) * interval '1 day',
       timestamptz '2023-07-12 08:00+00' + (i * 173 / 7200) * interval '1 day'
FROM generate_series(1, 7200) AS i, LATERAL (SELECT 1 + (i - 1) % 48 AS w) AS x,
     LATERAL (SELECT (ARRAY['published', 'published', 'published', 'published', 'draft', 'review', 'scheduled', 'idea', 'archived'])[1 + (i * 11) % 9] AS st) AS s;

INSERT INTO content_versions (id, content_item_id, version, body, created_by, created_at)
SELECT md5('content_version:' || i || ':' || v)::uuid, c.id, v,
       CASE v WHEN 1 THEN 'First draft: ' ELSE 'Revision ' || v || ': ' END || c.title || '. ' ||
       repeat('Our customers kept asking the same question, so we measured it. ', 2 + (i % 5)),
       c.author_id, c.created_at + v * interval '1 day'
FROM generate_series(1, 7200) AS i JOIN content_items c ON c.id = md5('content:' || i)::uuid
CROSS JOIN generate_series(1, 3) AS v
WHERE v <= 1 + i % 3;

INSERT INTO content_publications (id, workspace_id, content_item_id, channel, external_url, published_at, impressions, engagements, created_at)
SELECT md5('publication:' || c.id || ':' || k)::uuid, c.workspace_id, c.id,
       CASE k WHEN 0 THEN c.channel ELSE 'linkedin' END,
       'https://example.com/p/' || substr(md5(c.id::text || k), 1, 12), c.published_at + k * interval '2 days',
       (c.word_count * 37) % 25000 + 100, (c.word_count * 11) % 900, c.published_at + k * interval '2 days'
FROM content_items c CROSS JOIN generate_series(0, 1) AS k
WHERE c.status IN ('published', 'archived') AND (k = 0 OR (c.channel = 'blog' AND c.word_count % 2 = 0));

INSERT INTO assets (id, workspace_id, uploaded_by, file_name, mime_type, size_bytes, created_at)
SELECT md5('asset:' || a)::uuid, md5('workspace:' || w)::uuid, md5('user:' || (w + 48 * (a % 37)))::uuid,
       (ARRAY['hero', 'og-image', 'diagram', 'headshot', 'case-study', 'webinar-deck'])[1 + (a + a / 48) % 6] || '-' || a ||
       (ARRAY['.png', '.png', '.svg', '.jpg', '.pdf', '.pdf'])[1 + (a + a / 48) % 6],
       (ARRAY['image/png', 'image/png', 'image/svg+xml', 'image/jpeg', 'application/pdf', 'application/pdf'])[1 + (a + a / 48) % 6],
       20000 + (a * 7919) % 4000000, timestamptz '2023-07-05 08:00+00' + (a * 173 / 3000) * interval '1 day'
FROM generate_series(1, 3000) AS a, LATERAL (SELECT 1 + (a - 1) % 48 AS w) AS x;

INSERT INTO tags (id, workspace_id, name)
SELECT md5('tag:' || w || ':' || t)::uuid, md5('workspace:' || w)::uuid,
       (ARRAY['thought-leadership', 'product', 'case-study', 'how-to', 'launch', 'seo', 'community', 'hiring', 'pricing', 'ai'])[t]
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(1, 10) AS t;

INSERT INTO content_tags (content_item_id, tag_id)
SELECT md5('content:' || i)::uuid, md5('tag:' || (1 + (i - 1) % 48) || ':' || (1 + (i + j * 4) % 10))::uuid
FROM generate_series(1, 7200) AS i CROSS JOIN generate_series(0, 1) AS j
WHERE j = 0 OR i % 2 = 0;

INSERT INTO comments (id, content_item_id, author_id, body, created_at, updated_at)
SELECT md5('comment:' || n)::uuid, c.id, md5('user:' || (1 + (n * 48 + (c_n - 1) % 48) % 1800))::uuid,
       (ARRAY['Love the hook, can we tighten the intro?', 'Needs a customer quote here.', 'Legal asked us to drop the ROI claim.',
              'Approved. Scheduling for Tuesday.', 'Can we add the benchmark chart?', 'Title is too long for LinkedIn.'])[1 + n % 6],
       c.created_at + (1 + n % 5) * interval '1 hour', c.created_at + (1 + n % 5) * interval '1 hour'
FROM generate_series(1, 6000) AS n, LATERAL (SELECT 1 + (n * 7) % 7200 AS c_n) AS x
JOIN content_items c ON c.id = md5('content:' || c_n)::uuid;

INSERT INTO brand_profiles (id, workspace_id, tagline, mission, tone, created_at, updated_at)
SELECT md5('brand:' || w)::uuid, md5('workspace:' || w)::uuid,
       (ARRAY['Marketing that compounds', 'Grow without the guesswork', 'Your unfair advantage', 'Clarity at every stage'])[1 + w % 4],
       'Help ' || (ARRAY['founders', 'marketers', 'operators', 'small teams'])[1 + w % 4] || ' win the customers they deserve',
       (ARRAY['playful', 'confident', 'expert', 'warm', 'bold'])[1 + w % 5],
       timestamptz '2023-07-10 09:00+00' + w * interval '2 days', timestamptz '2023-12-10 09:00+00'
FROM generate_series(1, 48) AS w;

INSERT INTO brand_voice_rules (id, brand_profile_id, rule_type, rule, created_at)
SELECT md5('voice_rule:' || w || ':' || r)::uuid, md5('brand:' || w)::uuid,
       CASE WHEN r % 2 = 0 THEN 'dont' ELSE 'do' END,
       (ARRAY['Lead with the customer''s outcome', 'Use jargon like "synergy"', 'Back claims with a number', 'Promise guaranteed results',
              'Write at a grade 8 reading level', 'Use more than one exclamation mark', 'Name the competitor only to compare fairly', 'Mock competitors'])[r],
       timestamptz '2023-07-12 09:00+00' + w * interval '2 days'
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(1, 8) AS r;

INSERT INTO keywords (id, workspace_id, phrase, search_volume, difficulty, intent, created_at, updated_at)
SELECT md5('keyword:' || w || ':' || k)::uuid, md5('workspace:' || w)::uuid,
       (ARRAY['marketing', 'content', 'b2b', 'ai', 'saas', 'startup', 'email', 'seo', 'growth', 'brand'])[1 + k % 10] || ' ' ||
       (ARRAY['strategy', 'tools', 'template', 'examples', 'software', 'playbook', 'calendar', 'agency', 'metrics', 'automation'])[1 + k / 10 % 10]
       || CASE WHEN k >= 100 THEN ' ' || k ELSE '' END,
       50 + (w * 7919 + k * 104729) % 40000, (w * 7 + k * 13) % 100,
       (ARRAY['informational', 'commercial', 'transactional', 'navigational'])[1 + (k * 3) % 4],
       timestamptz '2023-08-01 09:00+00' + k * interval '1 day', timestamptz '2024-01-01 09:00+00'
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(0, 49) AS k;

INSERT INTO keyword_rankings (keyword_id, checked_on, position, url)
SELECT md5('keyword:' || w || ':' || k)::uuid, date '2023-11-06' + r * 7,
       CASE WHEN (w + k + r) % 9 = 0 THEN NULL ELSE 1 + (w * 31 + k * 7 + r * 3) % 60 END,
       'https://example.com/blog/' || k
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(0, 49) AS k CROSS JOIN generate_series(0, 3) AS r;

INSERT INTO experiments (id, workspace_id, move_id, name, hypothesis, status, started_at, ended_at, created_at, updated_at)
SELECT md5('experiment:' || x)::uuid, md5('workspace:' || w)::uuid, md5('move:' || (w + 48 * (x % 75)))::uuid,
       (ARRAY['Headline test', 'CTA colour', 'Pricing anchor', 'Social proof block', 'Shorter signup form'])[1 + x % 5] || ' ' || (1 + (x - 1) / 48),
       (ARRAY['A benefit-led headline lifts sign-ups', 'A contrasting CTA lifts clicks', 'Showing the annual price first lifts annual plans',
              'Logos above the fold lift trust', 'Three fields instead of seven lift completion'])[1 + x % 5],
       CASE WHEN x > 270 THEN 'draft' WHEN x > 220 THEN 'running' ELSE 'concluded' END,
       CASE WHEN x <= 270 THEN timestamptz '2023-08-01 09:00+00' + x * interval '12 hours' END,
       CASE WHEN x <= 220 THEN timestamptz '2023-08-15 09:00+00' + x * interval '12 hours' END,
       timestamptz '2023-07-28 09:00+00' + x * interval '12 hours', timestamptz '2023-08-15 09:00+00' + x * interval '12 hours'
FROM generate_series(1, 300) AS x, LATERAL (SELECT 1 + (x - 1) % 48 AS w) AS y;

INSERT INTO experiment_variants (id, experiment_id, name, traffic_share, visitors, conversions, created_at)
SELECT md5('variant:' || x || ':' || v)::uuid, md5('experiment:' || x)::uuid, (ARRAY['control', 'variant B', 'variant C'])[v],
       CASE WHEN x % 4 = 0 THEN 0.333 ELSE 0.5 END,
       CASE WHEN x <= 270 THEN 800 + (x * 7919 + v * 31) % 5000 ELSE 0 END,
       CASE WHEN x <= 270 THEN 20 + (x * 104729 + v * 17) % 300 ELSE 0 END,
       timestamptz '2023-07-28 09:00+00' + x * interval '12 hours'
FROM generate_series(1, 300) AS x CROSS JOIN generate_series(1, 3) AS v
WHERE v <= 2 OR x % 4 = 0;

INSERT INTO metrics_daily (workspace_id, day, sessions, signups, mqls, revenue_cents)
SELECT md5('workspace:' || w)::uuid, date '2023-09-12' + d,
       300 + (w * 97 + d * 13) % 2500 + CASE WHEN extract(isodow FROM date '2023-09-12' + d) > 5 THEN -200 ELSE 0 END,
       5 + (w * 31 + d * 7) % 60, 1 + (w * 17 + d * 5) % 25, (w * 7919 + d * 104729) % 2500000
FROM generate_series(1, 48) AS w CROSS JOIN generate_series(0, 119) AS d;

INSERT INTO events (workspace_id, user_id, name, properties, occurred_at)
SELECT md5('workspace:' || w)::uuid, md5('user:' || (w + 48 * (n % 37)))::uuid,
       ev, jsonb_build_object('source', (ARRAY['web', 'extension', 'api'])[1 + n % 3], 'duration_ms', (n * 7919) % 4000),
       timestamptz '2023-10-01 00:00+00' + (n * 113 / 20000) * interval '1 day' + (n * 7 % 1440) * interval '1 minute'
FROM generate_series(1, 20000) AS n, LATERAL (SELECT 1 + (n * 7) % 48 AS w) AS x,
     LATERAL (SELECT (ARRAY['signed_in', 'move_created', 'content_generated', 'content_published', 'cohort_viewed',
                            'competitor_added', 'report_exported', 'ai_suggestion_accepted'])[1 + (n * 3) % 8] AS ev) AS e;

INSERT INTO integrations (id, workspace_id, provider, status, connected_by, created_at, updated_at)
SELECT md5('integration:' || w || ':' || p)::uuid, md5('workspace:' || w)::uuid, p,
       CASE WHEN (w + length(p)) % 13 = 0 THEN 'error' WHEN (w + length(p)) % 17 = 0 THEN 'disconnected' ELSE 'connected' END,
       md5('user:' || w)::uuid, timestamptz '2023-08-01 09:00+00' + w * interval '1 day', timestamptz '2024-01-01 09:00+00'
FROM generate_series(1, 48) AS w CROSS JOIN unnest(ARRAY['hubspot', 'salesforce', 'slack', 'google_analytics', 'semrush', 'linkedin']) AS p
WHERE (w * 7 + length(p) * 3) % 5 < 2 OR p = 'slack';

INSERT INTO webhooks (id, workspace_id, target_url, event_types, active, created_at, updated_at)
SELECT md5('webhook:' || h)::uuid, md5('workspace:' || (1 + (h - 1) % 48))::uuid,
       'https://hooks.example.com/' || substr(md5('hook:' || h), 1, 16),
       CASE h % 3 WHEN 0 THEN ARRAY['content.published'] WHEN 1 THEN ARRAY['move.completed', 'move.failed'] ELSE ARRAY['contact.created'] END,
       h % 9 <> 0, timestamptz '2023-09-01 09:00+00' + h * interval '1 day', timestamptz '2023-12-01 09:00+00'
FROM generate_series(1, 96) AS h;

INSERT INTO webhook_deliveries (webhook_id, event_name, status_code, duration_ms, delivered_at)
SELECT md5('webhook:' || (1 + n % 96))::uuid, (ARRAY['content.published', 'move.completed', 'contact.created'])[1 + n % 3],
       CASE WHEN n % 29 = 0 THEN 500 WHEN n % 41 = 0 THEN 404 ELSE 200 END, 40 + (n * 7919) % 900,
       timestamptz '2023-10-01 00:00+00' + n * interval '31 minutes'
FROM generate_series(1, 4000) AS n;

INSERT INTO feature_flags (key, description, enabled, rollout_percentage, created_at, updated_at) VALUES
  ('ai_drafts', 'Generate first drafts with the Muse guild', true, 100, '2023-07-01', '2023-11-01'),
  ('competitor_radar', 'Weekly competitor snapshots', true, 100, '2023-08-01', '2023-10-01'),
  ('cohort_builder_v2', 'New cohort builder with nested criteria', true, 40, '2023-11-01', '2024-01-02'),
  ('campaigns', 'Campaigns that group moves (Week 2)', false, 0, '2024-01-02', '2024-01-02'),
  ('gamification', 'Achievements and levels (Week 2)', false, 0, '2024-01-02', '2024-01-02'),
  ('agent_marketplace', 'Assign agents to workspaces (Week 2)', false, 0, '2024-01-02', '2024-01-02'),
  ('intelligence_feed', 'Market signals and insights (Week 2)', false, 0, '2024-01-02', '2024-01-02'),
  ('smart_alerts', 'Alerts and notifications (Week 2)', false, 0, '2024-01-02', '2024-01-02'),
  ('dark_mode', 'Dark theme for the dashboard', true, 100, '2023-07-15', '2023-07-15'),
  ('slack_digest', 'Weekly digest in Slack', true, 75, '2023-10-10', '2023-12-12');

INSERT INTO onboarding_steps (key, title, position) VALUES
  ('create_workspace', 'Create your workspace', 1), ('invite_team', 'Invite your team', 2),
  ('define_positioning', 'Describe your positioning', 3), ('first_cohort', 'Build your first cohort', 4),
  ('add_competitors', 'Add three competitors', 5), ('first_move', 'Plan your first move', 6),
  ('connect_integration', 'Connect an integration', 7), ('publish_content', 'Publish a piece of content', 8);

INSERT INTO onboarding_progress (workspace_id, step_key, completed_at)
SELECT md5('workspace:' || w)::uuid, s.key, timestamptz '2023-07-04 09:00+00' + (w * 4 + s.position) * interval '1 day'
FROM generate_series(1, 48) AS w JOIN onboarding_steps s ON s.position <= 3 + w % 6;

INSERT INTO audit_log (workspace_id, actor_id, action, entity_type, entity_id, details, created_at)
SELECT md5('workspace:' || w)::uuid, md5('user:' || (w + 48 * (n % 37)))::uuid,
       (ARRAY['move.created', 'move.completed', 'content.published', 'cohort.updated', 'member.invited', 'integration.connected'])[1 + n % 6],
       (ARRAY['move', 'move', 'content_item', 'cohort', 'workspace_invitation', 'integration'])[1 + n % 6],
       md5('entity:' || n)::uuid, jsonb_build_object('ip', '203.0.113.' || (n % 250), 'via', CASE WHEN n % 4 = 0 THEN 'api' ELSE 'web' END),
       timestamptz '2023-07-05 00:00+00' + (n * 190 / 6000) * interval '1 day' + (n * 7 % 1440) * interval '1 minute'
FROM generate_series(1, 6000) AS n, LATERAL (SELECT 1 + (n * 5) % 48 AS w) AS x;

ANALYZE;
