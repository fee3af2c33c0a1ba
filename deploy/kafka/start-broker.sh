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
# Says when clients can connect: the broker itself logs only warnings. The address is the last
# PLAINTEXT advertised listener (an --override of advertised.listeners or listeners wins).
address=$(printf '%s\n' "$(cat "$effective")" "$@" | grep -E '^(advertised\.)?listeners=' | sed -E 's/.*PLAINTEXT:\/\/([^,]*).*/\1/' | tail -1)
host=${address%:*}; port=${address##*:}
if [ -n "$port" ]; then
  (
    for _ in $(seq 1 120); do
      sleep 1
      if (exec 3<>"/dev/tcp/${host:-localhost}/$port") 2>/dev/null; then
        echo "start-broker: broker ready on ${host:-localhost}:$port (Ctrl-C stops it)" >&2
        exit 0
      fi
    done
    echo "start-broker: the broker is not answering on ${host:-localhost}:$port after 120 s" >&2
  ) &
fi
exec "$java_bin" ${KAFKA_HEAP_OPTS:--Xmx512m} -cp "$jar" kafka.Kafka "$effective" "$@"
