"""Layer 1 of the generic extractor: schema.org JSON-LD (NewsArticle and kin, ``@graph`` too)."""

from __future__ import annotations

from typing import Any

from scraper.page import Page, squash

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
    }
)


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    names = value if isinstance(value, list) else [value]
    return {str(n).rsplit("/", 1)[-1] for n in names if n}


def article(page: Page) -> dict[str, Any] | None:
    """The page's article object, if it declares one."""
    return next((o for o in page.jsonld if _types(o) & ARTICLE_TYPES), None)


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return squash(str(value)) or None if value is not None else None


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = (_string(item) for item in items if item)
    return list(dict.fromkeys(n for n in names if n))


def field(page: Page, key: str) -> str | None:
    obj = article(page)
    return _string(obj.get(key)) if obj else None


def title(page: Page) -> str | None:
    return field(page, "headline") or field(page, "name")


def published(page: Page) -> str | None:
    return field(page, "datePublished") or field(page, "dateCreated")


def modified(page: Page) -> str | None:
    return field(page, "dateModified")


def section(page: Page) -> str | None:
    return field(page, "articleSection")


def authors(page: Page) -> list[str]:
    obj = article(page)
    return _names(obj.get("author")) if obj else []


def tags(page: Page) -> list[str]:
    obj = article(page)
    if not obj:
        return []
    keywords = obj.get("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    return _names(keywords)


def lead(page: Page) -> str | None:
    return field(page, "description")
