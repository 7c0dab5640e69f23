"""Scrapy's scheduler with the frontier on disk, so memory stays flat however large a site is."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler


class DiskFrontierScheduler(Scheduler):
    """Pending requests live in a temporary job folder (Scrapy's disk queues), not in RAM.

    This is not JOBDIR's resumable state, which a kill -9 can leave corrupt: each run starts
    a fresh folder and removes it at the end; the seen-store is what makes runs resumable.
    A JOBDIR set by the user is left as it is.
    """

    temporary: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFrontierScheduler:
        scheduler = super().from_crawler(crawler)
        if scheduler.dqdir is None:
            scheduler.temporary = tempfile.mkdtemp(prefix="akhbar-frontier-")
            scheduler.dqdir = scheduler._dqdir(scheduler.temporary)
        return scheduler

    def close(self, reason: str) -> Any:
        result = super().close(reason)
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
        return result
