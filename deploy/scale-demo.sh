#!/usr/bin/env bash
# Scale-out demo (issue 7), on this machine, separate processes: a standalone KRaft broker
# (deploy/kafka), 300 feeds served by a local HTTP server (deploy/scale-demo/feed_server.py, which
# logs every request), 3 `wire-ingest poll` and 2 `wire-ingest normalize` processes, a 20 s interval.
#
# 1. Once every poller is ready: over 3 intervals, every feed is fetched (server side), never by two
#    pollers in one interval (the shortest gap between two fetches of a feed stays near the
#    interval), and the pollers' feed sets (from their /metrics) are disjoint and cover all 300.
# 2. kill -9 one poller: its feeds are fetched again by the others within the session timeout
#    (10 s) + one interval; over the next 3 intervals the same checks hold with 2 pollers.
# 3. The articles topic holds one event per story (600 stories, each created once).
#
# Takes about 5 minutes; needs python3, curl and a JDK. Work files under ${DEMO_DIR:-/tmp/wire-scale-demo}.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
demo=${DEMO_DIR:-/tmp/wire-scale-demo}
feeds_n=300 interval=20 session=10
kafka_port=${KAFKA_PORT:-19092} feed_port=${FEED_PORT:-18000} ops_base=${OPS_BASE_PORT:-18080}
bootstrap=localhost:$kafka_port
export WIRE_INGEST_JAVA_OPTS=${WIRE_INGEST_JAVA_OPTS:--Xmx256m -XX:TieredStopAtLevel=1}
pids=()
# Services first (they leave their groups while the broker still runs), the broker last.
cleanup() { for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null && wait "${pids[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
wi() { "$root/bin/wire-ingest" "$@"; }   # bin/wire-ingest execs java: its pid is the JVM's

# Every port the demo listens on must be free: start-broker.sh refuses a taken one, and the demo would
# go on with whatever listens there (another broker, with its own topics and partitions).
check_free() { # host, port, what, variable
  if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
    echo "scale-demo: port $2 ($3) is already in use; stop what listens there, or move the range with $4" >&2
    exit 1
  fi
}
check_free localhost "$kafka_port" "the broker" KAFKA_PORT
check_free localhost $((kafka_port + 1)) "the broker's controller" KAFKA_PORT
check_free 127.0.0.1 "$feed_port" "the feed server" FEED_PORT
for i in 1 2 3 11 12; do check_free 127.0.0.1 $((ops_base + i)) "an ops port" OPS_BASE_PORT; done

rm -rf "$demo" && mkdir -p "$demo"
wi --version >/dev/null   # builds the jar once, before the processes start

say "broker: deploy/kafka/start-broker.sh on $bootstrap"
KAFKA_PORT="$kafka_port" KAFKA_CONTROLLER_PORT=$((kafka_port + 1)) KAFKA_DATA_DIR="$demo/kafka" \
  "$root/deploy/kafka/start-broker.sh" >"$demo/broker.log" 2>&1 &
pids+=($!)

say "feed server: $feeds_n feeds on 127.0.0.1:$feed_port"
python3 "$root/deploy/scale-demo/feed_server.py" "$feed_port" "$feeds_n" "$demo/requests.jsonl" &
pids+=($!)
{
  echo "sources:"
  for ((i = 0; i < feeds_n; i++)); do
    echo "  - {id: demo-$i, name: Demo $i, agency: demo, url: 'http://127.0.0.1:$feed_port/feed/$i.xml', interval: PT${interval}S}"
  done
} >"$demo/feeds.yaml"

for ((i = 0; i < 60; i++)); do
  kill -0 "${pids[0]}" 2>/dev/null || { say "the broker did not start: $(tail -1 "$demo/broker.log")"; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$kafka_port") 2>/dev/null && break
  sleep 1
done

common=(--bootstrap-servers "$bootstrap" --partitions 6 --log-format text --ops-bind 127.0.0.1)
start() { # name, command, args...
  local name=$1; shift
  "$root/bin/wire-ingest" "$@" "${common[@]}" --data-dir "$demo/$name" >"$demo/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$demo/$name.pid"
}
say "3 pollers, 2 normalizers (bin/wire-ingest poll / normalize)"
for i in 1 2 3; do
  start "poller-$i" poll --feeds "$demo/feeds.yaml" --allow-private-addresses --session-timeout ${session}s --ops-port $((ops_base + i))
done
for i in 1 2; do
  start "normalizer-$i" normalize --ops-port $((ops_base + 10 + i))
done
ready() { curl -fsS "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }
for port in $((ops_base + 1)) $((ops_base + 2)) $((ops_base + 3)) $((ops_base + 11)) $((ops_base + 12)); do
  for ((i = 0; i < 180; i++)); do ready "$port" && break; sleep 1; done
  ready "$port" || { say "process on ops port $port not ready; logs in $demo"; exit 1; }
done
say "all ready; letting the group settle for one interval"
sleep $((interval + 5))

metrics() { curl -fsS "http://127.0.0.1:$1/metrics" >"$2"; }
window() { # label, poller ops ports...
  local label=$1; shift
  local t0 t1 b=() a=()
  for p in "$@"; do metrics "$p" "$demo/$label-$p-before.prom"; b+=("$demo/$label-$p-before.prom"); done
  t0=$(date +%s.%N)
  sleep $((3 * interval))
  t1=$(date +%s.%N)
  for p in "$@"; do metrics "$p" "$demo/$label-$p-after.prom"; a+=("$demo/$label-$p-after.prom"); done
  say "$label:"
  python3 "$root/deploy/scale-demo/check.py" "$demo/requests.jsonl" "$t0" "$t1" "$interval" "$feeds_n" "${b[@]}" -- "${a[@]}"
}
window "before (3 pollers)" $((ops_base + 1)) $((ops_base + 2)) $((ops_base + 3))

victim=$(cat "$demo/poller-2.pid")
metrics $((ops_base + 2)) "$demo/victim.prom"
say "kill -9 poller-2 (pid $victim)"
kill -9 "$victim"
wait "$victim" 2>/dev/null || true # reap it here, so bash prints no "Killed" job line later
killed_at=$(date +%s.%N)
sleep $((session + interval + 5))
python3 - "$demo/requests.jsonl" "$demo/victim.prom" "$killed_at" "$session" "$interval" <<'PY'
import json, re, sys
log, prom, killed, session, interval = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
victim = {s for s, v in re.findall(r'^wire_poller_polls_total\{[^}]*source="([^"]+)"[^}]*\} ([0-9.eE+]+)', open(prom).read(), re.M) if float(v) > 0}
paths = {f"/feed/{s.split('-')[1]}.xml" for s in victim}
first = {}
for line in open(log):
    r = json.loads(line)
    if r["path"] in paths and r["t"] > killed and r["path"] not in first:
        first[r["path"]] = r["t"] - killed
late = max(first.values()) if first else float("nan")
print(f"  poller-2 had {len(victim)} feeds; {len(first)} fetched again by the others, the last {late:.1f}s after the kill "
      f"(bound: session timeout {session:.0f}s + interval {interval:.0f}s + restore)")
ok = len(first) == len(victim) and late <= session + interval + 10
print("  OK" if ok else "  FAILED")
sys.exit(0 if ok else 1)
PY
window "after (2 pollers)" $((ops_base + 1)) $((ops_base + 3))

say "articles topic:"
wi tail --topic wire.articles.v1 --from-beginning --timeout 10s --bootstrap-servers "$bootstrap" --data-dir "$demo/tail" 2>/dev/null >"$demo/articles.jsonl"
python3 - "$demo/articles.jsonl" "$feeds_n" <<'PY'
import collections, json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
per_uri = collections.Counter(e["value"]["uri"] for e in events)
kinds = collections.Counter(e["value"]["changeType"] for e in events)
stories = 2 * int(sys.argv[2])
print(f"  {len(events)} article events, {len(per_uri)} stories ({stories} served), events per story: {dict(collections.Counter(per_uri.values()))}, change types: {dict(kinds)}")
ok = len(per_uri) == stories and set(per_uri.values()) == {1}
print("  OK" if ok else "  FAILED")
sys.exit(0 if ok else 1)
PY
say "done; logs and request log in $demo"
