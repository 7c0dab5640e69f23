"""The failure log: every URL that gave no record, with the reason, in ``failures.jsonl``.

An extension rather than a pipeline, as most failures never become items: download errors,
HTTP errors, parse errors and dropped (invalid) records all arrive here through signals.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from pipelines.dedupe import UnchangedRecord
from scraper import signals as akhbar_signals
from scraper.extensions import seen_store

logger = logging.getLogger(__name__)


class FailureLog:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = path
        self._file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureLog:
        out = Path(crawler.settings.get("AKHBAR_OUTPUT_DIR", "output"))
        log = cls(crawler, out / "failures.jsonl")
        crawler.signals.connect(log.page_failed, akhbar_signals.page_failed)
        crawler.signals.connect(log.item_dropped, signals.item_dropped)
        crawler.signals.connect(log.spider_error, signals.spider_error)
        crawler.signals.connect(log.close, signals.spider_closed)
        return log

    def write(self, url: str, reason: str, detail: str) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
        attempts = seen_store(self.crawler).record_failure(url, reason)
        entry = {
            "url": url,
            "reason": reason,
            "detail": detail,
            "time": _now(),
            "attempts": attempts,
        }
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._file.flush()
        if self.stats is not None:
            self.stats.inc_value("akhbar/failures")
            self.stats.inc_value(f"akhbar/failures/{reason}")

    def page_failed(self, url: str, reason: str, detail: str = "") -> None:
        self.write(url, reason, detail)

    def item_dropped(
        self, item: Any, response: Response, exception: Exception, spider: Spider
    ) -> None:
        if not isinstance(exception, UnchangedRecord):
            self.write(
                response.url if response is not None else item.get("url", ""),
                "invalid",
                str(exception),
            )

    def spider_error(self, failure: Failure, response: Response, spider: Spider) -> None:
        self.write(response.url, "parse_error", f"{failure.type.__name__}: {failure.value}")

    def close(self, spider: Spider) -> None:
        if self._file is not None:
            self._file.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
