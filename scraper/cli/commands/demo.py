"""akhbar demo: serve the Enab Baladi replica on 127.0.0.1, crawl it, show a record. Offline."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from scraper.cli.commands.crawl import print_summary
from scraper.crawl.runner import crawl
from scraper.replica import REPLICAS
from scraper.replica.server import serving

HELP = "Crawl a local replica of Enab Baladi over loopback and show the records (offline)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument(
        "--out", type=Path, default=Path("output/demo"), help="cleared at each run (output/demo)"
    )


def showcase(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The record that shows the most: an image with a credit, related links, a time."""
    return max(
        records,
        key=lambda r: (
            any(i["credit"] for i in r["images"]),
            len(r["related"]),
            "T" in (r["published"] or ""),
        ),
        default=None,
    )


def run(args: argparse.Namespace) -> int:
    shutil.rmtree(args.out, ignore_errors=True)  # the demo's own folder: start afresh
    replica = REPLICAS["enabbaladi"]("", args.articles)
    with serving(replica) as server:
        print(f"replica of Enab Baladi ({args.articles} articles) at {server.base_url}/")
        outcome = crawl(
            "enabbaladi", args.out, base_url=server.base_url, settings={"LOG_LEVEL": "WARNING"}
        )
    print_summary(outcome, args.out)
    records = [
        json.loads(line)
        for path in outcome.files
        for line in Path(path).read_text(encoding="utf-8").splitlines()
    ]
    record = showcase(records)
    if record is None:
        return 1
    print("\none record:")
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0
