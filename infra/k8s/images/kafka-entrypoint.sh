#!/bin/sh
# Kafka (KRaft, one combined broker and controller) of the local cluster's image. Formats the data
# directory on first start, then runs the broker in the foreground. Clients use the advertised name
# (the Service in front of the pod).
set -eu
: "${KAFKA_DATA:=/var/lib/kafka/data}"
: "${KAFKA_ADVERTISED_HOST:?KAFKA_ADVERTISED_HOST is required (the Service name clients use)}"
: "${KAFKA_PORT:=9092}"
: "${KAFKA_HEAP:=512m}"
: "${KAFKA_PARTITIONS:=3}"
# base64url of 16 bytes, as Kafka requires; fixed, so a restarted pod reuses its data.
: "${KAFKA_CLUSTER_ID:=ZHVlZmxvdy1rOHMta2Fma2E}"
CONF=/tmp/kafka
mkdir -p "$CONF" "$KAFKA_DATA"
cat >"$CONF/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:$KAFKA_PORT,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://$KAFKA_ADVERTISED_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
auto.create.topics.enable=true
num.partitions=$KAFKA_PARTITIONS
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
cat >"$CONF/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stdout
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS
set -f  # the class path is a wildcard for java, not for the shell
JAVA="java -Xms$KAFKA_HEAP -Xmx$KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration=file:$CONF/log4j.properties -cp /opt/kafka/libs/*"
if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
  $JAVA kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c "$CONF/server.properties" --ignore-formatted
fi
exec $JAVA kafka.Kafka "$CONF/server.properties"
