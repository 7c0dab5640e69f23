"""`akhbar normalize [--fold]`: normalise Arabic text from stdin, line by line.

Each input line gives exactly one output line (possibly empty), so the output
lines up with the input. Input is read as UTF-8 (undecodable bytes become
U+FFFD) and output is written as UTF-8 whatever the locale; lines end at
"\n" only, and a trailing "\r" is whitespace that normalisation trims.
"""

from __future__ import annotations

import argparse
import sys

from scraper.core.arabic_text import faithful, fold

HELP = "Normalise stdin line by line to the faithful form, or the search form with --fold."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fold",
        action="store_true",
        help="write the folded search form instead of the faithful stored form",
    )


def run(args: argparse.Namespace) -> int:
    normalise = fold if args.fold else faithful
    out = sys.stdout.buffer
    interactive = out.isatty()
    for raw in sys.stdin.buffer:
        out.write(normalise(raw.decode("utf-8", errors="replace")).encode("utf-8") + b"\n")
        if interactive:
            out.flush()
    out.flush()
    return 0
