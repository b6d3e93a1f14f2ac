#!/usr/bin/env bash
# Talks to the supervisor that infra/dist/up.sh left running:
#   ctl.sh status [--json]                       processes, pids, restarts, uptime, memory (RSS)
#   ctl.sh restart ROLE|PROCESS                  e.g. restart api, restart realtime-1
#   ctl.sh stop ROLE|PROCESS [--app|--sidecar] [--signal SIGKILL]    kept down until `start`
#   ctl.sh start ROLE|PROCESS
#   ctl.sh logs ROLE|PROCESS [--sidecar] [-f] [-n LINES]    also: supervisor, scheduler, web-build
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec node --import tsx infra/dist/main.ts "$@" --run "${DUEFLOW_DIST_DIR:-/tmp/dueflow-dist}"
