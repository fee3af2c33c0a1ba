#!/usr/bin/env python3
"""Serves N small RSS 2.0 feeds for the scale-out demo and logs every request.

GET /feed/<n>.xml (0 <= n < N): a feed with two stories of its own, an ETag, and 304 Not
Modified for a matching If-None-Match. Every request is appended to LOG as a JSON line
{"t": epoch seconds, "path": ..., "status": ...}: the server-side count of fetches per feed.

usage: feed_server.py PORT N LOG
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, N, LOG = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
log = open(LOG, "a", buffering=1, encoding="utf-8")


def feed(n):
    items = "".join(
        f"<item><title>Story {n}-{k}</title><link>https://demo.example/{n}/{k}</link>"
        f"<guid>https://demo.example/{n}/{k}</guid><description>Story {k} of feed {n}.</description>"
        f"<pubDate>Mon, 30 Nov 2026 06:0{k}:00 GMT</pubDate></item>"
        for k in (1, 2)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Demo feed {n}</title>'
            f"<link>https://demo.example/{n}</link><description>demo</description>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status, body = 404, b""
        if self.path.startswith("/feed/") and self.path.endswith(".xml"):
            try:
                n = int(self.path[len("/feed/"):-len(".xml")])
            except ValueError:
                n = -1
            if 0 <= n < N:
                etag = f'"demo-{n}"'
                status, body = (304, b"") if self.headers.get("If-None-Match") == etag else (200, feed(n))
        self.send_response(status)
        if status != 404:
            self.send_header("ETag", f'"demo-{n}"')
            self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with lock:
            log.write(json.dumps({"t": time.time(), "path": self.path, "status": status}) + "\n")

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
