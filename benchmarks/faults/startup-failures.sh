#!/usr/bin/env bash
# Fault run: start-up failures of run, poll and normalize. A data dir that cannot be used (a regular
# file, or a directory below one) and a broker address where nothing listens must each give one
# clear "cannot start" line on stderr and exit status 1 within a bounded time, never a hang.
# The data-dir cases of poll and normalize use a live standalone broker, so that it is the data dir
# that fails.
#
#   benchmarks/faults/startup-failures.sh
#
# Prints one line per command and case, then: case=startup-failures checks=N failed=F
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
faults_init startup-failures
LIMIT=${LIMIT_SECONDS:-60}

feedgen init "$TMP" --feeds 1 --items 1
printf 'x' >"$TMP/data-file"
DEAD=$(free_port) # nothing listens there
start_broker
checks=0
failed=0

# check NAME EXPECTED_TEXT wire-ingest-args...: exit 1 within LIMIT s, stderr names the problem.
check() {
  local name=$1 want=$2 t0 rc elapsed msg
  shift 2
  t0=$(now_ms)
  rc=0
  timeout --kill-after=10 "$LIMIT" "$JAVA" -Xmx256m -jar "$JAR" "$@" --ops-port 0 --ops-bind 127.0.0.1 \
    >"$TMP/logs/$name.out" 2>"$TMP/logs/$name.log" </dev/null || rc=$?
  elapsed=$(($(now_ms) - t0))
  msg=$(grep -m1 '^wire-ingest: ' "$TMP/logs/$name.log" | cut -c1-240 || true)
  checks=$((checks + 1))
  # one line "wire-ingest: cannot start: ... <want> ...", and no stack trace
  if [ "$rc" = 1 ] && grep -q -F -- "$want" <<<"$msg" && [[ $msg == "wire-ingest: cannot start: "* ]] \
    && ! grep -q -E '^(Exception in thread|	at |Caused by:)' "$TMP/logs/$name.log"; then
    echo "check=$name exit=$rc ms=$elapsed ok: $msg"
  else
    failed=$((failed + 1))
    echo "check=$name exit=$rc ms=$elapsed FAILED (want exit 1, one 'wire-ingest: cannot start: ... $want' line, no stack trace; exit 124 = still running after $LIMIT s): ${msg:-no wire-ingest: line}"
  fi
}

feeds=(--feeds "$TMP/feeds.yaml")
live=(--bootstrap-servers "localhost:$BROKER_PORT")
dead=(--bootstrap-servers "127.0.0.1:$DEAD")
check run-data-dir-file "$TMP/data-file" run "${feeds[@]}" --data-dir "$TMP/data-file"
check run-data-dir-below-file "$TMP/data-file/sub" run "${feeds[@]}" --data-dir "$TMP/data-file/sub"
# poll stores nothing in its data dir when the broker is external: its data dir matters with the embedded broker
check poll-data-dir-file "$TMP/data-file" poll "${feeds[@]}" --data-dir "$TMP/data-file"
check normalize-data-dir-file "$TMP/data-file" normalize "${live[@]}" --data-dir "$TMP/data-file"
check normalize-data-dir-below-file "$TMP/data-file/sub" normalize "${live[@]}" --data-dir "$TMP/data-file/sub"
check run-no-broker "no Kafka broker answered at 127.0.0.1:$DEAD" run "${feeds[@]}" "${dead[@]}" --data-dir "$TMP/d1"
check poll-no-broker "no Kafka broker answered at 127.0.0.1:$DEAD" poll "${feeds[@]}" "${dead[@]}" --data-dir "$TMP/d2"
check normalize-no-broker "no Kafka broker answered at 127.0.0.1:$DEAD" normalize "${dead[@]}" --data-dir "$TMP/d3"
echo "case=startup-failures checks=$checks failed=$failed"
[ "$failed" = 0 ]
