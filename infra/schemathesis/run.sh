#!/usr/bin/env bash
# Schemathesis against the public OpenAPI document of an embedded Dueflow this script starts (in-memory
# data, a free port on 127.0.0.1), as a signed-in user: every documented operation with generated valid
# and invalid input. Passes only with zero server errors and zero responses that break their schema.
# Bounded: a fixed number of examples per operation, and SCHEMATHESIS_MAX_SECONDS for the whole run (a hard stop).
#
# Usage: bash infra/schemathesis/run.sh   (installs schemathesis on first use: infra/schemathesis/install.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

log() { printf '[schemathesis] %s\n' "$*" >&2; }

ST="$(bash infra/schemathesis/install.sh)"
MAX_SECONDS="${SCHEMATHESIS_MAX_SECONDS:-600}"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-20}"
WORK="$(mktemp -d -t dueflow-schemathesis-XXXXXX)"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE="http://127.0.0.1:$PORT"

PID=""
cleanup() {
  if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log "starting Dueflow (embedded, API roles) on $BASE"
# The assistant's and the per-user API rate limits are raised so generated requests are answered, not all 429.
PORT="$PORT" DATA_DIR="$WORK/data" SERVICES=api,recurring,notification,audit,realtime LOG_LEVEL=warn \
  AUTH_RATE_LIMIT_PER_MINUTE=1000 CHAT_RATE_LIMIT_PER_MINUTE=100000 API_RATE_LIMIT_PER_MINUTE=0 \
  node --import tsx apps/cli/src/main.ts start >"$WORK/dueflow.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/dueflow.log" >&2; log "Dueflow exited"; exit 1; }
  sleep 1
done
curl -fsS "$BASE/readyz" >/dev/null

# A program signing up: no Origin header needed.
SIGNED_UP="$(curl -fsS "$BASE/api/auth/sign-up/email" -H 'content-type: application/json' \
  -d '{"name":"Schemathesis","email":"schemathesis@example.com","password":"violet staple engine"}')"
TOKEN="$(node -pe 'JSON.parse(process.argv[1]).token' "$SIGNED_UP")"
DUEFLOW_USER_ID="$(node -pe 'JSON.parse(process.argv[1]).user.id' "$SIGNED_UP")"
export DUEFLOW_USER_ID
[[ -n "$TOKEN" && "$TOKEN" != "undefined" ]] || { log "sign-up failed"; exit 1; }

log "running schemathesis ($EXAMPLES examples per operation, at most ${MAX_SECONDS}s)"
# One worker: with two, the generator's threads share Python 3.11's parser and now and then stop an operation
# with an internal "AST constructor recursion depth mismatch" error (a tool error, not a finding).
set +e
timeout --kill-after=30 "$MAX_SECONDS" "$ST" --config-file infra/schemathesis/schemathesis.toml run "$BASE/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "$EXAMPLES" \
  --request-timeout 10 \
  --seed 20261207 \
  --generation-database none \
  --workers 1 \
  --no-color
STATUS=$?
set -e
if [[ $STATUS -ne 0 ]]; then
  log "schemathesis failed (exit $STATUS); the server's log:"
  tail -n 50 "$WORK/dueflow.log" >&2
  exit "$STATUS"
fi
if grep -q '"level":50' "$WORK/dueflow.log"; then
  log "the server logged errors:"
  grep '"level":50' "$WORK/dueflow.log" | tail -n 20 >&2
  exit 1
fi
log "passed"
