#!/usr/bin/env python3
"""Writes and edits the synthetic RSS feeds of the fault-tolerance runs, and keeps their manifest.

  feedgen.py init DIR --feeds 50 --items 100 [--agency faults]
      DIR/feeds/fNN.xml (RSS 2.0), DIR/feeds.yaml (one source per feed, file: URLs, 10 s interval)
      and DIR/manifest.json: every story (by its link) and the last version expected of it.
  feedgen.py edit DIR --edit-every 5 --new 10
      edits every 5th existing item of every feed (new headline and summary: an editorial change,
      so version + 1) and appends 10 new items per feed; updates the manifest.

Every feed file is replaced atomically (write + rename), and its modification time moved to a
second it has never had: the fetcher treats a file: feed as unchanged when the file's modification
time, at one-second resolution (its Last-Modified), equals the one it saw last.
"""
import argparse
import json
import os
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

LINK = "https://news.example/{feed}/{item}"
BASE = datetime(2026, 11, 1, 0, 0, tzinfo=timezone.utc)

PARA = ("Negotiators met again on {day} to discuss the outstanding issues of story {key}; "
        "officials said the talks covered trade, energy and the exchange of prisoners, and that "
        "a further round was expected before the end of the month. ")


def item_xml(feed, item, version):
    key = f"{feed}-{item:04d}"
    title = f"Story {key} headline" + ("" if version == 1 else f" (edited, version {version})")
    summary = (PARA.format(day="Monday" if version == 1 else f"Tuesday (v{version})", key=key)) * 3
    pub = BASE + timedelta(minutes=item)
    return (
        "    <item>\n"
        f"      <title>{escape(title)}</title>\n"
        f"      <link>{LINK.format(feed=feed, item=item)}</link>\n"
        f"      <guid isPermaLink=\"false\">urn:faults:{key}</guid>\n"
        f"      <pubDate>{format_datetime(pub, usegmt=True)}</pubDate>\n"
        f"      <description>{escape('<p>' + summary + '</p>')}</description>\n"
        "    </item>\n")


def write_feed(root, feed, items):
    """items: list of [item number, version]."""
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
            f"    <title>Faults feed {feed}</title>\n    <link>https://news.example/{feed}</link>\n"
            f"    <description>synthetic feed {feed}</description>\n"
            + "".join(item_xml(feed, n, v) for n, v in items)
            + "  </channel>\n</rss>\n")
    path = os.path.join(root, "feeds", feed + ".xml")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(body)
    old = int(os.stat(path).st_mtime) if os.path.exists(path) else 0
    mtime = max(old + 1, int(time.time()))
    os.utime(tmp, (mtime, mtime))
    os.replace(tmp, path)


def load(root):
    with open(os.path.join(root, "state.json"), encoding="utf-8") as f:
        return json.load(f)


def save(root, state):
    with open(os.path.join(root, "state.json"), "w", encoding="utf-8") as f:
        json.dump(state, f)
    manifest = {LINK.format(feed=feed, item=n): v for feed, items in state["feeds"].items() for n, v in items}
    with open(os.path.join(root, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"stories": len(manifest), "events": sum(manifest.values()), "versions": manifest}, f)


def init(args):
    os.makedirs(os.path.join(args.dir, "feeds"), exist_ok=True)
    state = {"feeds": {}}
    lines = ["sources:"]
    for i in range(args.feeds):
        feed = f"f{i:02d}"
        state["feeds"][feed] = [[n, 1] for n in range(args.items)]
        write_feed(args.dir, feed, state["feeds"][feed])
        lines += [f"  - id: faults-{feed}", f"    name: Faults feed {feed}", f"    agency: {args.agency}",
                  f"    url: file:feeds/{feed}.xml", "    interval: PT10S", "    language: en"]
    with open(os.path.join(args.dir, "feeds.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    save(args.dir, state)


def edit(args):
    state = load(args.dir)
    for feed, items in state["feeds"].items():
        for entry in items:
            if entry[0] % args.edit_every == 0:
                entry[1] += 1
        start = max(n for n, _ in items) + 1
        items += [[n, 1] for n in range(start, start + args.new)]
        write_feed(args.dir, feed, items)
    save(args.dir, state)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("init")
    i.add_argument("dir")
    i.add_argument("--feeds", type=int, default=50)
    i.add_argument("--items", type=int, default=100)
    i.add_argument("--agency", default="faults")
    e = sub.add_parser("edit")
    e.add_argument("dir")
    e.add_argument("--edit-every", type=int, default=5)
    e.add_argument("--new", type=int, default=10)
    args = p.parse_args()
    init(args) if args.cmd == "init" else edit(args)


if __name__ == "__main__":
    main()
