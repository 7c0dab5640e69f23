"""akhbar import: records now from article URLs (arguments, ``-i`` lists, stdin), saved pages
and WARC archives, through the spiders, parsers, pipelines and seen-store of a crawl.

The module is named after the command (``import``), which is why it is only ever loaded with
``importlib``, as the CLI loads every command.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from scraper.cli.logs import add_log_arguments, log_settings
from scraper.crawl.defaults import AKHBAR_OUTPUT_DIR
from scraper.crawl.extensions.progress import skipped
from scraper.crawl.inputs import Gathered, UsageError, gather
from scraper.crawl.runner import CrawlOutcome, crawl

HELP = "Import article URLs, URL lists, saved pages and WARC archives into JSON Lines."
#: Malformed inputs listed on stderr before the rest are only counted.
SHOWN_PROBLEMS = 20
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="article URLs, - (URLs on stdin), saved pages (.html, .html.gz), WARC archives"
        " (.warc, .warc.gz) or folders of them",
    )
    parser.add_argument(
        "-i",
        "--input",
        dest="lists",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a file of URLs, one per line (blank lines and # comments are ignored); repeatable",
    )
    parser.add_argument(
        "--url-map", type=Path, metavar="CSV", help="path,url rows: the URLs of saved pages"
    )
    parser.add_argument("--out", type=Path, default=Path(AKHBAR_OUTPUT_DIR), help="output folder")
    parser.add_argument("--force", action="store_true", help="fetch URLs the dataset already holds")
    add_log_arguments(parser, "import")


def crawl_settings(args: argparse.Namespace, terminal: bool) -> dict[str, Any]:
    return {
        **log_settings(args, terminal, "import"),
        "AKHBAR_FORCE": args.force,
        "AKHBAR_PROGRESS": "bar" if terminal else "log",
    }


def summary(outcome: CrawlOutcome, inputs: Gathered, out: Path) -> Table:
    table = Table(title=f"import into {out}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("written", str(outcome.written))
    table.add_row("skipped: already in the dataset", str(skipped(outcome.stats)))
    table.add_row("failed", str(outcome.failed))
    for reason, count in sorted(outcome.failures_by_reason.items()):
        table.add_row(f"  {reason}", str(count))
    table.add_row("malformed inputs", str(len(inputs.problems)))
    table.add_row("duplicates removed", str(inputs.duplicates))
    for kind, count in sorted(inputs.skipped.items()):
        table.add_row(f"WARC responses skipped: {kind}", str(count))
    return table


def report(outcome: CrawlOutcome, inputs: Gathered, out: Path) -> None:
    for where, what in inputs.problems[:SHOWN_PROBLEMS]:
        print(f"akhbar import: {where}: {what}", file=sys.stderr)
    if len(inputs.problems) > SHOWN_PROBLEMS:
        print(f"... and {len(inputs.problems) - SHOWN_PROBLEMS} more", file=sys.stderr)
    console = Console(width=None if sys.stdout.isatty() else 160)  # pipes: no truncation
    console.print(summary(outcome, inputs, out))
    if outcome.failed:
        console.print(f"failures: {out / 'failures.jsonl'}")
    if outcome.finish_reason == "shutdown":
        console.print("interrupted: run the same command again to continue")


def run(args: argparse.Namespace) -> int:
    terminal = sys.stderr.isatty()
    with tempfile.TemporaryDirectory(prefix="akhbar-import-") as work:
        try:
            inputs = gather(args.sources, args.lists, args.url_map, Path(work))
        except UsageError as exc:
            print(f"akhbar import: {exc}", file=sys.stderr)
            return 2
        outcome = crawl(
            "import",
            args.out,
            settings=crawl_settings(args, terminal),
            urls=str(inputs.urls_file),
            pages=str(inputs.pages_file),
            total=str(inputs.total),
        )
    report(outcome, inputs, args.out)
    if outcome.finish_reason == "shutdown":
        return EXIT_INTERRUPTED
    return 1 if outcome.failed or inputs.problems else 0
