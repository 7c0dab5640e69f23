"""Downloader middleware answering requests for pages on disk (saved files, WARC records)
without the network; it comes after the seen-store check and before robots.txt."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import scrapy
from scrapy.http import HtmlResponse

from scraper.crawl.inputs import LocalPage

#: ``Request.meta`` key of a page on disk: the fields of its :class:`LocalPage`.
LOCAL = "akhbar_local"


def on_disk(page: LocalPage) -> dict[str, Any]:
    """The ``Request.meta`` of a request for ``page``: no retries (the disk answers the same
    every time) and no redirects (they would leave it)."""
    return {LOCAL: asdict(page), "dont_retry": True, "dont_redirect": True}


class LocalPages:
    def process_request(self, request: scrapy.Request) -> HtmlResponse | None:
        local = request.meta.get(LOCAL)
        return LocalPage(**local).response(request) if local else None
