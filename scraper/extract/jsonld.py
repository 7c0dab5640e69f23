"""Layer 1 of the generic extractor: schema.org JSON-LD (NewsArticle and kin, ``@graph`` too)."""

from __future__ import annotations

import json
import re
from typing import Any

from scraper.core.page import Page, flatten_jsonld, per_page, squash

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
        "SocialMediaPosting",
    }
)
#: What hand-written JSON-LD often gets wrong: a trailing comma before ``}`` or ``]``.
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    names = value if isinstance(value, list) else [value]
    return {str(n).rsplit("/", 1)[-1] for n in names if n}


def objects(page: Page) -> list[dict[str, Any]]:
    """``page.jsonld``, or when none of its blocks is valid JSON, a lenient second reading.

    The second reading allows raw newlines in strings, CDATA wrappers and trailing commas.
    """
    return page.jsonld or lenient_jsonld(page)


@per_page
def lenient_jsonld(page: Page) -> list[dict[str, Any]]:
    """The JSON-LD blocks read with raw newlines, CDATA wrappers and trailing commas allowed."""
    found: list[dict[str, Any]] = []
    for script in page.jsonld_scripts:
        source = _TRAILING_COMMA.sub(r"\1", _CDATA.sub("", script.text or ""))
        try:
            flatten_jsonld(json.loads(source, strict=False), found)
        except ValueError:
            continue
    return found


def _nested_articles(obj: dict[str, Any]) -> list[dict[str, Any]]:
    nested = [obj.get("mainEntity"), obj.get("mainEntityOfPage")]
    return [n for n in nested if isinstance(n, dict) and _types(n) & ARTICLE_TYPES]


@per_page
def article(page: Page) -> dict[str, Any] | None:
    """The page's article object: an article type, else any object with a headline and date."""
    candidates = objects(page)
    found = next((o for o in candidates if _types(o) & ARTICLE_TYPES), None)
    found = found or next((n for o in candidates for n in _nested_articles(o)), None)
    return found or next(
        (o for o in candidates if o.get("headline") and o.get("datePublished")), None
    )


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


def body(page: Page) -> list[str]:
    """``articleBody`` cut at its line breaks (it is plain text, without paragraph markup)."""
    obj = article(page)
    text = obj.get("articleBody") if obj else None
    if not isinstance(text, str):
        return []
    return [line for raw in text.splitlines() if (line := squash(raw))]
