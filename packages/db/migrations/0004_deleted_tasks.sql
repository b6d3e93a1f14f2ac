-- Deleted tasks are kept for 30 days, so a delete can be undone with the task's own id (and its
-- activity history, which is keyed by that id). The task's columns as JSON; restored by id.
CREATE TABLE deleted_tasks (
  id bigint PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  task jsonb NOT NULL,
  deleted_at timestamptz NOT NULL
);
CREATE INDEX deleted_tasks_deleted_at_idx ON deleted_tasks (deleted_at);
