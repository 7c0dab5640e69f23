"""One spider for every registered site: discovery through the site's own channels
(robots.txt, sitemaps, news sitemaps, feeds, paginated listings), articles to its parser.

Whatever a site sends, the crawl goes on: a URL that gives no record is reported once, through
``page_failed``, with a short reason (the cases are listed in docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from twisted.web._newclient import ParseError

from scraper import discovery
from scraper import signals as akhbar_signals
from scraper.dates import parse_date
from scraper.extensions import seen_store
from scraper.extraction import build_record
from scraper.middlewares import ARTICLE, LASTMOD, AlreadySeen
from scraper.page import Page
from scraper.saved import response_text
from scraper.sites import all_sites, get_site
from scraper.sites.base import Site
from scraper.urls import canonical_url

ARTICLE_PRIORITY = 10
_NEXT_PAGE = re.compile(r"/page/(\d+)/?$")
#: How Scrapy says a body was beyond DOWNLOAD_MAXSIZE (on the wire, or once inflated).
_TOO_LARGE = re.compile(r"max ?size", re.IGNORECASE)
#: How deep sitemap indexes may nest (the protocol has one level; some sites use two).
MAX_SITEMAP_DEPTH = 4
#: The longest ``Retry-After`` (429, 503) waited for before one more attempt; a longer one
#: fails the URL now, and later runs retry it.
MAX_RETRY_AFTER = 60.0
#: Links of a discovery document read before the reactor is let run again.
LINKS_PER_SLICE = 500
#: Share of control characters above which a "text" body is taken for binary data.
MAX_CONTROL_SHARE = 0.02
#: Control characters (Unicode category Cc) other than tab, newline, carriage return, form feed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: ``Request.meta`` keys: the sitemap indexes that led to a sitemap; a Retry-After obeyed.
_PARENTS = "akhbar_sitemap_parents"
_WAITED = "akhbar_retry_after_waited"
#: Download errors by the failure reason they are reported under.
_ERROR_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (DownloadTimeoutError, "timeout"),
    (ResponseDataLossError, "truncated"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (CannotResolveHostError, "dns_error"),
    (DownloadCancelledError, "too_large"),  # Scrapy cancels a body beyond DOWNLOAD_MAXSIZE
    (gzip.BadGzipFile, "bad_encoding"),
    (zlib.error, "bad_encoding"),
)
#: Modules of the optional decoders (Content-Encoding br, zstd) whose errors mean the same.
_DECODERS = ("brotli", "brotlicffi", "zstandard")


class ArticleSpider(scrapy.Spider):
    """What every akhbar spider does with articles: request them, build their records with the
    site's parser (found page by page when ``site`` is None), report why when there is none.
    """

    #: The site whose parser reads every article; None: found for each page by build_record.
    site: Site | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

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

    async def on_error(self, failure: Failure) -> AsyncIterator[scrapy.Request]:
        """A page that could not be fetched goes to the failure log, with why; one asking to
        come back shortly (429, 503 with Retry-After) is first tried once more, after the wait.
        """
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        if failure.check(AlreadySeen):
            return
        wait = _retry_after(failure)
        if wait is not None and wait <= MAX_RETRY_AFTER and not request.meta.get(_WAITED):
            self.crawler.stats.inc_value("akhbar/retry_after_waits")
            await asyncio.sleep(wait)
            own = {k: v for k, v in request.meta.items() if k.startswith("akhbar_")}
            yield request.replace(dont_filter=True, meta={**own, _WAITED: True})
            return
        reason, detail = self.failure_reason(failure, request)
        self.fail(_origin(request), reason, detail)

    def failure_reason(self, failure: Failure, request: scrapy.Request) -> tuple[str, str]:
        """A short reason for a failed download, and the detail behind it."""
        error = failure.value
        detail = str(error) or type(error).__name__
        if isinstance(error, HttpError):
            return f"http_{error.response.status}", _status_line(error.response)
        if isinstance(error, IgnoreRequest):
            if "redirections" in detail:
                return "too_many_redirects", " -> ".join(_chain(request))
            if _TOO_LARGE.search(detail):
                return "too_large", detail  # inflated beyond DOWNLOAD_MAXSIZE
        if isinstance(error, DownloadFailedError):
            return _exchange_failure(error)
        if isinstance(error, DownloadCancelledError) and not str(error):
            maxsize = request.meta.get("download_maxsize", self.settings["DOWNLOAD_MAXSIZE"])
            detail = f"cancelled at DOWNLOAD_MAXSIZE ({maxsize} bytes)"
        for kind, reason in _ERROR_REASONS:
            if isinstance(error, kind):
                return reason, detail
        if type(error).__module__.split(".")[0] in _DECODERS:
            return "bad_encoding", detail
        return _snake(type(error).__name__), detail

    def request_scheduled(self, request: scrapy.Request) -> None:
        """Nothing outside the site is fetched, not even through a redirect of a retried
        request (which Scrapy's offsite filter lets pass), unless the request says
        ``allow_offsite``; a page redirecting out fails."""
        if self.in_scope(request.url) or request.meta.get("allow_offsite"):
            return
        if "redirect_urls" in request.meta:
            detail = f"redirected to {request.url}, outside the site"
            self.fail(_origin(request), "offsite_redirect", detail)
        raise IgnoreRequest(f"outside the site: {request.url}")

    def request_dropped(self, request: scrapy.Request) -> None:
        """The duplicate filter drops a redirect back into its own chain: a redirect loop."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self.fail(chain[0], "redirect_loop", " -> ".join([*chain, request.url]))

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
        max_attempts = self.settings.getint("AKHBAR_MAX_ATTEMPTS", 3)
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


class NoRecord(Exception):
    """Why a page gives no record: a failure reason and its detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def article_record(
    page: Page,
    site: Site | None,
    looks_like_article: Callable[[Page, dict[str, Any]], bool],
    fallbacks: set[str],
) -> dict[str, Any]:
    """The record of an article page (``site`` None: found from the page); raises
    :class:`NoRecord` for a page that is unreadable, empty or no article."""
    if problem := _unreadable(page.html):
        raise NoRecord(*problem)
    record = build_record(page, site, datetime.now(UTC), fallbacks)
    if not record["title"] and not record["body"]:
        raise NoRecord("no_content", "no title and no text (a script-only page?)")
    if not looks_like_article(page, record):
        raise NoRecord("not_article", "no sign of an article on the page")
    return record


def _unreadable(html: str) -> tuple[str, str] | None:
    """(reason, detail) when a body is no HTML page at all: empty, or binary data."""
    if not html.strip():
        return "empty_body", f"{len(html)} characters of whitespace at most"
    head = html[:4096]
    controls = len(_CONTROL.findall(head))
    if controls > MAX_CONTROL_SHARE * len(head):
        return "binary_body", f"{controls} control characters in its first {len(head)}"
    return None


def _exchange_failure(error: DownloadFailedError) -> tuple[str, str]:
    """The server's answer was no HTTP (``bad_response``), or the connection dropped."""
    reasons = getattr(error.__cause__, "reasons", None) or []
    detail = "; ".join(reason.getErrorMessage() for reason in reasons) or str(error)
    if any(reason.check(ParseError, ValueError) for reason in reasons):
        return "bad_response", detail
    return "connection_lost", detail


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


def _origin(request: scrapy.Request) -> str:
    """The URL first asked for, before any redirect."""
    return _chain(request)[0]


def _chain(request: scrapy.Request) -> list[str]:
    return [*request.meta.get("redirect_urls", []), request.url]


def _status_line(response: Response) -> str:
    line = f"HTTP {response.status}"
    if retry_after := response.headers.get("Retry-After"):
        line += f" (Retry-After: {retry_after.decode('latin-1')})"
    return line


def _retry_after(failure: Failure) -> float | None:
    """Seconds a 429 or 503 response asks to wait (``Retry-After``), if it says."""
    error = failure.value
    if not isinstance(error, HttpError) or error.response.status not in (429, 503):
        return None
    header = error.response.headers.get("Retry-After")
    if not header:
        return None
    text = header.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


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
