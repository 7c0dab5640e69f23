"""akhbar crawl SITE: crawl a registered site (or its mirror) into JSON Lines."""

from __future__ import annotations

import argparse
from pathlib import Path

from scraper.crawl.defaults import AKHBAR_OUTPUT_DIR
from scraper.crawl.distributed.mode import default_worker_id, redis_settings, worker_dir
from scraper.crawl.runner import CrawlOutcome, crawl
from scraper.sites import all_sites

HELP = "Crawl a site through its sitemaps, feeds and listings into JSON Lines."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", choices=sorted(all_sites()), help="the site to crawl")
    parser.add_argument("--base-url", help="crawl a mirror of the site, e.g. the local replica")
    parser.add_argument("--out", type=Path, default=Path(AKHBAR_OUTPUT_DIR), help="output folder")
    parser.add_argument("--limit", type=int, help="stop after about N records")
    parser.add_argument(
        "--since", help="skip sitemap and feed entries older than this date (e.g. 2024-11-01)"
    )
    parser.add_argument(
        "--force", action="store_true", help="fetch articles the dataset already holds"
    )
    parser.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")
    parser.add_argument(
        "--redis", metavar="URL", help="run as a worker of a shared Redis frontier (redis://...)"
    )
    parser.add_argument(
        "--worker-id", help="with --redis: this worker's name (default HOST-PID); reuse on restart"
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        help="with --redis: stop once the frontier is empty this long (default: wait for work)",
    )


def print_summary(outcome: CrawlOutcome, out: Path) -> None:
    print(f"records written: {outcome.written}")
    print(f"failures: {outcome.failed}", end="")
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(outcome.failures_by_reason.items()))
    print(f" ({reasons}; see {out / 'failures.jsonl'})" if reasons else "")
    for path in outcome.files:
        print(f"output: {path}")
    for problem in outcome.problems:
        print(f"PROBLEM: {problem}")


def run(args: argparse.Namespace) -> int:
    settings = {"LOG_LEVEL": args.log_level, "AKHBAR_FORCE": args.force}
    out = args.out
    if args.redis:
        worker = args.worker_id or default_worker_id()
        settings.update(redis_settings(args.redis, worker, args.idle_timeout))
        out = worker_dir(args.out, worker)
    outcome = crawl(args.site, out, args.base_url, args.limit, settings, since=args.since)
    print_summary(outcome, out)
    return 1 if outcome.problems else 0
