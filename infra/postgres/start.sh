#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL cluster for tests.
#
#   export TEST_DATABASE_URL="$(infra/postgres/start.sh)"
#
# stdout: exactly ONE line, postgres://postgres:<password>@127.0.0.1:<port>/dueflow
# Everything else goes to stderr.
#
# Env:
#   DUEFLOW_PG_DIR       base dir (default /tmp/dueflow-pg); holds data/, run/ (unix socket), postgres.log
#   DUEFLOW_PG_PORT      TCP port on 127.0.0.1 (default 25432)
#   DUEFLOW_PG_PASSWORD  password of role "postgres" (default dueflow), scram-sha-256 over TCP
#
#   DUEFLOW_PG_FAST=1    test mode: fsync, full_page_writes and synchronous_commit off (an
#                        acknowledged commit can be lost if PostgreSQL is killed). Default: durable.
#
# Idempotent: already running -> no-op (prints the URL); data dir exists but
# stopped -> start it; nothing there -> install (if needed), initdb, start.
# A running server is made durable when asked to be (reload); it is never made fast while running
# (someone may rely on it): fast mode takes effect at the next start.
set -euo pipefail

exec 3>&1 1>&2   # fd 3 = real stdout (URL only); fd 1 -> stderr for everything else

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[pg-start] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Caller's libpq env (PGHOST, PGSSLMODE, PGSERVICE, ...) must not leak into our own psql calls.
for v in $(compgen -e); do case "$v" in PG*) unset "$v" ;; esac; done

PG_DIR="$(realpath -m "${DUEFLOW_PG_DIR:-/tmp/dueflow-pg}")"
PORT="${DUEFLOW_PG_PORT:-25432}"
PASSWORD="${DUEFLOW_PG_PASSWORD:-dueflow}"
DB=dueflow
DATA="$PG_DIR/data"
SOCK="$PG_DIR/run"
LOGFILE="$PG_DIR/postgres.log"
MARKER="$PG_DIR/.dueflow-pg"
START_TIMEOUT=60

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || die "DUEFLOW_PG_PORT must be a port number, got '$PORT'"
[[ -n "$PASSWORD" ]] || die "DUEFLOW_PG_PASSWORD must not be empty"
[[ "$PG_DIR" != "/" ]] || die "DUEFLOW_PG_DIR must not be /"
# unix socket path limit is 107 bytes (sun_path)
(( ${#SOCK} + ${#PORT} + 11 <= 107 )) || die "socket path '$SOCK/.s.PGSQL.$PORT' too long; use a shorter DUEFLOW_PG_DIR"

# --- binaries ---------------------------------------------------------------
newest_bin() { ls -1d /usr/lib/postgresql/*/bin 2>/dev/null | while read -r d; do [[ -x "$d/initdb" ]] && echo "$d"; done | sort -V | tail -n 1; }
BIN="$(newest_bin || true)"
if [[ -z "$BIN" ]]; then
  log "PostgreSQL binaries missing; running install.sh"
  bash "$HERE/install.sh" >&2
  BIN="$(newest_bin || true)"
  [[ -n "$BIN" ]] || die "install.sh did not provide /usr/lib/postgresql/*/bin/initdb"
fi
# An existing cluster must be run with its own major version's binaries.
if [[ -f "$DATA/PG_VERSION" ]]; then
  v="$(cat "$DATA/PG_VERSION")"
  if [[ -x "/usr/lib/postgresql/$v/bin/postgres" ]]; then BIN="/usr/lib/postgresql/$v/bin"; else
    die "$DATA is a PostgreSQL $v cluster but /usr/lib/postgresql/$v/bin is missing; run infra/postgres/stop.sh --purge"
  fi
fi

# --- run as the cluster owner (initdb/pg_ctl refuse root) ----------------------
if [[ "$(id -u)" == 0 ]]; then
  OWNER=postgres
  getent passwd "$OWNER" >/dev/null || die "OS user 'postgres' missing (is the postgresql package installed?)"
  # cd / : the owner may not be able to access the caller's cwd (e.g. /root); -X/HOME: no root psqlrc
  as_owner() { (cd / && HOME="$PG_DIR" runuser -u "$OWNER" -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { (cd / && "$@"); }
fi

# --- directory layout ---------------------------------------------------------
if [[ -d "$PG_DIR" && ! -e "$MARKER" && -n "$(ls -A "$PG_DIR" 2>/dev/null)" ]]; then
  die "$PG_DIR exists, is not empty and was not created by this script; refusing to use it"
fi
mkdir -p "$PG_DIR"
touch "$MARKER"
mkdir -p "$SOCK"
if [[ "$(id -u)" == 0 ]]; then chown "$OWNER:" "$PG_DIR" "$SOCK" "$MARKER"; fi
chmod 700 "$PG_DIR" "$SOCK"
as_owner test -w "$PG_DIR" || die "user '$OWNER' cannot write $PG_DIR (is a parent directory not traversable? use another DUEFLOW_PG_DIR)"

# Serialise concurrent start/stop on the same dir. fd 9 (and fd 3, our stdout)
# must NOT be inherited by the postmaster, or the lock stays held forever and
# $(start.sh) never returns -> pg_ctl is always run with 3>&- 9>&-.
exec 9>"$PG_DIR/.lock"
flock -w 120 9 || die "timed out waiting for lock $PG_DIR/.lock"

urlencode() {
  local LC_ALL=C s="$1" out="" c i
  for (( i = 0; i < ${#s}; i++ )); do
    c="${s:i:1}"
    case "$c" in [A-Za-z0-9._~-]) out+="$c" ;; *) out+="$(printf '%%%02X' "'$c")" ;; esac
  done
  printf '%s' "$out"
}
emit_url() { printf 'postgres://postgres:%s@127.0.0.1:%s/%s\n' "$(urlencode "$PASSWORD")" "$1" "$DB" >&3; }

running_port() { sed -n 4p "$DATA/postmaster.pid" 2>/dev/null; }
is_running() { [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
# psql over the unix socket as the superuser (trust; socket dir is 0700, owner-only)
psql_sock() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$1" -U postgres "${@:2}"; }
password_ok() { PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }

FAST="${DUEFLOW_PG_FAST:-0}"
durability_conf() {
  if [[ "$FAST" == 1 ]]; then
    printf '%s\n' "# test mode (DUEFLOW_PG_FAST=1): durability traded for speed" "fsync = off" "synchronous_commit = off" "full_page_writes = off"
  else
    printf '%s\n' "# durable: an acknowledged commit survives a crash of PostgreSQL or the machine" "fsync = on" "synchronous_commit = on" "full_page_writes = on"
  fi
}

# --- already running: no-op (but never less durable than asked) ----------------
if is_running; then
  rport="$(running_port)"
  [[ "$rport" == "$PORT" ]] || log "WARNING: cluster already running on port $rport (requested $PORT); using $rport"
  password_ok "$rport" || die "cluster at $DATA is running but password auth for role postgres failed (DUEFLOW_PG_PASSWORD changed? restart with stop.sh first)"
  if [[ "$FAST" != 1 ]] && ! grep -q '^fsync = on' "$DATA/durability.conf" 2>/dev/null; then
    log "making the running cluster durable (fsync, synchronous_commit, full_page_writes on)"
    durability_conf | as_owner tee "$DATA/durability.conf" >/dev/null
    grep -q "^include_if_exists = 'durability.conf'" "$DATA/dueflow.conf" \
      || printf "include_if_exists = 'durability.conf'\n" | as_owner tee -a "$DATA/dueflow.conf" >/dev/null
    as_owner sed -i '/^fsync = off$/d; /^synchronous_commit = off$/d; /^full_page_writes = off$/d' "$DATA/dueflow.conf"
    as_owner "$BIN/pg_ctl" -D "$DATA" reload >/dev/null 3>&- 9>&-
  fi
  log "already running: $DATA on 127.0.0.1:$rport"
  emit_url "$rport"
  exit 0
fi

t0=$SECONDS
# --- initdb if needed ---------------------------------------------------------
if [[ ! -f "$DATA/PG_VERSION" ]]; then
  if [[ -d "$DATA" && -n "$(ls -A "$DATA" 2>/dev/null)" ]]; then
    die "$DATA exists but is not a cluster (interrupted initdb?); run infra/postgres/stop.sh --purge"
  fi
  log "initdb ($("$BIN/postgres" --version)) -> $DATA"
  pwfile="$PG_DIR/.pwfile"
  ( umask 077; printf '%s\n' "$PASSWORD" > "$pwfile" )
  [[ "$(id -u)" == 0 ]] && chown "$OWNER:" "$pwfile"
  # C.UTF-8 ships with glibc (no locales package needed); UTF-8 ctype keeps pg_trgm sane on non-ASCII.
  if ! as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    rm -f "$pwfile"; cat "$PG_DIR/initdb.log" >&2; die "initdb failed"
  fi
  rm -f "$pwfile"
fi

# --- config (rewritten on every start; last include wins) ---------------------
as_owner tee "$DATA/dueflow.conf" >/dev/null <<EOF
# managed by infra/postgres/start.sh -- rewritten on every start
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
unix_socket_permissions = 0700
max_connections = 200
password_encryption = 'scram-sha-256'
include_if_exists = 'durability.conf'
EOF
durability_conf | as_owner tee "$DATA/durability.conf" >/dev/null
grep -q "^include_if_exists = 'dueflow.conf'" "$DATA/postgresql.conf" \
  || printf "\n# dueflow test settings (infra/postgres/start.sh)\ninclude_if_exists = 'dueflow.conf'\n" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
as_owner tee "$DATA/pg_hba.conf" >/dev/null <<EOF
# managed by infra/postgres/start.sh
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
EOF

# --- start --------------------------------------------------------------------
log "starting on 127.0.0.1:$PORT (log: $LOGFILE)"
if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t "$START_TIMEOUT" start >/dev/null 3>&- 9>&-; then
  log "pg_ctl start failed; last lines of $LOGFILE:"
  tail -n 20 "$LOGFILE" >&2 || true
  die "could not start PostgreSQL (port $PORT in use?)"
fi

deadline=$(( SECONDS + START_TIMEOUT ))
until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2; do
  (( SECONDS < deadline )) || { tail -n 20 "$LOGFILE" >&2 || true; die "pg_isready -h 127.0.0.1 -p $PORT not ready after ${START_TIMEOUT}s"; }
  sleep 0.2
done

# Password may differ from the one used at initdb (DUEFLOW_PG_PASSWORD changed between runs).
if ! password_ok "$PORT"; then
  log "setting password for role postgres"
  printf '%s\n' "ALTER ROLE postgres PASSWORD :'pw';" | psql_sock "$PORT" -d postgres -v pw="$PASSWORD"
  password_ok "$PORT" || die "password authentication on 127.0.0.1:$PORT still fails"
fi

if [[ "$(psql_sock "$PORT" -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" != 1 ]]; then
  log "creating database $DB"
  psql_sock "$PORT" -d postgres -c "CREATE DATABASE $DB"
fi

log "ready in $(( SECONDS - t0 ))s: $DATA on 127.0.0.1:$PORT"
emit_url "$PORT"
