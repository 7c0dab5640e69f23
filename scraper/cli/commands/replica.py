"""akhbar replica SITE: serve a generated replica of a site on the loopback interface."""

from __future__ import annotations

import argparse
import threading

from scraper.replica import REPLICAS
from scraper.replica.server import serving

HELP = "Serve a local replica of a site (articles, listings, feed, sitemaps) on 127.0.0.1."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", choices=sorted(REPLICAS))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")


def run(args: argparse.Namespace) -> int:
    replica = REPLICAS[args.site]("", args.articles)
    with serving(replica, args.host, args.port) as server:
        print(
            f"{args.site} replica with {args.articles} articles at {server.base_url}/", flush=True
        )
        print(f"crawl it: akhbar crawl {args.site} --base-url {server.base_url}", flush=True)
        threading.Event().wait()  # until Ctrl-C
    return 0
