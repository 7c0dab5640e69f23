"""The failure log: every URL that gave no record, with the reason, in ``failures.jsonl``.

An extension rather than a pipeline, as most failures never become items: download errors,
HTTP errors, parse errors and dropped (invalid) records all arrive here through signals.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.crawl import signals as akhbar_signals
from scraper.crawl.extensions.seen_store import seen_store
from scraper.crawl.items import UnchangedRecord

logger = logging.getLogger(__name__)

#: The field a schema error names ("data.body must contain at least 1 items").
_FIELD = re.compile(r"\bdata\.(\w+)")


class FailureLog:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = path
        self._file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureLog:
        out = Path(crawler.settings["AKHBAR_OUTPUT_DIR"])
        log = cls(crawler, out / "failures.jsonl")
        crawler.signals.connect(log.page_failed, akhbar_signals.page_failed)
        crawler.signals.connect(log.item_dropped, signals.item_dropped)
        crawler.signals.connect(log.spider_error, signals.spider_error)
        crawler.signals.connect(log.close, signals.spider_closed)
        return log

    def write(self, url: str, reason: str, detail: str) -> None:
        """Count the failure, and log it (where a full disk allows)."""
        if self.stats is not None:
            self.stats.inc_value("akhbar/failures")
            self.stats.inc_value(f"akhbar/failures/{reason}")
        try:
            attempts = seen_store(self.crawler).record_failure(url, reason)
            self._append(
                {
                    "url": url,
                    "reason": reason,
                    "detail": detail,
                    "time": _now(),
                    "attempts": attempts,
                }
            )
        except (OSError, sqlite3.Error) as exc:
            logger.error("could not log the failure of %s (%s): %s", url, reason, exc)

    def _append(self, entry: dict[str, Any]) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._file.flush()

    def page_failed(self, url: str, reason: str, detail: str = "") -> None:
        self.write(url, reason, detail)

    def item_dropped(
        self, item: Any, response: Response, exception: Exception, spider: Spider
    ) -> None:
        if not isinstance(exception, UnchangedRecord):
            self.write(
                response.url if response is not None else item.get("url", ""),
                getattr(exception, "reason", None) or invalid_reason(str(exception)),
                str(exception),
            )

    def spider_error(self, failure: Failure, response: Response, spider: Spider) -> None:
        self.write(response.url, "parse_error", f"{failure.type.__name__}: {failure.value}")

    def close(self, spider: Spider) -> None:
        if self._file is not None:
            self._file.close()


def invalid_reason(message: str) -> str:
    """``invalid_<field>`` for the first field a schema error names, else ``invalid``."""
    match = _FIELD.search(message)
    return f"invalid_{match[1]}" if match else "invalid"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
