#!/usr/bin/env bash
# Kafka CLI tools against the local broker, without a Kafka tarball (uses the install.sh jars).
#
#   infra/kafka/cli.sh topics --list                      # org.apache.kafka.tools.TopicCommand
#   infra/kafka/cli.sh topics --describe --topic reminders
#   echo hello | infra/kafka/cli.sh produce reminders     # kafka.tools.ConsoleProducer (still in core in 3.9)
#   infra/kafka/cli.sh consume reminders --from-beginning --max-messages 1 --timeout-ms 30000
#   infra/kafka/cli.sh groups --list                      # ...tools.consumer.group.ConsumerGroupCommand
#   infra/kafka/cli.sh quorum describe --status           # org.apache.kafka.tools.MetadataQuorumCommand
#   infra/kafka/cli.sh class <main.Class> [args...]       # anything else on the classpath
#
# --bootstrap-server 127.0.0.1:${DUEFLOW_KAFKA_PORT:-19092} is added for you (except for `class`).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { printf '[kafka-cli] ERROR: %s\n' "$*" >&2; exit 1; }

(( $# >= 1 )) || { sed -n '2,11p' "$0" >&2; exit 2; }
BOOT="127.0.0.1:${DUEFLOW_KAFKA_PORT:-19092}"
LIBS="$(bash "$HERE/install.sh" 2>/dev/null)" || die "install.sh failed (run it directly to see why)"

LOG4J="$(mktemp "${TMPDIR:-/tmp}/dueflow-kafka-cli-log4j.XXXXXX")"
trap 'rm -f "$LOG4J"' EXIT
cat > "$LOG4J" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

cmd="$1"; shift
case "$cmd" in
  topics)  set -- org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" "$@" ;;
  produce) (( $# >= 1 )) || die "usage: cli.sh produce <topic> [ConsoleProducer args]"
           t="$1"; shift; set -- kafka.tools.ConsoleProducer --bootstrap-server "$BOOT" --topic "$t" "$@" ;;
  consume) (( $# >= 1 )) || die "usage: cli.sh consume <topic> [ConsoleConsumer args]"
           t="$1"; shift; set -- org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BOOT" --topic "$t" "$@" ;;
  groups)  set -- org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$BOOT" "$@" ;;
  quorum)  set -- org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server "$BOOT" "$@" ;;
  class)   (( $# >= 1 )) || die "usage: cli.sh class <main.Class> [args]" ;;
  *) die "unknown command '$cmd' (topics|produce|consume|groups|quorum|class)" ;;
esac

# not exec: the EXIT trap must still remove the temp log4j file
java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Djava.awt.headless=true \
  -Dlog4j.configuration="file:$LOG4J" -cp "$LIBS/*" "$@"
