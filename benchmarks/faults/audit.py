#!/usr/bin/env python3
"""Audits article events against the manifest written by feedgen.py.

  wire-ingest tail --topic wire.articles.v1 --from-beginning --timeout 5s ... | audit.py MANIFEST CASE

Reads the JSON lines of `wire-ingest tail` (read_committed) on stdin. Expected: every story of the
manifest (keyed by its link) in versions 1..N, each exactly once. Prints one line
  case=CASE expected=E seen=S distinct=D duplicates=X missing=M unexpected=U
and exits 0 only when seen == expected and duplicates, missing and unexpected are all 0.
A duplicate is an event whose (uri, version) or (uri, fingerprint) came before; unexpected is an
event of a story or version not in the manifest, or a story whose events disagree on its uri.
With --quiet-if-missing, only the exit status tells (for polling until the run has caught up).
"""
import json
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quiet = "--quiet-if-missing" in sys.argv
    manifest_path, case = args[0], args[1]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)["versions"]
    expected = {(link, v) for link, last in manifest.items() for v in range(1, last + 1)}
    seen = 0
    by_version, by_fingerprint, pairs = set(), set(), set()
    uri_of = {}
    duplicates = unexpected = 0
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            continue
        value = json.loads(line).get("value")
        if not isinstance(value, dict):
            unexpected += 1
            continue
        seen += 1
        uri, version, fp = value.get("uri"), value.get("version"), value.get("fingerprint")
        link = value.get("url")
        if (uri, version) in by_version or (uri, fp) in by_fingerprint:
            duplicates += 1
        by_version.add((uri, version))
        by_fingerprint.add((uri, fp))
        if (link, version) not in expected or uri_of.setdefault(link, uri) != uri:
            unexpected += 1
        pairs.add((link, version))
    missing = len(expected - pairs)
    ok = seen == len(expected) and duplicates == 0 and missing == 0 and unexpected == 0
    if ok or not quiet:
        print(f"case={case} expected={len(expected)} seen={seen} distinct={len(by_version)} "
              f"duplicates={duplicates} missing={missing} unexpected={unexpected}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
