#!/usr/bin/env bash
# Fault run: kill -9 the normalizer mid-stream (twice: while it creates the first versions, and
# while it applies edits after restoring its state), restart it on the same data dir; the
# articles topic, read with read_committed, must hold every expected event exactly once.
#
#   benchmarks/faults/kill-normalizer.sh          # FEEDS=50 ITEMS=100: 5,000 stories + 1,000 edits + 500 new
#
# Prints: case=kill-normalizer expected=E seen=S distinct=D duplicates=X missing=M unexpected=U ...
# Exit 0 only when seen == expected and nothing is duplicated, missing or unexpected.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
faults_init kill-normalizer

start_pipeline

total=$((FEEDS * ITEMS))
# 1st kill: after a quarter of the raw items went through the normalizer (its in-flight transaction is lost).
at1=$(wait_metric "$NPORT" wire_normalizer_raw_records_total $((total / 4)) 300)
kill9 normalizer
[ "$at1" -lt "$total" ] || die "the normalizer had consumed all $total raw items before the kill: not mid-stream"
log "killed after $at1 of $total raw items"
t0=$(now_ms)
start_normalizer normalizer "$NPORT"
wait_ready normalizer "$NPORT" 120
ready1=$(($(now_ms) - t0))
SETTLE=0 await_events 300 >/dev/null || true

# Phase 2: edits (version 2) and new items; 2nd kill a third of the way through them.
feedgen edit "$TMP" --edit-every 5 --new 10
phase2=$((FEEDS * (ITEMS / 5 + 10)))
before=$(metric "$NPORT" wire_normalizer_raw_records_total)
at2=$(wait_metric "$NPORT" wire_normalizer_raw_records_total $((before + phase2 / 3)) 300)
kill9 normalizer
at2=$((at2 - before))
[ "$at2" -lt "$phase2" ] || die "the normalizer had consumed all $phase2 phase-2 raw items before the kill: not mid-stream"
log "killed after $at2 of $phase2 phase-2 raw items"
t0=$(now_ms)
start_normalizer normalizer "$NPORT"
wait_ready normalizer "$NPORT" 120
ready2=$(($(now_ms) - t0))
status=0
line=$(await_events 300) || status=$?
t_done=$(($(now_ms) - t0))
assert_alive poller normalizer
echo "$line killed_at=$at1/$total,$at2/$phase2 ready_after_restart_ms=$ready1,$ready2 caught_up_after_2nd_restart_ms=$t_done"
exit "$status"
