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
import os
import re
import shutil
import sqlite3
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from pipelines.seen import Entry, SeenStore
from scraper import signals as akhbar_signals
from scraper.record import as_dict, ordered

logger = logging.getLogger(__name__)

#: Fields whose coverage (share of records with a non-empty value) each run reports.
COVERAGE_FIELDS = ("title", "published", "body", "images", "related")
#: What a record's ``site`` and day may be, so that its file stays inside the output folder.
_SITE = re.compile(r"[a-z0-9_]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}|undated")
#: The finish reason of a crawl stopped because its records could not be written.
WRITE_ERROR = "write_error"
#: A record's line: ``json.dumps(record, ensure_ascii=False)``, byte for byte, without making
#: an encoder per record. (orjson and msgspec write no ", " and ": " separators; see issue 18.)
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def record_line(record: dict[str, Any]) -> str:
    """The JSON Lines line of a record: UTF-8 text with Arabic unescaped, keys in order."""
    return _ENCODER.encode(record) + "\n"


class UnsafeOutputPath(DropItem):
    """A record whose site or date would put its file outside the output folder."""

    reason = "unsafe_path"


def output_path(out: Path, record: dict[str, Any]) -> Path:
    """``<out>/<site>/<day>.jsonl``; a site or day such as ``../x`` or ``/etc`` is refused."""
    site = record.get("site")
    day = (record.get("published") or "")[:10] or "undated"
    if not isinstance(site, str) or not _SITE.fullmatch(site) or not _DAY.fullmatch(day):
        raise UnsafeOutputPath(f"refused output path: site {site!r}, day {day!r}")
    return out / site / f"{day}.jsonl"


def append_atomically(path: Path, lines: list[str]) -> None:
    """Append ``lines`` to ``path`` so that a crash leaves either the old or the new file,
    and a failed write (a full disk) the old file and no ``.part``."""
    part = path.with_name(path.name + ".part")
    try:
        if path.exists():
            shutil.copyfile(path, part)
        with part.open("a", encoding="utf-8") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise


def fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class WriteFailed(OSError):
    """Records could not be written (a full disk); ``lost`` are the URLs whose line did not
    land."""

    def __init__(self, message: str, lost: list[str]) -> None:
        super().__init__(message)
        self.lost = lost


class JsonLinesWriter:
    def __init__(self, out: Path, store: SeenStore, crawler: Crawler | None = None) -> None:
        self.out = out
        self.store = store
        self.crawler = crawler
        self.stats = crawler.stats if crawler else None
        settings = crawler.settings if crawler else {}
        self.batch_size = int(settings.get("AKHBAR_WRITE_BATCH", 100))
        self.interval = float(settings.get("AKHBAR_WRITE_INTERVAL", 5.0))
        self.batch: dict[str, tuple[Path, str, Entry]] = {}
        self.last_flush = time.monotonic()
        self.files: set[Path] = set()
        self.stopping = False

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
