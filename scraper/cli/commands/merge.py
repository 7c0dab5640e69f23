"""akhbar merge DIR: the part files of distributed workers, as one dataset."""

from __future__ import annotations

import argparse
from pathlib import Path

from scraper.dataset.merge import merge

HELP = "Merge the part files of distributed workers (DIR/workers/*) into DIR/<site>/<day>.jsonl."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="the --out folder of the workers")


def run(args: argparse.Namespace) -> int:
    count = merge(args.dir)
    print(f"{count} records in {args.dir}")
    return 0
