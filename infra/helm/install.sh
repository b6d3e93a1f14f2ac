#!/usr/bin/env bash
# Ensure a `helm` binary of exactly v$HELM_VERSION exists and print its path on stdout (one line).
# All progress goes to stderr. Idempotent and cached:
#
#   (a) cached   ${DUEFLOW_CACHE:-$HOME/.cache/dueflow}/helm/<version>/helm reports the version -> done
#   (b) a `helm` on PATH (or $HELM) reports v<version>                                          -> print it
#   (c) build from the Go module proxy (no Docker, no git, no release download):
#         go mod download helm.sh/helm/v3@v<version>, then inside that module dir
#         CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X …version=v<version> …" -o <tmp>/helm ./cmd/helm
#       and rename into the cache. Built in the module dir rather than with `go install pkg@v` so the
#       version and the Kubernetes version helm assumes for `template`/`lint` (1.<client-go minor>) are
#       stamped like the official release's Makefile does; `go install` would leave them at v3.22/1.20.
#
# Go: needs the `go` line of helm's go.mod (1.26.0 for v3.22.0). A go on PATH, $GO or /usr/local/go
# new enough is used as is; a go >= 1.21 that is older switches with GOTOOLCHAIN (fetched through the
# module proxy); without any usable go, `infra/dapr/install.sh --print-go` bootstraps one from the
# module proxy (checksum-verified) into ${DUEFLOW_CACHE}/go and that one is used.
#
# Cold build on 2 cores: see docs/operations.md (Kubernetes); warm runs take well under a second.
# Env: DUEFLOW_CACHE, GO (a go binary), HELM (a helm binary to consider first), HELM_INSTALL_NO_PATH=1
# (ignore helm on PATH, always use the cache).
set -euo pipefail

HELM_VERSION=3.22.0
# helm.sh/helm/v3 v3.22.0 depends on k8s.io/client-go v0.37.0: Kubernetes 1.37 (the release Makefile's rule).
K8S_MAJOR=1
K8S_MINOR=37

log() { printf '[helm-install] %s\n' "$*" >&2; }
die() { printf '[helm-install] ERROR: %s\n' "$*" >&2; exit 1; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOD="helm.sh/helm/v3"
V="$HELM_VERSION"
CACHE_ROOT="${DUEFLOW_CACHE:-$HOME/.cache/dueflow}"
ROOT="$CACHE_ROOT/helm"
OUT="$ROOT/$V"

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

# "v3.22.0" from `helm version --template`, or nothing
helm_version() {
  [[ -x "$1" ]] || return 0
  timeout 30 "$1" version --template '{{.Version}}' 2>/dev/null </dev/null | tr -d '[:space:]' || true
}

done_print() { printf '%s\n' "$1"; exit 0; }

# --- (a) cached --------------------------------------------------------------------------------------
if [[ "$(helm_version "$OUT/helm")" == "v$V" ]]; then log "cached: $OUT/helm"; done_print "$OUT/helm"; fi

# --- (b) one on PATH ---------------------------------------------------------------------------------
if [[ "${HELM_INSTALL_NO_PATH:-0}" != 1 ]]; then
  for cand in "${HELM:-}" "$(command -v helm 2>/dev/null || true)"; do
    [[ -n "$cand" && -x "$cand" ]] || continue
    got="$(helm_version "$cand")"
    if [[ "$got" == "v$V" ]]; then log "using $cand (helm $got)"; done_print "$(readlink -f "$cand")"; fi
    log "ignoring $cand (version '${got:-?}', want v$V)"
  done
fi

# --- (c) build ---------------------------------------------------------------------------------------
mkdir -p "$ROOT"
exec 9>"$ROOT/.lock"
if ! flock -n 9; then log "another install.sh holds $ROOT/.lock; waiting"; flock 9; fi
if [[ "$(helm_version "$OUT/helm")" == "v$V" ]]; then log "cached (built by a concurrent run): $OUT/helm"; done_print "$OUT/helm"; fi

T0=$SECONDS
STAGE="$(mktemp -d "$ROOT/.tmp.$V.XXXXXX")"
WORK="$(mktemp -d)"   # neutral cwd: no go.mod / go.work around
# shellcheck disable=SC2317  # called via trap
cleanup() { rm -rf "$STAGE" "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP   # run the EXIT trap on signals too
cd "$WORK"
export GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0

# Go version as "1.26.8", or nothing
go_version_of() {
  local v
  v="$(GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null || true)"
  v="${v#go}"; v="${v%%[!0-9.]*}"
  printf '%s' "$v"
}
ver_ge() {  # 0 if $1 >= $2 (dotted numbers)
  local IFS=. a b i x y
  read -r -a a <<<"$1"; read -r -a b <<<"$2"
  for i in 0 1 2; do
    x="${a[i]:-0}"; y="${b[i]:-0}"
    ((10#$x > 10#$y)) && return 0
    ((10#$x < 10#$y)) && return 1
  done
  return 0
}

GO_BIN=""
for cand in "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
  [[ -n "$cand" && -x "$cand" ]] && { GO_BIN="$cand"; break; }
done
HAVE=""
[[ -n "$GO_BIN" ]] && HAVE="$(go_version_of "$GO_BIN")"
if [[ -z "$HAVE" ]] || ! ver_ge "$HAVE" 1.21; then
  log "no go >= 1.21 found (${GO_BIN:-none}${HAVE:+, go $HAVE}); bootstrapping one with infra/dapr/install.sh --print-go"
  GO_BIN="$(bash "$HERE/../dapr/install.sh" --print-go)" || die "could not bootstrap Go"
  HAVE="$(go_version_of "$GO_BIN")"
fi

log "downloading $MOD@v$V (module proxy: $(GOTOOLCHAIN=local "$GO_BIN" env GOPROXY))"
JSON="$(GOTOOLCHAIN=local "$GO_BIN" mod download -json "$MOD@v$V")" || die "go mod download $MOD@v$V failed (is v$V on the proxy?)"
DIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$JSON" | head -n1)"
[[ -d "$DIR" && -f "$DIR/go.mod" ]] || die "module dir '$DIR' missing"
NEED="$(awk '$1=="go"{print $2; exit}' "$DIR/go.mod")"
[[ "$NEED" =~ ^[0-9]+\.[0-9]+$ ]] && NEED="$NEED.0"
if ver_ge "$HAVE" "$NEED"; then
  export GOTOOLCHAIN=local
else
  log "$GO_BIN is go $HAVE, helm v$V needs go >= $NEED: GOTOOLCHAIN=go$NEED (through the module proxy)"
  export GOTOOLCHAIN="go$NEED"
fi
log "using $GO_BIN ($("$GO_BIN" env GOVERSION)); module dir $DIR"

LDF="-s -w -X $MOD/internal/version.version=v$V -X $MOD/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  LDF="$LDF -X $MOD/$pkg.k8sVersionMajor=$K8S_MAJOR -X $MOD/$pkg.k8sVersionMinor=$K8S_MINOR"
done

cd "$DIR"
T1=$SECONDS
log "downloading dependencies (go list -deps ./cmd/helm)"
"$GO_BIN" list -deps ./cmd/helm >/dev/null || die "loading the packages of $MOD@v$V failed (see above)"
T2=$SECONDS
log "dependencies ready in $((T2 - T1))s; compiling ./cmd/helm (cold: a few minutes on 2 cores)"
"$GO_BIN" build -trimpath -ldflags "$LDF" -o "$STAGE/helm" ./cmd/helm || die "go build of $MOD@v$V failed (see above)"
T3=$SECONDS

got="$(helm_version "$STAGE/helm")"
[[ "$got" == "v$V" ]] || die "built helm reports version '${got:-?}', expected v$V"
{
  echo "helm_version=v$V"
  echo "source=built from $MOD@v$V with $("$GO_BIN" env GOVERSION); deps $((T2 - T1))s, compile $((T3 - T2))s"
  echo "kube_version=v$K8S_MAJOR.$K8S_MINOR.0"
  echo "size_bytes=$(stat -c %s "$STAGE/helm")"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "total_secs=$((SECONDS - T0))"
} >"$STAGE/INSTALL-INFO"
chmod 755 "$STAGE"
if [[ -e "$OUT" ]]; then
  log "replacing stale $OUT"
  mv -T "$OUT" "$STAGE.old" && rm -rf "$STAGE.old"
fi
mv -T "$STAGE" "$OUT"
log "installed helm v$V in $OUT ($((SECONDS - T0))s, $(( $(stat -c %s "$OUT/helm") / 1024 / 1024 )) MiB)"
done_print "$OUT/helm"
