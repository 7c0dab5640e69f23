"""Output speed: MB/s of the crash-safe JSON Lines writer (batched, staged in the seen-store,
.part + fsync + atomic rename) against a plain buffered file write of the same lines.

    python -m benchmarks.bench_write
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import Row, print_table
from pipelines.write import JsonLinesWriter
from scraper.core.page import Page
from scraper.extract.record import record_from_page
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.sites.enabbaladi import SITE
from scraper.store.seen import SeenStore

RECORDS = 5000
DISTINCT = 200  # replica pages rendered; records reuse them under new URLs


def records() -> list[dict[str, Any]]:
    replica = EnabBaladiReplica("http://127.0.0.1:8765", DISTINCT)
    pages = [
        record_from_page(Page(replica.url(n), replica.route(replica.article(n).path)[2]), SITE)
        for n in range(1, DISTINCT + 1)
    ]
    return [
        {**pages[i % DISTINCT], "url": f"http://127.0.0.1:8765/archives/{i}"}
        for i in range(RECORDS)
    ]


def plain(rows: list[dict[str, Any]], folder: Path) -> float:
    started = time.perf_counter()
    with (folder / "plain.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return time.perf_counter() - started


def crash_safe(rows: list[dict[str, Any]], folder: Path) -> float:
    store = SeenStore(folder / "seen.sqlite")
    writer = JsonLinesWriter(folder / "out", store)
    started = time.perf_counter()
    for row in rows:
        writer.process_item(row)
    writer.close_spider()
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def run() -> list[Row]:
    rows = records()
    megabytes = sum(len(json.dumps(r, ensure_ascii=False).encode()) + 1 for r in rows) / 1e6
    with tempfile.TemporaryDirectory() as work:
        ours = crash_safe(rows, Path(work))
        base = plain(rows, Path(work))
    return [
        {
            "benchmark": "crash-safe JSONL writer (MB/s)",
            "baseline": "plain buffered file write of the same lines",
            "ratio": base / ours,
            "figures": f"{megabytes / ours:.1f} MB/s vs {megabytes / base:.1f} MB/s "
            f"({RECORDS:,} records, {megabytes:.1f} MB)",
        }
    ]


if __name__ == "__main__":
    print_table(run())
