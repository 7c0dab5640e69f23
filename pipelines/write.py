"""Crash-safe JSON Lines output: ``<out>/<site>/<YYYY-MM-DD>.jsonl`` by day of publication
(``undated.jsonl`` for records without a date), UTF-8 with Arabic unescaped.

Records are written in batches. A batch is first staged in the seen-store; each file it
touches is copied to ``<file>.part``, appended to, fsynced and renamed over the file
(atomic); only then are the batch's URLs marked as seen. A kill at any moment leaves every
file whole, and the next run re-fetches exactly the articles whose lines did not land.

A write that fails (a full disk) leaves no ``.part`` behind and the files as they were: the
batch's records are reported as failed (``write_error``) and the crawl stops, loudly.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from scraper.core.record import COVERAGE_FIELDS, ordered
from scraper.crawl import signals as akhbar_signals
from scraper.crawl.defaults import akhbar_defaults
from scraper.crawl.extensions.seen_store import seen_store
from scraper.crawl.failures import WRITE_ERROR
from scraper.crawl.items import UnwritableRecord, as_dict
from scraper.store.files import (
    UnsafeOutputPath,
    append_atomically,
    fsync_directory,
    output_path,
)
from scraper.store.seen import Entry, SeenStoreLike

logger = logging.getLogger(__name__)

#: A record's line: ``json.dumps(record, ensure_ascii=False)``, byte for byte, without making
#: an encoder per record. (orjson and msgspec write no ", " and ": " separators; see issue 18.)
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def record_line(record: dict[str, Any]) -> str:
    """The JSON Lines line of a record: UTF-8 text with Arabic unescaped, keys in order."""
    return _ENCODER.encode(record) + "\n"


class WriteFailed(OSError):
    """Records could not be written (a full disk); ``lost`` are the URLs whose line did not
    land."""

    def __init__(self, message: str, lost: list[str]) -> None:
        super().__init__(message)
        self.lost = lost


class JsonLinesWriter:
    def __init__(self, out: Path, store: SeenStoreLike, crawler: Crawler | None = None) -> None:
        self.out = out
        self.store = store
        self.crawler = crawler
        self.stats = crawler.stats if crawler else None
        settings = crawler.settings if crawler else akhbar_defaults()
        self.batch_size = settings.getint("AKHBAR_WRITE_BATCH")
        self.interval = settings.getfloat("AKHBAR_WRITE_INTERVAL")
        self.batch: dict[str, tuple[Path, str, Entry]] = {}
        self.last_flush = time.monotonic()
        self.files: set[Path] = set()
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesWriter:
        out = Path(crawler.settings["AKHBAR_OUTPUT_DIR"])
        writer = cls(out, seen_store(crawler), crawler)
        crawler.signals.connect(writer.flush_or_stop, akhbar_signals.flush_requested)
        return writer

    def process_item(self, item: Any) -> Any:
        record = ordered(as_dict(item))
        try:
            path = output_path(self.out, record)
        except UnsafeOutputPath as exc:
            raise UnwritableRecord(str(exc)) from exc
        entry = Entry(
            record["url"],
            record["content_hash"],
            record.get("version", 1),
            record.get("modified") or record.get("published"),
            str(path),
        )
        line = record_line(record)
        self.batch[record["url"]] = (path, line, entry)
        self._count_coverage(record)
        if len(self.batch) >= self.batch_size or time.monotonic() - self.last_flush > self.interval:
            self.flush_or_stop()
        return item

    def flush(self) -> None:
        """Write the batch durably. When that fails, the lines that landed are marked as seen,
        the others forgotten (as after a crash), and ``WriteFailed`` names them."""
        self.last_flush = time.monotonic()
        if not self.batch:
            return
        batch, self.batch = self.batch, {}
        try:
            written = self._write(batch)
        except (OSError, sqlite3.Error) as exc:
            raise WriteFailed(str(exc), self._settle(batch)) from exc
        if self.stats is not None:
            self.stats.inc_value("akhbar/records_written", written)

    def _write(self, batch: dict[str, tuple[Path, str, Entry]]) -> int:
        by_file: dict[Path, list[str]] = defaultdict(list)
        for path, line, _ in batch.values():
            by_file[path].append(line)
        self.store.stage(entry for _, _, entry in batch.values())
        for path, lines in by_file.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            append_atomically(path, lines)
            self.files.add(path)
        for folder in {path.parent for path in by_file}:
            fsync_directory(folder)
        return self.store.commit_staged()

    def _settle(self, batch: dict[str, tuple[Path, str, Entry]]) -> list[str]:
        """The URLs of ``batch`` whose line did not land, once the others are marked as seen."""
        with contextlib.suppress(sqlite3.Error):  # else the next run recovers, as after a crash
            self.store.recover()
        lost = []
        for _, _, entry in batch.values():
            seen = self.store.get(entry.url)
            if seen is None or seen.content_hash != entry.content_hash:
                lost.append(entry.url)
        return lost

    def flush_or_stop(self) -> None:
        """``flush``; when that fails, report the records not written and stop the crawl
        (without a crawler, raise)."""
        try:
            self.flush()
        except WriteFailed as exc:
            logger.critical("records could not be written, stopping the crawl: %s", exc)
            if self.crawler is None:
                raise
            self._stop(self.crawler, exc)

    def _stop(self, crawler: Crawler, exc: WriteFailed) -> None:
        for url in exc.lost:
            crawler.signals.send_catch_log(
                akhbar_signals.page_failed, url=url, reason=WRITE_ERROR, detail=str(exc)
            )
        if crawler.engine is not None and not self.stopping:
            self.stopping = True
            crawler.signals.send_catch_log(akhbar_signals.writing_stopped)
            deferred_from_coro(crawler.engine.close_spider_async(reason=WRITE_ERROR))

    def close_spider(self) -> None:
        self.flush_or_stop()
        if self.stats is not None:
            self.stats.set_value("akhbar/output_files", sorted(str(p) for p in self.files))

    def _count_coverage(self, record: dict[str, Any]) -> None:
        if self.stats is None:
            return
        for name in COVERAGE_FIELDS:
            if record.get(name):
                self.stats.inc_value(f"akhbar/coverage/{name}")
