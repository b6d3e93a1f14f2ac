#!/usr/bin/env bash
# Stop the throwaway cluster started by infra/postgres/start.sh (pg_ctl stop -m fast).
#   infra/postgres/stop.sh           stop if running (no-op otherwise)
#   infra/postgres/stop.sh --purge   also delete ${DUEFLOW_PG_DIR:-/tmp/dueflow-pg}
# Idempotent. All output on stderr.
set -euo pipefail
exec 1>&2

log() { printf '[pg-stop] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PURGE=0
for a in "$@"; do
  case "$a" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) die "unknown argument: $a (usage: stop.sh [--purge])" ;;
  esac
done

PG_DIR="$(realpath -m "${DUEFLOW_PG_DIR:-/tmp/dueflow-pg}")"
DATA="$PG_DIR/data"
MARKER="$PG_DIR/.dueflow-pg"

if [[ "$(id -u)" == 0 ]]; then
  as_owner() { (cd / && HOME="$PG_DIR" runuser -u postgres -- "$@"); }
else
  as_owner() { (cd / && "$@"); }
fi

if [[ -d "$PG_DIR" ]]; then
  [[ -e "$MARKER" || -z "$(ls -A "$PG_DIR" 2>/dev/null)" ]] \
    || die "$PG_DIR was not created by infra/postgres/start.sh; not touching it"
  exec 9>"$PG_DIR/.lock"
  flock -w 120 9 || die "timed out waiting for lock $PG_DIR/.lock"
fi

if [[ -f "$DATA/PG_VERSION" ]]; then
  BIN="/usr/lib/postgresql/$(cat "$DATA/PG_VERSION")/bin"
  if [[ -x "$BIN/pg_ctl" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "stopping $DATA"
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 9>&-; then
      log "fast shutdown timed out; using immediate"
      as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 9>&-
    fi
    log "stopped"
  elif [[ -f "$DATA/postmaster.pid" && ! -x "$BIN/pg_ctl" ]]; then
    # binaries gone: fall back to signalling the postmaster directly
    pid="$(head -n 1 "$DATA/postmaster.pid")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      log "pg_ctl missing; sending SIGINT (fast shutdown) to postmaster $pid"
      kill -INT "$pid"
      for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
  else
    log "not running: $DATA"
  fi
else
  log "no cluster at $DATA"
fi

if (( PURGE )) && [[ -d "$PG_DIR" ]]; then
  log "purging $PG_DIR"
  rm -rf -- "$PG_DIR"
fi
exit 0
