#!/usr/bin/env bash
# Formats (first start only) and starts a standalone single-node KRaft broker from the Kafka
# classes inside the wire-ingest jar: deploy/kafka/server.properties, data in $KAFKA_DATA_DIR
# (default ./data/standalone-kafka). Runs in the foreground; Ctrl-C stops it.
#
#   deploy/kafka/start-broker.sh                     # listens on localhost:9092
#   bin/wire-ingest run --bootstrap-servers localhost:9092
#
# Environment: KAFKA_DATA_DIR, KAFKA_CONFIG (another properties file), KAFKA_HEAP_OPTS (default -Xmx512m).
# Extra arguments are passed to the broker, e.g. --override listeners=PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=${KAFKA_CONFIG:-$root/deploy/kafka/server.properties}
data=${KAFKA_DATA_DIR:-$PWD/data/standalone-kafka}
jar="$root/ingest-service/target/wire-ingest.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

"$root/bin/wire-ingest" --version >/dev/null   # builds the jar when missing or stale
mkdir -p "$data/logs"
# The config as given, with log.dirs pointing at the data dir (a later key wins in a properties file).
effective="$data/server.properties"
{ cat "$config"; printf '\nlog.dirs=%s\n' "$data/logs"; } >"$effective"
if [ ! -f "$data/logs/meta.properties" ]; then
  echo "start-broker: formatting $data/logs (standalone KRaft controller)" >&2
  "$java_bin" -cp "$jar" kafka.tools.StorageTool format --standalone \
    --cluster-id "$("$java_bin" -cp "$jar" kafka.tools.StorageTool random-uuid)" --config "$effective" >&2
fi
echo "start-broker: starting the broker, data in $data/logs, config $config" >&2
exec "$java_bin" ${KAFKA_HEAP_OPTS:--Xmx512m} -cp "$jar" kafka.Kafka "$effective" "$@"
