"""Downloader middleware: an article the dataset already holds costs no request, unless
discovery says it changed."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from scraper.core.dates import parse_date
from scraper.core.urls import canonical_url
from scraper.crawl.extensions.seen_store import seen_store
from scraper.store.seen import SeenStoreLike

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
    def __init__(self, store: SeenStoreLike, crawler: Crawler) -> None:
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
