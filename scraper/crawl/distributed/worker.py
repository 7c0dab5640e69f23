"""A distributed worker's components: the Redis seen-store opened for the crawl, the heartbeat
and recovery of held requests, and their acknowledgement once handled."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import redis
from itemadapter import ItemAdapter, is_item
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.settings import BaseSettings
from twisted.internet.task import LoopingCall

from scraper.core.urls import canonical_url
from scraper.crawl import signals as akhbar_signals
from scraper.crawl.distributed.frontier import TOKEN, Frontier
from scraper.crawl.extensions.seen_store import SeenStoreExtension, output_dir
from scraper.crawl.middlewares.skip_seen import ARTICLE
from scraper.store.files import remove_partial_writes
from scraper.store.redis_seen import RedisSeenStore

logger = logging.getLogger(__name__)


class Acknowledgements:
    """The requests whose article record waits for its line to be durable, by canonical URL:
    acknowledged when the seen-store commits the line, or when the record is dropped."""

    def __init__(self, frontier: Frontier) -> None:
        self.frontier = frontier
        self.awaiting: dict[str, list[str]] = defaultdict(list)

    def hold(self, url: str, token: str) -> None:
        self.awaiting[canonical_url(url)].append(token)

    def release(self, url: str) -> None:
        self.frontier.ack(*self.awaiting.pop(canonical_url(url), []))

    def committed(self, urls: Iterable[str]) -> None:
        for url in urls:
            self.release(url)


class RedisSeenStoreExtension(SeenStoreExtension):
    """``SeenStoreExtension`` with the store in Redis (``seen_store(crawler)`` finds it)."""

    def __init__(self, out: Path, settings: BaseSettings, site: str) -> None:
        remove_partial_writes(out)
        self.frontier = Frontier.from_settings(settings, site)
        self.acknowledgements = Acknowledgements(self.frontier)
        server = redis.Redis.from_url(settings["REDIS_URL"], decode_responses=True)
        self.store = RedisSeenStore(
            server, site, self.frontier.worker, self.acknowledgements.committed
        )
        kept, dropped = self.store.recover()
        if kept or dropped:
            logger.warning("recovered this worker's writes: %d lines kept, %d lost", kept, dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisSeenStoreExtension:
        extension = cls(output_dir(crawler), crawler.settings, crawler.spidercls.name)
        crawler.signals.connect(extension.close, signals.spider_closed)
        return extension


def redis_parts(crawler: Crawler) -> tuple[Frontier, Acknowledgements]:
    extension = crawler.get_extension(RedisSeenStoreExtension)
    if extension is None:
        raise RuntimeError("the Redis mode needs RedisSeenStoreExtension in EXTENSIONS")
    return extension.frontier, extension.acknowledgements


class WorkerLifecycle:
    """Takes back this worker's unfinished requests at start, beats, requeues the requests of
    dead workers, and keeps the worker waiting for work while the frontier is not empty (or
    forever, unless ``AKHBAR_REDIS_IDLE_CLOSE`` seconds are set)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.frontier = Frontier.from_settings(crawler.settings, crawler.spidercls.name)
        self.interval = crawler.settings.getfloat("AKHBAR_REDIS_HEARTBEAT")
        self.idle_close = crawler.settings.getfloat("AKHBAR_REDIS_IDLE_CLOSE")
        self.idle_since: float | None = None
        self.loop = LoopingCall(self.beat)
        taken = self.frontier.requeue(self.frontier.worker) + self.frontier.reap()
        if taken:
            logger.warning("requeued %d requests of interrupted workers", taken)
        self.frontier.join(3 * self.interval)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerLifecycle:
        worker = cls(crawler)
        for handler, signal in (
            (worker.spider_opened, signals.spider_opened),
            (worker.spider_idle, signals.spider_idle),
            (worker.spider_closed, signals.spider_closed),
            (worker.request_scheduled, signals.request_scheduled),
            (worker.request_dropped, signals.request_dropped),
            (worker.item_dropped, signals.item_dropped),
            (worker.item_dropped, signals.item_error),
        ):
            crawler.signals.connect(handler, signal)
        return worker

    def spider_opened(self) -> None:
        self.loop.start(self.interval, now=True)

    def beat(self) -> None:
        self.frontier.join(3 * self.interval)
        if taken := self.frontier.reap():
            logger.warning("requeued %d requests of dead workers", taken)

    def spider_idle(self) -> None:
        """Nothing in flight here: write what is buffered, and requeue any request still held
        (none, unless one was never acknowledged) rather than leave it behind."""
        self.crawler.signals.send_catch_log(akhbar_signals.flush_requested)
        if leaked := self.frontier.requeue(self.frontier.worker):
            logger.warning("requeued %d requests held but never acknowledged", leaked)
        if self.frontier.pending():
            self.idle_since = None
        elif self.idle_close:
            self.idle_since = self.idle_since or time.monotonic()
            if time.monotonic() - self.idle_since >= self.idle_close:
                return
        raise DontCloseSpider

    def spider_closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.frontier.leave()

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """A held request redirected out of the site is dropped by the spider: handled."""
        in_scope = getattr(spider, "in_scope", lambda url: True)
        if not in_scope(request.url) and not request.meta.get("allow_offsite"):
            self.frontier.ack(request.meta.get(TOKEN))

    def request_dropped(self, request: Request) -> None:
        self.frontier.ack(request.meta.get(TOKEN))

    def item_dropped(self, item: Any) -> None:
        if url := ItemAdapter(item).get("url"):
            redis_parts(self.crawler)[1].release(url)


class Acknowledge:
    """Spider and downloader middleware: a held request is acknowledged once handled — when
    its callback's output is queued, or when its download failed — except an article whose
    record is on its way to the file: the seen-store acknowledges it once the line is durable.
    Workers take no start requests of their own: ``akhbar seed`` queues them."""

    def __init__(self, frontier: Frontier, acknowledgements: Acknowledgements) -> None:
        self.frontier = frontier
        self.acknowledgements = acknowledgements

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Acknowledge:
        return cls(*redis_parts(crawler))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        return
        yield  # an async generator that yields nothing

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        token = response.meta.get(TOKEN)
        held = False
        try:
            async for element in result:
                if token and is_item(element) and response.meta.get(ARTICLE):
                    self.acknowledgements.hold(ItemAdapter(element)["url"], token)
                    held = True
                yield element
        finally:
            if not held:
                self.frontier.ack(token)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        self.frontier.ack(response.meta.get(TOKEN))

    def process_exception(self, request: Request, exception: Exception) -> None:
        self.frontier.ack(request.meta.get(TOKEN))
