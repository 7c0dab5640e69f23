"""``scrapy crawl import -a urls=FILE [-a pages=FILE] [-a total=N]``: records from a list of
article URLs and from pages on disk (saved files, WARC records), through a crawl's parsers,
pipelines and seen-store. ``akhbar import`` gathers the inputs and runs it.

URLs are fetched as a crawl fetches articles (robots.txt, retries, AutoThrottle, per-domain
concurrency); pages on disk are answered by :class:`LocalPages` without the network. Either
way the response goes to the same ``parse_article``, which picks the parser by host, canonical
link or ``og:site_name`` and falls back to the generic extractor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.settings import BaseSettings

from scraper.core.page import Page
from scraper.crawl.extensions.progress import Progress
from scraper.crawl.inputs import read_pages, read_urls
from scraper.crawl.middlewares.local_pages import LocalPages, on_disk
from scraper.crawl.spiders.site import ArticleSpider
from scraper.extract import jsonld

#: Body text that a page needs to pass for an article when a publication date is its only
#: sign of being one, and when it shows no sign at all.
DATED_MIN_CHARS = 300
UNDECLARED_MIN_CHARS = 1500


def is_article_page(page: Page, record: dict[str, Any]) -> bool:
    """Whether a page is an article, whatever its site: it has a title and body text, and it
    says so (a JSON-LD article, og:type article), or else it has a date and enough text.
    A page declaring another og:type (website, profile, video) is not one."""
    if not record["title"] or not record["body"]:
        return False
    if jsonld.article(page) is not None:
        return True
    declared = (page.meta_first("og:type") or "").lower()
    if declared:
        return declared == "article"
    chars = sum(len(paragraph) for paragraph in record["body"])
    return chars >= (DATED_MIN_CHARS if record["published"] else UNDECLARED_MIN_CHARS)


class ImportSpider(ArticleSpider):
    """Records from a URL list and from pages on disk, each site by its own parser."""

    name = "import"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The project's components, and the local pages middleware and progress display (at
        spider priority: ``CrawlerProcess.crawl`` applies the project's settings again)."""
        super().update_settings(settings)
        for name, component, order in (
            ("DOWNLOADER_MIDDLEWARES", LocalPages, 60),
            ("EXTENSIONS", Progress, 300),
        ):
            settings.set(name, {**settings.getdict(name), component: order}, priority="spider")

    def __init__(
        self,
        urls: str | None = None,
        pages: str | None = None,
        total: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        #: A URL list (one per line) and a file of :class:`LocalPage` references (JSON Lines).
        self.urls = Path(urls) if urls else None
        self.pages = Path(pages) if pages else None
        #: How many inputs there are, for the progress display.
        self.total = int(total) if total else None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for page in read_pages(self.pages) if self.pages else ():
            if request := self.article_request(page.url):
                request.meta.update(on_disk(page))
                yield request
        for url in read_urls(self.urls) if self.urls else ():
            if request := self.article_request(url):
                yield request

    def looks_like_article(self, page: Page, record: dict[str, Any]) -> bool:
        return is_article_page(page, record)
