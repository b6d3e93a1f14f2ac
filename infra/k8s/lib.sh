# Shared helpers of the infra/k8s scripts (sourced, not run).
# shellcheck shell=bash
K8S_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$K8S_HERE/../.." && pwd)"
CACHE_ROOT="${DUEFLOW_CACHE:-$HOME/.cache/dueflow}"
# shellcheck source=versions.env
. "$K8S_HERE/versions.env"

log() { printf '[%s] %s\n' "${LOG_TAG:-k8s}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${LOG_TAG:-k8s}" "$*" >&2; exit 1; }

# A Go toolchain that can build modules needing go >= $1: /usr/local/go, PATH or $GO if new enough,
# else whatever infra/dapr/install.sh --print-go resolves (it can bootstrap one from the module proxy).
# Sets GO_BIN and exports GOTOOLCHAIN/GOWORK/GOFLAGS. The module and build caches stay at Go's defaults,
# shared with the daprd and helm builds.
resolve_go() {
  local need="$1" cand have
  GO_BIN=""
  for cand in "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
    [[ -n "$cand" && -x "$cand" ]] && { GO_BIN="$cand"; break; }
  done
  if [[ -n "$GO_BIN" ]]; then
    have="$(GOTOOLCHAIN=local "$GO_BIN" env GOVERSION 2>/dev/null || true)"; have="${have#go}"
    if [[ -n "$have" ]] && printf '%s\n%s\n' "$need" "$have" | sort -V -C; then
      export GOTOOLCHAIN=local GOWORK=off
      return 0
    fi
  fi
  GO_BIN="$(bash "$REPO_ROOT/infra/dapr/install.sh" --print-go)" || die "no usable Go (needs >= $need)"
  export GOWORK=off
}

# Holds an exclusive lock on $1 for the rest of the script (fd 8), waiting (and saying so) if needed.
take_lock() {
  mkdir -p "$(dirname "$1")"
  exec 8>"$1"
  if ! flock -n 8; then log "waiting for $1 (another build is running)"; flock 8; fi
}
