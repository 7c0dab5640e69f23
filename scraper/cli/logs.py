"""The log options of the commands that run a crawl with a progress display (import, ccnews):
on a terminal the log goes to a file under the output folder, so the progress bar stays clean."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_log_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")
    parser.add_argument(
        "--log-file",
        type=Path,
        help=f"where the log goes (default: stderr, or OUT/.akhbar/{command}.log on a terminal,"
        " where progress is shown instead)",
    )


def log_settings(args: argparse.Namespace, terminal: bool, command: str) -> dict[str, Any]:
    """``LOG_LEVEL`` and ``LOG_FILE`` for the crawl (its folder made)."""
    log_file = args.log_file or (args.out / ".akhbar" / f"{command}.log" if terminal else None)
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
    return {"LOG_LEVEL": args.log_level, "LOG_FILE": str(log_file) if log_file else None}
