-- Key/value documents of the StateStore port in embedded mode (Dapr's state component in distributed mode).
CREATE TABLE state_entries (
  key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 400),
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
