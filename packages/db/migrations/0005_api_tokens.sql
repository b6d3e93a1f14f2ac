-- Personal access tokens for programs (scripts, the CLI, MCP clients). Only a SHA-256 hash of the
-- secret is stored; the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- The first characters of the token, so people can tell their tokens apart.
  prefix text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('read', 'read-write')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);
