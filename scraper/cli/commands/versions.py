"""akhbar versions DIR URL: a story's versions in a dataset folder, with what changed from one
to the next in its title and body, word by word."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from scraper.dataset.versions import (
    DEFAULT_CONTEXT,
    Version,
    body_tokens,
    marked_diff,
    story_versions,
    tokens,
)

HELP = "Show a story's versions in a dataset folder and what changed, word by word."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="an output folder of akhbar crawl")
    parser.add_argument("url", help="the story's URL")
    parser.add_argument(
        "--context",
        type=int,
        default=DEFAULT_CONTEXT,
        help=f"unchanged words shown around a change (default {DEFAULT_CONTEXT})",
    )


def _heading(version: Version) -> str:
    record = version.record
    path, line = version.position
    return (
        f"version {record.get('version') or 1}  fetched {record['fetched_at']}"
        f"  published {record['published'] or '-'}  hash {record['content_hash'][:12]}"
        f"  ({path.parent.name}/{path.name}:{line})"
    )


def _changes(old: Version, new: Version, context: int) -> list[str]:
    before, after = old.record, new.record
    lines = []
    if before["title"] != after["title"]:
        lines.append("  title: " + marked_diff(tokens(before["title"]), tokens(after["title"])))
    if before["body"] != after["body"]:
        diff = marked_diff(body_tokens(before["body"]), body_tokens(after["body"]), context)
        lines.append("  body:  " + diff)
    return lines or ["  title and body unchanged"]


def run(args: argparse.Namespace) -> int:
    versions = story_versions(args.dir, args.url)
    if not versions:
        print(f"akhbar versions: no record of {args.url} in {args.dir}", file=sys.stderr)
        return 1
    print(f"{versions[0].record['url']}: {len(versions)} version(s)")
    print(_heading(versions[0]))
    print(f"  title: {versions[0].record['title']}")
    for old, new in itertools.pairwise(versions):
        print(_heading(new))
        print("\n".join(_changes(old, new, args.context)))
    return 0
