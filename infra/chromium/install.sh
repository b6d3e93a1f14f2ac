#!/usr/bin/env bash
# Ensure a Chromium browser for the browser tests (apps/web/test/browser) and the web bench.
# Idempotent: does nothing if a chromium binary is already installed. Otherwise installs Debian's
# `chromium` package (bookworm ships current Chromium security releases); `apt-get update` runs only
# when the install fails without it, so a machine with fresh package lists pays nothing extra.
#
# We never download a browser build of our own (playwright-core's installer would): the tests drive
# this system Chromium through playwright-core's `executablePath`.
#
# stdout: one line, the absolute path of the binary. Progress -> stderr.
set -euo pipefail

log() { printf '[chromium-install] %s\n' "$*" >&2; }

find_chromium() {
  # An explicit choice wins; then Debian's wrapper; then other common names.
  if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then echo "$CHROMIUM_PATH"; return 0; fi
  local name path
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    if path="$(command -v "$name" 2>/dev/null)"; then readlink -f "$path"; return 0; fi
  done
  return 1
}

BIN="$(find_chromium || true)"

if [[ -z "$BIN" ]]; then
  log "no chromium binary found; installing Debian package 'chromium'"
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
      log "ERROR: must run as root (or have passwordless sudo) to apt-get install chromium"; exit 1
    fi
  fi
  APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  apt_install() {
    # apt output is progress noise: keep it on stderr. Fonts so pages render text (and screenshots read).
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q \
      --no-install-recommends chromium fonts-liberation fonts-dejavu-core >&2
  }
  if ! apt_install; then
    log "install failed with the current package lists; running apt-get update and retrying"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -q >&2
    apt_install
  fi
  BIN="$(find_chromium || true)"
  if [[ -z "$BIN" ]]; then
    log "ERROR: apt-get install chromium finished but no chromium binary is on PATH"; exit 1
  fi
else
  log "already installed: $BIN"
fi

# A binary that cannot start (missing shared libraries) must fail here, not later in a test.
if ! VERSION="$("$BIN" --version 2>/dev/null)"; then
  log "ERROR: $BIN --version failed"; exit 1
fi
log "$VERSION"
echo "$BIN"
