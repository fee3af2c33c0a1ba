#!/usr/bin/env bash
# Fault run: stop the broker while the normalizer is mid-stream, write edits and new items while it
# is down (the poller fetches them and cannot publish), start it again on the same port and data
# dir. The poller and the normalizer must not exit, must be ready again (/health/ready 200) by
# themselves, and the articles topic (read_committed) must hold every expected event exactly once.
#
#   benchmarks/faults/broker-restart.sh                          # SIGTERM, 20 s down
#   BROKER_SIGNAL=KILL DOWN_SECONDS=75 benchmarks/faults/broker-restart.sh   # crash, down longer than the poller's 60 s publish timeout
#
# Prints: case=broker-restart expected=E seen=S distinct=D duplicates=X missing=M unexpected=U
#   down_s=... recovery_ms=... (from the broker listening again to both processes ready)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIGNAL=${BROKER_SIGNAL:-TERM}
DOWN=${DOWN_SECONDS:-20}
faults_init "broker-restart-$(echo "$SIGNAL" | tr '[:upper:]' '[:lower:]')-${DOWN}s"

start_pipeline

total=$((FEEDS * ITEMS))
# Every feed's first version published before the stop: the edits below replace it in the feed
# files, so a feed whose first poll had not published yet would only ever show its edited version
# (one event where the manifest expects two, though nothing the poller fetched and published is
# lost). Since Kafka 4.3 the normalizer reached a quarter of the items before the poller had
# published every feed once (seven feeds short in session 22), so the stop waits for both.
published=$(wait_metric "$PPORT" wire_poller_raw_items_published_total "$total" 300)
at=$(wait_metric "$NPORT" wire_normalizer_raw_records_total $((total / 4)) 300)
log "stopping the broker (SIG$SIGNAL) after $at of $total raw items through the normalizer ($published published by the poller)"
kill "-$SIGNAL" "${PIDS[broker]}"
stop_wait "${PIDS[broker]}" 60
unset "PIDS[broker]"
t_down=$(now_ms)
# Changes the poller will fetch while the broker is away.
feedgen edit "$TMP" --edit-every 5 --new 10
sleep "$DOWN"
assert_alive poller normalizer
log "readiness while down: poller $(ready_status "$PPORT"), normalizer $(ready_status "$NPORT")"

start_broker
t_up=$(now_ms)
deadline=$(($(date +%s) + 300))
while :; do
  assert_alive poller normalizer
  [ "$(ready_status "$PPORT")" = 200 ] && [ "$(ready_status "$NPORT")" = 200 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || die "poller and normalizer not both ready within 300 s of the broker's return"
  sleep 0.25
done
recovery=$(($(now_ms) - t_up))
log "both ready ${recovery} ms after the broker listened again ($(((t_up - t_down) / 1000)) s down)"
status=0
line=$(await_events 300) || status=$?
caught_up=$(($(now_ms) - t_up - ${SETTLE:-15} * 1000))
assert_alive poller normalizer
failed_polls=$({ curl -s -m 5 "http://127.0.0.1:$PPORT/metrics" || true; } | awk '/^wire_poller_polls_total/ && !/outcome="(ok|not-modified|unchanged)"/ { s += $NF } END { printf "%d", s }')
echo "$line down_s=$(((t_up - t_down) / 1000)) recovery_ms=$recovery caught_up_ms=$caught_up failed_polls=$failed_polls"
exit "$status"
