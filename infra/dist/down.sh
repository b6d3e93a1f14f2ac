#!/usr/bin/env bash
# Stops everything the supervisor of infra/dist/up.sh started (and the supervisor); `--all` also
# stops Kafka and PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node --import tsx infra/dist/main.ts down --run "${DUEFLOW_DIST_DIR:-/tmp/dueflow-dist}"
if [[ "${1:-}" == "--all" ]]; then
  bash infra/kafka/stop.sh || true
  bash infra/postgres/stop.sh || true
fi
