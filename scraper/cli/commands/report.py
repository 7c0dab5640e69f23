"""akhbar report DIR: a dataset folder and its runs as one self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scraper.dataset import report_page
from scraper.dataset.report import build_report

HELP = "Write an HTML report of a dataset folder: records, runs and their health, failures."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="an output folder of akhbar crawl or import")
    parser.add_argument(
        "-o", "--out", type=Path, help="the HTML file to write (default: DIR/report.html)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        report = build_report(args.dir)
    except FileNotFoundError as exc:
        print(f"akhbar report: {exc}", file=sys.stderr)
        return 2
    out = report_page.write(report, args.out or args.dir / "report.html")
    print(f"report: {out}")
    for problem in report.skipped:
        print(f"skipped {problem}", file=sys.stderr)
    return 0
