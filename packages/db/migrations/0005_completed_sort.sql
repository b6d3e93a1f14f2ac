-- Completed tasks by completion time (the web's Completed view: GET /api/v1/tasks?status=completed&sort=completed_at).
CREATE INDEX tasks_user_completed_idx ON tasks (user_id, completed_at, id) WHERE completed;
