"""akhbar stats DIR: what a dataset folder holds and how its runs went."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

HELP = "Summarise a dataset folder: records per site and month, and its recent runs."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="an output folder of akhbar crawl")
    parser.add_argument("--runs", type=int, default=10, help="how many recent runs to show")


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def dataset_table(folder: Path) -> Table:
    counts: Counter[tuple[str, str]] = Counter()
    for path in folder.glob("*/*.jsonl"):
        with path.open(encoding="utf-8") as handle:
            counts[(path.parent.name, path.stem[:7])] += sum(1 for _ in handle)
    table = Table(title=f"records in {folder}")
    for column in ("site", "month", "records"):
        table.add_column(column, justify="right" if column == "records" else "left")
    for (site, month), count in sorted(counts.items()):
        table.add_row(site, month, str(count))
    table.add_row("all", "", str(sum(counts.values())), style="bold")
    return table


def runs_table(runs: list[dict[str, Any]]) -> Table:
    table = Table(title="recent runs")
    columns = (
        "start",
        "site",
        "health",
        "fetched",
        "written",
        "changed",
        "skipped",
        "failed",
        "title/published/body",
        "pages/s",
    )
    for column in columns:
        table.add_column(column)
    for run in runs:
        coverage = run["parser_coverage"]
        table.add_row(
            run["start"][:19],
            run["site"],
            "[green]ok[/]" if run["health"] == "ok" else "[red]failed[/]",
            str(run["pages_fetched"]),
            str(run["records_written"]),
            str(run["records_changed"]),
            str(run["skipped_seen"]),
            str(sum(run["failures"].values())),
            " / ".join(f"{coverage.get(k, 0):.0%}" for k in ("title", "published", "body")),
            str(run["pages_per_second"]),
        )
    return table


def failures_table(failures: list[dict[str, Any]]) -> Table:
    table = Table(title="failures by reason")
    table.add_column("reason")
    table.add_column("URLs", justify="right")
    for reason, count in Counter(f["reason"] for f in failures).most_common():
        table.add_row(reason, str(count))
    return table


def run(args: argparse.Namespace) -> int:
    if not args.dir.is_dir():
        print(f"akhbar stats: {args.dir} is not a folder")
        return 2
    console = Console(width=None if sys.stdout.isatty() else 160)  # pipes: no truncation
    console.print(dataset_table(args.dir))
    runs = _lines(args.dir / "runs.jsonl")[-args.runs :]
    if runs:
        console.print(runs_table(runs))
        for problem in runs[-1]["problems"]:
            console.print(f"[red]last run: {problem}[/]")
    failures = _lines(args.dir / "failures.jsonl")
    if failures:
        console.print(failures_table(failures))
    return 0
