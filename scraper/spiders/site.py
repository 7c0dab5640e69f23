"""One spider for every registered site: discovery through the site's own channels
(robots.txt, sitemaps, news sitemaps, feeds, paginated listings), articles to its parser."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper import discovery
from scraper import signals as akhbar_signals
from scraper.dates import parse_date
from scraper.extensions import seen_store
from scraper.extraction import build_record
from scraper.middlewares import ARTICLE, LASTMOD, AlreadySeen
from scraper.page import Page
from scraper.sites import all_sites, get_site
from scraper.sites.base import Site
from scraper.urls import canonical_url

ARTICLE_PRIORITY = 10
_NEXT_PAGE = re.compile(r"/page/(\d+)/?$")


class SiteSpider(scrapy.Spider):
    """``scrapy crawl site -a name=SITE [-a base_url=URL]``.

    ``base_url`` points the same spider at a mirror (the local replica) instead of the site.
    """

    name = "site"

    def __init__(
        self,
        name: str | None = None,
        base_url: str | None = None,
        since: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(name=name or self.name, **kwargs)
        if self.name == SiteSpider.name:
            raise ValueError(f"choose a site: -a name=SITE (one of {', '.join(all_sites())})")
        self.site: Site = get_site(self.name)
        self.base_url = (base_url or self.site.base_url).rstrip("/")
        host = urlsplit(self.base_url).hostname or ""
        self.allowed_domains = [*self.site.domains, host]
        self.since = _since(since, self.site.timezone)
        self.started = datetime.now(UTC).isoformat(timespec="microseconds")

    def in_scope(self, url: str) -> bool:
        """Whether ``url`` belongs to the site, or to the mirror being crawled instead."""
        return self.site.owns(url) or urlsplit(url).hostname == urlsplit(self.base_url).hostname

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        channels = self.site.discovery
        for path in (*channels.news_sitemaps, *channels.sitemaps, *channels.feeds):
            yield scrapy.Request(self.url(path), callback=self.parse_xml)
        if channels.robots_txt:
            yield scrapy.Request(self.url("/robots.txt"), callback=self.parse_robots)
        for path in channels.listings:
            yield scrapy.Request(self.url(path), callback=self.parse_listing, cb_kwargs={"page": 1})
        max_attempts = self.settings.getint("AKHBAR_MAX_ATTEMPTS", 3)
        for url in seen_store(self.crawler).retryable(max_attempts):
            if self.in_scope(url) and (request := self.article_request(url)):
                yield request

    # --- discovery ----------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            for url in discovery.robots_sitemaps(response.text):
                yield scrapy.Request(url, callback=self.parse_xml)

    def parse_xml(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            for link in discovery.xml_links(response.body):
                if self.is_older_than_since(link.date):
                    self.crawler.stats.inc_value("discovery/older_than_since")
                elif link.is_sitemap:
                    yield scrapy.Request(link.url, callback=self.parse_xml)
                elif request := self.article_request(link.url, link.date):
                    yield request
        except discovery.DiscoveryError as exc:
            self.logger.error("unreadable discovery document %s: %s", response.url, exc)
            self.crawler.stats.inc_value("discovery/unreadable")

    def parse_listing(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        requests = [
            request
            for href in response.css("a::attr(href)").getall()
            if (request := self.article_request(response.urljoin(href)))
        ]
        yield from requests
        if self.all_known(requests):
            return  # nothing new on this page: older pages hold nothing new either
        channels = self.site.discovery
        if page < channels.max_listing_pages:
            listing = _NEXT_PAGE.sub("", urlsplit(response.url).path).rstrip("/")
            next_path = channels.listing_page.format(listing=listing, n=page + 1)
            yield scrapy.Request(
                self.url(next_path), callback=self.parse_listing, cb_kwargs={"page": page + 1}
            )

    def all_known(self, requests: list[scrapy.Request]) -> bool:
        """Whether every article listed was in the dataset before this run began."""
        if self.settings.getbool("AKHBAR_FORCE"):
            return False
        store = seen_store(self.crawler)
        return all(store.known_before(canonical_url(r.url), self.started) for r in requests)

    def is_older_than_since(self, date: str | None) -> bool:
        if self.since is None or not date:
            return False
        value = parse_date(date, tz=self.site.timezone)
        return value is not None and value < self.since

    def article_request(self, url: str, lastmod: str | None = None) -> scrapy.Request | None:
        if not self.site.is_article(url):
            return None
        self.crawler.stats.inc_value("discovery/article_links")
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY,
            meta={ARTICLE: True, LASTMOD: lastmod},
        )

    def on_error(self, failure: Failure) -> None:
        """An article that could not be fetched goes to the failure log, with why."""
        if failure.check(AlreadySeen):
            return
        if failure.check(HttpError):
            reason = f"http_{failure.value.response.status}"
        else:
            reason = _snake(failure.type.__name__) if failure.type else "error"
        self.fail(failure.request.url, reason, str(failure.value))  # type: ignore[attr-defined]

    def fail(self, url: str, reason: str, detail: str) -> None:
        self.logger.error("no record for %s: %s %s", url, reason, detail)
        self.crawler.signals.send_catch_log(
            akhbar_signals.page_failed, url=url, reason=reason, detail=detail
        )

    # --- articles -----------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            self.fail(response.url, "not_html", content_type)
            return
        page = Page(url=response.url, html=response.text, timezone=self.site.timezone)
        fallbacks: set[str] = set()
        record = build_record(page, self.site, datetime.now(UTC), fallbacks)
        for name in fallbacks:
            self.crawler.stats.inc_value(f"akhbar/parser_fallback/{name}")
        yield record


def _since(text: str | None, tz: str) -> datetime | None:
    if not text:
        return None
    value = parse_date(text, tz=tz)
    if value is None:
        raise ValueError(f"since: not a date: {text!r}")
    return value


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error")).lower() or "error"


def _site_spider(site: Site) -> type[SiteSpider]:
    return type(
        f"{site.name.title().replace('_', '')}Spider",
        (SiteSpider,),
        {"name": site.name, "__module__": __name__, "__doc__": f"The spider of {site.title}."},
    )


# One named spider per registered site, so `scrapy crawl enabbaladi` works as well.
for _site in all_sites().values():
    _spider = _site_spider(_site)
    globals()[_spider.__name__] = _spider
del _site, _spider  # the loader would count the aliases as spiders too
