"""One spider for every registered site: discovery through the site's own channels
(robots.txt, sitemaps, news sitemaps, feeds, paginated listings), articles to its parser.

Whatever a site sends, the crawl goes on: a URL that gives no record is reported once, through
``page_failed``, with a short reason (the cases are listed in docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scraper.core.dates import parse_date
from scraper.core.page import Page
from scraper.core.urls import canonical_url
from scraper.crawl import discovery
from scraper.crawl.articles import NoRecord, article_record
from scraper.crawl.extensions.seen_store import seen_store
from scraper.crawl.failures import download_failure, origin, report_failure
from scraper.crawl.middlewares.skip_seen import ARTICLE, LASTMOD, AlreadySeen
from scraper.crawl.pages import response_text
from scraper.extract.site import Site
from scraper.sites import all_sites, get_site

ARTICLE_PRIORITY = 10
_NEXT_PAGE = re.compile(r"/page/(\d+)/?$")
#: How deep sitemap indexes may nest (the protocol has one level; some sites use two).
MAX_SITEMAP_DEPTH = 4
#: Links of a discovery document read before the reactor is let run again.
LINKS_PER_SLICE = 500
#: ``Request.meta`` key: the sitemap indexes that led to a sitemap.
_PARENTS = "akhbar_sitemap_parents"


class ArticleSpider(scrapy.Spider):
    """What every akhbar spider does with articles: request them, build their records with the
    site's parser (found page by page when ``site`` is None), report why when there is none.
    """

    #: The site whose parser reads every article; None: found for each page by its host.
    site: Site | None = None

    def in_scope(self, url: str) -> bool:
        """Whether ``url`` is one the spider means to fetch: any, for a spider without a site."""
        return True

    def article_request(self, url: str, lastmod: str | None = None) -> scrapy.Request | None:
        """The request for the article at ``url``; None when the site's articles look otherwise."""
        if self.site is not None and not self.site.is_article(url):
            return None
        self.crawler.stats.inc_value("discovery/article_links")
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY,
            meta={ARTICLE: True, LASTMOD: lastmod},
        )

    # --- failures -----------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """A page that could not be fetched goes to the failure log, with why."""
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        if failure.check(AlreadySeen):
            return
        maxsize = self.settings.getint("DOWNLOAD_MAXSIZE")
        self.fail(origin(request), *download_failure(failure.value, request, maxsize))

    def fail(self, url: str, reason: str, detail: str) -> None:
        report_failure(self.crawler, url, reason, detail)

    # --- articles -----------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            self.fail(response.url, "not_html", content_type)
            return
        page = Page(url=response.url, html=response_text(response))
        fallbacks: set[str] = set()
        try:
            record = article_record(page, self.site, self.looks_like_article, fallbacks)
        except NoRecord as exc:
            self.fail(response.url, exc.reason, exc.detail)
            return
        for name in fallbacks:
            self.crawler.stats.inc_value(f"akhbar/parser_fallback/{name}")
        yield record

    def looks_like_article(self, page: Page, record: dict[str, Any]) -> bool:
        """Whether to keep the record of ``page``; a site's spider trusts its URL patterns."""
        return True


class SiteSpider(ArticleSpider):
    """``scrapy crawl site -a name=SITE [-a base_url=URL]``.

    ``base_url`` points the same spider at a mirror (the local replica) instead of the site.
    """

    name = "site"
    site: Site

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
        self.site = get_site(self.name)
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
            yield self.xml_request(self.url(path))
        if channels.robots_txt:
            yield scrapy.Request(self.url("/robots.txt"), callback=self.parse_robots)
        for path in channels.listings:
            yield self.listing_request(self.url(path), 1, errback=True)
        max_attempts = self.settings.getint("AKHBAR_MAX_ATTEMPTS")
        for url in seen_store(self.crawler).retryable(max_attempts):
            if self.in_scope(url) and (request := self.article_request(url)):
                yield request

    # --- discovery ----------------------------------------------------------------------

    def xml_request(self, url: str, parents: tuple[str, ...] = ()) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_xml, errback=self.on_error, meta={_PARENTS: parents}
        )

    def listing_request(
        self, url: str, page: int, previous: str = "", errback: bool = False
    ) -> scrapy.Request:
        """Page ``page`` of a listing; a later page that is missing just ends the listing."""
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error if errback else None,
            cb_kwargs={"page": page, "previous": previous},
        )

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            for url in discovery.robots_sitemaps(response.text):
                yield self.xml_request(response.urljoin(url))

    async def parse_xml(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Links of a sitemap or feed, read in slices so that a huge one never stalls the
        downloads in flight (their timeouts run on)."""
        parents = (*response.meta.get(_PARENTS, ()), canonical_url(response.url))
        try:
            for count, link in enumerate(discovery.xml_links(response.body), 1):
                for request in self.follow(response, link, parents):
                    yield request
                if count % LINKS_PER_SLICE == 0:
                    await asyncio.sleep(0)
        except discovery.DiscoveryError as exc:
            self.crawler.stats.inc_value("discovery/unreadable")
            self.fail(response.url, exc.reason, str(exc))

    def follow(
        self, response: Response, link: discovery.Link, parents: tuple[str, ...]
    ) -> Iterator[scrapy.Request]:
        """The request for one link of a sitemap or feed, unless it is unusable or loops."""
        url = _absolute(response, link.url)
        if url is None:
            self.crawler.stats.inc_value("discovery/bad_links")
        elif self.is_older_than_since(link.date):
            self.crawler.stats.inc_value("discovery/older_than_since")
        elif not link.is_sitemap:
            if request := self.article_request(url, link.date):
                yield request
        elif canonical_url(url) in parents:
            self.fail(response.url, "sitemap_loop", f"lists {url}, which led to it")
        elif len(parents) >= MAX_SITEMAP_DEPTH:
            self.fail(url, "sitemap_too_deep", f"sitemap indexes nested beyond {len(parents)}")
        else:
            yield self.xml_request(url, parents)

    def parse_listing(
        self, response: Response, page: int, previous: str = ""
    ) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        requests = [
            request
            for href in response.css("a::attr(href)").getall()
            if (url := _absolute(response, href)) and (request := self.article_request(url))
        ]
        yield from requests
        if self.all_known(requests):
            return  # nothing new on this page: older pages hold nothing new either
        links = _digest(r.url for r in requests)
        if links == previous:
            self.fail(response.url, "endless_pagination", f"page {page} repeats page {page - 1}")
            return
        channels = self.site.discovery
        if page < channels.max_listing_pages:
            listing = _NEXT_PAGE.sub("", urlsplit(response.url).path).rstrip("/")
            next_path = channels.listing_page.format(listing=listing, n=page + 1)
            yield self.listing_request(self.url(next_path), page + 1, links)

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


def _absolute(response: Response, href: str) -> str | None:
    """``href`` resolved against the page, or None when it is no http(s) URL."""
    try:
        url = response.urljoin(href.strip())
        parts = urlsplit(url)
    except ValueError:  # e.g. a broken IPv6 host
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def _digest(urls: Iterable[str]) -> str:
    return hashlib.blake2b("\n".join(sorted(urls)).encode(), digest_size=16).hexdigest()


def _since(text: str | None, tz: str) -> datetime | None:
    if not text:
        return None
    value = parse_date(text, tz=tz)
    if value is None:
        raise ValueError(f"since: not a date: {text!r}")
    return value
