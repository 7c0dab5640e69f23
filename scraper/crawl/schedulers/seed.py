"""The scheduler of ``akhbar seed``: start requests go into the shared Redis queue."""

from __future__ import annotations

from scrapy import Request
from scrapy_redis.scheduler import Scheduler


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
