#!/usr/bin/env bash
# Ensure a k3s binary of exactly K3S_MODULE_VERSION (versions.env) exists in
#   ${DUEFLOW_CACHE:-$HOME/.cache/dueflow}/k3s/<module version>/k3s   (+ kubectl, crictl symlinks)
# and print that directory on stdout. Progress goes to stderr. Idempotent; cached runs take ~0.1 s.
#
# Built from the Go module proxy like k3s's own scripts/build does (./cmd/server, CGO on), but without
# the embedded containerd (tag ctrd) and cri-dockerd: the cluster runs on Debian's containerd and runc.
# Cold on 2 cores: ~20 min of compile (GOCACHE shared with the daprd/helm builds); warm relink ~20 s.
# Needs gcc and libseccomp-dev (infra/k8s/install-tools.sh).
set -euo pipefail
LOG_TAG=k3s-build
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MOD=github.com/k3s-io/k3s
V="$K3S_MODULE_VERSION"
OUT="$CACHE_ROOT/k3s/$V"
TAGS="netcgo osusergo providerless urfave_cli_no_docs sqlite_omit_load_extension apparmor seccomp no_cri_dockerd"

cache_ok() { [[ -x "$OUT/k3s" && -f "$OUT/INSTALL-INFO" ]] && grep -qxF "tags=$TAGS" "$OUT/INSTALL-INFO"; }
if cache_ok; then log "cached: $OUT"; printf '%s\n' "$OUT"; exit 0; fi
take_lock "$CACHE_ROOT/k3s/.lock"
if cache_ok; then log "cached (built by a concurrent run): $OUT"; printf '%s\n' "$OUT"; exit 0; fi

[[ -f /usr/include/seccomp.h ]] || die "libseccomp-dev is missing (run infra/k8s/install-tools.sh)"
command -v gcc >/dev/null || die "gcc is missing (run infra/k8s/install-tools.sh)"
resolve_go 1.25.6
T0=$SECONDS
STAGE="$(mktemp -d "$CACHE_ROOT/k3s/.tmp.XXXXXX")"
WORK="$(mktemp -d)"
trap 'rm -rf "$STAGE" "$WORK"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
cd "$WORK"
export GOFLAGS="-mod=readonly -buildvcs=false"
JSON="$("$GO_BIN" mod download -json "$MOD@$V")" \
  || die "the Go module proxy does not serve $MOD@$V any more; pick the pseudo-version 'go list -m $MOD@latest' prints and pin it in versions.env"
DIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$JSON" | head -n1)"
[[ -d "$DIR" ]] || die "module dir of $MOD@$V missing"
COMMIT="${V##*-}"
cd "$DIR"
T1=$SECONDS
log "downloading dependencies of ./cmd/server (first run: ~400 modules)"
"$GO_BIN" list -deps -tags "$TAGS" ./cmd/server >/dev/null || die "loading the packages of $MOD@$V failed (see above)"
T2=$SECONDS
VERSION="$K3S_KUBE_VERSION+k3s-$COMMIT"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
LDF="-s -w
 -X $MOD/pkg/version.Version=$VERSION -X $MOD/pkg/version.GitCommit=${COMMIT:0:8}
 -X $MOD/pkg/version.UpstreamGolang=$("$GO_BIN" env GOVERSION)
 -X k8s.io/client-go/pkg/version.gitVersion=$VERSION -X k8s.io/client-go/pkg/version.gitCommit=$COMMIT
 -X k8s.io/client-go/pkg/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.buildDate=$DATE
 -X k8s.io/component-base/version.gitVersion=$VERSION -X k8s.io/component-base/version.gitCommit=$COMMIT
 -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=$DATE"
log "dependencies ready in $((T2 - T1))s; compiling ./cmd/server (cold: ~20 min on 2 cores)"
CGO_ENABLED=1 "$GO_BIN" build -trimpath -tags "$TAGS" -ldflags "$(tr '\n' ' ' <<<"$LDF")" -o "$STAGE/k3s" ./cmd/server \
  || die "go build of $MOD@$V failed (see above)"
T3=$SECONDS
"$STAGE/k3s" --version >/dev/null || die "the built k3s does not run"
ln -s k3s "$STAGE/kubectl"
ln -s k3s "$STAGE/crictl"
{
  echo "k3s_module=$MOD@$V"
  echo "version=$VERSION"
  echo "tags=$TAGS"
  echo "source=built with $("$GO_BIN" env GOVERSION); deps $((T2 - T1))s, compile $((T3 - T2))s"
  echo "size_bytes=$(stat -c %s "$STAGE/k3s")"
  echo "date=$DATE"
} >"$STAGE/INSTALL-INFO"
chmod 755 "$STAGE"
rm -rf "$OUT"
mv -T "$STAGE" "$OUT"
log "installed k3s $VERSION in $OUT ($((SECONDS - T0))s, $(( $(stat -c %s "$OUT/k3s") / 1048576 )) MiB)"
printf '%s\n' "$OUT"
