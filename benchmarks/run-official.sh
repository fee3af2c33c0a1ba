#!/usr/bin/env bash
# The issue 6 figures, one after another on one machine, as quoted in docs/benchmarks.md.
# Run from the project root on a machine with nothing else running; every step logs to $OUT/<step>.log
# and the load average before each step goes to $OUT/summary.txt.
#
#   mvn -B -q -Pbench -pl benchmarks -am package -DskipTests   # benchmarks.jar + wire-ingest.jar
#   benchmarks/run-official.sh                                  # all steps (about 45 min on 2 cores)
#   STEPS="jmh cpu" benchmarks/run-official.sh                  # some of them
#
# Steps: jmh (ParseNormalizeBenchmark, 3 forks), cpu (ParseNormalizeCpu, thread-CPU ratios),
# throughput (PipelineThroughput, ITEMS items, 3 runs), latency (PollLatency, 3 runs),
# scale (PollerScale, 10,000 feeds: 80 % gzip-encoded, 3 % large, its defaults since 2026-12-07),
# faults (kill -9 normalizer, broker restart); not by default: scale-plain (PollerScale as before
# 2026-12-07: uncompressed, 20-item feeds, for comparison with the earlier runs).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${CORPUS:-../shared/corpus}" && pwd)
out=${OUT:-/tmp/wire-bench-$(date -u +%Y%m%dT%H%M)}
items=${ITEMS:-200000}
steps=${STEPS:-jmh cpu throughput latency scale faults}
# The collector bin/wire-ingest and the image use (docs/benchmarks-history.md, night round); GC=-XX:+UseG1GC for G1.
gc=${GC:--XX:+UseParallelGC}
bench=benchmarks/target/benchmarks.jar
jar=ingest-service/target/wire-ingest.jar
[ -f "$bench" ] && [ -f "$jar" ] || { echo "build first: mvn -B -q -Pbench -pl benchmarks -am package -DskipTests" >&2; exit 2; }
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1), commit $(git rev-parse --short HEAD)" | tee -a "$out/summary.txt"

step() {
  local name=$1
  shift
  echo "== $name $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee -a "$out/summary.txt"
  "$@" >"$out/$name.log" 2>&1 || echo "   $name exited $?" | tee -a "$out/summary.txt"
}

for s in $steps; do
  case $s in
    jmh) step jmh java -jar "$bench" ParseNormalizeBenchmark -p corpusDir="$corpus/real" -f 3 -wi 10 -w 2 -i 5 -r 2 ;;
    cpu) step cpu java -Xms512m -Xmx512m -cp "$bench" org.wireingest.bench.ParseNormalizeCpu "$corpus/real" 40 15 ;;
    throughput) step "throughput-$items" java -Xmx2g $gc -cp "$bench" org.wireingest.bench.PipelineThroughput \
        --corpus "$corpus/real" --items "$items" --runs 3 ;;
    latency) for r in 1 2 3; do step "latency-$r" java -Xmx1500m -cp "$bench" org.wireingest.bench.PollLatency --jar "$jar" --jvm-options "$gc"; done ;;
    scale) step scale java -Xmx1500m -cp "$bench" org.wireingest.bench.PollerScale --jar "$jar" --warmup-minutes 4 --minutes 3 --jvm-options "$gc" \
        --gzip-share 0.8 --large-share 0.03 ;;
    scale-plain) step scale-plain java -Xmx1500m -cp "$bench" org.wireingest.bench.PollerScale --jar "$jar" --warmup-minutes 4 --minutes 3 --jvm-options "$gc" \
        --gzip-share 0 --large-share 0 ;;
    faults)
      step kill-normalizer benchmarks/faults/kill-normalizer.sh
      step broker-restart env BROKER_SIGNAL=TERM DOWN_SECONDS=20 benchmarks/faults/broker-restart.sh ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
echo "logs: $out" | tee -a "$out/summary.txt"
