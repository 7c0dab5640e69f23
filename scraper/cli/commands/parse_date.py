"""`akhbar parse-date`: one date string per stdin line in, one result per line out."""

from __future__ import annotations

import argparse
import io
import sys
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.core.dates import format_date, parse_date

HELP = "Parse Arabic date strings from stdin, one per line; print each as ISO 8601 or blank."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        default="Asia/Damascus",
        type=_zone_name,
        help="the site's IANA time zone, for texts without one (default: %(default)s)",
    )
    parser.add_argument(
        "--now",
        type=_instant,
        help="ISO 8601 instant that relative forms count back from (default: the current time)",
    )


def run(args: argparse.Namespace) -> int:
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    out = sys.stdout
    for line in lines:
        value = parse_date(line.rstrip("\r\n"), tz=args.tz, now=args.now)
        out.write(format_date(value) + "\n" if value is not None else "\n")
    out.flush()
    return 0


def _zone_name(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"unknown time zone: {value!r}") from error
    return value


def _instant(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date and time: {value!r}") from error
