"""The generic extractor: field by field, JSON-LD, then meta tags, then visible heuristics.

It reads every site without a site file, and fills the fields a site file leaves empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from scraper.dates import parse_date
from scraper.extract import heuristics, jsonld
from scraper.page import Page, squash
from scraper.sites.base import Extractor


def first_of(*layers: Callable[[Page], Any]) -> Extractor:
    """An extractor returning the first non-empty answer of ``layers``."""

    def extract(page: Page) -> Any:
        for layer in layers:
            if value := layer(page):
                return value
        return None

    return extract


def _meta(*keys: str) -> Callable[[Page], str | None]:
    return lambda page: page.meta_first(*keys)


def _time_datetime(page: Page) -> str | None:
    values = page.tree.xpath("//time[@datetime]/@datetime | //*[@itemprop='datePublished']/@content")
    return next((squash(v) for v in values if squash(v)), None)


_published_text = first_of(
    jsonld.published,
    _meta("article:published_time", "og:published_time", "datepublished", "pubdate",
          "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date"),
    _time_datetime,
)
_modified_text = first_of(
    jsonld.modified, _meta("article:modified_time", "og:updated_time", "datemodified", "lastmod")
)


def _parsed(text: str | None, page: Page) -> datetime | None:
    return parse_date(text, tz=page.timezone) if text else None


def published(page: Page) -> datetime | None:
    if value := _parsed(_published_text(page), page):
        return value
    return next(
        (v for text in heuristics.visible_dates(page) if (v := _parsed(text, page))), None
    )


def published_raw(page: Page) -> str | None:
    visible = heuristics.visible_dates(page)
    return next((t for t in visible if _parsed(t, page)), None) or _published_text(page)


def modified(page: Page) -> datetime | None:
    return _parsed(_modified_text(page), page)


EXTRACTORS: dict[str, Extractor] = {
    "title": first_of(heuristics.title, jsonld.title, _meta("og:title", "twitter:title")),
    "published": published,
    "published_raw": published_raw,
    "modified": modified,
    "section": first_of(jsonld.section, _meta("article:section")),
    "tags": first_of(jsonld.tags, lambda page: page.meta.get("article:tag", [])),
    "authors": first_of(jsonld.authors, lambda page: page.meta.get("author", [])),
    "body": heuristics.body,
    "images": heuristics.images,
    "related": heuristics.related,
}
