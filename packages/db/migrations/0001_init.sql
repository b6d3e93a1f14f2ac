-- Dueflow schema, version 1. Applied in one transaction by the migrator (PGlite and PostgreSQL alike).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Better Auth (email + password); users carry their IANA time zone.
CREATE TABLE users (
  id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  email_verified boolean NOT NULL DEFAULT false,
  image text,
  timezone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  ip_address text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE accounts (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  account_id text NOT NULL,
  provider_id text NOT NULL,
  access_token text,
  refresh_token text,
  id_token text,
  access_token_expires_at timestamptz,
  refresh_token_expires_at timestamptz,
  scope text,
  password text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_user_idx ON accounts (user_id);

CREATE TABLE verifications (
  id text PRIMARY KEY,
  identifier text NOT NULL,
  value text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verifications_identifier_idx ON verifications (identifier);

CREATE TABLE tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  completed boolean NOT NULL DEFAULT false,
  completed_at timestamptz,
  priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
  -- Sortable form of priority: high > medium > low.
  priority_rank smallint GENERATED ALWAYS AS (CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) STORED,
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
  due_date timestamptz,
  reminder_at timestamptz,
  -- When reminder_at was last set: a reminder counts as missed only if it was still ahead then.
  reminder_set_at timestamptz NOT NULL DEFAULT now(),
  remind_before_minutes integer CHECK (remind_before_minutes >= 0),
  recurrence jsonb,
  recurring_parent_id bigint REFERENCES tasks(id) ON DELETE SET NULL,
  series_id uuid,
  -- 1 for the first task of a series, n for its n-th occurrence (ends series with COUNT).
  series_index integer NOT NULL DEFAULT 1,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  title_sort text GENERATED ALWAYS AS (lower(title)) STORED,
  search_text text GENERATED ALWAYS AS (lower(title || ' ' || description)) STORED,
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')
  ) STORED
);
-- One index per sort, scanned forwards or backwards (keyset pages: user, key, id), and per filter.
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at, id);
CREATE INDEX tasks_user_due_idx ON tasks (user_id, due_date, id);
CREATE INDEX tasks_user_priority_idx ON tasks (user_id, priority_rank, id);
CREATE INDEX tasks_user_title_idx ON tasks (user_id, title_sort, id);
CREATE INDEX tasks_user_pending_due_idx ON tasks (user_id, due_date) WHERE NOT completed;
CREATE INDEX tasks_tags_idx ON tasks USING gin (tags);
CREATE INDEX tasks_search_vector_idx ON tasks USING gin (search_vector);
CREATE INDEX tasks_search_trgm_idx ON tasks USING gin (search_text gin_trgm_ops);
CREATE INDEX tasks_pending_reminder_idx ON tasks (reminder_at) WHERE NOT completed AND reminder_at IS NOT NULL;
-- Exactly one next occurrence per completed occurrence, whatever the redeliveries.
CREATE UNIQUE INDEX tasks_one_next_occurrence_idx ON tasks (recurring_parent_id) WHERE recurring_parent_id IS NOT NULL;
CREATE INDEX tasks_series_idx ON tasks (series_id) WHERE series_id IS NOT NULL;

-- Events written in the same transaction as the change they describe; the relay publishes them.
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  topic text NOT NULL,
  partition_key text NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz,
  last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_pending_key_idx ON outbox (partition_key, id) WHERE published_at IS NULL;

CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer text NOT NULL,
  topic text NOT NULL,
  event_id text NOT NULL,
  event jsonb NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, event_id)
);

CREATE TABLE activity_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  user_id text NOT NULL,
  task_id bigint NOT NULL,
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX activity_user_idx ON activity_log (user_id, id DESC);
CREATE INDEX activity_user_task_idx ON activity_log (user_id, task_id, id DESC);

CREATE TABLE notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  task_id bigint NOT NULL,
  title text NOT NULL,
  due_at timestamptz,
  remind_at timestamptz NOT NULL,
  delivered_at timestamptz NOT NULL DEFAULT now(),
  read boolean NOT NULL DEFAULT false,
  UNIQUE (task_id, remind_at)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);

CREATE TABLE push_subscriptions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint text NOT NULL UNIQUE,
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id);
