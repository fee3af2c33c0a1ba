# Shared helpers of the fault-tolerance runs (sourced by the case scripts, not run by itself).
# Every case: a temp dir under /tmp, free ports picked at start, real processes (the standalone
# broker of deploy/kafka/start-broker.sh, `wire-ingest poll` and `wire-ingest normalize` from
# ingest-service/target/wire-ingest.jar), and a trap that stops them and removes the dir
# (FAULTS_KEEP=1 keeps it; on failure the last log lines are printed).
#
# Environment: FEEDS (default 50), ITEMS per feed (default 100), JAVA_HOME, WIRE_INGEST_JAR (a copy
# of the jar to test, so a rebuild meanwhile does not change it under a run).

FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$FAULTS_DIR/../.." && pwd)
JAR="${WIRE_INGEST_JAR:-$ROOT/ingest-service/target/wire-ingest.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
FEEDS=${FEEDS:-50}
ITEMS=${ITEMS:-100}
declare -A PIDS=()
CASE=
TMP=
BROKER_PORT=
CONTROLLER_PORT=

log() { printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "$CASE" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# faults_init CASE: temp dir, traps, jar check, broker ports.
faults_init() {
  CASE=$1
  [ -f "$JAR" ] || die "no $JAR: build it with 'mvn -B -q -o -pl ingest-service -am package -DskipTests'"
  command -v python3 >/dev/null || die "python3 is needed (feed generator and audit)"
  command -v curl >/dev/null || die "curl is needed (health and metrics endpoints)"
  TMP=$(mktemp -d "/tmp/wire-faults-$CASE.XXXXXX")
  mkdir -p "$TMP/logs"
  trap faults_cleanup EXIT
  trap 'exit 130' INT TERM
  BROKER_PORT=$(free_port)
  CONTROLLER_PORT=$(free_port)
  log "work dir $TMP, broker localhost:$BROKER_PORT (controller $CONTROLLER_PORT)"
}

faults_cleanup() {
  local status=$?
  local name
  # the services first, then the broker they talk to
  for name in "${!PIDS[@]}"; do
    [ "$name" = broker ] || kill -TERM "${PIDS[$name]}" 2>/dev/null || true
  done
  for name in "${!PIDS[@]}"; do
    [ "$name" = broker ] || stop_wait "${PIDS[$name]}" 30
  done
  if [ -n "${PIDS[broker]:-}" ]; then
    kill -TERM "${PIDS[broker]}" 2>/dev/null || true
    stop_wait "${PIDS[broker]}" 30
  fi
  if [ "$status" -ne 0 ] && [ -n "$TMP" ]; then
    for f in "$TMP"/logs/*.log; do
      [ -f "$f" ] || continue
      echo "---- last lines of $f" >&2
      tail -n 15 "$f" >&2
    done
  fi
  if [ -n "$TMP" ]; then
    if [ "${FAULTS_KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  fi
  exit "$status"
}

# stop_wait PID SECONDS: waits for PID to end, kill -9 after SECONDS.
stop_wait() {
  local pid=$1 i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# free_port: a port free now, below the kernel's ephemeral range (ip_local_port_range): a client
# reconnecting to a stopped broker on a port inside it can be given that very port and connect to
# itself, and the restarted broker then cannot bind it (deploy/kafka/start-broker.sh).
free_port() {
  python3 - <<'PY'
import random, socket
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
for _ in range(1000):
    port = random.randint(10000, max(10001, low - 1))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("free_port: no free port below the ephemeral range")
PY
}

now_ms() { date +%s%3N; }

# start_broker: the standalone KRaft broker on BROKER_PORT, data in $TMP/broker (formatted on first start).
start_broker() {
  mkdir -p "$TMP/broker"
  sed -e "s/localhost:9092/localhost:$BROKER_PORT/g" -e "s/localhost:9093/localhost:$CONTROLLER_PORT/g" \
    "$ROOT/deploy/kafka/server.properties" >"$TMP/broker.properties"
  KAFKA_DATA_DIR="$TMP/broker" KAFKA_CONFIG="$TMP/broker.properties" \
    "$ROOT/deploy/kafka/start-broker.sh" >>"$TMP/logs/broker.log" 2>&1 &
  PIDS[broker]=$!
  wait_port "$BROKER_PORT" 120 || die "broker did not listen on $BROKER_PORT within 120 s"
  log "broker up (pid ${PIDS[broker]})"
}

# wait_port PORT SECONDS: until a TCP connection to localhost:PORT succeeds.
wait_port() {
  local deadline=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

# start_service NAME OPS_PORT wire-ingest-args...: a poll or normalize process, its own data dir.
start_service() {
  local name=$1 port=$2
  shift 2
  "$JAVA" -Xmx512m -jar "$JAR" "$@" --bootstrap-servers "localhost:$BROKER_PORT" \
    --data-dir "$TMP/$name" --ops-port "$port" --ops-bind 127.0.0.1 >>"$TMP/logs/$name.log" 2>&1 &
  PIDS[$name]=$!
  log "$name started (pid ${PIDS[$name]}, ops port $port): $*"
}

# The common opening of a case: FEEDS x ITEMS feeds written, the broker, one normalizer and one
# poller started and ready; sets NPORT and PPORT (their ops ports).
start_pipeline() {
  feedgen init "$TMP" --feeds "$FEEDS" --items "$ITEMS"
  start_broker
  NPORT=$(free_port)
  PPORT=$(free_port)
  start_normalizer normalizer "$NPORT"
  wait_ready normalizer "$NPORT" 120
  start_poller poller "$PPORT"
  wait_ready poller "$PPORT" 120
}
start_poller() { start_service "$1" "$2" poll --feeds "$TMP/feeds.yaml" "${@:3}"; }
start_normalizer() { start_service "$1" "$2" normalize "${@:3}"; }

# ready_status PORT: the HTTP status of /health/ready (000 when nothing answers).
ready_status() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$1/health/ready" || true
}

# wait_ready NAME PORT SECONDS: until /health/ready answers 200; fails when the process exits.
wait_ready() {
  local deadline=$(($(date +%s) + $3))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    kill -0 "${PIDS[$1]}" 2>/dev/null || die "$1 exited (see $TMP/logs/$1.log)"
    [ "$(ready_status "$2")" = 200 ] && return 0
    sleep 0.25
  done
  die "$1 not ready within $3 s"
}

# metric PORT NAME: sum of a Prometheus counter/gauge over its labels (0 when absent or no answer in 5 s).
metric() {
  { curl -s -m 5 "http://127.0.0.1:$1/metrics" || true; } | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%d\n", s }'
}

# wait_metric PORT NAME MIN SECONDS: until the metric reaches MIN.
wait_metric() {
  local deadline=$(($(date +%s) + $4)) v
  while [ "$(date +%s)" -lt "$deadline" ]; do
    v=$(metric "$1" "$2")
    [ "$v" -ge "$3" ] && { echo "$v"; return 0; }
    sleep 0.2
  done
  die "$2 on port $1 did not reach $3 within $4 s"
}

kill9() {
  log "kill -9 $1 (pid ${PIDS[$1]})"
  kill -KILL "${PIDS[$1]}"
  wait "${PIDS[$1]}" 2>/dev/null || true
  unset "PIDS[$1]"
}

# assert_alive NAME...: each named process still runs.
assert_alive() {
  local name
  for name in "$@"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name exited (see $TMP/logs/$name.log)"
  done
}

feedgen() { python3 "$FAULTS_DIR/feedgen.py" "$@"; }

# audit: one summary line on stdout, status 0 only when every expected event is there exactly once.
audit() {
  "$JAVA" -Xmx512m -jar "$JAR" tail --topic wire.articles.v1 --from-beginning --timeout 4s \
    --bootstrap-servers "localhost:$BROKER_PORT" --data-dir "$TMP/tail" 2>>"$TMP/logs/tail.log" \
    | python3 "$FAULTS_DIR/audit.py" "$TMP/manifest.json" "$CASE"
}

# await_events SECONDS: audits until every expected event is there (or the time is up), then
# waits SETTLE seconds more (late duplicates would show then) and prints the final audit line.
await_events() {
  local deadline=$(($(date +%s) + $1)) line
  while :; do
    if line=$(audit); then break; fi
    log "waiting: $line"
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 2
  done
  log "caught up: $line; settling ${SETTLE:-15} s"
  sleep "${SETTLE:-15}"
  audit
}
