#!/usr/bin/env bash
# Ensure the binaries of one Go-built tool exist in ${DUEFLOW_CACHE:-$HOME/.cache/dueflow}/<tool>/<version>/
# and print that directory on stdout (one line). Progress goes to stderr. Idempotent and cached.
#
#   bash infra/gotool/install.sh <tool>        tools and versions: tools.txt next to this script
#   bash infra/gotool/install.sh --list        the tool names
#
# How: `go mod download <module>@<version>` from the Go module proxy, then inside that module directory
#   CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w <version stamps>" [-tags …] -o <tmp>/ <packages…>
# (building inside the module honours its replace directives, which `go install pkg@v` refuses), a smoke
# command on the result, and a rename into the cache (an interrupted build leaves nothing half-made).
# The Go toolchain, GOMODCACHE and GOCACHE are the ones infra/dapr/install.sh and infra/helm/install.sh
# use (Go's defaults), so the shared dependencies (grpc, otel, k8s client, …) compile once.
# Cold and warm costs of each tool: docs/operations.md ("CI tools").
#
# Env: DUEFLOW_CACHE, GO (a go binary), GOTOOL_JOBS (go build -p).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[gotool] %s\n' "$*" >&2; }
die() { printf '[gotool] ERROR: %s\n' "$*" >&2; exit 1; }

TOOLS="$HERE/tools.txt"
row() { awk -v n="$1" '!/^#/ && $1 == n' "$TOOLS"; }

case "${1:-}" in
  ""|-h|--help) sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed -n 's/^# \{0,1\}//p'; exit 2 ;;
  --list) awk '!/^#/ && NF {print $1}' "$TOOLS"; exit 0 ;;
esac
NAME="$1"
ROW="$(row "$NAME")"
[[ -n "$ROW" ]] || die "unknown tool '$NAME' (known: $(awk '!/^#/ && NF {printf "%s ", $1}' "$TOOLS"))"
read -r _ MOD VER PKGS TAGS SMOKE <<<"$ROW"
IFS=, read -r -a PKG_LIST <<<"$PKGS"
[[ "$TAGS" == "-" ]] && TAGS=""

CACHE_ROOT="${DUEFLOW_CACHE:-$HOME/.cache/dueflow}"
ROOT="$CACHE_ROOT/$NAME"
OUT="$ROOT/${VER#v}"
[[ ${#OUT} -lt 200 ]] || die "cache path too long"
# The smoke command names one of the built binaries first; the rest are its arguments.
read -r -a SMOKE_ARGV <<<"$SMOKE"
SMOKE_BIN="${SMOKE_ARGV[0]}"

# The file `go build -o dir/ <pkg>` writes: the package's last path element ("." is the module's).
bin_name() { if [[ "$1" == "." ]]; then basename "$MOD"; else basename "$1"; fi; }

cache_ok() {
  [[ -f "$OUT/INSTALL-INFO" ]] || return 1
  grep -qxF "module=$MOD@$VER" "$OUT/INSTALL-INFO" || return 1
  grep -qxF "tags=${TAGS:-none}" "$OUT/INSTALL-INFO" || return 1
  local p
  for p in "${PKG_LIST[@]}"; do [[ -x "$OUT/$(bin_name "$p")" ]] || return 1; done
  return 0
}

if cache_ok; then log "cached: $OUT"; printf '%s\n' "$OUT"; exit 0; fi

mkdir -p "$ROOT"
exec 9>"$ROOT/.lock"
if ! flock -n 9; then log "another install of $NAME holds $ROOT/.lock; waiting"; flock 9; fi
if cache_ok; then log "cached (built by a concurrent run): $OUT"; printf '%s\n' "$OUT"; exit 0; fi

T0=$SECONDS
STAGE="$(mktemp -d "$ROOT/.tmp.XXXXXX")"
WORK="$(mktemp -d)"   # neutral cwd: no go.mod / go.work around
# shellcheck disable=SC2317  # called via trap
cleanup() { rm -rf "$STAGE" "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP

# One Go for every infra build: $GO, PATH or /usr/local/go when it is >= 1.21 (GOTOOLCHAIN then switches
# to the module's version if needed), else the one infra/dapr/install.sh resolves (it can bootstrap one).
GO_BIN=""
for cand in "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
  [[ -n "$cand" && -x "$cand" ]] && { GO_BIN="$cand"; break; }
done
HAVE=""
[[ -n "$GO_BIN" ]] && HAVE="$(GOTOOLCHAIN=local "$GO_BIN" env GOVERSION 2>/dev/null || true)"
if [[ -z "$HAVE" || "$(printf '%s\n%s\n' "go1.21" "$HAVE" | sort -V | head -n1)" != "go1.21" ]]; then
  GO_BIN="$(bash "$HERE/../dapr/install.sh" --print-go)" || die "no usable Go (see infra/dapr/install.sh --print-go)"
fi
cd "$WORK"
export GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0 GOTOOLCHAIN=local

log "downloading $MOD@$VER (module proxy: $("$GO_BIN" env GOPROXY))"
JSON="$("$GO_BIN" mod download -json "$MOD@$VER")" || die "go mod download $MOD@$VER failed (is it on the proxy?)"
DIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$JSON" | head -n1)"
[[ -d "$DIR" && -f "$DIR/go.mod" ]] || die "module dir '$DIR' missing"
NEED="$(awk '$1=="go"{print $2; exit}' "$DIR/go.mod")"
HAVE="$("$GO_BIN" env GOVERSION)"; HAVE="${HAVE#go}"
if [[ "$(printf '%s\n%s\n' "$NEED" "$HAVE" | sort -V | head -n1)" != "$NEED" ]]; then
  log "$GO_BIN is go $HAVE, $MOD@$VER needs go >= $NEED: GOTOOLCHAIN=go$NEED (through the module proxy)"
  export GOTOOLCHAIN="go$NEED"
fi

# Version stamps, so `<tool> --version` says what it is.
LDF="-s -w"
case "$NAME" in
  prometheus)
    # v0.316.0 is Prometheus 3.16.0 (the module's v0.3xx.y scheme).
    PV="3.${VER#v0.3}"; PV="${PV%%.*}"; PV="3.$((10#$PV)).${VER##*.}"
    LDF="$LDF -X github.com/prometheus/common/version.Version=$PV -X github.com/prometheus/common/version.Branch=HEAD -X github.com/prometheus/common/version.BuildUser=dueflow" ;;
  actionlint) LDF="$LDF -X github.com/rhysd/actionlint.version=$VER" ;;
  tofu) LDF="$LDF -X github.com/opentofu/opentofu/version.dev=no" ;;
esac

cd "$DIR"
T1=$SECONDS
log "downloading dependencies (go list -deps ${PKG_LIST[*]})"
"$GO_BIN" list -deps ${TAGS:+-tags "$TAGS"} "${PKG_LIST[@]}" >/dev/null || die "loading the packages of $MOD@$VER failed (see above)"
T2=$SECONDS
log "dependencies ready in $((T2 - T1))s; compiling ${PKG_LIST[*]}${TAGS:+ (tags $TAGS)}"
BUILD=(-trimpath ${TAGS:+-tags "$TAGS"} -ldflags "$LDF")
[[ -n "${GOTOOL_JOBS:-}" ]] && BUILD+=(-p "$GOTOOL_JOBS")
nice -n 10 "$GO_BIN" build "${BUILD[@]}" -o "$STAGE/" "${PKG_LIST[@]}" || die "go build of $MOD@$VER failed (see above)"
T3=$SECONDS

if [[ "$SMOKE_BIN" != "-" ]]; then
  "$STAGE/$SMOKE_BIN" "${SMOKE_ARGV[@]:1}" >/dev/null 2>&1 || die "the built $SMOKE_BIN does not run ('${SMOKE}' failed)"
fi
{
  echo "module=$MOD@$VER"
  echo "tags=${TAGS:-none}"
  echo "source=built with $("$GO_BIN" env GOVERSION); deps $((T2 - T1))s, compile $((T3 - T2))s"
  echo "size_bytes=$(du -cb "$STAGE"/* | tail -n1 | cut -f1)"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "total_secs=$((SECONDS - T0))"
} >"$STAGE/INSTALL-INFO"
chmod 755 "$STAGE"
if [[ -e "$OUT" ]]; then mv -T "$OUT" "$STAGE.old" && rm -rf "$STAGE.old"; fi
mv -T "$STAGE" "$OUT"
log "installed $NAME $VER in $OUT ($((SECONDS - T0))s: deps $((T2 - T1))s, compile $((T3 - T2))s)"
printf '%s\n' "$OUT"
