"""Nothing outside the site is fetched, not even through a redirect of a retried request
(which Scrapy's offsite middleware lets pass), unless the request says ``allow_offsite``; a
page redirecting out fails as ``offsite_redirect``, and one redirecting back into its own
chain as ``redirect_loop``."""

from __future__ import annotations

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from scraper.crawl.failures import origin, report_failure


class RedirectGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuard:
        guard = cls(crawler)
        crawler.signals.connect(guard.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(guard.request_dropped, signal=signals.request_dropped)
        return guard

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        in_scope = getattr(spider, "in_scope", None)
        if in_scope is None or in_scope(request.url) or request.meta.get("allow_offsite"):
            return
        if "redirect_urls" in request.meta:
            detail = f"redirected to {request.url}, outside the site"
            report_failure(self.crawler, origin(request), "offsite_redirect", detail)
        raise IgnoreRequest(f"outside the site: {request.url}")

    def request_dropped(self, request: Request) -> None:
        """The duplicate filter drops a redirect back into its own chain: a redirect loop."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            detail = " -> ".join([*chain, request.url])
            report_failure(self.crawler, chain[0], "redirect_loop", detail)
