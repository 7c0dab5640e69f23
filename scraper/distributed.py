"""Distributed crawling on Redis: many workers, one frontier (scrapy-redis), one seen-store.

- The request queue and the fingerprint set are scrapy-redis's (``<site>:requests``,
  ``<site>:dupefilter``), kept between runs (``SCHEDULER_PERSIST``).
- A popped request is moved, atomically, into its worker's processing hash
  (``<site>:requests:processing:<worker>``) and removed from it only once it is handled: a
  discovery page once its links are queued, an article once its line is durable (the seen-store
  commit). A worker that dies leaves its hash behind; it is queued again when the worker
  restarts under the same id, or by any live worker once the dead one's heartbeat expires.
- The seen-store is a Redis hash per site (``akhbar:<site>:seen``: URL → content hash,
  version, dates), so no worker fetches what another one wrote.

See docs/distributed.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import time
import warnings
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from itemadapter import ItemAdapter, is_item
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, ScrapyDeprecationWarning
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy_redis import defaults, picklecompat
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from pipelines.seen import Entry, Seen, _lines_in
from pipelines.write import JsonLinesWriter
from scraper.crawl import project_settings
from scraper.extensions import SeenStoreExtension, output_dir
from scraper.middlewares import ARTICLE
from scraper.urls import canonical_url

logger = logging.getLogger(__name__)
# scrapy-redis 0.9 still calls Spider.log() and passes spider= to the stats: harmless.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")

#: ``Request.meta`` key: the request's entry in its worker's processing hash.
TOKEN = "akhbar_redis_token"
#: What a worker id may be (it names a folder).
_WORKER_ID = re.compile(r"[A-Za-z0-9_.-]+")
#: Pop the best request and keep it in the worker's processing hash, in one step.
_POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HSET', KEYS[2], redis.sha1hex(popped[1]), popped[1])
return popped[1]
"""


def redis_settings(
    url: str, worker_id: str = "seed", idle_timeout: float | None = None, role: str = "worker"
) -> dict[str, Any]:
    """Settings that make a crawl a worker (or, with role "seed", a seeder) on ``url``; the
    component dicts are the project's, amended (a dict setting given replaces the project's)."""
    project = project_settings()
    extensions = {
        **project.getdict("EXTENSIONS"),
        "scraper.extensions.SeenStoreExtension": None,
        "scraper.distributed.RedisSeenStoreExtension": 0,
    }
    own: dict[str, Any] = {"SCHEDULER": "scraper.distributed.SeedScheduler"}
    if role == "worker":
        extensions["scraper.distributed.WorkerLifecycle"] = 10
        own = {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "SPIDER_MIDDLEWARES": {
                **project.getdict("SPIDER_MIDDLEWARES"),
                "scraper.distributed.Acknowledge": 0,
            },
            "DOWNLOADER_MIDDLEWARES": {
                **project.getdict("DOWNLOADER_MIDDLEWARES"),
                "scraper.distributed.Acknowledge": 40,
            },
        }
    return {
        **own,
        "EXTENSIONS": extensions,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scraper.distributed.ReliableQueue",
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": url,
        "AKHBAR_WORKER_ID": worker_id,
        "AKHBAR_REDIS_IDLE_CLOSE": idle_timeout or 0,
    }


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def worker_dir(out: Path, worker_id: str) -> Path:
    """Where a worker writes its part files: ``<out>/workers/<worker_id>``."""
    if not _WORKER_ID.fullmatch(worker_id):
        raise ValueError(f"a worker id is letters, digits, '.', '_' and '-': {worker_id!r}")
    return out / "workers" / worker_id


def fresh_round(url: str, site: str) -> None:
    """Forget the request fingerprints of ``site``, so that known pages are queued again."""
    redis.Redis.from_url(url).delete(defaults.SCHEDULER_DUPEFILTER_KEY % {"spider": site})


# --- the frontier: queue, processing hashes, heartbeats ------------------------------------


def token_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


class Frontier:
    """The shared queue of a site, and what each worker holds of it."""

    def __init__(self, server: redis.Redis, queue_key: str, worker: str) -> None:
        self.server = server
        self.queue_key = queue_key
        self.worker = worker
        self.workers_key = f"{queue_key}:workers"

    @classmethod
    def from_settings(cls, settings: BaseSettings, site: str) -> Frontier:
        key = settings.get("SCHEDULER_QUEUE_KEY", defaults.SCHEDULER_QUEUE_KEY)
        server = get_redis_from_settings(settings)
        return cls(server, key % {"spider": site}, settings.get("AKHBAR_WORKER_ID", "seed"))

    def processing(self, worker: str | None = None) -> str:
        return f"{self.queue_key}:processing:{worker or self.worker}"

    def alive_key(self, worker: str) -> str:
        return f"{self.queue_key}:alive:{worker}"

    def ack(self, *tokens: str | None) -> None:
        """The requests of ``tokens`` are handled: drop them from this worker's hash."""
        if found := [t for t in tokens if t]:
            self.server.hdel(self.processing(), *found)

    def requeue(self, worker: str) -> int:
        """Put back in the queue what ``worker`` was processing; how many requests."""
        held: dict[Any, Any] = self.server.hgetall(self.processing(worker))
        if not held:
            return 0
        pipe = self.server.pipeline(transaction=True)
        for data in held.values():
            pipe.zadd(self.queue_key, {data: -picklecompat.loads(data).get("priority", 0)})
        pipe.hdel(self.processing(worker), *held)
        pipe.execute()
        return len(held)

    def join(self, ttl: float) -> None:
        """Register this worker and say it is alive for ``ttl`` seconds."""
        self.server.sadd(self.workers_key, self.worker)
        self.server.set(self.alive_key(self.worker), "1", px=int(ttl * 1000))

    def leave(self) -> None:
        self.requeue(self.worker)
        self.server.srem(self.workers_key, self.worker)
        self.server.delete(self.alive_key(self.worker))

    def workers(self) -> list[str]:
        return [_text(raw) for raw in self.server.smembers(self.workers_key)]

    def reap(self) -> int:
        """Requeue the requests of workers whose heartbeat expired; how many requests."""
        requeued = 0
        for worker in self.workers():
            if worker != self.worker and not self.server.exists(self.alive_key(worker)):
                requeued += self.requeue(worker)
                self.server.srem(self.workers_key, worker)
        return requeued

    def pending(self) -> int:
        """Requests queued or held by any worker."""
        held = [int(self.server.hlen(self.processing(worker))) for worker in self.workers()]
        return int(self.server.zcard(self.queue_key)) + sum(held)


class ReliableQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue whose pop keeps the request in the worker's processing
    hash (its issue #149: a plain pop loses the request if the worker dies)."""

    def __init__(self, server: redis.Redis, spider: Spider, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        self.frontier = Frontier(server, self.key, spider.settings.get("AKHBAR_WORKER_ID"))
        self.pop_script = server.register_script(_POP)

    def push(self, request: Request) -> None:
        """Queue ``request``; one derived from a held request (redirect, retry) takes over its
        work, so the held one is acknowledged once the new one is safely queued."""
        super().push(request)
        self.frontier.ack(request.meta.get(TOKEN))

    def pop(self, timeout: int = 0) -> Request | None:
        data = self.pop_script(keys=[self.key, self.frontier.processing()])
        if not data:
            return None
        request: Request = self._decode_request(data)
        request.meta[TOKEN] = token_of(data)
        return request


class SeedScheduler(Scheduler):  # type: ignore[misc]
    """Pushes the spider's start requests (discovery pages, URLs to retry) into the shared
    queue and fetches nothing. Discovery pages are always queued: they are read on every
    round; their fingerprints are recorded for the workers' filter."""

    def enqueue_request(self, request: Request) -> bool:
        self.df.request_seen(request)
        self.queue.push(request)
        if self.stats is not None:
            self.stats.inc_value("akhbar/seeded")
        return True

    def next_request(self) -> None:
        return None

    def has_pending_requests(self) -> bool:
        return False


# --- the seen-store on Redis ----------------------------------------------------------------


class RedisSeenStore:
    """``pipelines.seen.SeenStore``'s API on Redis hashes, shared by every worker of a site:
    ``akhbar:<site>:seen`` (URL → JSON of content hash, version, modified, first written),
    ``akhbar:<site>:failures`` (URL → attempts) and, per worker,
    ``akhbar:<site>:pending:<worker>`` (lines being written)."""

    def __init__(self, server: redis.Redis, site: str, worker: str, frontier: Frontier) -> None:
        self.db = server
        self.seen_key = f"akhbar:{site}:seen"
        self.failures_key = f"akhbar:{site}:failures"
        self.pending_key = f"akhbar:{site}:pending:{worker}"
        self.frontier = frontier
        #: Canonical URL → tokens of the requests whose record waits for its line to be durable.
        self.awaiting: dict[str, list[str]] = defaultdict(list)

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> Seen | None:
        raw = self.db.hget(self.seen_key, url)
        if raw is None:
            return None
        content_hash, version, modified, _ = json.loads(raw)
        return Seen(content_hash, version, modified)

    def __contains__(self, url: str) -> bool:
        return bool(self.db.hexists(self.seen_key, url))

    def known_before(self, url: str, instant: str) -> bool:
        raw = self.db.hget(self.seen_key, url)
        return raw is not None and json.loads(raw)[3] < instant

    def __len__(self) -> int:
        return int(self.db.hlen(self.seen_key))

    def stage(self, entries: Iterable[Entry]) -> None:
        staged: dict[Any, Any] = {e.url: json.dumps(asdict(e), ensure_ascii=False) for e in entries}
        if staged:
            self.db.hset(self.pending_key, mapping=staged)

    def commit_staged(self) -> int:
        """Promote this worker's pending entries to seen, and acknowledge their requests."""
        pending = self._pending()
        if not pending:
            return 0
        now = _now()
        known = dict(zip(pending, self.db.hmget(self.seen_key, list(pending)), strict=True))
        pipe = self.db.pipeline(transaction=True)
        seen: dict[Any, Any] = {u: seen_value(e, known[u], now) for u, e in pending.items()}
        pipe.hset(self.seen_key, mapping=seen)
        pipe.hdel(self.failures_key, *pending)
        pipe.delete(self.pending_key)
        pipe.execute()
        for url in pending:
            self.frontier.ack(*self.awaiting.pop(canonical_url(url), []))
        return len(pending)

    def recover(self) -> tuple[int, int]:
        """After a crash of this worker: see ``SeenStore.recover``."""
        pending = self._pending()
        if not pending:
            return 0, 0
        written: set[tuple[str, str]] = set()
        for path in {entry["path"] for entry in pending.values()}:
            written |= set(_lines_in(Path(path)))
        lost = [u for u, e in pending.items() if (u, e["content_hash"]) not in written]
        if lost:
            self.db.hdel(self.pending_key, *lost)
        return self.commit_staged(), len(lost)

    def _pending(self) -> dict[str, dict[str, Any]]:
        raw = self.db.hgetall(self.pending_key)
        return {_text(url): json.loads(entry) for url, entry in raw.items()}

    def record_failure(self, url: str, reason: str) -> int:
        return int(self.db.hincrby(self.failures_key, url, 1))

    def retryable(self, max_attempts: int) -> Iterator[str]:
        for url, attempts in self.db.hscan_iter(self.failures_key):
            if int(attempts) < max_attempts:
                yield _text(url)

    # --- acknowledgement of article requests ------------------------------------------------

    def await_commit(self, url: str, token: str) -> None:
        self.awaiting[canonical_url(url)].append(token)

    def release(self, url: str) -> None:
        """The record of ``url`` will not be written (dropped): its requests are handled."""
        self.frontier.ack(*self.awaiting.pop(canonical_url(url), []))


def seen_value(entry: dict[str, Any], known: bytes | str | None, now: str) -> str:
    """What ``akhbar:<site>:seen`` holds for a URL: [content hash, version, modified, first
    written] (compact: a site has millions)."""
    first = json.loads(known)[3] if known else now
    return json.dumps([entry["content_hash"], entry["version"], entry["modified"], first])


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class RedisSeenStoreExtension(SeenStoreExtension):
    """``SeenStoreExtension`` with the store in Redis (``seen_store(crawler)`` finds it)."""

    def __init__(self, out: Path, settings: BaseSettings, site: str) -> None:
        for part in out.glob("*/*.part"):
            logger.warning("removing %s, left by an interrupted run", part)
            part.unlink()
        self.frontier = Frontier.from_settings(settings, site)
        server = redis.Redis.from_url(settings["REDIS_URL"], decode_responses=True)
        self.store = RedisSeenStore(server, site, self.frontier.worker, self.frontier)  # type: ignore[assignment]
        kept, dropped = self.store.recover()
        if kept or dropped:
            logger.warning("recovered this worker's writes: %d lines kept, %d lost", kept, dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisSeenStoreExtension:
        extension = cls(output_dir(crawler), crawler.settings, crawler.spidercls.name)
        crawler.signals.connect(extension.close, signals.spider_closed)
        return extension


def _redis_parts(crawler: Crawler) -> tuple[Frontier, RedisSeenStore]:
    extension = crawler.get_extension(RedisSeenStoreExtension)
    if extension is None:
        raise RuntimeError("enable scraper.distributed.RedisSeenStoreExtension in EXTENSIONS")
    return extension.frontier, extension.store  # type: ignore[return-value]


# --- the worker: heartbeat, recovery, acknowledgements, waiting for work --------------------


class WorkerLifecycle:
    """Takes back this worker's unfinished requests at start, beats, requeues the requests of
    dead workers, and keeps the worker waiting for work while the frontier is not empty (or
    forever, unless ``AKHBAR_REDIS_IDLE_CLOSE`` seconds are set)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.frontier = Frontier.from_settings(crawler.settings, crawler.spidercls.name)
        self.interval = crawler.settings.getfloat("AKHBAR_REDIS_HEARTBEAT", 5.0)
        self.idle_close = crawler.settings.getfloat("AKHBAR_REDIS_IDLE_CLOSE", 0)
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
        _flush_writers(self.crawler)
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
            _redis_parts(self.crawler)[1].release(url)


def item_writers(crawler: Crawler) -> list[JsonLinesWriter]:
    """The crawl's record writers (its JsonLinesWriter pipelines)."""
    scraper = crawler.engine.scraper if crawler.engine else None
    components = getattr(getattr(scraper, "itemproc", None), "middlewares", ())
    return [component for component in components if isinstance(component, JsonLinesWriter)]


def _flush_writers(crawler: Crawler) -> None:
    for writer in item_writers(crawler):
        writer.flush_or_stop()


class Acknowledge:
    """Spider and downloader middleware: a held request is acknowledged once handled — when
    its callback's output is queued, or when its download failed — except an article whose
    record is on its way to the file: the seen-store acknowledges it once the line is durable.
    Workers take no start requests of their own: ``akhbar seed`` queues them."""

    def __init__(self, frontier: Frontier, store: RedisSeenStore) -> None:
        self.frontier = frontier
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Acknowledge:
        return cls(*_redis_parts(crawler))

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
                    self.store.await_commit(ItemAdapter(element)["url"], token)
                    held = True
                yield element
        finally:
            if not held:
                self.frontier.ack(token)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        self.frontier.ack(response.meta.get(TOKEN))

    def process_exception(self, request: Request, exception: Exception) -> None:
        self.frontier.ack(request.meta.get(TOKEN))
