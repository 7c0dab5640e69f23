"""Downloader middleware: a 429 or 503 that says when to come back (``Retry-After``, up to
``AKHBAR_MAX_RETRY_AFTER`` seconds) is tried once more after that wait, through Scrapy's
``get_retry_request``; a longer wait is left to the retry middleware and the failure log (the
next run retries). It sits before ``RetryMiddleware``, which would retry at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response

#: ``Request.meta`` key: the request already waited once.
WAITED = "akhbar_retry_after_waited"
STATUSES = (429, 503)


def retry_after(response: Response) -> float | None:
    """Seconds a 429 or 503 response asks to wait, if it says (seconds or an HTTP date)."""
    header = response.headers.get("Retry-After") if response.status in STATUSES else None
    if not header:
        return None
    text = header.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class RetryAfter:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.longest = crawler.settings.getfloat("AKHBAR_MAX_RETRY_AFTER")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        wait = retry_after(response)
        spider = self.crawler.spider
        if wait is None or wait > self.longest or request.meta.get(WAITED) or spider is None:
            return response
        retry = get_retry_request(
            request,
            spider=spider,
            reason=f"retry_after_{response.status}",
            max_retry_times=request.meta.get("retry_times", 0) + 1,
            stats_base_key="akhbar/retry_after",
        )
        if retry is None:
            return response
        await asyncio.sleep(wait)  # the download slot is free again: nothing else waits
        retry.meta[WAITED] = True
        return retry
