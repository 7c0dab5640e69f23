"""Crash-safe JSON Lines output: ``<out>/<site>/<YYYY-MM-DD>.jsonl`` by day of publication
(``undated.jsonl`` for records without a date), UTF-8 with Arabic unescaped.

Records are written in batches. A batch is first staged in the seen-store; each file it
touches is copied to ``<file>.part``, appended to, fsynced and renamed over the file
(atomic); only then are the batch's URLs marked as seen. A kill at any moment leaves every
file whole, and the next run re-fetches exactly the articles whose lines did not land.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from pipelines.seen import Entry, SeenStore
from scraper.record import as_dict, ordered

#: Fields whose coverage (share of records with a non-empty value) each run reports.
COVERAGE_FIELDS = ("title", "published", "body", "images", "related")


def output_path(out: Path, record: dict[str, Any]) -> Path:
    day = (record.get("published") or "")[:10] or "undated"
    return out / record["site"] / f"{day}.jsonl"


def append_atomically(path: Path, lines: list[str]) -> None:
    """Append ``lines`` to ``path`` so that a crash leaves either the old or the new file."""
    part = path.with_name(path.name + ".part")
    if path.exists():
        shutil.copyfile(path, part)
    with part.open("a", encoding="utf-8") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)


def fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JsonLinesWriter:
    def __init__(self, out: Path, store: SeenStore, crawler: Crawler | None = None) -> None:
        self.out = out
        self.store = store
        self.stats = crawler.stats if crawler else None
        settings = crawler.settings if crawler else {}
        self.batch_size = int(settings.get("AKHBAR_WRITE_BATCH", 100))
        self.interval = float(settings.get("AKHBAR_WRITE_INTERVAL", 5.0))
        self.batch: dict[str, tuple[Path, str, Entry]] = {}
        self.last_flush = time.monotonic()
        self.files: set[Path] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesWriter:
        from scraper.extensions import seen_store  # the store is opened by an extension

        out = Path(crawler.settings.get("AKHBAR_OUTPUT_DIR", "output"))
        return cls(out, seen_store(crawler), crawler)

    def process_item(self, item: Any) -> Any:
        record = ordered(as_dict(item))
        path = output_path(self.out, record)
        entry = Entry(
            record["url"],
            record["content_hash"],
            record.get("version", 1),
            record.get("modified") or record.get("published"),
            str(path),
        )
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self.batch[record["url"]] = (path, line, entry)
        self._count_coverage(record)
        if len(self.batch) >= self.batch_size or time.monotonic() - self.last_flush > self.interval:
            self.flush()
        return item

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.batch:
            return
        by_file: dict[Path, list[str]] = defaultdict(list)
        for path, line, _ in self.batch.values():
            by_file[path].append(line)
        self.store.stage(entry for _, _, entry in self.batch.values())
        for path, lines in by_file.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            append_atomically(path, lines)
        for folder in {path.parent for path in by_file}:
            fsync_directory(folder)
        written = self.store.commit_staged()
        self.files.update(by_file)
        self.batch.clear()
        if self.stats is not None:
            self.stats.inc_value("akhbar/records_written", written)

    def close_spider(self) -> None:
        self.flush()
        if self.stats is not None:
            self.stats.set_value("akhbar/output_files", sorted(str(p) for p in self.files))

    def _count_coverage(self, record: dict[str, Any]) -> None:
        if self.stats is None:
            return
        for name in COVERAGE_FIELDS:
            if record.get(name):
                self.stats.inc_value(f"akhbar/coverage/{name}")
