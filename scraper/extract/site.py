"""What a site file declares: where to discover articles and how to read their fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from scraper.core.page import Page
from scraper.core.record import EXTRACTED

#: A field extractor: reads one record field from a page, ``None``/empty when absent.
Extractor = Callable[[Page], Any]


def host_of(url: str) -> str:
    """The lower-case host of ``url`` ("" when it has none)."""
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class Discovery:
    """The site's own channels, as paths under its base URL."""

    sitemaps: tuple[str, ...] = ()
    news_sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    #: Page ``n`` (2, 3, ...) of a listing, formatted with ``listing`` and ``n``.
    listing_page: str = "{listing}/page/{n}"
    #: How far listing pagination goes at most.
    max_listing_pages: int = 500
    robots_txt: bool = True


@dataclass(frozen=True)
class Parser:
    """One layout of a site: field extractors for pages published on or after ``since``."""

    extractors: Mapping[str, Extractor]
    since: date = date.min

    def __post_init__(self) -> None:
        unknown = set(self.extractors) - set(EXTRACTED)
        if unknown:
            raise ValueError(f"unknown record fields: {sorted(unknown)}")


@dataclass(frozen=True)
class Site:
    name: str
    #: The publisher's own name, as in ``og:site_name``.
    title: str
    domains: tuple[str, ...]
    base_url: str
    timezone: str
    article_url: re.Pattern[str]
    discovery: Discovery
    #: Layouts, any order; the one for a page is chosen by its publication day.
    parsers: tuple[Parser, ...]
    language: str = "ar"
    #: Least share of records whose field this site's parser must fill, where it differs
    #: from the FIELDS table's ``min_parser_coverage`` (a site that never prints authors...).
    min_coverage: Mapping[str, float] = field(default_factory=dict)

    def owns(self, url: str) -> bool:
        return self.owns_host(host_of(url))

    def owns_host(self, host: str) -> bool:
        """Whether ``host`` (lower case, as `host_of` gives it) is one of the site's domains."""
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article(self, url: str) -> bool:
        return bool(self.article_url.search(urlsplit(url).path))

    def parser_for(self, published: date | None) -> Parser:
        """The newest layout in use on ``published`` (the newest of all when unknown)."""
        newest_first = sorted(self.parsers, key=lambda p: p.since, reverse=True)
        if published is None:
            return newest_first[0]
        for parser in newest_first:
            if parser.since <= published:
                return parser
        return newest_first[-1]
