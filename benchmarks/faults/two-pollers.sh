#!/usr/bin/env bash
# Fault run: two pollers on the same feeds list at once. The second starts while the first is
# publishing (a rebalance moves feeds between them mid-poll), then the feeds get edits and new
# items. Still one event per story version in the articles topic (read_committed).
#
#   benchmarks/faults/two-pollers.sh                           # one poller group: they share the feeds
#   POLLER_GROUPS=separate benchmarks/faults/two-pollers.sh    # two groups: both poll every feed, every raw item
#                                                              # is published twice, the normalizer must dedup
#
# Prints: case=two-pollers-... expected=E seen=S distinct=D duplicates=X missing=M unexpected=U
#   raw_published=P1+P2 (raw items each poller published)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODE=${POLLER_GROUPS:-same}
case "$MODE" in
  same) group1=wire-ingest-pollers group2=wire-ingest-pollers ;;
  separate) group1=faults-pollers-a group2=faults-pollers-b ;;
  *) echo "POLLER_GROUPS must be same or separate" >&2; exit 2 ;;
esac
faults_init "two-pollers-$MODE-group"

feedgen init "$TMP" --feeds "$FEEDS" --items "$ITEMS"
start_broker
NPORT=$(free_port)
P1=$(free_port)
P2=$(free_port)
start_normalizer normalizer "$NPORT"
wait_ready normalizer "$NPORT" 120
start_poller poller1 "$P1" --poller-group "$group1"
wait_ready poller1 "$P1" 120
# The second poller joins while the first is publishing.
wait_metric "$P1" wire_poller_raw_items_published_total $((FEEDS * ITEMS / 10)) 300 >/dev/null
start_poller poller2 "$P2" --poller-group "$group2"
wait_ready poller2 "$P2" 120
# Wait for the first round, then edits and new items, fetched by whichever poller owns the feed.
SETTLE=0 await_events 300 >/dev/null || true
feedgen edit "$TMP" --edit-every 5 --new 10
status=0
line=$(await_events 300) || status=$?
assert_alive poller1 poller2 normalizer
echo "$line raw_published=$(metric "$P1" wire_poller_raw_items_published_total)+$(metric "$P2" wire_poller_raw_items_published_total)"
exit "$status"
