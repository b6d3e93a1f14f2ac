#!/usr/bin/env bash
# Ensure the Kafka runtime jars are in the local cache (resolved from Maven Central via
# infra/kafka/pom.xml; no tarball, no Docker).
#
#   LIBS="$(infra/kafka/install.sh)"    # -> ~/.cache/dueflow/kafka/3.9.1/libs
#
# stdout: exactly ONE line, the absolute libs dir. Progress/logs -> stderr.
#
# Env:
#   DUEFLOW_CACHE          cache root (default $HOME/.cache/dueflow); must be outside the repo
#   DUEFLOW_KAFKA_VERSION  Kafka version (default 3.9.1; 3.x only, see pom.xml)
#
# Idempotent: if <cache>/kafka/<version>/libs/.complete exists and records the sha256 of the
# current pom.xml, nothing is done. Otherwise the libs dir is rebuilt from scratch with
# `mvn package` and the marker written last (so an interrupted copy is never "complete"). Maven's local repo stays at ~/.m2/repository (reused by later runs).
# Installs openjdk-17-jre-headless / maven from apt if java / mvn are missing (needs root or sudo -n).
set -euo pipefail

exec 3>&1 1>&2   # fd 3 = real stdout (libs dir only); everything else -> stderr

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[kafka-install] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

VERSION="${DUEFLOW_KAFKA_VERSION:-3.9.1}"
[[ "$VERSION" =~ ^3\.[0-9]+\.[0-9]+$ ]] || die "DUEFLOW_KAFKA_VERSION must be a 3.x.y version (4.x needs log4j2), got '$VERSION'"
CACHE="$(realpath -m "${DUEFLOW_CACHE:-$HOME/.cache/dueflow}")"
BASE="$CACHE/kafka/$VERSION"
LIBS="$BASE/libs"
MARKER="$LIBS/.complete"
POM="$HERE/pom.xml"
[[ -f "$POM" ]] || die "missing $POM"
POM_SUM="$(sha256sum "$POM" | cut -d' ' -f1)"
is_complete() { [[ -f "$MARKER" ]] && grep -qx "pom-sha256 $POM_SUM" "$MARKER"; }

REPO_ROOT="$(cd "$HERE/../.." && pwd)"
case "$CACHE/" in "$REPO_ROOT"/*) die "DUEFLOW_CACHE ($CACHE) must be outside the repo ($REPO_ROOT)" ;; esac

if is_complete; then
  log "already installed: $LIBS"
  printf '%s\n' "$LIBS" >&3
  exit 0
fi

# --- java / mvn ---------------------------------------------------------------
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn  >/dev/null 2>&1 || need+=(maven)
if (( ${#need[@]} )); then
  log "missing tools; apt-get install ${need[*]}"
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "must run as root (or have passwordless sudo) to apt-get install ${need[*]}"
    SUDO=(sudo -n)
  fi
  APT_OPTS=(-o DPkg::Lock::Timeout=300)
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -q >&2
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends "${need[@]}" >&2
  command -v java >/dev/null 2>&1 || die "java still missing after apt-get install"
  command -v mvn  >/dev/null 2>&1 || die "mvn still missing after apt-get install"
fi
jv="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${jv%%.*}" =~ ^[0-9]+$ ]] && (( ${jv%%.*} >= 11 )) || die "Kafka 3.9 needs Java >= 11 (found '${jv:-?}')"

# --- resolve + copy (serialised: two concurrent installs must not interleave) --
mkdir -p "$BASE"
exec 9>"$BASE/.install.lock"
flock -w 900 9 || die "timed out waiting for $BASE/.install.lock"
if is_complete; then   # another process finished while we waited
  log "already installed (by a concurrent run): $LIBS"
  printf '%s\n' "$LIBS" >&3
  exit 0
fi

[[ -f "$MARKER" ]] && log "pom.xml changed since the last install; re-resolving"
rm -rf -- "$LIBS"
BUILD_DIR="$BASE/mvn-target"   # keep Maven's target/ out of the repo too
log "resolving org.apache.kafka:kafka_2.13:$VERSION (+ kafka-tools, reload4j) via Maven -> $LIBS"
t0=$SECONDS
MVN_LOG="$BASE/mvn.log"
# Maven 3.8's `-B -q` still prints stray ANSI resets (ESC[0m), so output goes to a log file,
# shown (colour codes stripped) only on failure.
if ! mvn -B -q -f "$POM" package \
      -Dkafka.version="$VERSION" -Dkafka.libs.dir="$LIBS" -Dkafka.build.dir="$BUILD_DIR" >"$MVN_LOG" 2>&1 9>&-; then
  sed 's/\x1b\[[0-9;]*m//g' "$MVN_LOG" | tail -n 40 >&2
  rm -rf -- "$LIBS"
  die "mvn failed (is Maven Central reachable? full log: $MVN_LOG)"
fi
rm -rf -- "$BUILD_DIR"

# sanity: the jars start.sh needs
for j in "kafka_2.13-$VERSION.jar" "kafka-clients-$VERSION.jar" "kafka-tools-$VERSION.jar" reload4j-*.jar slf4j-reload4j-*.jar; do
  compgen -G "$LIBS/$j" >/dev/null || { rm -rf -- "$LIBS"; die "expected $j in $LIBS after mvn; not found"; }
done

printf 'kafka_2.13 %s\npom-sha256 %s\ninstalled %s\n' "$VERSION" "$POM_SUM" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$MARKER"
log "done in $(( SECONDS - t0 ))s: $(find "$LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS" | cut -f1)"
printf '%s\n' "$LIBS" >&3
