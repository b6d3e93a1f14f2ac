-- Saved filters: a name for a combination of search, filters and sort of the task list (the web
-- shows them in its navigation). `query` is the list's page query, e.g. "tags=home&priority=high".
CREATE TABLE saved_filters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  query text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX saved_filters_user_name_idx ON saved_filters (user_id, lower(name));
