"""akhbar seed SITE --redis URL: queue a site's discovery pages for the workers."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from scraper.crawl.distributed.mode import fresh_round, redis_settings
from scraper.crawl.runner import crawl
from scraper.sites import all_sites

HELP = "Queue a site's discovery pages (and URLs to retry) in a shared Redis frontier."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", choices=sorted(all_sites()), help="the site to seed")
    parser.add_argument("--redis", required=True, metavar="URL", help="redis://HOST:PORT/DB")
    parser.add_argument("--base-url", help="seed a mirror of the site, e.g. the local replica")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start a new round: forget request fingerprints, so known pages are queued again",
    )
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level")


def run(args: argparse.Namespace) -> int:
    if args.fresh:
        fresh_round(args.redis, args.site)
    settings = {**redis_settings(args.redis, role="seed"), "LOG_LEVEL": args.log_level}
    with tempfile.TemporaryDirectory(prefix="akhbar-seed-") as scratch:
        outcome = crawl(args.site, Path(scratch), args.base_url, None, settings)
    print(f"queued {outcome.stats.get('akhbar/seeded', 0)} requests in {args.redis}")
    return 0
