#!/usr/bin/env bash
# One memory run of the poller over large feeds (docs/benchmarks.md, "Poller memory per poll").
#
#   benchmarks/large-feeds/feedgen.py /tmp/large/feeds 32
#   (cd /tmp/large/feeds && python3 -m http.server 18140 --bind 127.0.0.1 &)
#   benchmarks/large-feeds/run.sh /tmp/large/run1 18140 18141 150 [poll options...]
#
# Writes DIR/feeds.yaml (one feed per f*.xml the server has), runs `poll` with -Xmx${XMX:-460m}
# (the Kubernetes poller's heap), the parallel collector and a GC log (DIR/gc.log: its "Pause Full"
# lines give the live heap), for SECONDS, and prints the polls that succeeded, the failures and
# whether it ran out of memory. Without --bootstrap-servers among the options the broker is the
# embedded one, in the same JVM.
set -euo pipefail
dir=$1; http_port=$2; ops_port=$3; secs=$4; shift 4
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=${JAR:-$root/ingest-service/target/wire-ingest.jar}
rm -rf "$dir"; mkdir -p "$dir"
{
  echo "sources:"
  for i in $(seq -w 0 $((${FEEDS:-32} - 1))); do
    printf '  - id: big-%s\n    name: Big %s\n    agency: big%s\n    url: http://127.0.0.1:%s/f%s.xml\n    interval: PT10M\n' \
      "$i" "$i" "$i" "$http_port" "$i"
  done
} > "$dir/feeds.yaml"
java -Xms64m -Xmx"${XMX:-460m}" -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$dir/gc.log" \
  -jar "$jar" poll --feeds "$dir/feeds.yaml" --data-dir "$dir/data" --ops-port "$ops_port" \
  --allow-private-addresses --per-host-concurrency 32 --poll-threads "${THREADS:-32}" "$@" > "$dir/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 "$secs"); do sleep 1; kill -0 $pid 2>/dev/null || break; done
if kill -0 $pid 2>/dev/null; then kill -TERM $pid; wait $pid || true; fi
echo "polls ok: $(grep -c ': ok, ' "$dir/out.log" || true)," \
  "failed: $(grep -c 'failed (' "$dir/out.log" || true)," \
  "out of memory: $(grep -c OutOfMemoryError "$dir/out.log" || true)"
echo "live heap after full collections (MB): $(grep 'Pause Full' "$dir/gc.log" | sed -E 's/.*->([0-9]+)M\(.*/\1/' | tr '\n' ' ')"
