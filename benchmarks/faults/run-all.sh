#!/usr/bin/env bash
# Runs every fault-tolerance case in turn (about 25 min on 2 cores), REPEAT times each (default 1),
# and prints their summary lines at the end. Exit 0 only when every run passed.
#
#   mvn -B -q -o -pl ingest-service -am package -DskipTests      # ingest-service/target/wire-ingest.jar
#   benchmarks/faults/run-all.sh                                  # logs of each run: /tmp/wire-faults-all.*/
#   REPEAT=2 FEEDS=50 ITEMS=100 benchmarks/faults/run-all.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp -d /tmp/wire-faults-all.XXXXXX)
summary="$out/summary.txt"
: >"$summary"
failed=0
n=0

one() {
  local name=$1 rc=0
  shift
  n=$((n + 1))
  echo "== $name ($*), log $out/$n-$name.log" >&2
  env "$@" "$here/$name.sh" >"$out/$n-$name.out" 2>"$out/$n-$name.log" || rc=$?
  grep '^case=' "$out/$n-$name.out" >>"$summary" || echo "case=$name ($*) no summary line" >>"$summary"
  [ "$rc" = 0 ] || { failed=$((failed + 1)); echo "   FAILED (exit $rc): see $out/$n-$name.log" >&2; }
  tail -n 1 "$summary" >&2
}

for ((r = 1; r <= ${REPEAT:-1}; r++)); do
  one kill-normalizer
  one broker-restart BROKER_SIGNAL=TERM DOWN_SECONDS=20
  one broker-restart BROKER_SIGNAL=KILL DOWN_SECONDS=75
  one two-pollers POLLER_GROUPS=same
  one two-pollers POLLER_GROUPS=separate
  one startup-failures
done
echo "---- $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$summary"
echo "runs=$n failed=$failed"
[ "$failed" = 0 ]
