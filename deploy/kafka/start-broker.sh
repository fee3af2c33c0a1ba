#!/usr/bin/env bash
# Formats (first start only) and starts a standalone single-node KRaft broker from the Kafka
# classes inside the wire-ingest jar: deploy/kafka/server.properties, data in $KAFKA_DATA_DIR
# (default ./data/standalone-kafka). Runs in the foreground; Ctrl-C stops it.
#
#   deploy/kafka/start-broker.sh                     # listens on localhost:9092
#   bin/wire-ingest run --bootstrap-servers localhost:9092
#   KAFKA_PORT=19092 KAFKA_DATA_DIR=/tmp/kafka-19092 deploy/kafka/start-broker.sh   # a second broker
#
# Environment: KAFKA_PORT (the clients' port, default 9092), KAFKA_CONTROLLER_PORT (the KRaft
# controller's, default KAFKA_PORT + 1 when KAFKA_PORT is set, else 9093), KAFKA_DATA_DIR,
# KAFKA_CONFIG (another properties file), KAFKA_HEAP_OPTS (default -Xmx512m). A port given replaces
# the config's listeners, advertised.listeners and controller.quorum.bootstrap.servers with
# localhost ones (PLAINTEXT and CONTROLLER); a config naming other listeners is refused: set its
# ports in it.
# Keep ports out of the kernel's ephemeral range, `cat /proc/sys/net/ipv4/ip_local_port_range`,
# 32768-60999 on Linux: a client reconnecting to a stopped broker on such a port can connect to
# itself. The script refuses a data dir or a port already in use. Extra arguments are passed to the
# broker (e.g. --override log.retention.hours=1). Prints "broker ready on HOST:PORT" once it accepts
# connections.
set -euo pipefail
usage="usage: [KAFKA_PORT=N] [KAFKA_CONTROLLER_PORT=N] [KAFKA_DATA_DIR=DIR] [KAFKA_CONFIG=FILE] $0 [broker arguments]"
case "${1:-}" in -h|--help) echo "$usage"; exit 0 ;; esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=${KAFKA_CONFIG:-$root/deploy/kafka/server.properties}
data=${KAFKA_DATA_DIR:-$PWD/data/standalone-kafka}
# The ports given, as lines appended to the config (a later key wins in a properties file).
ports_override=
if [ -n "${KAFKA_PORT:-}${KAFKA_CONTROLLER_PORT:-}" ]; then
  port_number() { # name, value: prints the port as a decimal number, leading zeros aside
    if ! [[ "$2" =~ ^0*[0-9]{1,5}$ ]] || [ "$((10#$2))" -lt 1 ] || [ "$((10#$2))" -gt 65535 ]; then
      echo "start-broker: $1 must be a port number from 1 to 65535 (got \"$2\")" >&2
      echo "$usage" >&2
      exit 2
    fi
    echo "$((10#$2))"
  }
  client_port=$(port_number KAFKA_PORT "${KAFKA_PORT:-9092}")
  controller_port=$(port_number KAFKA_CONTROLLER_PORT "${KAFKA_CONTROLLER_PORT:-$((client_port + 1))}")
  if [ "$client_port" = "$controller_port" ]; then
    echo "start-broker: KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both $client_port)" >&2
    echo "$usage" >&2
    exit 2
  fi
  # The listeners given are named PLAINTEXT and CONTROLLER: a config naming others (a controller
  # listener CTRL, an SSL one) keeps those names in controller.listener.names and the protocol map,
  # and the broker would fail after formatting. Listener names are case-insensitive.
  other_names=$( { { grep -E '^ *listeners *=' "$config" || true; } | tail -1 | sed -E 's/^[^=]*=//' \
      | tr ',' '\n' | sed -nE 's/^[[:space:]]*([^:[:space:]]*):\/\/.*/\1/p'
    { grep -E '^ *controller\.listener\.names *=' "$config" || true; } | tail -1 \
      | sed -E 's/^[^=]*=//' | tr ',' '\n'; } | tr -d ' \t\r' | tr a-z A-Z | tr -s '\n' \
    | { grep -vxE 'PLAINTEXT|CONTROLLER|' || true; } | sort -u | paste -sd, -)
  if [ -n "$other_names" ]; then
    echo "start-broker: KAFKA_PORT and KAFKA_CONTROLLER_PORT give listeners named PLAINTEXT and CONTROLLER, but $config names $other_names; set the ports in that file instead" >&2
    echo "$usage" >&2
    exit 2
  fi
  listen="PLAINTEXT://localhost:$client_port,CONTROLLER://localhost:$controller_port"
  ports_override=$(printf '%s\n' "listeners=$listen" "advertised.listeners=$listen" \
    "controller.quorum.bootstrap.servers=localhost:$controller_port")
fi
config_text=$(cat "$config"; printf '\n%s\n' "$ports_override")
jar="$root/ingest-service/target/wire-ingest.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

"$root/bin/wire-ingest" --version >/dev/null   # builds the jar when missing or stale
# jdk_opts: the options that keep JDK 22+ from warning about the broker's native libraries and
# sun.misc.Unsafe, as bin/wire-ingest gives them.
. "$root/bin/jdk-options.sh"

# Refused before anything is written: a data dir another broker uses (a second broker on it fails
# to lock it, and its start disturbs the running one), or a port something already listens on.
data_abs=$(realpath -m "$data")
running=$(pgrep -f "kafka\.Kafka $data_abs/server\.properties" || true)
if [ -n "$running" ]; then
  echo "start-broker: a broker already runs with data dir $data_abs (pid $(echo $running)); stop it, or give this one another KAFKA_DATA_DIR" >&2
  exit 1
fi
# The address clients use: the last PLAINTEXT (advertised) listener of the config, or of an
# --override (which wins).
address=$(printf '%s\n' "$config_text" "$@" | { grep -E '^ *(advertised\.)?listeners *=' || true; } \
  | sed -nE 's/.*PLAINTEXT:\/\/([^,[:space:]]*).*/\1/p' | tail -1)
host=${address%:*}; host=${host#[}; host=${host%]}; host=${host:-localhost}; port=${address##*:}   # /dev/tcp takes IPv6 without brackets
# Every listener's port (the controller's too: a clash there fails the broker after formatting),
# and the clients' address.
listeners=$(printf '%s\n' "$config_text" "$@" | { grep -E '^ *listeners *=' || true; } | tail -1 | sed -E 's/^[^=]*=//; s/[[:space:]]//g')
for listener in ${listeners//,/ } "PLAINTEXT://$host:$port"; do
  hp=${listener#*://}; lhost=${hp%:*}; lport=${hp##*:}
  lhost=${lhost#[}; lhost=${lhost%]}
  case "$lhost" in ""|0.0.0.0|::) lhost=localhost ;; esac
  if [ -n "$lport" ] && [ "$lport" != "$hp" ] && (exec 3<>"/dev/tcp/$lhost/$lport") 2>/dev/null; then
    echo "start-broker: something already listens on $lhost:$lport (listener ${listener%%://*}; another broker?); stop it, or give this one other ports (KAFKA_PORT, KAFKA_CONTROLLER_PORT)" >&2
    exit 1
  fi
done

mkdir -p "$data_abs/logs"
# The config as given, with the ports given and log.dirs pointing at the data dir.
effective="$data_abs/server.properties"
{ printf '%s\n' "$config_text"; printf 'log.dirs=%s\n' "$data_abs/logs"; } >"$effective"
if [ ! -f "$data_abs/logs/meta.properties" ]; then
  echo "start-broker: formatting $data_abs/logs (standalone KRaft controller)" >&2
  "$java_bin" ${jdk_opts[@]+"${jdk_opts[@]}"} -cp "$jar" kafka.tools.StorageTool format --standalone \
    --cluster-id "$("$java_bin" ${jdk_opts[@]+"${jdk_opts[@]}"} -cp "$jar" kafka.tools.StorageTool random-uuid)" --config "$effective" >&2
fi
echo "start-broker: starting the broker, data in $data_abs/logs, config $config${ports_override:+ with ports $client_port (clients) and $controller_port (controller)}" >&2
# Says when clients can connect: the broker itself logs only warnings.
if [ -n "$port" ]; then
  broker_pid=$$   # after the exec below, this shell's pid is the broker's
  (
    for _ in $(seq 1 120); do
      sleep 1
      kill -0 "$broker_pid" 2>/dev/null || exit 0
      if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
        echo "start-broker: broker ready on $host:$port (Ctrl-C stops it)" >&2
        exit 0
      fi
    done
    echo "start-broker: the broker is not answering on $host:$port after 120 s" >&2
  ) &
fi
exec "$java_bin" ${jdk_opts[@]+"${jdk_opts[@]}"} ${KAFKA_HEAP_OPTS:--Xmx512m} -cp "$jar" kafka.Kafka "$effective" "$@"
