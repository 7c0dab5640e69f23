"""The frontier: in memory up to a bound, then on disk, in the order requests came."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from scraper.crawl.schedulers import disk as frontier
from scraper.crawl.schedulers.disk import DiskFrontierScheduler

#: As in settings.py, but with the plain priority queue, which needs no running engine.
SETTINGS = {
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
    "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
}


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[DiskFrontierScheduler]:
    monkeypatch.setattr(frontier, "MEMORY_REQUESTS", 3)
    crawler = get_crawler(Spider, SETTINGS)
    crawler.spider = Spider.from_crawler(crawler, name="frontier")
    scheduler = DiskFrontierScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    yield scheduler
    scheduler.close("finished")


def urls(count: int, start: int = 0) -> list[str]:
    return [f"http://127.0.0.1/archives/{n}" for n in range(start, start + count)]


def drain(scheduler: DiskFrontierScheduler, count: int) -> list[str]:
    return [scheduler.next_request().url for _ in range(count)]  # type: ignore[union-attr]


def test_requests_beyond_the_bound_spill_to_disk_and_leave_in_order(
    opened: DiskFrontierScheduler,
) -> None:
    for url in urls(5):
        opened.enqueue_request(Request(url))
    stats = opened.stats.get_stats()  # type: ignore[union-attr]
    assert (stats["scheduler/enqueued/memory"], stats["scheduler/enqueued/disk"]) == (3, 2)
    assert drain(opened, 2) == urls(2)
    opened.enqueue_request(Request(urls(1, 5)[0]))  # the disk queue is not empty: to disk
    assert opened.stats.get_value("scheduler/enqueued/disk") == 3  # type: ignore[union-attr]
    assert drain(opened, 4) == urls(4, 2)
    assert opened.next_request() is None
