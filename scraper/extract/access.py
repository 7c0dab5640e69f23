"""Whether an article can be read for free: what its metadata says, else a paywall's markup.

In order: JSON-LD ``isAccessibleForFree`` on the article (or a ``hasPart`` marked not free:
Google's markup for paywalled sections); a ``<meta>`` ``isAccessibleForFree`` or
``article:content_tier`` (``free``, ``metered``, ``locked``); an element whose class or id
names a paywall (False). None when the page says nothing: the absence of a paywall's markup is
no proof of free access.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from scraper.core.page import Page
from scraper.extract import jsonld

_TRUE = frozenset({"true", "yes", "1", "free"})
_FALSE = frozenset({"false", "no", "0", "locked", "metered", "premium", "subscriber"})
#: Class and id words of a paywall's markup: looked for in the HTML first (a substring search
#: is a hundred times cheaper than scanning the tree), then as an element's class or id.
PAYWALL_MARKERS = ("paywall", "subscribers-only", "premium-content")
_PAYWALL = etree.XPath(
    "(//*["
    + " or ".join(f"contains(@class, '{m}') or contains(@id, '{m}')" for m in PAYWALL_MARKERS)
    + "])[1]"
)


def _flag(value: Any) -> bool | None:
    """True, False or None from a boolean or its spellings ("True", "false", "locked")."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    return True if text in _TRUE else False if text in _FALSE else None


def _jsonld_flag(page: Page) -> bool | None:
    article = jsonld.article(page)
    if article is None:
        return None
    parts = article.get("hasPart")
    parts = parts if isinstance(parts, list) else [parts]
    if any(isinstance(p, dict) and _flag(p.get("isAccessibleForFree")) is False for p in parts):
        return False
    return _flag(article.get("isAccessibleForFree"))


def _meta_flag(page: Page) -> bool | None:
    return _flag(page.meta_first("isaccessibleforfree", "article:content_tier"))


def free_access(page: Page) -> bool | None:
    """True or False when the page tells whether the article is free to read, else None."""
    for flag in (_jsonld_flag(page), _meta_flag(page)):
        if flag is not None:
            return flag
    marked = any(marker in page.html for marker in PAYWALL_MARKERS) and _PAYWALL(page.tree)
    return False if marked else None
