"""Downloader-side components: skipping articles the dataset already holds, and a request
de-duplication filter whose memory does not grow with the number of URLs."""

from __future__ import annotations

import sqlite3

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest

from scraper.core.dates import parse_date
from scraper.core.urls import canonical_url
from scraper.crawl.extensions.seen_store import seen_store
from scraper.store.seen import SeenStore

#: ``Request.meta`` keys the spider sets on article requests.
ARTICLE = "akhbar_article"
LASTMOD = "akhbar_lastmod"


class AlreadySeen(IgnoreRequest):
    """The article is in the dataset and discovery gives no sign that it changed."""


def changed_since(lastmod: str | None, known: str | None) -> bool:
    """Whether a sitemap/feed date says the article changed after the stored version."""
    new = parse_date(lastmod, tz="UTC") if lastmod else None
    old = parse_date(known, tz="UTC") if known else None
    return bool(new and old and new > old)


class SkipSeenArticles:
    def __init__(self, store: SeenStore, crawler: Crawler) -> None:
        self.store = store
        self.stats = crawler.stats
        self.force = crawler.settings.getbool("AKHBAR_FORCE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipSeenArticles:
        return cls(seen_store(crawler), crawler)

    def process_request(self, request: Request) -> None:
        if self.force or not request.meta.get(ARTICLE):
            return
        known = self.store.get(canonical_url(request.url))
        if known is None or changed_since(request.meta.get(LASTMOD), known.modified):
            return
        if self.stats is not None:
            self.stats.inc_value("akhbar/skipped_seen")
        raise AlreadySeen(request.url)


class DiskDupeFilter(RFPDupeFilter):
    """Scrapy's fingerprint filter with the fingerprints in a temporary on-disk SQLite table
    instead of a Python set, so a crawl of millions of URLs keeps a flat memory profile."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.db = sqlite3.connect("", isolation_level=None)  # "" = private temporary file
        self.db.execute("PRAGMA cache_size=-2048")  # at most ~2 MiB of pages in memory
        self.db.execute("CREATE TABLE seen (fp BLOB PRIMARY KEY) WITHOUT ROWID")

    def request_seen(self, request: Request) -> bool:
        inserted = self.db.execute(
            "INSERT OR IGNORE INTO seen VALUES (?)", (self._fingerprint(request),)
        ).rowcount
        return inserted == 0

    def close(self, reason: str) -> None:
        super().close(reason)
        self.db.close()
