#!/usr/bin/env python3
"""Writes N large RSS 2.0 feeds for the poller's memory runs (docs/benchmarks.md, "Poller memory
per poll"): 8,544 items each, a ~60-character title and a ~2,000-character description of random
ASCII words (escaped <p>), about 19.5 MB a file, under the 20 MiB body cap.

usage: feedgen.py DIR [N=32]"""
import os
import random
import sys

ITEMS = 8544


def text(rng, words, size):
    out, n = [], 0
    while n < size:
        w = rng.choice(words)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


def main():
    out_dir = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    os.makedirs(out_dir, exist_ok=True)
    vocabulary = random.Random(160)
    words = ["".join(vocabulary.choice("abcdefghijklmnopqrstuvwxyz")
                     for _ in range(vocabulary.randint(3, 10))) for _ in range(5000)]
    for f in range(count):
        rng = random.Random(1000 + f)
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                 '<title>Big %02d</title><link>http://example.com/%02d</link>'
                 '<description>big</description>\n' % (f, f)]
        for i in range(ITEMS):
            parts.append(
                '<item><title>%s</title><link>http://example.com/%02d/story/%d</link>'
                '<guid>http://example.com/%02d/story/%d</guid>'
                '<pubDate>Mon, 07 Dec 2026 %02d:%02d:%02d GMT</pubDate>'
                '<description>&lt;p&gt;%s&lt;/p&gt;</description></item>\n'
                % (text(rng, words, 60), f, i, f, i, i // 3600 % 24, i // 60 % 60, i % 60,
                   text(rng, words, 2000)))
        parts.append("</channel></rss>\n")
        with open(os.path.join(out_dir, "f%02d.xml" % f), "w") as out:
            out.write("".join(parts))


if __name__ == "__main__":
    main()
