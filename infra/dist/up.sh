#!/usr/bin/env bash
# Starts distributed Dueflow on this machine: PostgreSQL, Kafka, the Dapr scheduler, and every role
# (api, recurring, notification, audit, 2× realtime, web) as its own process with its own daprd sidecar.
# Prints the URL to open (the web role; its /api/* reaches the API through Dapr service invocation). Logs: $DUEFLOW_DIST_DIR/logs (default /tmp/dueflow-dist). Stop with infra/dist/down.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUN="${DUEFLOW_DIST_DIR:-/tmp/dueflow-dist}"
mkdir -p "$RUN"
PG_URL="$(bash infra/postgres/start.sh)"
KAFKA="$(bash infra/kafka/start.sh)"
DAPR_DIR="$(bash infra/dapr/install.sh)"
node --import tsx infra/dist/main.ts up --dapr "$DAPR_DIR" --kafka "$KAFKA" --database "$PG_URL" --run "$RUN"
