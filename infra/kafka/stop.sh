#!/usr/bin/env bash
# Stop the broker started by infra/kafka/start.sh (SIGTERM = controlled shutdown; SIGKILL after 30 s).
#   infra/kafka/stop.sh           stop if running (no-op otherwise)
#   infra/kafka/stop.sh --purge   also delete ${DUEFLOW_KAFKA_DIR:-/tmp/dueflow-kafka} (all topics/data)
# Idempotent. All output on stderr.
set -euo pipefail
exec 1>&2

log() { printf '[kafka-stop] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PURGE=0
for a in "$@"; do
  case "$a" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) die "unknown argument: $a (usage: stop.sh [--purge])" ;;
  esac
done

KDIR="$(realpath -m "${DUEFLOW_KAFKA_DIR:-/tmp/dueflow-kafka}")"
[[ "$KDIR" != "/" ]] || die "DUEFLOW_KAFKA_DIR must not be /"
PROPS="$KDIR/server.properties"
PIDFILE="$KDIR/kafka.pid"
MARKER="$KDIR/.dueflow-kafka"
GRACE=30

if [[ ! -d "$KDIR" ]]; then
  log "nothing at $KDIR; not running"
  exit 0
fi
[[ -e "$MARKER" || -z "$(ls -A "$KDIR" 2>/dev/null)" ]] \
  || die "$KDIR was not created by infra/kafka/start.sh; not touching it"
exec 9>"$KDIR/.lock"
flock -w 180 9 || die "timed out waiting for lock $KDIR/.lock"

pid="$(cat "$PIDFILE" 2>/dev/null || true)"
if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
   && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $PROPS"; then
  log "stopping broker pid $pid (SIGTERM, up to ${GRACE}s)"
  t0=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - t0 < GRACE )); do sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${GRACE}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && die "pid $pid survived SIGKILL"
  fi
  log "stopped in $(( SECONDS - t0 ))s"
else
  [[ -n "$pid" ]] && log "stale pid file ($pid is not our broker)"
  log "not running"
fi
rm -f "$PIDFILE"

if (( PURGE )); then
  log "purging $KDIR"
  rm -rf -- "$KDIR"
fi
exit 0
