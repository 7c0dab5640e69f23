"""How far a run has got, while it runs: inputs done (of how many, when the spider knows),
failed, inputs per second and time left. A rich progress bar on a terminal; elsewhere (logs,
cron) a plain log line every ``AKHBAR_PROGRESS_INTERVAL`` seconds and one at the end.

``AKHBAR_PROGRESS``: ``bar``, ``log`` (the default) or ``off``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, TaskID, TextColumn
from rich.progress import Progress as RichProgress
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from twisted.internet.task import LoopingCall

from scraper.crawl.items import UnchangedRecord

logger = logging.getLogger(__name__)

#: Seconds between two redraws of the bar.
BAR_REFRESH = 0.5
_UNCHANGED = f"item_dropped_reasons_count/{UnchangedRecord.__name__}"


def skipped(stats: dict[str, Any]) -> int:
    """Inputs the dataset already held: known URLs left unfetched, and pages fetched anyway
    (``--force``) whose content had not changed."""
    return int(stats.get("akhbar/skipped_seen", 0)) + int(stats.get(_UNCHANGED, 0))


@dataclass(frozen=True)
class Snapshot:
    done: int
    failed: int
    total: int | None
    seconds: float

    @classmethod
    def of(cls, stats: dict[str, Any], total: int | None, seconds: float) -> Snapshot:
        failed = int(stats.get("akhbar/failures", 0))
        done = int(stats.get("item_scraped_count", 0)) + failed + skipped(stats)
        return cls(done, failed, total, seconds)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        if self.total is None or not self.rate:
            return None
        return max(self.total - self.done, 0) / self.rate

    def line(self) -> str:
        done = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        left = self.seconds_left
        eta = f", {timedelta(seconds=round(left))} left" if left is not None else ""
        return f"{done} done, {self.failed} failed, {self.rate:.1f}/s{eta}"


class Progress:
    def __init__(self, crawler: Crawler, bar: bool, interval: float) -> None:
        self.crawler = crawler
        self.interval = BAR_REFRESH if bar else interval
        self.bar = (
            RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[line]}"),
                console=Console(stderr=True),
                auto_refresh=False,
            )
            if bar
            else None
        )
        self.task: TaskID | None = None
        self.total: int | None = None
        self.started = time.monotonic()
        self.looping: AsyncioLoopingCall | LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        mode = crawler.settings["AKHBAR_PROGRESS"]
        if mode not in ("bar", "log"):
            raise NotConfigured
        interval = crawler.settings.getfloat("AKHBAR_PROGRESS_INTERVAL")
        progress = cls(crawler, mode == "bar", interval)
        crawler.signals.connect(progress.spider_opened, signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signals.spider_closed)
        return progress

    def snapshot(self) -> Snapshot:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return Snapshot.of(stats, self.total, time.monotonic() - self.started)

    def spider_opened(self, spider: Spider) -> None:
        total = getattr(spider, "total", None)
        self.total = int(total) if total is not None else None
        self.started = time.monotonic()
        if self.bar is not None:
            self.task = self.bar.add_task(spider.name, total=self.total, line="")
            self.bar.start()
        self.looping = create_looping_call(self.show)
        self.looping.start(self.interval, now=False)

    def show(self) -> None:
        snapshot = self.snapshot()
        if self.bar is None or self.task is None:
            logger.info("progress: %s", snapshot.line())
            return
        self.bar.update(self.task, completed=snapshot.done, line=snapshot.line())
        self.bar.refresh()

    def spider_closed(self) -> None:
        if self.looping is not None and self.looping.running:
            self.looping.stop()
        self.show()
        if self.bar is not None:
            self.bar.stop()
