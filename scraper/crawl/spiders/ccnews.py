"""The ``ccnews`` spider: records from CC-NEWS WARC files through the crawl's pipelines,
seen-store and failure log, so that crawls and CC-NEWS imports feed one dataset.

It downloads nothing itself. Its start items come from the WARC readers (in this process, or
in worker processes: see ``scraper.crawl.ccnews.workers``), already parsed, normalised and validated
(``WORKER_PIPELINES``); here they go through the other pipelines (de-duplication against the
seen-store, near-duplicates, the crash-safe writer), which stay in this one process, the only
writer of the dataset.

Exactly once, whatever kills the run: every few seconds (and when a WARC ends) the spider waits
for the records it handed on to leave the pipelines, makes the writers flush, and only then
saves how far each WARC got (``scraper.crawl.ccnews.state``). A killed run reads again at most what
followed its last checkpoint, and the seen-store drops what of that was already written.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from twisted.internet.task import LoopingCall

from scraper.crawl import signals as akhbar_signals
from scraper.crawl.ccnews.display import Display
from scraper.crawl.ccnews.reader import (
    SEEN,
    WORKER_PIPELINES,
    Article,
    Batch,
    Failure,
    Options,
    Task,
)
from scraper.crawl.ccnews.state import DONE, FAILED, Mark, RunState
from scraper.crawl.ccnews.workers import InProcess, LogTo, WorkerPool
from scraper.crawl.failures import WRITE_ERROR
from scraper.crawl.spiders.site import ArticleSpider

#: Seconds between two looks at whether the pipelines are done with the records handed on.
SETTLE_POLL = 0.005
#: Seconds between two looks at whether a closing spider's pipelines are idle.
CLOSE_POLL = 0.1
#: Stats of a run (besides the crawl's own: ``akhbar/skipped_seen``, failures, records).
SKIPPED = "akhbar/ccnews/skipped/"
BYTES = "akhbar/ccnews/bytes"
RESPONSES = "akhbar/ccnews/pages"
WARCS = "akhbar/ccnews/warcs/"


@dataclass
class Job:
    """What ``akhbar ccnews`` asks of the spider."""

    tasks: list[Task]
    options: Options
    #: The run state (``scraper.crawl.ccnews.state``) in the output folder.
    state_path: Path
    workers: int = 1
    log: LogTo = field(default_factory=LogTo)
    #: ``bar``, ``log`` or ``off`` (see ``scraper.crawl.ccnews.display``).
    progress: str = "log"
    progress_interval: float = 10.0
    #: Seconds between two checkpoints.
    checkpoint_interval: float = 5.0

    def source(self) -> InProcess | WorkerPool:
        count = min(self.workers, len(self.tasks))
        if count <= 1:
            return InProcess(self.tasks, self.options)
        return WorkerPool(self.tasks, self.options, count, self.log)


class CCNewsSpider(ArticleSpider):
    """Records from CC-NEWS WARC files (run by ``akhbar ccnews``, which gives the ``job``)."""

    name = "ccnews"
    #: Made once the spider opens (a LoopingCall takes the reactor, installed by then).
    closing_watch: LoopingCall | None

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The project's pipelines, less those the workers ran (at spider priority, as
        ``CrawlerProcess.crawl`` applies the project's settings again)."""
        super().update_settings(settings)
        done = {load_object(path) for path in WORKER_PIPELINES}
        pipelines = {
            path: order
            for path, order in settings.getdict("ITEM_PIPELINES").items()
            if load_object(path) not in done
        }
        settings.set("ITEM_PIPELINES", pipelines, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider.settle, signal=signal)
        crawler.signals.connect(spider.writing_stopped, signal=akhbar_signals.writing_stopped)
        crawler.signals.connect(spider.watch_closing, signal=signals.spider_opened)
        return spider

    def watch_closing(self) -> None:
        watch = LoopingCall(self.close_when_idle)
        watch.start(CLOSE_POLL, now=False)
        self.closing_watch = watch

    def __init__(self, job: Job | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if job is None:
            raise ValueError("the ccnews spider reads what `akhbar ccnews` gives it")
        self.job = job
        self.state = RunState(job.state_path)
        self.display = Display(job.tasks, job.progress, job.progress_interval)
        self.source = job.source()
        #: Records handed on to the pipelines, and those that came out (written or dropped).
        self.handed = 0
        self.settled = 0
        #: How far each WARC got since the last checkpoint.
        self.marks: dict[str, Mark] = {}
        self.positions = {task.warc.key: task.start for task in job.tasks}
        self.last_checkpoint = time.monotonic()
        #: The writer failed (a full disk): what it holds will not be written.
        self.unwritten = False
        self.closing_watch = None

    def writing_stopped(self) -> None:
        self.unwritten = True

    def settle(self) -> None:
        """A record left the pipelines (written, or dropped)."""
        self.settled += 1

    def close_when_idle(self) -> None:
        """Called every ``CLOSE_POLL`` seconds while the spider is open (see `close_if_idle`)."""
        slot = self.crawler.engine.scraper.slot if self.crawler.engine else None
        if slot is not None and slot.closing is not None:
            close_if_idle(slot, self)

    async def start(self) -> AsyncIterator[dict[str, Any]]:
        self.display.start()
        try:
            async for batch in self.source.batches():
                for record in self.take(batch):
                    yield record
                due = time.monotonic() - self.last_checkpoint >= self.job.checkpoint_interval
                if due or batch.end is not None:
                    await self.checkpoint()
        finally:
            self.source.close()
        await self.checkpoint()

    def take(self, batch: Batch) -> Iterator[dict[str, Any]]:
        """The records of ``batch`` (its failures to the failure log), each WARC's mark moved
        on as its outcomes are handed on."""
        for outcome in batch.outcomes:
            if isinstance(outcome, Article):
                for name in outcome.fallbacks:
                    self.crawler.stats.inc_value(f"akhbar/parser_fallback/{name}")
                self.handed += 1
                yield outcome.record
            else:
                self.fail(outcome.url, outcome.reason, outcome.detail)
            self.marks[batch.key] = Mark(outcome.resume_at, batch.size)
        self.marks[batch.key] = self.mark(batch)
        self.count(batch)
        self.display.update(batch)

    def mark(self, batch: Batch) -> Mark:
        if batch.end is None:
            return Mark(batch.resume_at, batch.size)
        if batch.end == DONE:
            return Mark(batch.resume_at, batch.size, DONE)
        last = batch.outcomes[-1] if batch.outcomes else None  # why it could not be read on
        detail = last.detail if isinstance(last, Failure) else None
        return Mark(batch.resume_at, batch.size, FAILED, detail)

    def count(self, batch: Batch) -> None:
        stats = self.crawler.stats
        for kind, count in batch.skipped.items():
            stats.inc_value("akhbar/skipped_seen" if kind == SEEN else SKIPPED + kind, count)
        stats.inc_value(RESPONSES, len(batch.outcomes) + sum(batch.skipped.values()))
        stats.inc_value(BYTES, batch.position - self.positions[batch.key])
        self.positions[batch.key] = batch.position
        if batch.end is not None:
            stats.inc_value(WARCS + batch.end)

    async def checkpoint(self) -> None:
        """Save how far the WARC files got, once what they gave is durable."""
        marks, self.marks = self.marks, {}
        self.last_checkpoint = time.monotonic()
        while self.settled < self.handed:
            await asyncio.sleep(SETTLE_POLL)
        if marks and self.flushed():
            self.state.save(marks)

    def flushed(self) -> bool:
        """Whether the writers wrote every record they hold (else the crawl is stopping)."""
        self.crawler.signals.send_catch_log(akhbar_signals.flush_requested)
        return not self.unwritten

    def closed(self, reason: str) -> None:
        """The pipelines are closed (their records written): save the last marks."""
        if self.closing_watch is not None and self.closing_watch.running:
            self.closing_watch.stop()
        self.source.close()
        self.display.finish()
        if (
            self.marks
            and reason != WRITE_ERROR
            and not self.unwritten
            and self.settled == self.handed
        ):
            self.state.save(self.marks)
        self.state.close()


def close_if_idle(slot: Any, spider: CCNewsSpider) -> None:
    """Let a closing spider close once its last start item left the pipelines: Scrapy 2.19
    looks whether its scraper is idle after each response, never after a start item, so a
    spider stopped (Ctrl-C) with start items in its pipelines would wait for ever. Looked at
    periodically: whether the last item leaves before or after the close begins is a race."""
    if not slot.closing.called and slot.is_idle():
        slot.closing.callback(spider)
