#!/usr/bin/env bash
# Starts distributed Dueflow on this machine and leaves a supervisor running: PostgreSQL (durable),
# Kafka, the Dapr scheduler, and every role (api, recurring, notification, audit, 2× realtime, web) as
# its own process with its own daprd sidecar. Prints the URL to open (the web role) on stdout and
# nothing else. Arguments go to `main.ts up`:
#   --env FILE (KEY=VALUE settings for every role, e.g. AUTH_RATE_LIMIT_PER_MINUTE=30), --set KEY=VALUE,
#   --replicas api=2,recurring=3,… (realtime defaults to 2)
# Run directory (logs, secrets, control socket): $DUEFLOW_DIST_DIR (default /tmp/dueflow-dist).
# Then: infra/dist/ctl.sh status|restart|stop|start|logs …, and infra/dist/down.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUN="${DUEFLOW_DIST_DIR:-/tmp/dueflow-dist}"
mkdir -p "$RUN"
chmod 700 "$RUN"
PG_URL="$(bash infra/postgres/start.sh)"
KAFKA="$(bash infra/kafka/start.sh)"
DAPR_DIR="$(bash infra/dapr/install.sh)"
exec node --import tsx infra/dist/main.ts up --run "$RUN" --dapr "$DAPR_DIR" --kafka "$KAFKA" --database "$PG_URL" "$@"
