"""Scrapy's scheduler with the frontier on disk, so memory stays flat however large a site is."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler

#: Pending requests kept in memory before the frontier spills to disk (a few MB).
MEMORY_REQUESTS = 2000


class DiskFrontierScheduler(Scheduler):
    """Pending requests beyond ``MEMORY_REQUESTS`` live in a temporary job folder (Scrapy's disk
    queues), not in RAM.

    This is not JOBDIR's resumable state, which a kill -9 can leave corrupt: each run starts
    a fresh folder and removes it at the end; the seen-store is what makes runs resumable.
    A JOBDIR set by the user is left as it is, and every request goes there.

    Requests go to memory until it holds ``MEMORY_REQUESTS``, then to disk until the disk
    queue is empty again, so that they leave in the order they came (memory is popped first).
    Pushing every request to disk made a disk queue empty, close and rmdir its folder, then be
    made again, about once every ten articles: a tenth of a crawl's time.
    """

    temporary: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFrontierScheduler:
        scheduler = super().from_crawler(crawler)
        if scheduler.dqdir is None:
            scheduler.temporary = tempfile.mkdtemp(prefix="akhbar-frontier-")
            scheduler.dqdir = scheduler._dqdir(scheduler.temporary)
        return scheduler

    def _dqpush(self, request: Request) -> bool:
        spilling = self.dqs is not None and len(self.dqs) > 0
        if self.temporary and not spilling and len(self.mqs) < MEMORY_REQUESTS:
            return False  # Scrapy then pushes it to the memory queue
        return super()._dqpush(request)

    def close(self, reason: str) -> Any:
        result = super().close(reason)
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
        return result
