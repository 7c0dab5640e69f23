"""The shared frontier of a site on Redis: scrapy-redis's queue, with the requests each worker
holds until they are handled."""

from __future__ import annotations

import hashlib
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy_redis import defaults, picklecompat
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.queue import PriorityQueue

from scraper.store.redis_seen import text

#: ``Request.meta`` key: the request's entry in its worker's processing hash.
TOKEN = "akhbar_redis_token"
#: Pop the best request and keep it in the worker's processing hash, in one step.
_POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HSET', KEYS[2], redis.sha1hex(popped[1]), popped[1])
return popped[1]
"""


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
        return cls(server, key % {"spider": site}, settings["AKHBAR_WORKER_ID"])

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
        return [text(raw) for raw in self.server.smembers(self.workers_key)]

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
