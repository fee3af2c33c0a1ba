#!/usr/bin/env python3
"""Checks one window of the scale-out demo.

usage: check.py REQUESTS_LOG FROM TO INTERVAL_S N METRICS_BEFORE... -- METRICS_AFTER...
Prints, for the window [FROM, TO) (epoch seconds): fetches per feed (server side), the shortest
gap between two fetches of one feed (below 0.5 x the interval means two pollers fetched it in one
interval), and, from each poller's /metrics before and after, how many feeds it polled and
whether the pollers' feed sets overlap. Exit 1 when a check fails.
"""
import collections
import json
import re
import sys

log, t0, t1, interval, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rest = sys.argv[6:]
cut = rest.index("--")
before, after = rest[:cut], rest[cut + 1:]

times = collections.defaultdict(list)
for line in open(log, encoding="utf-8"):
    r = json.loads(line)
    if r["path"].startswith("/feed/"):
        times[r["path"]].append(r["t"])
inside = {p: [t for t in ts if t0 <= t < t1] for p, ts in times.items()}
counts = collections.Counter(len(ts) for ts in inside.values() if ts)
gaps = [b - a for ts in times.values() for a, b in zip(sorted(ts), sorted(ts)[1:]) if t0 <= b < t1]
fetched = sum(1 for ts in inside.values() if ts)
min_gap = min(gaps) if gaps else float("nan")

POLLS = re.compile(r'^wire_poller_polls_total\{[^}]*source="([^"]+)"[^}]*\} ([0-9.eE+]+)', re.M)


def polls(path):
    out = collections.Counter()
    for source, value in POLLS.findall(open(path, encoding="utf-8").read()):
        out[source] += float(value)
    return out


owned = []
for b, a in zip(before, after):
    pb, pa = polls(b), polls(a)
    owned.append({s for s in pa if pa[s] > pb.get(s, 0)})
overlap = set()
for i in range(len(owned)):
    for j in range(i + 1, len(owned)):
        overlap |= owned[i] & owned[j]
union = set().union(*owned) if owned else set()

window = t1 - t0
print(f"  window {window:.0f}s ({window / interval:.1f} intervals of {interval:.0f}s): {fetched}/{n} feeds fetched (server side); "
      f"fetches per feed: {dict(sorted(counts.items()))}; shortest gap between two fetches of one feed: {min_gap:.1f}s")
print(f"  feeds polled per poller (from its /metrics): {[len(o) for o in owned]}; polled by two pollers: {len(overlap)}; by any: {len(union)}")
ok = fetched == n and not overlap and len(union) == n and (not gaps or min_gap >= 0.5 * interval)
print("  OK" if ok else "  FAILED")
sys.exit(0 if ok else 1)
