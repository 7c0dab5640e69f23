"""akhbar export DIR: a dataset folder as Parquet or JSON Lines for downstream use."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from scraper.dataset.export import export
from scraper.dataset.options import DEDUP, FORMATS, VERSIONS, ExportError, ExportOptions
from scraper.store.neardup import DEFAULT_THRESHOLD, IndexMismatch

HELP = "Export a dataset folder as Parquet or JSON Lines by site and month, with a dataset card."
#: Skipped records listed on stderr before the rest are only counted.
SHOWN_PROBLEMS = 20


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text}") from exc


def _threshold(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"not a Jaccard similarity in (0, 1]: {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source", type=Path, metavar="DIR", help="the dataset folder (--out of crawl)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="parquet", help="Parquet (default) or JSON Lines"
    )
    parser.add_argument(
        "--dedup",
        choices=DEDUP,
        default="none",
        help="keep every record, one per content hash, or one per near-duplicate cluster",
    )
    parser.add_argument(
        "--versions",
        choices=VERSIONS,
        default="all",
        help="every version of each URL (default), or only its latest",
    )
    parser.add_argument("--since", type=_day, metavar="DAY", help="first day of publication")
    parser.add_argument("--until", type=_day, metavar="DAY", help="last day of publication")
    parser.add_argument("--site", help="export one site only")
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"Jaccard similarity for --dedup near (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--out", type=Path, metavar="EXPORT_DIR", help="output folder (default: DIR-FORMAT)"
    )


def run(args: argparse.Namespace) -> int:
    source = args.source.resolve()
    options = ExportOptions(
        source=args.source,
        out=args.out or source.with_name(f"{source.name}-{args.format}"),
        format=args.format,
        dedup=args.dedup,
        since=args.since,
        until=args.until,
        site=args.site,
        threshold=args.threshold,
        versions=args.versions,
    )
    try:
        result = export(options)
    except (ExportError, IndexMismatch) as exc:
        print(f"akhbar export: {exc}", file=sys.stderr)
        return 2
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(f"skipped {problem}", file=sys.stderr)
    if len(result.problems) > SHOWN_PROBLEMS:
        print(f"... and {len(result.problems) - SHOWN_PROBLEMS} more", file=sys.stderr)
    print(f"exported {result.records} records in {result.partitions} partitions to {options.out}")
    return 1 if result.problems else 0
