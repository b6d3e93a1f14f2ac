-- Dead letters are replayed automatically a few times with growing delays, so events that failed
-- while a consumer was down reach it once it is back; what keeps failing waits for an operator.
ALTER TABLE dead_letters
  ADD COLUMN replays integer NOT NULL DEFAULT 0,
  ADD COLUMN replay_at timestamptz,
  ADD COLUMN last_replayed_at timestamptz,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX dead_letters_replay_idx ON dead_letters (replay_at) WHERE replay_at IS NOT NULL;
