#!/usr/bin/env bash
# Schemathesis (property-based API testing from the OpenAPI document), pinned, in its own virtualenv
# under ~/.cache/dueflow so the project's Python needs stay off the system interpreter. Idempotent: an
# existing venv with the pinned version is reused.
#
# stdout: one line, the absolute path of the `st` command. Progress -> stderr.
set -euo pipefail

VERSION="4.32.5"
CACHE="${DUEFLOW_CACHE:-$HOME/.cache/dueflow}"
VENV="$CACHE/schemathesis-$VERSION"

log() { printf '[schemathesis-install] %s\n' "$*" >&2; }

if [[ -f "$VENV/.complete" && -x "$VENV/bin/st" ]]; then
  echo "$VENV/bin/st"
  exit 0
fi

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  log "python3 venv support missing; installing python3-venv"
  if [[ "$(id -u)" == 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get install -y -qq python3-venv >&2 || { "${SUDO[@]}" apt-get update -qq >&2 && "${SUDO[@]}" apt-get install -y -qq python3-venv >&2; }
fi

mkdir -p "$CACHE"
rm -rf "$VENV"
log "creating $VENV and installing schemathesis==$VERSION from PyPI"
# A failed install leaves no half-made venv behind (.complete marks a finished one).
trap 'rm -rf "$VENV"' ERR
python3 -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input "schemathesis==$VERSION" >&2
"$VENV/bin/st" --version >&2
touch "$VENV/.complete"
echo "$VENV/bin/st"
