#!/usr/bin/env bash
# Ensure a PostgreSQL server (Debian's `postgresql` package; v15 on bookworm,
# pg_trgm included) is installed. Idempotent: does nothing if some
# /usr/lib/postgresql/<version>/bin/initdb already exists.
#
# We never use the Debian-managed cluster/service: infra/postgres/start.sh runs
# its own throwaway cluster. To keep the package from creating (and starting)
# a "main" cluster on 0.0.0.0:5432-ish defaults, we drop
# create_main_cluster = false into /etc/postgresql-common/createcluster.d/
# before installing (postgresql-common's createcluster.conf includes that dir).
#
# stdout: one line, the server version (e.g. "PostgreSQL 15.14"). Progress -> stderr.
set -euo pipefail

log() { printf '[pg-install] %s\n' "$*" >&2; }

find_initdb() {
  # newest version first
  ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1
}

INITDB="$(find_initdb || true)"

if [[ -z "$INITDB" ]]; then
  log "no /usr/lib/postgresql/*/bin/initdb found; installing Debian package 'postgresql'"
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
      log "ERROR: must run as root (or have passwordless sudo) to apt-get install postgresql"; exit 1
    fi
  fi
  # Don't let the package create/start its own 'main' cluster.
  "${SUDO[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  printf '# written by dueflow infra/postgres/install.sh: we run our own throwaway cluster\ncreate_main_cluster = false\n' \
    | "${SUDO[@]}" tee /etc/postgresql-common/createcluster.d/00-dueflow-no-main-cluster.conf >/dev/null

  APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # apt output is progress noise: keep it on stderr.
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -q >&2
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q \
    --no-install-recommends postgresql >&2
  INITDB="$(find_initdb || true)"
  if [[ -z "$INITDB" ]]; then
    log "ERROR: apt-get install postgresql finished but no /usr/lib/postgresql/*/bin/initdb exists"; exit 1
  fi
else
  log "already installed: $INITDB"
fi

BIN="$(dirname "$INITDB")"
SHAREDIR="$("$BIN/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$(basename "$(dirname "$BIN")")")"
if [[ ! -f "$SHAREDIR/extension/pg_trgm.control" ]]; then
  log "WARNING: pg_trgm extension not found in $SHAREDIR/extension (PG >= 15 on Debian ships it in postgresql-<v>;"
  log "         older versions need postgresql-contrib)"
fi
if ! getent passwd postgres >/dev/null 2>&1; then
  log "WARNING: OS user 'postgres' does not exist (start.sh needs it when run as root)"
fi

"$BIN/postgres" --version | sed 's/^postgres (PostgreSQL) /PostgreSQL /'
