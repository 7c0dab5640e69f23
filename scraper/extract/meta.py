"""Layer 2 of the generic extractor: OpenGraph, ``article:*``, Dublin Core and kin ``<meta>``."""

from __future__ import annotations

from scraper.core.page import Page, squash
from scraper.extract import titles

PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
MODIFIED = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "lastmod",
    "dcterms.modified",
)


def title(page: Page) -> str | None:
    """``og:title`` (else ``twitter:title``), without the site name some sites append."""
    return titles.clean(page, page.meta_first("og:title", "twitter:title"))


def published(page: Page) -> str | None:
    return page.meta_first(*PUBLISHED)


def modified(page: Page) -> str | None:
    return page.meta_first(*MODIFIED)


def section(page: Page) -> str | None:
    return page.meta_first("article:section")


def tags(page: Page) -> list[str]:
    return list(dict.fromkeys(squash(t) for t in page.meta.get("article:tag", []) if squash(t)))


def authors(page: Page) -> list[str]:
    values = page.meta.get("author", []) or page.meta.get("article:author", [])
    return [v for v in dict.fromkeys(squash(v) for v in values) if v and "://" not in v]
