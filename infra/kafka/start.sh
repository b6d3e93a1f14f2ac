#!/usr/bin/env bash
# Start (or reuse) a single-node Kafka (KRaft, combined broker+controller) on 127.0.0.1,
# run from the Maven Central jars that infra/kafka/install.sh caches. No Docker, no ZooKeeper.
#
#   export KAFKA_BROKERS="$(infra/kafka/start.sh)"      # -> 127.0.0.1:19092
#
# stdout: exactly ONE line, 127.0.0.1:<client port>. Everything else goes to stderr.
#
# Env:
#   DUEFLOW_KAFKA_PORT             client (PLAINTEXT) port on 127.0.0.1 (default 19092)
#   DUEFLOW_KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1 (default 19093)
#   DUEFLOW_KAFKA_DIR              base dir (default /tmp/dueflow-kafka): server.properties,
#                                  log4j.properties, data/, kafka.log, kafka.pid
#   DUEFLOW_KAFKA_TOPICS           topics to ensure (default: task-events reminders task-updates
#                                  + their -dlq topics), 3 partitions, RF 1
#   DUEFLOW_KAFKA_START_TIMEOUT    seconds to wait for readiness (default 90)
#   DUEFLOW_CACHE, DUEFLOW_KAFKA_VERSION   see install.sh
#
# Idempotent: already running -> no-op (prints the address). Stopped but formatted -> restart on
# the existing data. Nothing there -> install (if needed), format with a fixed cluster id, start.
# Ready = process alive AND the log says "Kafka Server started" AND the port accepts AND
# TopicCommand --list answers. Tests only: single replica, no auth, no TLS.
set -euo pipefail

exec 3>&1 1>&2   # fd 3 = real stdout (address only); fd 1 -> stderr for everything else

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[kafka-start] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

KDIR="$(realpath -m "${DUEFLOW_KAFKA_DIR:-/tmp/dueflow-kafka}")"
PORT="${DUEFLOW_KAFKA_PORT:-19092}"
CPORT="${DUEFLOW_KAFKA_CONTROLLER_PORT:-19093}"
TIMEOUT="${DUEFLOW_KAFKA_START_TIMEOUT:-90}"
TOPICS="${DUEFLOW_KAFKA_TOPICS:-task-events reminders task-updates task-events-dlq reminders-dlq task-updates-dlq}"
PARTITIONS=3
# Fixed cluster id: base64url("dueflow-kafka-01"), 16 bytes -> 22 chars, as Kafka requires.
CLUSTER_ID="ZHVlZmxvdy1rYWZrYS0wMQ"
NODE_ID=1
HOST=127.0.0.1

for p in "$PORT" "$CPORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] && (( p > 0 && p < 65536 )) || die "ports must be numbers in 1..65535, got '$p'"
done
[[ "$PORT" != "$CPORT" ]] || die "DUEFLOW_KAFKA_PORT and DUEFLOW_KAFKA_CONTROLLER_PORT must differ"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "DUEFLOW_KAFKA_START_TIMEOUT must be a number of seconds"
[[ "$KDIR" != "/" ]] || die "DUEFLOW_KAFKA_DIR must not be /"

DATA="$KDIR/data"
PROPS="$KDIR/server.properties"
LOG4J="$KDIR/log4j.properties"
TOOLS_LOG4J="$KDIR/tools-log4j.properties"
LOGFILE="$KDIR/kafka.log"
PIDFILE="$KDIR/kafka.pid"
MARKER="$KDIR/.dueflow-kafka"

# --- directory layout + lock ----------------------------------------------------
if [[ -d "$KDIR" && ! -e "$MARKER" && -n "$(ls -A "$KDIR" 2>/dev/null)" ]]; then
  die "$KDIR exists, is not empty and was not created by this script; refusing to use it"
fi
mkdir -p "$KDIR"
touch "$MARKER"
# Serialise concurrent start/stop. fd 9 and fd 3 (our stdout) must NOT leak into the broker,
# or the lock stays held and $(start.sh) never returns -> java is started with 3>&- 9>&-.
exec 9>"$KDIR/.lock"
flock -w 180 9 || die "timed out waiting for lock $KDIR/.lock"

# pid of our broker if it is alive (the pid file alone is not trusted: pids get reused)
broker_pid() {
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $PROPS" || return 1
  echo "$pid"
}
port_open() { (exec 5<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
configured_port() { sed -n "s#^listeners=PLAINTEXT://$HOST:\([0-9]*\),.*#\1#p" "$PROPS" 2>/dev/null; }

# JVM for short-lived CLI tools: small heap, fast startup, quiet logging.
tool() {
  local main="$1"; shift
  java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$TOOLS_LOG4J" \
    -cp "$CP" "$main" "$@" 3>&- 9>&-
}

# --- already running: no-op -------------------------------------------------------
if pid="$(broker_pid)"; then
  rport="$(configured_port)"
  [[ -n "$rport" ]] || die "broker pid $pid is running but $PROPS has no PLAINTEXT listener"
  [[ "$rport" == "$PORT" ]] || log "WARNING: broker already running on port $rport (requested $PORT); using $rport"
  port_open "$rport" || die "broker pid $pid is running but 127.0.0.1:$rport does not accept connections (starting up? see $LOGFILE)"
  log "already running: pid $pid on $HOST:$rport (data $DATA)"
  printf '%s:%s\n' "$HOST" "$rport" >&3
  exit 0
fi
rm -f "$PIDFILE"

# --- jars (only when we actually start: install.sh may rebuild the libs dir) -----------
LIBS="$(bash "$HERE/install.sh" 9>&-)" || die "install.sh failed"
[[ -d "$LIBS" ]] || die "install.sh returned '$LIBS', not a directory"
CP="$LIBS/*"

for p in "$PORT" "$CPORT"; do
  port_open "$p" && die "$HOST:$p is already in use by another process (set DUEFLOW_KAFKA_PORT / DUEFLOW_KAFKA_CONTROLLER_PORT)"
done

t0=$SECONDS

# --- config (rewritten on every start) ---------------------------------------------
cat > "$PROPS" <<EOF
# managed by infra/kafka/start.sh -- rewritten on every start
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=$NODE_ID@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
auto.create.topics.enable=true
num.partitions=$PARTITIONS
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
# small footprint on a shared 2-core CI box
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF

cat > "$LOG4J" <<'EOF'
# managed by infra/kafka/start.sh -- broker logging, to stdout (redirected to kafka.log)
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
EOF

cat > "$TOOLS_LOG4J" <<'EOF'
# managed by infra/kafka/start.sh -- CLI tools: warnings only, to stderr
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

# --- format storage once -------------------------------------------------------------
if [[ ! -f "$DATA/meta.properties" ]]; then
  log "formatting $DATA (cluster id $CLUSTER_ID)"
  mkdir -p "$DATA"
  tool kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" --ignore-formatted >&2 \
    || die "kafka.tools.StorageTool format failed"
else
  cid="$(sed -n 's/^cluster.id=//p' "$DATA/meta.properties")"
  [[ "$cid" == "$CLUSTER_ID" ]] || log "WARNING: $DATA was formatted with cluster id '$cid' (expected $CLUSTER_ID); using it as is"
fi

# --- start ---------------------------------------------------------------------------
[[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.prev"
log "starting Kafka (KRaft) on $HOST:$PORT, controller $HOST:$CPORT (log: $LOGFILE)"
# setsid: own session, so the caller's Ctrl-C / process-group kill does not hit the broker;
# non-interactive bash has no job control, so setsid execs in place and $! is the java pid.
setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
  -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true -Dlog4j.configuration="file:$LOG4J" \
  -cp "$CP" kafka.Kafka "$PROPS" </dev/null >"$LOGFILE" 2>&1 3>&- 9>&- &
echo $! > "$PIDFILE"

fail() {
  log "last lines of $LOGFILE:"; tail -n 30 "$LOGFILE" >&2 || true
  if pid="$(broker_pid)"; then
    log "stopping half-started broker pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  die "$*"
}

deadline=$(( t0 + TIMEOUT ))
# "Kafka Server started" is KafkaBroker.STARTED_MESSAGE, logged by KafkaRaftServer (KRaft) and
# KafkaServer (ZK) once the broker has caught up with the metadata log and opened its listeners.
until grep -q 'Kafka Server started' "$LOGFILE" 2>/dev/null && port_open "$PORT"; do
  broker_pid >/dev/null || fail "broker exited during startup"
  (( SECONDS < deadline )) || fail "not ready after ${TIMEOUT}s"
  sleep 0.5
done
log "broker up after $(( SECONDS - t0 ))s (pid $(cat "$PIDFILE")); checking with the admin client"

# --- topics (idempotent) -----------------------------------------------------------------
BOOT="$HOST:$PORT"
existing="$(tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --list)" \
  || fail "TopicCommand --list against $BOOT failed"
pids=()
for t in $TOPICS; do
  grep -qx -- "$t" <<<"$existing" && continue
  log "creating topic $t ($PARTITIONS partitions)"
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --if-not-exists \
    --topic "$t" --partitions "$PARTITIONS" --replication-factor 1 >&2 &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
(( rc == 0 )) || fail "topic creation failed"

log "ready in $(( SECONDS - t0 ))s: $BOOT (pid $(cat "$PIDFILE"), data $DATA)"
printf '%s\n' "$BOOT" >&3
