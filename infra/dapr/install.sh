#!/usr/bin/env bash
# Ensure real Dapr binaries (daprd + scheduler) of exactly $DAPR_VERSION (versions.env) exist in
#   ${DUEFLOW_CACHE:-$HOME/.cache/dueflow}/dapr/<version>/
# together with the Kubernetes control plane of the same release (operator, placement, sentry, injector;
# the images of the local cluster in infra/k8s), all compiled by one `go build` so they share its work
# and print that directory on stdout (one line). All progress goes to stderr. Idempotent.
#
# Order:
#   (a) cached  <dir>/daprd --version == version          -> done (no Go needed)
#   (b) a daprd on PATH or in ~/.dapr/bin prints version  -> copy it (+ the scheduler next to it)
#   (c) build from the Go module proxy (no Docker, no git): `go mod download` dapr/dapr@v<version>,
#       then inside that module dir:
#         CGO_ENABLED=0 go build -trimpath -tags allcomponents -ldflags "-s -w -X ...version=<v>" \
#           -o <tmp>/ ./cmd/daprd ./cmd/scheduler ./cmd/operator ./cmd/placement ./cmd/sentry ./cmd/injector
#       (`go install …@v` cannot work: dapr's go.mod has replace directives.)
# Builds go to a temp dir next to the target and are renamed into place, so an interrupted
# run never leaves a half binary. GOMODCACHE/GOCACHE stay at Go's defaults (reused by later runs).
#
# Patches: every patches/*.patch is applied (patch -p1) to a writable copy of the module before
# building. 0001 backports dapr/dapr#10394 so that scheduler/placement honour
# --healthz-listen-address (1.18.x ignores it and binds the healthz port on ALL interfaces).
# The patch set is recorded in <dir>/INSTALL-INFO; a cache built with another patch set is rebuilt.
# Because of that, step (b) copies only daprd (unaffected by the patches) and builds the scheduler.
#
# Go: needs the version on the `go` line of dapr's go.mod (1.26.5 for 1.18.2, 1.26.6 for 1.18.3).
#   - go on PATH (or /usr/local/go/bin/go, or $GO) new enough        -> used as is
#   - go >= 1.21 but older                                           -> GOTOOLCHAIN=go<required>
#                                                                       (toolchain fetched via the module proxy)
#   - no go, or go < 1.21 (Debian 12's golang-go is 1.19)            -> the toolchain zip
#       golang.org/toolchain@v0.0.1-go<required>.<os>-<arch> is fetched from the module proxy with
#       curl, its h1: hash checked against the checksum DB (via the proxy), and unpacked into
#       ${DUEFLOW_CACHE}/go/. Needs curl, unzip, sha256sum, openssl.
#
# Env: DUEFLOW_CACHE, GO (path to a go binary), DAPR_INSTALL_NO_COPY=1 (skip step b),
#      DAPR_INSTALL_JOBS (go build -p, default: go's default = nproc).
# Debug: `install.sh --print-go` only resolves (and if needed bootstraps) Go and prints its path.
set -euo pipefail

log() { printf '[dapr-install] %s\n' "$*" >&2; }
die() { printf '[dapr-install] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ -f "$HERE/versions.env" ]] || die "missing $HERE/versions.env"
DAPR_VERSION="$(sed -n 's/^DAPR_VERSION=\(.*\)$/\1/p' "$HERE/versions.env" | tr -d '"'"'"' \r' | tail -n1)"
[[ -n "$DAPR_VERSION" ]] || die "DAPR_VERSION not set in $HERE/versions.env"
V="${DAPR_VERSION#v}"
MOD="github.com/dapr/dapr"
# The control plane on Kubernetes (infra/k8s builds their images); daprd and scheduler are always built.
CONTROL_PLANE="operator placement sentry injector"

CACHE_ROOT="${DUEFLOW_CACHE:-$HOME/.cache/dueflow}"
ROOT="$CACHE_ROOT/dapr"
OUT="$ROOT/$V"
PATCH_DIR="$HERE/patches"
PATCHES=()
if [[ -d "$PATCH_DIR" ]]; then
  while IFS= read -r f; do PATCHES+=("$f"); done < <(find "$PATCH_DIR" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
fi
PATCH_ID=""
for f in ${PATCHES[@]+"${PATCHES[@]}"}; do
  PATCH_ID="${PATCH_ID:+$PATCH_ID,}$(basename "$f")@$(sha256sum "$f" | cut -c1-12)"
done
PATCH_ID="${PATCH_ID:-none}"

PRINT_GO=0
case "${1:-}" in
  "") ;;
  --print-go) PRINT_GO=1 ;;
  -h|--help) sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

# --- helpers ---------------------------------------------------------------------------------------

# prints the first line of `<bin> --version`, or nothing
bin_version() {
  [[ -x "$1" ]] || return 0
  timeout 30 "$1" --version 2>/dev/null </dev/null | head -n1 | tr -d '[:space:]' || true
}

cache_ok() {
  [[ -x "$OUT/daprd" && -x "$OUT/scheduler" && -f "$OUT/INSTALL-INFO" ]] || return 1
  local b
  for b in $CONTROL_PLANE; do [[ -x "$OUT/$b" ]] || return 1; done
  grep -qxF "patches=$PATCH_ID" "$OUT/INSTALL-INFO" || return 1
  [[ "$(bin_version "$OUT/daprd")" == "$V" ]]
}

done_print() { printf '%s\n' "$OUT"; exit 0; }

# semver-ish compare of Go versions "1.26.6" style: returns 0 if $1 >= $2
ver_ge() {
  local IFS=. a b i
  read -r -a a <<<"$1"; read -r -a b <<<"$2"
  for i in 0 1 2; do
    local x="${a[i]:-0}" y="${b[i]:-0}"
    x="${x%%[!0-9]*}"; y="${y%%[!0-9]*}"; x="${x:-0}"; y="${y:-0}"
    ((10#$x > 10#$y)) && return 0
    ((10#$x < 10#$y)) && return 1
  done
  return 0
}

# "go1.26.8" / "go1.22rc1" -> "1.26.8" / "1.22"
go_version_of() {
  local v
  v="$(GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null || true)"
  if [[ -z "$v" ]]; then v="$("$1" version 2>/dev/null | awk '{print $3}')" || true; fi
  v="${v#go}"; v="${v%%[!0-9.]*}"
  printf '%s' "$v"
}

first_proxy() {
  local p IFS=',|'
  for p in ${GOPROXY:-https://proxy.golang.org}; do
    case "$p" in http://*|https://*) printf '%s' "${p%/}"; return 0 ;; esac
  done
  printf 'https://proxy.golang.org'
}

# Fetch golang.org/toolchain@v0.0.1-go<ver>.<os>-<arch> from the module proxy without any go binary,
# verify its h1: dirhash against sum.golang.org (queried through the proxy), unpack to $CACHE_ROOT/go.
bootstrap_go() {
  local gover="$1" os arch proxy modv dest tmp expect got
  for t in curl unzip sha256sum openssl; do
    command -v "$t" >/dev/null 2>&1 || die "no usable Go, and '$t' (needed to bootstrap one) is missing.
  Install Go >= $gover (https://go.dev/dl/ tarball into /usr/local/go; Debian 12's golang-go is 1.19, too old)."
  done
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) die "unsupported OS $(uname -s)" ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) die "unsupported arch $(uname -m)" ;; esac
  modv="v0.0.1-go${gover}.${os}-${arch}"
  dest="$CACHE_ROOT/go/go${gover}.${os}-${arch}"
  if [[ -x "$dest/bin/go" ]]; then printf '%s' "$dest/bin/go"; return 0; fi
  proxy="$(first_proxy)"
  log "bootstrapping Go $gover: $proxy/golang.org/toolchain/@v/$modv.zip"
  mkdir -p "$CACHE_ROOT/go"
  tmp="$(mktemp -d "$CACHE_ROOT/go/.tmp.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  curl -fsSL --retry 3 -o "$tmp/tc.zip" "$proxy/golang.org/toolchain/@v/$modv.zip" \
    || die "could not download the Go toolchain module from $proxy"
  expect="$(curl -fsSL --retry 3 "$proxy/sumdb/sum.golang.org/lookup/golang.org/toolchain@$modv" \
              | awk -v m="$modv" '$1=="golang.org/toolchain" && $2==m {print $3}')" \
    || die "could not look up the checksum of golang.org/toolchain@$modv"
  [[ "$expect" == h1:* ]] || die "no h1: checksum for golang.org/toolchain@$modv"
  mkdir "$tmp/x"
  unzip -q "$tmp/tc.zip" -d "$tmp/x"
  # Go's dirhash "h1": sha256 over the sorted lines "<sha256 hex>  <path>\n" of every file in the zip.
  got="h1:$(cd "$tmp/x" && find . -type f -printf '%P\n' | LC_ALL=C sort \
              | xargs -d '\n' sha256sum | openssl dgst -sha256 -binary | base64)"
  [[ "$got" == "$expect" ]] || die "checksum mismatch for golang.org/toolchain@$modv: got $got, want $expect"
  chmod -R u+w "$tmp/x"
  rm -rf "$dest"
  mv -T "$tmp/x/golang.org/toolchain@$modv" "$dest"
  log "Go $gover unpacked to $dest (checksum $got ok)"
  printf '%s' "$dest/bin/go"
}

# Resolve a go binary able to build a module whose go.mod says `go $1`. Sets GO_BIN and exports
# GOTOOLCHAIN as needed.
resolve_go() {
  local need="$1" cand have
  GO_BIN=""
  for cand in "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go "$HOME/go/bin/go" "$HOME/sdk/go/bin/go"; do
    [[ -n "$cand" && -x "$cand" ]] && { GO_BIN="$cand"; break; }
  done
  if [[ -n "$GO_BIN" ]]; then
    have="$(go_version_of "$GO_BIN")"
    if [[ -n "$have" ]] && ver_ge "$have" "$need"; then
      export GOTOOLCHAIN=local
      log "using $GO_BIN (go $have; dapr needs >= $need)"
      return 0
    fi
    if [[ -n "$have" ]] && ver_ge "$have" "1.21"; then
      log "$GO_BIN is go $have but dapr $V needs go >= $need: switching with GOTOOLCHAIN=go$need (via the module proxy)"
      export GOTOOLCHAIN="go$need"
      have="$(GOTOOLCHAIN="go$need" "$GO_BIN" env GOVERSION 2>/dev/null || true)"
      [[ "$have" == "go$need" ]] || die "GOTOOLCHAIN=go$need did not work with $GO_BIN (got '${have:-nothing}').
  Install Go >= $need from https://go.dev/dl/ (or make the module proxy reachable)."
      return 0
    fi
    log "$GO_BIN is go ${have:-?}: too old for dapr $V (needs >= $need) and too old for GOTOOLCHAIN (needs >= 1.21)"
  else
    log "no go binary found (PATH, \$GO, /usr/local/go/bin/go)"
  fi
  GO_BIN="$(bootstrap_go "$need")"
  export GOTOOLCHAIN=local
  have="$(go_version_of "$GO_BIN")"
  if [[ -z "$have" ]] || ! ver_ge "$have" "$need"; then die "bootstrapped $GO_BIN does not run or is too old"; fi
  log "using $GO_BIN (go $have)"
}

# go line of dapr's go.mod, without needing any go binary (for the bootstrap case)
required_go_from_proxy() {
  local proxy line
  proxy="$(first_proxy)"
  line="$(curl -fsSL --retry 3 "$proxy/$MOD/@v/v$V.mod" | awk '$1=="go" && !d {print $2; d=1}')" \
    || die "cannot fetch $MOD@v$V go.mod from $proxy (is v$V on the proxy?)"
  printf '%s' "$line"
}

normalize_go_line() {  # "1.26" -> "1.26.0" (toolchain names since 1.21 always have 3 parts)
  local v="$1"
  [[ "$v" =~ ^[0-9]+\.[0-9]+$ ]] && v="$v.0"
  printf '%s' "$v"
}

# --- (a) cached ------------------------------------------------------------------------------------
if [[ $PRINT_GO == 0 ]] && cache_ok; then log "cached: $OUT (daprd $V)"; done_print; fi

mkdir -p "$ROOT"
if [[ $PRINT_GO == 0 ]]; then
  exec 9>"$ROOT/.lock"
  if ! flock -n 9; then log "another install.sh holds $ROOT/.lock; waiting"; flock 9; fi
  if cache_ok; then log "cached (built by a concurrent run): $OUT"; done_print; fi
fi

T0=$(now)
STAGE="$(mktemp -d "$ROOT/.tmp.$V.XXXXXX")"
# shellcheck disable=SC2317  # called via trap
cleanup() { rm -rf "$STAGE"; }
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP   # run the EXIT trap on signals too
SOURCE_NOTE=""

# --- (b) an existing daprd of the right version -------------------------------------------------------
if [[ $PRINT_GO == 0 && "${DAPR_INSTALL_NO_COPY:-0}" != 1 ]]; then
  for cand in "$(command -v daprd 2>/dev/null || true)" "$HOME/.dapr/bin/daprd"; do
    [[ -n "$cand" && -x "$cand" ]] || continue
    [[ "$(readlink -f "$cand")" == "$(readlink -f "$OUT/daprd" 2>/dev/null || true)" ]] && continue
    got="$(bin_version "$cand")"
    if [[ "$got" != "$V" ]]; then log "ignoring $cand (version '${got:-?}', want $V)"; continue; fi
    log "found daprd $V at $cand: copying"
    cp -L "$cand" "$STAGE/daprd"
    SOURCE_NOTE="daprd copied from $cand"
    if [[ "$PATCH_ID" == none && -x "$(dirname "$cand")/scheduler" ]]; then
      # scheduler has no --version; dapr init --slim installs it next to daprd of the same release
      cp -L "$(dirname "$cand")/scheduler" "$STAGE/scheduler"
      SOURCE_NOTE="$SOURCE_NOTE; scheduler copied from $(dirname "$cand")/scheduler (no --version flag; assumed same release)"
      log "copied scheduler from $(dirname "$cand") (assumed same release; scheduler has no --version)"
    else
      log "the scheduler will be built (patches: $PATCH_ID)"
    fi
    break
  done
fi

# --- (c) build what is missing -------------------------------------------------------------------
TARGETS=()
[[ -x "$STAGE/daprd" ]] || TARGETS+=(./cmd/daprd)
[[ -x "$STAGE/scheduler" ]] || TARGETS+=(./cmd/scheduler)
for b in $CONTROL_PLANE; do TARGETS+=("./cmd/$b"); done

if [[ ${#TARGETS[@]} -gt 0 || $PRINT_GO == 1 ]]; then
  # Find a go (any) first to download the module; only then do we know the required version.
  ANY_GO=""
  for cand in "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
    [[ -n "$cand" && -x "$cand" ]] && { ANY_GO="$cand"; break; }
  done
  WORK="$(mktemp -d)"   # neutral cwd: no go.mod / go.work around
  trap 'cleanup; rm -rf "$WORK"' EXIT
  cd "$WORK"
  export GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
  NEED=""
  if [[ -n "$ANY_GO" ]]; then
    NEED="$(GOTOOLCHAIN=local "$ANY_GO" mod download -json "$MOD@v$V" 2>/dev/null \
              | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' | head -n1)" || true
    [[ -n "$NEED" && -f "$NEED" ]] && NEED="$(awk '$1=="go"{print $2; exit}' "$NEED")" || NEED=""
  fi
  [[ -n "$NEED" ]] || NEED="$(required_go_from_proxy)"
  [[ -n "$NEED" ]] || die "could not read the go version required by $MOD@v$V"
  NEED="$(normalize_go_line "$NEED")"
  resolve_go "$NEED"
  if [[ $PRINT_GO == 1 ]]; then
    log "GOTOOLCHAIN=$GOTOOLCHAIN"
    printf '%s\n' "$GO_BIN"; exit 0
  fi
  GOVER_USED="$("$GO_BIN" env GOVERSION)"

  log "downloading $MOD@v$V (module proxy: $("$GO_BIN" env GOPROXY))"
  JSON="$("$GO_BIN" mod download -json "$MOD@v$V")" || die "go mod download $MOD@v$V failed (does v$V exist on the proxy?)"
  DIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$JSON" | head -n1)"
  COMMIT="$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]\{40\}\)",\{0,1\}$/\1/p' <<<"$JSON" | head -n1)"
  [[ -d "$DIR" && -f "$DIR/go.sum" ]] || die "module dir '$DIR' missing or has no go.sum"
  log "module dir: $DIR${COMMIT:+ (commit $COMMIT)}"

  LDF="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$V -X github.com/dapr/kit/logger.DaprVersion=$V"
  [[ -n "$COMMIT" ]] && LDF="$LDF -X github.com/dapr/dapr/pkg/buildinfo.gitcommit=$COMMIT"
  BUILD_FLAGS=(-trimpath -tags allcomponents)
  [[ -n "${DAPR_INSTALL_JOBS:-}" ]] && BUILD_FLAGS+=(-p "$DAPR_INSTALL_JOBS")

  run_build() {  # $1 = source dir
    local t1 t2
    cd "$1"
    t1=$(now)
    log "downloading dependencies (go list -deps ${TARGETS[*]}); first run fetches ~hundreds of modules"
    # stderr (download progress, errors) shown live and kept for the diagnosis below
    { "$GO_BIN" list -deps -tags allcomponents "${TARGETS[@]}" 2>&1 >/dev/null; } | tee "$WORK/list.err" >&2 \
      || return 1   # 1 = load/download
    t2=$(now); DL_SECS=$((t2 - t1))
    log "dependencies ready in ${DL_SECS}s; compiling ${TARGETS[*]} (cold: 10-30 min on 2 cores)"
    "$GO_BIN" build "${BUILD_FLAGS[@]}" -ldflags "$LDF" -o "$STAGE/" "${TARGETS[@]}" || return 2   # 2 = compile
    BUILD_SECS=$(( $(now) - t2 ))
    log "compiled in ${BUILD_SECS}s"
  }

  SRC="$DIR"
  if [[ "$PATCH_ID" != none ]]; then
    command -v patch >/dev/null 2>&1 || die "'patch' is required to apply $PATCH_DIR/*.patch (apt-get install patch)"
    SRC="$WORK/src"
    log "copying the module to $SRC and applying: $PATCH_ID"
    cp -r "$DIR" "$SRC"; chmod -R u+w "$SRC"
    for f in "${PATCHES[@]}"; do
      patch -d "$SRC" -p1 --forward --batch --quiet <"$f" >&2 || die "patch $(basename "$f") does not apply to dapr v$V"
    done
  fi
  rc=0; run_build "$SRC" || rc=$?
  [[ $rc == 2 ]] && die "go build of $MOD@v$V failed (see the compiler errors above)"
  if [[ $rc != 0 ]] && grep -q 'This module version is not available\|403 Forbidden' "$WORK/list.err"; then
    die "the Go module proxy refuses some dependencies of dapr v$V (HTTP 403 'This module version is not
  available'; list: $(grep -o '[^ :]*@v[^ :]*: reading' "$WORK/list.err" | sed 's/: reading//' | sort -u | tr '\n' ' '))
  This proxy only serves a subset of module versions. Pick a DAPR_VERSION in $HERE/versions.env whose
  whole dependency set is served (v1.18.3 is not, on the sandbox proxy; v1.18.2 is)."
  fi
  if [[ $rc != 0 && "$SRC" == "$DIR" ]] && grep -q 'go.sum\|read-only\|permission denied\|updates to go.mod needed' "$WORK/list.err"; then
    # The module cache dir is read-only; if Go wanted to write there (e.g. go.sum), retry in a copy.
    log "loading packages inside the module cache dir failed; retrying in a writable copy"
    SRC="$WORK/src"; rm -rf "$SRC"; cp -r "$DIR" "$SRC"; chmod -R u+w "$SRC"
    run_build "$SRC" || die "go build of $MOD@v$V failed (see the errors above)"
  elif [[ $rc != 0 ]]; then
    die "loading/downloading the packages of $MOD@v$V failed (see the errors above)"
  fi
  SOURCE_NOTE="${SOURCE_NOTE:+$SOURCE_NOTE; }built ${TARGETS[*]} from $MOD@v$V${COMMIT:+ ($COMMIT)} with $GOVER_USED; deps ${DL_SECS}s, compile ${BUILD_SECS}s"
fi

# --- verify + move into place atomically ----------------------------------------------------------
got="$(bin_version "$STAGE/daprd")"
[[ "$got" == "$V" ]] || die "staged daprd reports version '${got:-?}', expected $V"
[[ -x "$STAGE/scheduler" ]] || die "staged scheduler missing"
for b in $CONTROL_PLANE; do [[ -x "$STAGE/$b" ]] || die "staged $b missing"; done
{
  echo "dapr_version=$V"
  echo "source=$SOURCE_NOTE"
  echo "patches=$PATCH_ID"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "total_secs=$(( $(now) - T0 ))"
} >"$STAGE/INSTALL-INFO"
chmod 755 "$STAGE"
if [[ -e "$OUT" ]]; then
  log "replacing stale $OUT"
  mv -T "$OUT" "$STAGE.old" && rm -rf "$STAGE.old"
fi
mv -T "$STAGE" "$OUT"
trap - EXIT; rm -rf "${WORK:-}"
log "installed daprd, scheduler and $CONTROL_PLANE $V in $OUT ($(( $(now) - T0 ))s)"
done_print
